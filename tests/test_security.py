"""Contributions cannot attack the site or leak the build machine (issue 12).

In-process checks, one per class of hostile input: what content/ and data/ may
hold (kb.content.inventory), attribute lists and heading ids (kb.adapters.attrs,
through the project's own Markdown configuration), the sanitiser's body policy
(kb.publish.sanitize), CSV formulas (kb.publish.opendata), pathological bodies,
text hygiene and identifiers that become paths (kb.content.hygiene, .paths), and
the messages of `python -m kb check` (kb.content.messages). The whole site built
from the hostile corpus is scanned by tests/test_hostile.py.
"""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import DATA, NODE_MODULES, load
from mkdocs.config import load_config


HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURES = HERE / "fixtures" / "content"
PNG = (HERE / "fixtures" / "hostile" / "content" / "medias" / "image.png").read_bytes()

CASE = """---
titre: {titre}
resume: Un résumé.
territoires:
  - nom: {nom}
    type: association
  - nom: Ville B
    type: association
themes: [energie]
statut: en-cours
date_ajout: {date}
sources:
  - titre: Un rapport
    editeur: Un éditeur
---

{body}
"""


def case(titre="Une coopération", nom="Ville A", date="2026-01-15", body="Corps.") -> str:
    return CASE.format(titre=titre, nom=nom, date=date, body=body)


def messages(content: Path, path: str | None = None) -> list[str]:
    """The problems of ``content`` as printed, for one file (``content/<path>``) or all."""
    problems = load(content).problems
    return [str(p) for p in problems if path is None or p.path == f"content/{path}"]


