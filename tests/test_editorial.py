"""Prose for readers (issue 23): a body that talks about the data model, or uses an
acronym nobody explains, is refused by `make check` with a French message naming the
file and the line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import load
from test_validation import GOOD_CASE
from kb.content import editorial

ROOT = Path(__file__).resolve().parent.parent

# a valid fiche (test_validation's) whose body holds ``{extra}``
CASE = GOOD_CASE.replace("Texte.\n", "## Contexte\n\nLes deux territoires partagent une ligne de car.\n\n{extra}\n")


def body_problems(content: Path, extra: str, rel: str = "cooperations/essai.md"):
    (content / rel).write_text(CASE.replace("{extra}", extra), encoding="utf-8")
    return [p for p in load(content).problems if p.path == f"content/{rel}"]


def test_a_body_about_the_model_is_refused_with_file_and_line(content):
    problems = body_problems(content, "## À retenir\n\n- La source ne précise pas la date de signature.")
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert (p.line, p.field) == (24, "texte")
    assert p.message.startswith("« La source ne » : le texte parle de la fiche ou de ses données")
    assert "Non renseigné" in p.message


def test_a_phrase_cut_by_a_line_break_is_still_found(content):
    problems = body_problems(content, "Voir la fiche\nsource pour le détail.")
    assert [(p.line, p.field) for p in problems] == [(22, "texte")]
    assert "« la fiche source »" in problems[0].message


def test_each_phrase_of_the_list_is_refused(content):
    for phrase in ("l'année vient du nom du fichier", "les deux entrées de la liste",
                   "faute de type adapté", "les sources ne disent rien"):
        assert body_problems(content, f"Ici, {phrase}."), phrase


def acronym_problems(content: Path, extra: str, rel: str = "cooperations/essai.md"):
    (content / rel).write_text(CASE.replace("{extra}", extra), encoding="utf-8")
    return [p for p in editorial.acronym_problems(load(content)) if p[0] == f"content/{rel}"]


def test_an_unexplained_acronym_is_found_with_file_and_line(content):
    # made-up acronyms, never in the glossary: one in capitals, one mixed like « EnR »
    problems = acronym_problems(content, "La ligne est financée par le FQZX et produit des QzR.")
    assert {(p[1], p[3].split(" inexpliqué")[0]) for p in problems} == {
        (22, "sigle « FQZX »"), (22, "sigle « QzR »")}
    assert "data/glossaire.yml" in problems[0][3]


def test_an_acronym_explained_in_its_sentence_or_in_the_glossary_is_accepted(content):
    text = ("Le fonds quasi zonal (FQZX) finance la ligne. Plus tard, le FQZX la finance encore. "
            "Les QzR (quotas de réemploi) aussi. Les EPCI et le SCoT suivent ; la ligne passe au "
            "XXIe siècle près de GitHub.")
    assert acronym_problems(content, text) == []


def test_acronyms_in_addresses_and_code_are_not_prose(content):
    assert acronym_problems(content, "Voir [le site](https://exemple.fr/ABC/DEF) et `XYZ`.") == []


def test_an_acronym_does_not_stop_the_build(content):
    """A technical text (« JS », « HTML ») still builds: the acronym rule is for the editors."""
    assert body_problems(content, "Le lien JS et le HTML sont neutralisés.") == []


def test_the_site_pages_may_name_technical_standards(content):
    page = "---\ntitre: Accessibilité\n---\n\nConforme aux WCAG 2.1, niveau AA.\n"
    (content / "accessibilite-essai.md").write_text(page, encoding="utf-8")
    assert [p for p in editorial.acronym_problems(load(content)) if p[0] == "content/accessibilite-essai.md"] == []


def test_make_check_prints_the_french_message(content):
    (content / "cooperations" / "essai.md").write_text(
        CASE.replace("{extra}", "Faute de type adapté, l'association figure ici."), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kb", "check", str(content)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "content/cooperations/essai.md:22: texte: « Faute de type » : le texte parle de la fiche" \
        in result.stdout + result.stderr


def test_the_real_fiches_follow_the_editorial_rules():
    """Every acronym of the real fiches is in the glossary or explained, and no body talks
    about the data model."""
    real = load(ROOT / "content")
    assert editorial._glossary(ROOT / "data"), "data/glossaire.yml est vide ou absent"
    assert [f"{path}:{line}: {message}" for path, line, _, message in editorial.acronym_problems(real)] == []


def test_is_acronym():
    assert all(map(editorial.is_acronym, ["FEADER", "EnR", "SCoT", "PLUi", "interSCoT", "HTML5", "ÉPCI"]))
    assert not any(map(editorial.is_acronym, ["GitHub", "LinkChecker", "XXIe", "Brest", "A"]))
