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