def check(folder, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb", "check", str(folder)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


# --- 1, 2. Only what the model knows is read and published --------------------------------

@pytest.mark.parametrize("rel,data,words", [
    ("page.html", b"<script>alert(1)</script>", "fichier refusé"),
    ("assets/javascripts/kb-search.js", b"alert(1)", "fichier refusé"),
    ("cooperations/notes.txt", b"x", "fichier refusé"),
    ("medias/dessin.svg", b"<svg onload='alert(1)'/>", "SVG"),
    ("medias/faux.png", b"<html><script>alert(1)</script>", "n'est pas une image PNG"),
    ("medias/photo.jpg", PNG, "n'est pas une image JPEG"),
    ("medias/page.html", b"<p>x</p>", "seules des images"),
    ("medias/fiche.md", b"---\ntitre: x\n---\n", "ne contient que des images"),
    ("cooperations/cas.markdown", b"---\ntitre: x\n---\n", "« .markdown » refusée"),
    ("a-propos.mdown", b"---\ntitre: x\n---\n", "« .mdown » refusée"),
    (".cache", b"x", "fichier caché"),
])
def test_files_the_model_does_not_know_are_refused(content, rel, data, words):
    target = content / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    found = messages(content, rel)
    assert found and words in found[0], found


def test_allowed_media_are_listed_for_publication(content):
    from kb.content.inventory import MAX_MEDIA_BYTES, publishable_media

    (content / "medias").mkdir()
    (content / "medias" / "photo.png").write_bytes(PNG)
    (content / "medias" / "photo.webp").write_bytes(b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16)
    (content / "medias" / "grosse.png").write_bytes(PNG + b"\x00" * MAX_MEDIA_BYTES)
    (content / "medias" / "x.svg").write_bytes(b"<svg/>")
    assert publishable_media(content) == ["medias/photo.png", "medias/photo.webp"]
    assert [m for m in messages(content, "medias/grosse.png") if "trop lourde" in m]


def test_symbolic_links_are_never_followed(content, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(case(titre="SECRET-DE-LA-MACHINE"), encoding="utf-8")
    (content / "cooperations" / "lien.md").symlink_to(secret)
    (content / "mort.md").symlink_to(tmp_path / "absent")
    (content / "boucle").symlink_to(content)
    (content / "dossier").symlink_to(tmp_path)
    loaded = load(content)
    shown = {p.path: p.message for p in loaded.problems}
    for rel in ("cooperations/lien.md", "mort.md", "boucle", "dossier"):
        assert "lien symbolique" in shown[f"content/{rel}"], shown
    assert "lien" not in loaded.cooperations
    assert all("SECRET" not in r.titre for r in loaded.records())


def test_a_fifo_is_refused_without_hanging(content):
    os.mkfifo(content / "attente.md")
    result = check(content, timeout=60)
    assert result.returncode == 1
    assert "content/attente.md:1: fichier: un tube nommé (FIFO) est interdit" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_folder_named_like_markdown_is_an_error_not_a_traceback(content):
    (content / "dossier.md").mkdir()
    (content / "cooperations" / "x.md").mkdir()
    result = check(content)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "content/dossier.md:1: fichier: un dossier ne peut pas porter un nom de fichier Markdown" \
        in result.stdout


def test_an_unreadable_file_is_an_error(content, monkeypatch):
    import kb.content.inventory as inventory

    denied = content / "cooperations" / "brest-centre-bretagne.md"
    real_access = os.access
    monkeypatch.setattr(inventory.os, "access",
                        lambda path, mode, **kw: Path(path) != denied and real_access(path, mode, **kw))
    found = messages(content, "cooperations/brest-centre-bretagne.md")
    assert found == ["content/cooperations/brest-centre-bretagne.md:1: fichier: fichier illisible : "
                     "vérifiez ses droits"]


def test_data_folder_holds_only_regular_yaml_files(content, tmp_path):
    (tmp_path / "data" / "notes.txt").write_text("x")
    (tmp_path / "data" / "lien.yml").symlink_to("/etc/hostname")
    shown = {p.path: p.message for p in load(content).problems}
    assert "data/" in shown["data/notes.txt"] and "lien symbolique" in shown["data/lien.yml"]


@pytest.mark.parametrize("folder", ["absent", "vide"])
def test_check_on_a_missing_or_empty_folder_is_an_error(tmp_path, folder):
    if folder == "vide":
        (tmp_path / folder).mkdir()
    result = check(tmp_path / folder)
    assert result.returncode == 1
    assert "Contenu valide" not in result.stdout
    assert ("introuvable" if folder == "absent" else "aucun fichier de contenu") in result.stdout


@pytest.mark.parametrize("rel,taken", [
    ("assets/javascripts/kb-search.md", "assets/"),
    ("territoires/brest.md", "territoires/"),
    ("donnees/index.md", "donnees/"),
    ("explorer/cooperations.md", "explorer/"),
    ("admin/index.md", "admin/"),
    ("pagefind/x.md", "pagefind/"),
    ("themes/energie.md", "themes/"),
    ("publics/elus.md", "publics/"),
    ("arreter-commencer.md", "arreter-commencer.md"),
    ("rechercher/index.md", "rechercher.md"),
    ("cooperations.md", "cooperations/index.md"),
    ("Territoires.md", "territoires/"),
    ("404.md", "404.md"),
])
def test_content_cannot_land_on_a_generated_path(content, rel, taken):
    target = content / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("---\ntitre: Page\n---\n\nx\n", encoding="utf-8")
    found = messages(content, rel)
    assert found and f"réservé au site généré (« {taken} »)" in found[0], found


def test_every_generated_page_is_a_reserved_path():
    """The list of reserved paths (kb.sitemap) covers every page the generator writes
    that is not a content file's own page."""
    from kb.graph.build import build_graph
    from kb.render.pages import generate_pages
    from kb.sitemap import generated_path_at

    loaded = load(FIXTURES)
    own = {r.path for r in loaded.pages.values()} | {f"{folder}/{r.id}.md" for folder, records in (
        ("cooperations", loaded.cooperations), ("recommandations", loaded.recommendations),
        ("sources", loaded.documents)) for r in records.values()}
    folders = [v.path for v in build_graph(loaded).vocabularies.values()]
    for page in generate_pages(build_graph(loaded), node_modules=NODE_MODULES):
        if page.path not in own:
            assert generated_path_at(page.path, folders), page.path


# --- 3. Attribute lists and heading ids -----------------------------------------------------

def project_markdown() -> markdown.Markdown:
    """Python-Markdown configured exactly as mkdocs.yml configures it."""
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


@pytest.mark.parametrize("heading", [
    "## Titre {#x\" onmouseover=\"alert(1)}",
    "## Titre {: id='x\" onmouseover=alert(1) x=\"' }",
    "## Titre {: id='y\"onfocus=alert(1)//' }",
    "## Titre {#x\"><script>alert(1)</script>}",
    "## Titre {: .md-dialog data-toc-label=\"<img src=x onerror=alert(1)>\" onclick=\"alert(1)\" }",
    "## Titre {#md-header}",
    "## md-header",
    "## __search",
])
def test_headings_get_only_safe_ids_and_no_attributes(heading):
    from kb.adapters.attrs import safe_id

    md = project_markdown()
    html = md.convert(heading + "\n\nTexte {: onclick=\"alert(1)\" .md-x }\n")
    soup = BeautifulSoup(html, "html.parser")
    h2 = soup.find("h2")
    assert set(h2.attrs) == {"id"}, h2.attrs
    assert safe_id(h2["id"]), h2["id"]
    assert all(safe_id(token["id"]) for token in md.toc_tokens), md.toc_tokens
    assert soup.find("p").attrs == {}
    # the templates' own anchors stay
    html = project_markdown().convert("## Références externes { #references }\n\n## Types { #types_territoire }")
    assert [h["id"] for h in BeautifulSoup(html, "html.parser").find_all("h2")] == ["references",
                                                                                    "types_territoire"]


# --- 4. The sanitiser's body policy -------------------------------------------------------

BODY = """<div data-pagefind-meta="title:faux" data-pagefind-filter="coop:autre" data-md-component="dialog"
 class="md-dialog kb-noindex ok" id="__search">x</div>

<form><label for="c">Mot de passe</label><input id="c" type="password"><button>OK</button></form>

<p id="md-header" data-kb-noindex data-sort="1">y</p>
"""


def test_bodies_carry_no_search_metadata_theme_names_or_form_controls():
    from kb.publish.sanitize import mark_body, sanitize_html

    page = '<p data-sort="1" data-kb-count>gabarit</p>\n' + mark_body(BODY) + '<p data-titre="t">fin</p>'
    html = sanitize_html(project_markdown().convert(page))
    soup = BeautifulSoup(html, "html.parser")
    body_attrs = [(el.name, k, v) for el in soup.find_all(True) for k, v in el.attrs.items()
                  if el.get_text(strip=True) in ("x", "y", "Mot de passe")]
    assert not [a for a in body_attrs if a[1].startswith("data-")], body_attrs
    assert soup.find("div")["class"] == ["ok"] and not soup.find("div").get("id")
    assert not soup.find(["form", "input", "label", "button"])
    assert soup.find("p", string="gabarit").attrs == {"data-sort": "1", "data-kb-count": ""}
    assert soup.find("p", string="fin")["data-titre"] == "t"


def test_templates_cannot_pass_search_or_theme_attributes_either():
    from kb.publish.sanitize import sanitize_html

    soup = BeautifulSoup(sanitize_html('<p data-pagefind-body data-md-state="x" data-kb-id-filter>t</p>'),
                         "html.parser")
    assert soup.p.attrs == {"data-kb-id-filter": ""}


def test_a_body_cannot_close_its_own_marker():
    from kb.publish.sanitize import mark_body, sanitize_html

    page = mark_body('a\n\n<!--/kb-body-->\n\n<p data-sort="1" class="kb-card md-x">forgé</p>\n\n<!-- /KB-BODY -->')
    soup = BeautifulSoup(sanitize_html(project_markdown().convert(page)), "html.parser")
    assert soup.find("p", string="forgé").attrs == {}


def test_a_page_without_the_closing_marker_is_strict_to_the_end():
    from kb.publish.sanitize import BODY_OPEN, sanitize_html

    html = sanitize_html(f'<p data-sort="1">avant</p>{BODY_OPEN}<p>corps</p><p data-sort="2" class="md-x">après</p>')
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("p", string="avant").attrs == {"data-sort": "1"}
    assert soup.find("p", string="après").attrs == {}


def test_footnotes_of_a_body_are_cleaned_as_body():
    """Python-Markdown moves a body's footnotes to the end of the page, after the template."""
    from kb.publish.sanitize import mark_body, sanitize_html

    body = ('Note[^1].\n\n[^1]: <span data-pagefind-meta="title:faux" class="md-dialog">note</span> '
            '<input type="checkbox" checked>')
    html = sanitize_html(project_markdown().convert(mark_body(body) + '\n\n<p data-sort="1">fin</p>\n'))
    soup = BeautifulSoup(html, "html.parser")
    span = soup.find("span", string="note")
    assert span is not None and span.attrs == {}, html
    assert not soup.find("input")
    assert soup.find("p", string="fin")["data-sort"] == "1"


# --- 6. CSV formulas ----------------------------------------------------------------------

def test_csv_cells_are_never_formulas_and_json_is_untouched():
    import csv
    import io
    import json

    from kb.graph.build import build_graph
    from kb.publish import opendata

    loaded = load(FIXTURES)
    cid, coop = next(iter(loaded.cooperations.items()))
    # copies, so that no other test sees the changed records
    coop = loaded.cooperations[cid] = dataclasses.replace(
        coop, titre='=HYPERLINK("https://evil.example")', resume="+cmd|' /C calc'!A0",
        territoires=[dataclasses.replace(coop.territoires[0], nom="@SUM(1)"), *coop.territoires[1:]])
    graph = build_graph(loaded)
    files = opendata.files(graph)
    for name in ("donnees/cooperations.csv", "donnees/territoires.csv"):
        cells = [c for row in csv.reader(io.StringIO(files[name].decode())) for c in row]
        # a number (a longitude of -4.479) is read as a number by a spreadsheet, never as a formula
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")
                    and not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", c)], name
    rows = json.loads(files["donnees/cooperations.json"])
    assert coop.titre in [r["titre"] for r in rows]
    assert "'=HYPERLINK" in files["donnees/cooperations.csv"].decode()
    package = json.loads(files["donnees/datapackage.json"])
    assert all("apostrophe" in r["description"] for r in package["resources"] if r["format"] == "csv")


# --- 7. Pathological bodies ---------------------------------------------------------------

@pytest.mark.parametrize("name,body,words", [
    ("liste-sur-une-ligne", "1. " * 700, "listes ou citations trop imbriquées"),
    ("listes-melangees", "- 1. " * 400, "listes ou citations trop imbriquées"),
    ("citations", "> " * 1000, "listes ou citations trop imbriquées"),
    ("crochets", "[" * 50_000, "ligne trop longue"),
    ("crochets-en-lignes", ("[" * 100 + "\n") * 500, "crochets « [ » trop imbriqués"),
    ("liens-ouverts", ("[a](" * 1000 + "\n") * 20, "parenthèses « ( » trop imbriquées"),
    ("balises", ("<a>" * 1000 + "\n") * 16, "balises HTML trop imbriquées"),
    ("indentation", "\n".join("    " * i + "- x" for i in range(40)), "indentation trop profonde"),
    ("enorme", ("Une phrase assez longue pour remplir le texte. " * 40 + "\n\n") * 60, "texte trop long"),
])
def test_pathological_bodies_are_refused_before_any_conversion(content, name, body, words):
    (content / "cooperations" / f"{name}.md").write_text(case(body=body), encoding="utf-8")
    found = messages(content, f"cooperations/{name}.md")
    assert [m for m in found if words in m], found


# --- 8. Identifiers that become paths -------------------------------------------------------

@pytest.mark.parametrize("first,second,words", [
    ("🌳🌲", "Ville B", "ne donne aucune adresse de page"),
    ("Index", "Ville B", "adresse de la liste des territoires"),
    ("Ville 🌳", "Ville 🌲", "donnent la même adresse de page"),
])
def test_territory_keys_are_checked(content, first, second, words):
    (content / "cooperations" / "un.md").write_text(case(nom=f'"{first}"'), encoding="utf-8")
    (content / "cooperations" / "deux.md").write_text(case(nom=f'"{second}"'), encoding="utf-8")
    found = messages(content)
    assert [m for m in found if words in m], found
    # two spellings of one place stay one territory
    (content / "cooperations" / "un.md").write_text(case(nom="Saint-Malo"), encoding="utf-8")
    (content / "cooperations" / "deux.md").write_text(case(nom="saint malo"), encoding="utf-8")
    assert messages(content) == []


def test_vocabulary_ids_are_slugs():
    from kb.content.paths import vocabulary_problems
    from kb.content.vocab import Term, Vocabulary

    good = DATA.vocabularies
    assert vocabulary_problems(good) == []
    bad = dict(good)
    bad["themes"] = Vocabulary("themes", "Thème", "Thèmes", "../../etc", "d",
                               {"../x": Term("../x", "x", "d"), "index": Term("index", "i", "d")})
    bad["axes"] = Vocabulary("axes", "Axe", "Axes", "territoires", "d", {})
    found = vocabulary_problems(bad)
    fields = {f for _, f, _ in found}
    assert {"themes.chemin", "themes.termes.../x", "themes.termes.index", "axes.chemin"} <= fields, found


def test_duplicate_paths_are_found():
    from kb.content.paths import duplicate_paths

    assert duplicate_paths(["a.md", "b.md", "A.md", "c/index.md", "c/index.md"]) == ["a.md", "c/index.md"]


# --- 9, 10. Text hygiene, no traceback ------------------------------------------------------

@pytest.mark.parametrize("titre,words", [
    ('"Titre\\0nul"', "U+0000"),
    ('"Titre\\x7f"', "U+007F"),
    ('"Titre\\x85"', "U+0085"),
    ('"Titre\\uFFFE"', "U+FFFE"),
    ('"Titre \\u202Eelbisivni"', "U+202E RIGHT-TO-LEFT OVERRIDE en position 7"),
    ('"\\u2066Titre\\u2069"', "U+2066"),
    ('"Titre\\x1b[31mrouge"', "U+001B"),
    ('"\\u200b\\u200b"', "aucun caractère visible"),
    ('"   "', "aucun caractère visible"),
])
def test_refused_characters_in_front_matter(content, titre, words):
    (content / "cooperations" / "piege.md").write_text(case(titre=titre), encoding="utf-8")
    found = messages(content, "cooperations/piege.md")
    assert [m for m in found if words in m and ":2: titre:" in m], found


def test_a_date_with_a_trailing_newline_is_refused(content):
    (content / "cooperations" / "date.md").write_text(case(date='"2026-01-15\\n"'), encoding="utf-8")
    found = messages(content, "cooperations/date.md")
    assert [m for m in found if "date_ajout" in m and "U+000A" in m], found
    # a field that may hold lines keeps them
    text = case().replace("resume: Un résumé.", "resume: |\n  Deux lignes\n  de résumé.")
    (content / "cooperations" / "date.md").write_text(text, encoding="utf-8")
    assert messages(content, "cooperations/date.md") == []


def test_control_characters_in_a_body_are_refused(content):
    (content / "cooperations" / "corps.md").write_text(case(body="Texte\x00nul"), encoding="utf-8")
    found = messages(content, "cooperations/corps.md")
    assert [m for m in found if "U+0000" in m and ":17: texte:" in m], found


# --- 12. Safe messages ----------------------------------------------------------------------

def test_check_messages_are_safe_lines(content):
    from kb.content.messages import is_safe_line

    (content / "cooperations" / "echo.md").write_text(
        "---\ntitre: \"x\\n::warning::pirate\"\nresume: \"\\x1b[2J\\x1b[31m\"\nstatut: \"" + "9" * 5000 +
        "\"\nchamp_inconnu_tres_long_" + "z" * 300 + ": 1\n---\n\nx\n", encoding="utf-8")
    (content / "nom\x1b[31m\n::error::piege.html").write_text("x")
    result = check(content)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(is_safe_line(line) for line in lines), lines
    assert not [line for line in lines if line.startswith("::") or "\x1b" in line]
    assert max(len(line) for line in lines) < 1000
    assert "9" * 200 not in result.stdout


def test_each_missing_field_is_reported_once(content):
    # six required fields missing: six lines (not six times six)
    (content / "cooperations" / "vide.md").write_text("---\ntitre: Vide\n---\n\nx\n", encoding="utf-8")
    found = messages(content, "cooperations/vide.md")
    assert len(found) == len(set(found)) == 6, found


def test_yaml_errors_are_french_and_one_line(content):
    (content / "cooperations" / "yaml.md").write_text("---\ntitre: \"a\\qb\"\nresume: x: y\n---\n",
                                                      encoding="utf-8")
    (content / "cooperations" / "yaml2.md").write_text("---\ntitre: [a\nresume: x\n---\n", encoding="utf-8")
    for rel in ("cooperations/yaml.md", "cooperations/yaml2.md"):
        found = messages(content, rel)
        assert len(found) == 1 and "en-tête YAML illisible" in found[0], found
        for english in ("found", "expected", "while", "scanning", "character"):
            assert english not in found[0], found


def test_words_in_a_page_cannot_remove_it_from_search():
    """Only a template's data-kb-noindex attribute keeps a page out of the search index: the
    same words written in a body (shown as text) do not."""
    from kb.search.index import prepare

    kind = ("Page", None, "x")
    text = ('<article class="md-content__inner md-typeset"><p>data-kb-noindex</p>'
            "<code>&lt;p data-kb-noindex&gt;</code></article>")
    marked = '<article class="md-content__inner md-typeset"><div data-kb-noindex></div></article>'
    assert prepare(text, kind) is not None
    assert prepare(marked, kind) is None


# --- CI: the workflows give the repository's code no credential (issue 24) -----------------

WORKFLOW_FILES = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?:#\s*(?P<comment>.*))?$")
_PINNED = re.compile(r"\A[\w.-]+/[\w./-]+@[0-9a-f]{40}\Z")
_PUSHES = re.compile(r"\bgit\s+push\b|\bgh\s+(?:pr\s+create|release)\b")


def _workflow(path: Path) -> dict:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on:` as True
        data["on"] = data.pop(True)
    return data


def _writes(permissions) -> list[str]:
    if permissions in ("write-all",):
        return ["write-all"]
    if isinstance(permissions, dict):
        return [scope for scope, level in permissions.items() if level == "write"]
    return []


# Commands that run nothing of the repository: a job that checks the repository out and runs
# only these (besides pinned actions) does not execute its code (.github/workflows/ticket.yml:
# the job that opens the pull request applies a patch with git and comments with gh).
_INERT = {"git", "gh", "printf", "cp", "grep", "cut", "wc", "test", "[", "exit"}
_KEYWORDS = {"if", "then", "else", "elif", "fi", "!"}


def _commands(script: str):
    """The first word of each command of a shell script (roughly: enough for the steps we write)."""
    for part in re.split(r"\n|;|\|\||&&|\||\$\(", script):
        words = part.replace("\\", " ").split()
        while words and (words[0] in _KEYWORDS or re.match(r"\w+=", words[0])):
            words = words[1:]
        if words:
            yield words[0]


def _runs_repository_code(steps) -> bool:
    """Whether a job may execute the repository's code: any script, unless the job checks the
    repository out and runs only ``_INERT`` commands after it (and no local action)."""
    uses = [str(step.get("uses", "")) for step in steps]
    scripts = [step["run"] for step in steps if "run" in step]
    if any(u.startswith("./") for u in uses):
        return True
    if not any(u.startswith("actions/checkout@") for u in uses):
        return bool(scripts)
    return not scripts or any(word not in _INERT for script in scripts for word in _commands(script))


def workflow_problems(path: Path) -> list[str]:
    """What a workflow does that hands the repository's code a credential it does not need."""
    problems = []
    name = path.name
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _USES.match(line)
        if not match or match["ref"].startswith(("./", "docker://")):
            continue
        if not _PINNED.match(match["ref"]):
            problems.append(f"{name}:{number}: {match['ref']} n'est pas épinglée par un commit complet")
        elif not re.match(r"v\d+(\.\d+)*\b", (match["comment"] or "").strip()):
            problems.append(f"{name}:{number}: la version de {match['ref']} manque en commentaire")
    workflow = _workflow(path)
    triggers = workflow["on"] if isinstance(workflow["on"], (dict, list)) else [workflow["on"]]
    for trigger in ("pull_request_target", "workflow_run"):
        if trigger in triggers:
            problems.append(f"{name}: « {trigger} » donne les droits du dépôt au code d'une pull request")
    if "permissions" not in workflow:
        problems.append(f"{name}: « permissions » manque au niveau du workflow (droits par défaut du dépôt)")
    elif _writes(workflow["permissions"]):
        problems.append(f"{name}: droits d'écriture au niveau du workflow : {_writes(workflow['permissions'])}")
    for job_name, job in workflow["jobs"].items():
        steps = job.get("steps", [])
        runs_code = _runs_repository_code(steps)
        if runs_code and _writes(job.get("permissions")):
            problems.append(f"{name}: le travail « {job_name} » exécute le code du dépôt avec les droits "
                            f"{_writes(job.get('permissions'))}")
        for i, step in enumerate(steps):
            if "run" in step and "${{" in step["run"] and re.search(r"\$\{\{\s*github\.event\.", step["run"]):
                problems.append(f"{name}: « {job_name} », étape {i + 1} : une valeur de l'événement est "
                                "collée dans la commande (passez-la par « env: »)")
            if not str(step.get("uses", "")).startswith("actions/checkout@"):
                continue
            pushes = any(_PUSHES.search(str(later.get("run", ""))) for later in steps[i + 1:])
            if not pushes and (step.get("with") or {}).get("persist-credentials") is not False:
                problems.append(f"{name}: « {job_name} », étape {i + 1} : actions/checkout sans "
                                "« persist-credentials: false » (le jeton reste dans .git/config)")
    return problems


def test_workflows_pin_actions_keep_no_token_and_write_only_to_deploy():
    assert WORKFLOW_FILES
    problems = [p for path in WORKFLOW_FILES for p in workflow_problems(path)]
    assert problems == [], "\n".join(problems)


def test_workflow_rules_catch_each_mistake(tmp_path):
    bad = tmp_path / "mauvais.yml"
    bad.write_text("""name: x
on: pull_request_target
permissions:
  contents: write
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      pages: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
      - run: echo "${{ github.event.issue.title }}"
""", encoding="utf-8")
    found = "\n".join(workflow_problems(bad))
    for words in ("pas épinglée", "manque en commentaire", "pull_request_target", "niveau du workflow",
                  "exécute le code du dépôt", "collée dans la commande", "persist-credentials"):
        assert words in found, (words, found)


# --- Maintainer commands: a typed value is never run (issue 24) ---------------------------

def _make(project: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """`make` in a copy of the project, with this Python (no virtual environment to create)."""
    stamp = tmp_path / "installed-stamp"
    stamp.touch()
    return subprocess.run(["make", "--no-print-directory", "-C", str(project), f"PY={sys.executable}",
                           f"STAMP={stamp}", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})


def test_make_passes_titles_and_names_as_text_never_as_commands(tmp_path):
    from project_copy import make_project

    project = make_project(tmp_path / "projet", FIXTURES).parent
    marks = [project / f"pwned-{i}" for i in range(4)]  # the recipes run in the project folder
    payload = "Essai `touch pwned-0` $(touch pwned-1) $(shell touch pwned-2)\" ; touch pwned-3 ; \""
    for target, variable in (("nouvelle-cooperation", "TITRE"), ("nouvelle-recommandation", "TITRE"),
                             ("chercher", "NOM")):
        result = _make(project, tmp_path, target, f"{variable}={payload}")
        assert not [m for m in marks if m.exists()], (target, result.stdout + result.stderr)
        # the skeleton is written; the search looks for the whole text, and finds no such place
        expected = (2, "Aucun territoire officiel") if target == "chercher" else (0, "Fiche créée")
        assert (result.returncode, expected[1] in result.stdout) == (expected[0], True), \
            result.stdout + result.stderr
    from kb.content.reader import read_file

    written = sorted((project / "content" / "cooperations").glob("essai-*.md"))
    assert len(written) == 1, written
    assert read_file(written[0]).data["titre"] == payload  # the title as typed, every character
    found = _make(project, tmp_path, "chercher", "NOM=Carhaix-Plouguer")
    assert found.returncode == 0 and "Carhaix" in found.stdout, found.stdout + found.stderr
    # a title that looks like an option is a title too
    result = _make(project, tmp_path, "nouvelle-cooperation", "TITRE=--help")
    assert result.returncode == 0 and (project / "content" / "cooperations" / "help.md").exists(), result.stderr


# --- Data files: a French message naming the file, never a traceback (issue 24) ------------

DEEP = "x: " + "[" * 999 + "]" * 999 + "\n"
HOSTILE_DATA = {
    # file, text appended to (or replacing, when it starts with "!") the real file, words expected
    "vocabulaire-liste": ("vocabulaires.yml", "!- themes\n- finalites\n", "une liste de vocabulaires"),
    "vocabulaire-etiquette": ("vocabulaires.yml", "autre: !!python/object/apply:os.system [\"id\"]\n",
                              "étiquette"),
    "vocabulaire-profond": ("vocabulaires.yml", DEEP, "trop imbriquées"),
    "vocabulaire-termes-texte": ("vocabulaires.yml", "autre:\n  label: Autre\n  pluriel: Autres\n  chemin: autres\n"
                                 "  description: x\n  termes: juste du texte\n", "une liste de termes"),
    "vocabulaire-label-liste": ("vocabulaires.yml", "autre:\n  label: [a, b]\n  pluriel: Autres\n  chemin: autres\n"
                                "  description: x\n  termes: {a: {label: A, definition: B}}\n", "texte non vide"),
    "vocabulaire-sans-definition": ("vocabulaires.yml", "autre:\n  label: Autre\n  pluriel: Autres\n"
                                    "  chemin: autres\n  description: x\n  termes: {a: {label: A}}\n",
                                    "« definition »"),
    "vocabulaire-lien": ("vocabulaires.yml", "autre:\n  label: Autre\n  pluriel: Autres\n  chemin: autres\n"
                         "  description: x\n  termes: {a: {label: \"[A](javascript:alert(1))\", definition: B}}\n",
                         "caractère « [ » refusé"),
    "vocabulaire-attributs": ("vocabulaires.yml", "autre:\n  label: Autre\n  pluriel: Autres\n  chemin: autres\n"
                              "  description: \"Texte {onclick=alert(1)}\"\n  termes: {a: {label: A, definition: B}}\n",
                              "caractère « { » refusé"),
    "departements-nombre": ("departements.yml", "!29: 12\n", "un département est attendu"),
    "departements-code": ("departements.yml", "\"../x\": {nom: X, region: bretagne}\n", "code de département"),
    "departements-ancre": ("departements.yml", "\"98\": &a {nom: X, region: bretagne}\n", "ancre"),
    "departements-profond": ("departements.yml", DEEP, "trop imbriquées"),
    "departements-html": ("departements.yml", "\"98\": {nom: \"<img src=x onerror=alert(1)>\", region: bretagne}\n",
                          "caractère « < » refusé"),
    "glossaire-liste": ("glossaire.yml", "!- ADEME\n- PETR\n", "une liste de sigles"),
    "glossaire-texte": ("glossaire.yml", "XYZ: juste du texte\n", "un sigle expliqué est attendu"),
    "glossaire-etiquette": ("glossaire.yml", "XYZ: {forme: !!binary aGk=}\n", "étiquette"),
    "glossaire-profond": ("glossaire.yml", DEEP, "trop imbriquées"),
    "glossaire-sigle": ("glossaire.yml", "\"<b>X</b>\": {forme: X}\n", "un sigle s'écrit"),
    "glossaire-lien": ("glossaire.yml", "XYZ: {forme: \"[x](javascript:alert(1))\"}\n", "caractère « [ » refusé"),
    "glossaire-champ-inconnu": ("glossaire.yml", "XYZ: {forme: X, onclick: x}\n", "champ inconnu"),
    "glossaire-pas-utf8": ("glossaire.yml", "XYZ: {forme: caf\udce9}\n", "UTF-8"),
}


def _hostile_data(tmp_path: Path, name: str) -> Path:
    """A copy of the project whose data file holds the case ``name`` of HOSTILE_DATA."""
    from project_copy import make_project

    file, text, _ = HOSTILE_DATA[name]
    project = make_project(tmp_path / "projet", FIXTURES).parent
    target = project / "data" / file
    old = b"" if text.startswith("!") else target.read_bytes()
    target.write_bytes(old + b"\n" + text.lstrip("!").encode("utf-8", "surrogateescape"))
    return project


@pytest.mark.parametrize("name", sorted(HOSTILE_DATA))
def test_malformed_data_files_get_a_french_message(name, tmp_path):
    from kb.content.validate import load_content
    from kb.content.vocab import ProjectData

    file, _, words = HOSTILE_DATA[name]
    project = _hostile_data(tmp_path, name)
    found = [str(p) for p in load_content(project / "content", ProjectData.at(project / "data")).problems]
    assert any(text.startswith(f"data/{file}:") and words in text for text in found), found


@pytest.mark.parametrize("name", ["glossaire-profond", "vocabulaire-etiquette", "departements-nombre"])
def test_kb_check_and_build_report_data_files_without_traceback(name, tmp_path):
    from project_copy import kb_build

    file, _, words = HOSTILE_DATA[name]
    project = _hostile_data(tmp_path, name)
    result = subprocess.run([sys.executable, "-m", "kb", "--projet", str(project), "check"], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    built = kb_build(project / "mkdocs.yml", tmp_path / "site")
    new = subprocess.run([sys.executable, "-m", "kb", "--projet", str(project), "nouvelle", "cooperation", "Essai"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    # the skeleton reads the vocabularies only
    for run in (result, built) + ((new,) if file == "vocabulaires.yml" else ()):
        output = run.stdout + run.stderr
        assert run.returncode != 0 and "Traceback" not in output, output
        assert [line for line in output.splitlines() if f"data/{file}:" in line and words in line], output


# --- Accept only what will publish; bounded output (issue 24) ------------------------------

def test_a_date_of_addition_in_the_future_is_refused(content):
    from datetime import date

    from kb.content.validate import load_content

    (content / "cooperations" / "futur.md").write_text(case(date="9999-12-31"), encoding="utf-8")
    found = messages(content, "cooperations/futur.md")
    assert found and "futur.md:" in found[0] and "date_ajout" in found[0] and "dans le futur" in found[0], found
    # relative to the build date: the day itself is accepted, the next day is not
    (content / "cooperations" / "futur.md").write_text(case(date="2026-03-02"), encoding="utf-8")
    data = load(content).data
    assert not [p for p in load_content(content, data, date(2026, 3, 2)).problems if p.path.endswith("futur.md")]
    late = [str(p) for p in load_content(content, data, date(2026, 3, 1)).problems]
    assert [m for m in late if "futur.md:" in m and "dans le futur" in m], late


@pytest.mark.parametrize("first,second", [
    ("methode/guide.md", "methode/guide/index.md"),
    ("a-propos.md", "a-propos/index.md"),
    ("methode/Guide.md", "methode/guide.md"),
])
def test_two_files_for_one_address_are_refused_naming_both(content, first, second):
    for rel in (first, second):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(f"---\ntitre: Page {rel}\n---\n\nTexte.\n", encoding="utf-8")
    found = [m for m in messages(content) if "même page" in m]
    assert found and f"content/{first}" in found[0] and f"content/{second}" in found[0], messages(content)


@pytest.mark.parametrize("rel", ["README.md", "methode/README.md", "methode/readme.md"])
def test_a_readme_is_refused(content, rel):
    (content / rel).parent.mkdir(parents=True, exist_ok=True)
    (content / rel).write_text("---\ntitre: Lisez-moi\n---\n\nTexte.\n", encoding="utf-8")
    found = messages(content, rel)
    assert found and "README.md" in found[0], messages(content)


@pytest.mark.parametrize("body", ["![Photo](/medias/photo.png)", "[rapport]: /medias/rapport.png",
                                  '<img src="/medias/photo.png" alt="x">'])
def test_links_from_the_site_root_are_refused(content, body):
    (content / "cooperations" / "racine.md").write_text(case(body=f"Texte.\n\n{body}\n"), encoding="utf-8")
    found = messages(content, "cooperations/racine.md")
    assert found and "/medias/" in found[0] and "sous-dossier" in found[0], found


def test_the_editor_writes_image_paths_relative_to_the_fiche():
    from kb.publish.decap import COLLECTIONS, config

    settings = config(DATA, "o/r")
    assert settings["public_folder"] == "../medias" and settings["media_folder"] == "content/medias"
    # every collection is one folder below content/: ../medias is content/medias from each fiche
    assert all(c["folder"].count("/") == 1 for c in settings["collections"]) and len(COLLECTIONS) == 3


def _partners(n: int, members: int = 0) -> str:
    items = "".join(f"  - nom: Partenaire {i}\n    type: association\n" for i in range(n))
    if members:
        items += "  - nom: Groupement\n    type: groupement\n    membres: [" + \
            ", ".join(f"\"{29000 + i:05d}\"" for i in range(members)) + "]\n"
    return items


@pytest.mark.parametrize("field,text,words", [
    ("territoires", lambda: _partners(41), "41 partenaires, 40 au plus"),
    ("territoires", lambda: _partners(1, members=201), "201 membres, 200 au plus"),
    ("sources", lambda: "".join(f"  - titre: Source {i}\n    editeur: E\n" for i in range(31)), "31 sources, 30 au plus"),
    ("documents", lambda: "".join(f"  - titre: Document {i}\n" for i in range(21)), "21 documents signés, 20 au plus"),
])
def test_per_file_limits_name_the_file_and_the_limit(content, field, text, words):
    block = f"{field}:\n{text()}"
    source = case()
    if re.search(rf"^{field}:\n", source, re.M):
        source = re.sub(rf"^{field}:\n(?:  .*\n)*", lambda _: block, source, flags=re.M)
    else:
        source = source.replace("date_ajout:", block + "date_ajout:")
    (content / "cooperations" / "enorme.md").write_text(source, encoding="utf-8")
    found = messages(content, "cooperations/enorme.md")
    assert [m for m in found if words in m and f"{field}" in m], found


def test_limits_are_far_above_the_real_content():
    from conftest import ROOT as root
    from kb.content.limits import MAX_ITEMS, MAX_MEMBERS, file_problems
    from kb.content.reader import read_file

    for path in (root / "content").rglob("*.md"):
        data = read_file(path).data or {}
        assert file_problems("cooperation", data) == []
        for name, (limit, _) in MAX_ITEMS.items():
            assert len(data.get(name) or []) * 4 <= limit, (path, name)
        for partner in data.get("territoires") or []:
            assert len(partner.get("membres") or []) * 4 <= MAX_MEMBERS


def test_files_a_reader_downloads_have_a_budget(tmp_path):
    from kb.publish.budget import MIB, report

    files = {"ma-commune/liens.json": MIB + 1, "cooperations/x/index.html": 2 * MIB + 1,
             "explorer/cooperations/index.html": 5 * MIB, "admin/decap-cms.js": 5 * MIB,
             "donnees/cooperations.csv": 5 * MIB, "pagefind/fragment/a.pf_fragment": 1000,
             "assets/javascripts/kb-commune.js": 1000, "index.html": 2 * MIB}
    for rel, size in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x" * size)
    largest, over = report(tmp_path)
    assert [line.split()[-1] for line in largest[1:6]] == [
        "admin/decap-cms.js", "donnees/cooperations.csv", "explorer/cooperations/index.html",
        "cooperations/x/index.html", "index.html"]
    assert len(over) == 2, over
    assert over[0].startswith("cooperations/x/index.html : page de 2,0 Mio") and "budget de 2,0 Mio" in over[0]
    assert over[1].startswith("ma-commune/liens.json : fichier de « Ma commune »") and "budget de 1,0 Mio" in over[1]
