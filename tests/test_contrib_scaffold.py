"""`make nouvelle-cooperation` / `make nouvelle-recommandation`: a skeleton that `make check`
refuses until it is filled, then accepts; followed end to end as a contributor would."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DATA, FIXTURES, ROOT, load
from kb.graph.build import build_graph
from kb.content.scaffold import ScaffoldError, identifier, scaffold
from project_copy import kb_build, make_project

NEW = ("-m", "kb", "nouvelle")  # what make nouvelle-cooperation runs
VOCABS = DATA.vocabularies
FIXTURE_GRAPH = build_graph(load(FIXTURES))


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                           timeout=120)


@pytest.fixture
def project(tmp_path):
    """A throw-away copy of the project around a copy of the fixture content."""
    config = make_project(tmp_path / "projet", FIXTURES)
    return config.parent


def first_term(vocab: str) -> str:
    return next(iter(VOCABS[vocab].terms))


def fill(text: str, kind: str) -> str:
    """What a contributor types into the skeleton: a value for every empty placeholder."""
    recos = list(FIXTURE_GRAPH.recommendations)
    values = {
        'resume: ""': "resume: Une phrase qui dit qui coopère et pourquoi.",
        'statut: ""': f"statut: {first_term('statuts')}",
        "themes: []": f"themes: [{first_term('themes')}]",
        "audiences: []": f"audiences: [{first_term('audiences')}]",
        'axe: ""': f"axe: {first_term('axes')}",
        '    editeur: ""': "    editeur: Éditeur d'essai",
        '  - titre: ""': "  - titre: Rapport d'essai",
        "# recommandations: [identifiant-d-une-recommandation]": f"recommandations: [{recos[0]}]",
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    # an official territory carries its code; an actor does not (kb.content.identity)
    partners = iter(["Ville d'essai\n    type: commune\n    code: \"29019\"",
                     "Association d'essai\n    type: association"])
    text = re.sub(r'  - nom: ""\n    type: ""', lambda m: f"  - nom: {next(partners)}", text)
    return text


def check(content: Path):
    return run("-m", "kb", "check", content)


KINDS = {  # a title of each kind, with what makes a file name or the front matter trip
    "cooperation": "Contrat de réciprocité « Ville A » – Pays B : l'essai",
    "recommandation": "Financer l'ingénierie des petites communes",
}


def test_scaffold_fill_check_build_end_to_end(project):
    """For each kind: the skeleton is made, refused by the check line by line, filled,
    accepted, and published by the build (one build of the project for both kinds)."""
    started = time.perf_counter()
    content = project / "content"
    made_files = {}
    for kind, title in KINDS.items():
        made = run(*NEW, kind, title, "--contenu", content)
        assert made.returncode == 0, made.stderr
        ident = identifier(title)
        path = content / ("cooperations" if kind == "cooperation" else "recommandations") / f"{ident}.md"
        assert path.exists() and "Fiche créée" in made.stdout
        text = path.read_text(encoding="utf-8")
        assert f"date_ajout: {date.today().isoformat()}" in text
        made_files[kind] = (ident, path, text)

    refused = check(content)  # the empty placeholders are refused, each on its own line
    assert refused.returncode == 1
    for kind, (ident, path, text) in made_files.items():
        own = [line for line in refused.stdout.splitlines() if ident in line]
        assert own and all(re.match(rf"content/\w+/{ident}\.md:\d+: ", line) for line in own), (kind, own)
        path.write_text(fill(text, kind), encoding="utf-8")

    accepted = check(content)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Contenu valide" in accepted.stdout
    record = load(content)
    for kind, (ident, _, _) in made_files.items():
        store = record.cooperations if kind == "cooperation" else record.recommendations
        assert store[ident].titre == KINDS[kind]

    result = kb_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for kind, (ident, _, _) in made_files.items():
        folder = "cooperations" if kind == "cooperation" else "recommandations"
        html = (project / "site" / folder / ident / "index.html").read_text(encoding="utf-8")
        main = BeautifulSoup(html, "lxml").select_one("article")
        assert main.h1.get_text(strip=True) == KINDS[kind]
        if kind == "cooperation":
            assert "Ville d'essai" in main.get_text()
    print(f"\nscaffold → check → build of both kinds in {time.perf_counter() - started:.1f} s")


def test_existing_identifier_is_refused_with_a_french_message(project):
    content = project / "content"
    existing = next(iter(FIXTURE_GRAPH.cooperations.values()))
    # a title whose identifier is that of a fixture case
    title = existing.id.replace("-", " ")
    assert identifier(title) == existing.id
    before = (content / existing.path).read_bytes()
    result = run(*NEW, "cooperation", title, "--contenu", content)
    assert result.returncode == 1
    assert f"l'identifiant « {existing.id} » est déjà pris" in result.stderr
    assert (content / existing.path).read_bytes() == before


def test_titles_that_cannot_make_a_file_are_refused(tmp_path):
    with pytest.raises(ScaffoldError, match="donnez le titre"):
        scaffold("cooperation", "   ", tmp_path, DATA)
    with pytest.raises(ScaffoldError, match="aucun identifiant"):
        scaffold("cooperation", "« — »", tmp_path, DATA)
    with pytest.raises(ScaffoldError, match="trop long"):
        scaffold("cooperation", "x" * 151, tmp_path, DATA)
    assert not any(tmp_path.rglob("*.md"))


def test_identifier_from_title():
    assert identifier("Contrat de réciprocité Ville A – Pays B") == "contrat-de-reciprocite-ville-a-pays-b"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", identifier("Énergie & santé : l'Île-de-France"))
    assert len(identifier("mot " * 60)) <= 80


def test_title_cannot_break_the_front_matter(tmp_path):
    title = 'Titre: "guillemets" --- # dièse \\ fin'
    path = scaffold("cooperation", title, tmp_path, DATA, today=date(2026, 1, 2))
    from kb.content.reader import decode, read_text

    doc = read_text(decode(path.read_bytes()))
    assert doc.data["titre"] == title
    assert doc.data["date_ajout"] == "2026-01-02"


def test_make_targets_call_the_command():
    for kind in ("cooperation", "recommandation"):
        dry = subprocess.run(["make", "-n", f"nouvelle-{kind}", "TITRE=Essai"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
        assert dry.returncode == 0, dry.stderr
        # the title reaches the command through the environment (test_security: nothing in it runs)
        assert f'-m kb nouvelle {kind} -- "$TITRE"' in dry.stdout
