"""`make check` gives every error of every file in one run, official codes included; a name
that contradicts its official code is an error (unless marked as a usual name on purpose);
messages use real plurals, correct French and `make` commands."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, load

FICHE = """---
titre: Essai
{resume}territoires:
  - nom: {nom}
    type: commune
    code: "{code}"
{extra}  - nom: Brest métropole
    type: metropole
    code: "242900314"
themes: [energie]
statut: en-cours
date_ajout: 2026-11-22
sources:
  - titre: Un document
    editeur: Un éditeur
---
Texte.
"""


@pytest.fixture
def corpus(tmp_path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "content")
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    return tmp_path / "content"


def write(corpus: Path, nom: str, code: str, resume: str = "resume: Une phrase.\n", extra: str = "") -> None:
    (corpus / "cooperations" / "essai.md").write_text(
        FICHE.format(nom=nom, code=code, resume=resume, extra=extra), encoding="utf-8")


def problems(corpus: Path) -> list[str]:
    return [str(p) for p in load(corpus).problems]


def test_schema_errors_and_official_code_errors_come_in_one_round(corpus):
    write(corpus, "Carhaix-Plouguer", "29999", resume="")
    found = problems(corpus)
    assert any("resume: champ obligatoire manquant" in p for p in found)
    assert any("territoires[1].code" in p and "« 29999 »" in p for p in found), found


def test_a_name_that_is_another_communes_name_is_an_error_with_the_official_name(corpus):
    write(corpus, "Carhaix-Plouguer", "29270")
    found = problems(corpus)
    assert len(found) == 1, found
    message = found[0]
    assert "territoires[1].nom" in message
    assert "« Saint-Urbain »" in message  # the official name of 29270
    assert "« 29024 » (Carhaix-Plouguer, Finistère)" in message  # the suggestion
    assert "make chercher NOM=" in message and "nom_usuel: oui" in message


def test_a_usual_name_on_purpose_is_accepted(corpus):
    write(corpus, "Carhaix-Plouguer", "29270", extra="    nom_usuel: oui\n")
    assert problems(corpus) == []
    coop = load(corpus).cooperations["essai"]
    assert coop.territoires[0].nom == "Carhaix-Plouguer"


@pytest.mark.parametrize("nom", ["Carhaix", "Ville de Carhaix-Plouguer", "carhaix plouguer"])
def test_a_usual_name_that_names_no_other_commune_is_not_a_contradiction(corpus, nom):
    write(corpus, nom, "29024")
    assert problems(corpus) == []


def test_messages_use_real_plurals_and_make_commands(corpus):
    (corpus / "cooperations" / "essai.md").write_text(FICHE.format(
        nom="Lacaune", code="81124", resume="", extra="").replace(
        '  - nom: Brest métropole\n    type: metropole\n    code: "242900314"\n', "").replace(
        "    code: \"81124\"\n", ""), encoding="utf-8")
    found = problems(corpus)
    text = "\n".join(found)
    assert "au moins 2 valeurs attendues, 1 donnée" in text
    assert "(s)" not in text
    assert "make chercher NOM=" in text and "python -m kb.content.cog" not in text


def test_the_summary_says_corrigez_les(corpus):
    write(corpus, "Carhaix-Plouguer", "29270", resume="")
    result = subprocess.run([sys.executable, "-m", "kb", "check", str(corpus)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "2 erreurs : corrigez-les puis relancez" in result.stderr


RECO = """---
titre: Recommandation d'essai
resume: Une phrase.
audiences: [elus]
axe: {axe}
sources:
  - document: document-inconnu
cooperations: [{coops}]
date_ajout: 2026-11-22
---
Texte.
"""


def test_references_of_a_refused_file_are_checked_in_the_same_round(corpus):
    (corpus / "recommandations" / "essai.md").write_text(RECO.format(axe="pas-un-axe", coops="coop-inconnue"),
                                                         encoding="utf-8")
    found = [p for p in problems(corpus) if "recommandations/essai.md" in p]
    assert any("axe:" in p for p in found)
    assert any("sources[1].document" in p and "document-inconnu" in p for p in found)
    assert any("cooperations[1]" in p and "coop-inconnue" in p for p in found)


def test_a_refused_file_is_not_said_not_to_exist_by_those_citing_it(corpus):
    write(corpus, "Carhaix-Plouguer", "29024", resume="")  # essai.md is refused: no summary
    coop = next(p.stem for p in (corpus / "cooperations").glob("*.md") if p.stem != "essai")
    (corpus / "recommandations" / "essai.md").write_text(
        RECO.format(axe="construire-le-cap", coops=f"essai, {coop}").replace("document: document-inconnu",
                                                                       "titre: T\n    editeur: E"),
        encoding="utf-8")
    found = problems(corpus)
    assert not any("« essai » n'existe pas" in p for p in found), found
    assert any("cooperations/essai.md:2: resume" in p for p in found)


def test_every_kind_of_problem_of_a_broken_fiche_comes_in_one_kb_check_run(corpus):
    """A schema error, a wrong official code, a date in the future and a phrase about the
    data model: all four in the first run, with file, line and field."""
    write(corpus, "Carhaix-Plouguer", "29999", resume="")
    path = corpus / "cooperations" / "essai.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date_ajout: 2026-11-22", "date_ajout: 2099-01-01")
                    .replace("Texte.\n", "Texte.\n\nLa source ne précise pas la date de signature.\n"),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kb", "check", str(corpus)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    shown = [line for line in (result.stdout + result.stderr).splitlines() if "cooperations/essai.md:" in line]
    assert any(":2: resume" in line and "champ obligatoire manquant" in line for line in shown), shown
    assert any(": territoires[1].code" in line and "« 29999 »" in line for line in shown), shown
    assert any(":12: date_ajout" in line and "« 2099-01-01 »" in line and "dans le futur" in line
               for line in shown), shown
    assert any(":19: texte" in line and "« La source ne »" in line for line in shown), shown
    assert len(shown) == 4, shown


@pytest.mark.parametrize("broken", [False, True])
def test_a_future_date_and_a_model_phrase_are_named_once(corpus, broken):
    """Whether the fiche loads or not, each of these problems is named once."""
    write(corpus, "Carhaix-Plouguer", "29024", resume="" if broken else "resume: Une phrase.\n")
    path = corpus / "cooperations" / "essai.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date_ajout: 2026-11-22", "date_ajout: 2099-01-01")
                    .replace("Texte.\n", "La source ne précise pas la date.\n"), encoding="utf-8")
    found = [p for p in problems(corpus) if "cooperations/essai.md" in p]
    assert len([p for p in found if "date_ajout" in p]) == 1, found
    assert len([p for p in found if "« La source ne »" in p]) == 1, found
    assert len(found) == 3 if broken else 2, found
