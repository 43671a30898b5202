"""One test per kind of validation error: the French message, the field and the line."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import load


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "content"
ROOT = Path(__file__).resolve().parent.parent

# A valid cooperation whose partners are ``{partners}`` (lines of YAML), for the tests of
# the checks (here, test_editorial, test_groupings, test_territory_pages).
CASE = """---
titre: Une coopération d'essai
resume: Deux territoires coopèrent.
territoires:
{partners}
themes: [mobilite]
statut: en-cours
date_ajout: 2026-05-01
sources:
  - document: rapport-essai
---

Texte.
"""
GOOD_CASE = CASE.format(partners='  - nom: Ville A\n    type: commune\n    code: "29019"\n    departement: "29"\n'
                                 '  - nom: Association B\n    type: association')


def problems_for(content: Path, rel: str, text: str):
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [p for p in load(content).problems if p.path == f"content/{rel}"]


def only(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_fixture_content_is_valid():
    assert load(FIXTURES).problems == []


def test_good_case_is_valid(content):
    assert problems_for(content, "cooperations/essai.md", GOOD_CASE) == []


def test_misspelt_theme_suggests_the_term(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("[mobilite]", "[mobilté]")))
    assert (p.line, p.field) == (11, "themes[1]")
    assert "« mobilté » n'est pas un terme du vocabulaire « Thèmes »" in p.message
    assert "vouliez-vous dire « mobilite » ?" in p.message
    assert "Valeurs permises : mobilite, alimentation" in p.message


def test_label_instead_of_identifier_suggests_the_identifier(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("statut: en-cours", "statut: En cours")))
    assert p.field == "statut" and "vouliez-vous dire « en-cours » ?" in p.message


def test_missing_required_field(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("statut: en-cours\n", "")))
    assert p.field == "statut" and p.message == "champ obligatoire manquant"


def test_unknown_field_is_an_error_with_suggestion(content):
    problems = problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("themes:", "thèmes:"))
    assert sorted(p.field for p in problems) == ["themes", "thèmes"]  # the real field is then missing
    p = next(p for p in problems if p.field == "thèmes")
    assert p.line == 11
    assert "champ inconnu « thèmes » ; vouliez-vous dire « themes » ?" in p.message


def test_unknown_field_in_a_partner(content):
    problems = problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("    departement:", "    departemnt:"))
    p = only(problems)
    assert p.field == "territoires[1].departemnt" and p.line == 8
    assert "vouliez-vous dire « departement » ?" in p.message


def test_list_expected(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("[mobilite]", "mobilite")))
    assert p.field == "themes" and "une liste est attendue" in p.message


def test_too_long(content):
    p = only(problems_for(content, "cooperations/essai.md",
                          GOOD_CASE.replace("Deux territoires coopèrent.", "x" * 301)))
    assert p.field == "resume" and "301 caractères, 300 au plus" in p.message


def test_at_least_two_partners(content):
    text = GOOD_CASE.replace("  - nom: Association B\n    type: association\n", "")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires" and "au moins 2" in p.message


def test_date_format(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("2026-05-01", "01/05/2026")))
    assert p.field == "date_ajout" and "AAAA-MM-JJ" in p.message


def test_date_that_does_not_exist(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("2026-05-01", "2018-02-30")))
    assert (p.field, p.line) == ("date_ajout", 13) and "n'existe pas" in p.message


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "www.example.org", "ftp://x.org/"])
def test_source_urls_must_be_http(content, url):
    text = GOOD_CASE.replace("  - document: rapport-essai\n", f"  - document: rapport-essai\n    url: \"{url}\"\n")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "sources[1].url" and "http:// ou https://" in p.message


def test_departement_code(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace('"29"', '"299"')))
    assert p.field == "territoires[1].departement" and "code de département" in p.message


def test_source_needs_document_or_title(content):
    text = GOOD_CASE.replace("  - document: rapport-essai\n", "  - section: Santé\n")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "sources[1]" and "soit « document »" in p.message


def test_unknown_recommendation_id(content):
    text = GOOD_CASE.replace("---\n\nTexte", "recommandations: [connaitre-les-flu]\n---\n\nTexte")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert (p.field, p.line) == ("recommandations[1]", 16)
    assert "« connaitre-les-flu » n'existe pas ; vouliez-vous dire « connaitre-les-flux » ?" in p.message


def test_unknown_document_id(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("rapport-essai", "rapport-esai")))
    assert p.field == "sources[1].document" and "vouliez-vous dire « rapport-essai » ?" in p.message


def test_unknown_reference_id(content):
    text = GOOD_CASE.replace("  - document: rapport-essai\n", "  - reference: etude-clre-2018\n")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "sources[1].reference"
    assert "n'existe pas dans data/references.yml ; vouliez-vous dire « etude-cler-2018 » ?" in p.message


def test_references_file_is_validated(content):
    refs = content.parent / "data" / "references.yml"
    refs.write_text(refs.read_text(encoding="utf-8") + "mauvaise:\n  titre: x\n  editeur: y\n"
                    "  url: javascript:alert(1)\n", encoding="utf-8")
    problems = [p for p in load(content).problems if p.path == "data/references.yml"]
    p = only(problems)
    assert p.field == "mauvaise.url" and "http:// ou https://" in p.message


def test_duplicate_id_in_a_subfolder(content):
    (content / "cooperations" / "bretagne").mkdir()
    shutil.copy(content / "cooperations" / "brest-centre-bretagne.md",
                content / "cooperations" / "bretagne" / "brest-centre-bretagne.md")
    problems = load(content).problems
    assert len(problems) == 1 and "déjà utilisé" in problems[0].message


def test_stop_without_start(content):
    text = (FIXTURES / "recommandations" / "financer-le-temps-long.md").read_text(encoding="utf-8")
    p = only(problems_for(content, "recommandations/financer-le-temps-long.md",
                          text.replace("commencer: Financer des compagnonnages longs\n", "")))
    assert "« arreter » et « commencer » vont ensemble" in p.message


def test_same_territory_described_two_ways(content):
    text = GOOD_CASE.replace("nom: Association B\n    type: association",
                             "nom: Pays du Centre Ouest Bretagne\n    type: syndicat-mixte\n    departement: \"29\"")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[2].type" and "« PETR / pays » dans data/groupements.yml" in p.message


# --- official identity (kb.content.identity, kb/content/cog.json.gz) ---

def test_official_territory_needs_its_code_with_a_suggestion(content):
    text = GOOD_CASE.replace('nom: Ville A\n    type: commune\n    code: "29019"', "nom: Carhaix\n    type: commune\n    region: bretagne")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert (p.field, p.line) == ("territoires[1].code", 5)
    assert "code INSEE de la commune (5 caractères) est obligatoire" in p.message
    assert "« 29024 » (Carhaix-Plouguer, Finistère)" in p.message


def test_unknown_code_suggests_by_name(content):
    text = GOOD_CASE.replace('nom: Ville A', "nom: Brest").replace('code: "29019"', 'code: "29919"')
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert (p.field, p.line) == ("territoires[1].code", 7)
    assert "« 29919 » n'est pas un code INSEE de la commune" in p.message
    assert "Vouliez-vous dire « 29019 » (Brest, Finistère)" in p.message


def test_mistyped_epci_siren_suggests_the_epci(content):
    text = GOOD_CASE.replace('nom: Ville A\n    type: commune\n    code: "29019"',
                             'nom: Brest métropole\n    type: metropole\n    code: "242900315"')
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[1].code" and "« 242900314 » (Brest Métropole, Finistère)" in p.message


def test_old_epci_name_suggests_todays_epci_through_its_communes(content):
    text = GOOD_CASE.replace('nom: Ville A\n    type: commune\n    code: "29019"\n    departement: "29"',
                             "nom: Communauté de communes des Monts de Lacaune\n    type: communaute-de-communes")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[1].code" and "« 200066553 » (CC du Haut-Languedoc" in p.message


def test_type_contradicting_the_code(content):
    text = GOOD_CASE.replace('code: "29019"', 'code: "242900314"')
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[1].type" and "« Brest Métropole » (intercommunalité)" in p.message


def test_epci_type_contradicting_the_code(content):
    text = GOOD_CASE.replace('type: commune\n    code: "29019"', 'type: communaute-d-agglomeration\n    code: "242900314"')
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[1].type" and "est de type « Métropole »" in p.message


def test_departement_contradicting_the_code(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace('"29"', '"22"')))
    assert (p.field, p.line) == ("territoires[1].departement", 8)
    assert "« Brest » (29019) n'est pas dans le département « 22 »" in p.message


def test_region_contradicting_the_code(content):
    text = GOOD_CASE.replace('    departement: "29"\n', "    region: occitanie\n")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[1].region" and "est dans la région « bretagne »" in p.message


def test_departement_and_region_codes_by_type(content):
    text = GOOD_CASE.replace('nom: Ville A\n    type: commune\n    code: "29019"\n    departement: "29"',
                             'type: region\n    code: "53"\n  - type: departement\n    code: "53"')
    assert problems_for(content, "cooperations/essai.md", text) == []


def test_grouping_is_declared_in_the_groupings_file(content):
    text = GOOD_CASE.replace("nom: Association B\n    type: association", "nom: Pays B\n    type: petr-pays")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[2].nom" and "absent de data/groupements.yml" in p.message


def test_grouping_members_are_declared_once_in_the_groupings_file(content):
    text = GOOD_CASE.replace("nom: Association B\n    type: association",
                             'nom: Pays du Centre Ouest Bretagne\n    type: petr-pays\n    membres: ["242900744"]')
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[2].membres" and "data/groupements.yml" in p.message


def test_actor_has_no_official_code(content):
    text = GOOD_CASE.replace("type: association", 'type: association\n    code: "29019"')
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[2].code" and "retirez « code »" in p.message


def test_code_gives_name_departement_and_region(content):
    text = GOOD_CASE.replace('nom: Ville A\n    type: commune\n    code: "29019"\n    departement: "29"',
                             'type: metropole\n    code: "242900314"')
    path = content / "cooperations" / "essai.md"
    path.write_text(text, encoding="utf-8")
    loaded = load(content)
    assert loaded.problems == []
    partner = loaded.cooperations["essai"].territoires[0]
    assert (partner.nom, partner.departement, partner.region, partner.key) == (
        "Brest Métropole", "29", "bretagne", "brest-metropole")
    assert partner.official.population > 100_000


def test_file_name_must_be_an_identifier(content):
    p = only(problems_for(content, "cooperations/Brest Métropole.md", GOOD_CASE))
    assert p.field == "fichier" and "minuscules sans accent" in p.message


def test_missing_front_matter(content):
    p = only(problems_for(content, "cooperations/essai.md", "Juste du texte.\n"))
    assert "en-tête manquant" in p.message


def test_yaml_error_is_reported_with_line(content):
    p = only(problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("statut: en-cours", "statut: en: cours")))
    assert p.line == 12 and "YAML illisible" in p.message


def test_all_errors_are_reported_at_once(content):
    problems_for(content, "cooperations/a.md", GOOD_CASE.replace("[mobilite]", "[mobilté]"))
    problems_for(content, "cooperations/b.md", GOOD_CASE.replace("statut: en-cours\n", ""))
    problems_for(content, "recommandations/c.md", "pas d'en-tête\n")
    assert {p.path for p in load(content).problems} == {"content/cooperations/a.md",
                                                                "content/cooperations/b.md",
                                                                "content/recommandations/c.md"}


def test_make_check_command_prints_file_line_field_and_suggestion(content):
    """The `kb check` command behind `make check`: one line per error, exit code 1, no traceback."""
    problems_for(content, "cooperations/essai.md", GOOD_CASE.replace("[mobilite]", "[mobilté]"))
    result = subprocess.run([sys.executable, "-m", "kb", "check", str(content)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("content/cooperations/essai.md:11: themes[1]: « mobilté »")
    assert "vouliez-vous dire « mobilite » ?" in first
    assert "Traceback" not in result.stdout + result.stderr
    assert "1 erreur" in result.stderr


def test_check_command_accepts_valid_content():
    result = subprocess.run([sys.executable, "-m", "kb", "check", str(FIXTURES)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0 and "Contenu valide" in result.stdout
