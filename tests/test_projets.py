"""The cooperations in the State's « Projets de collectivités » schema, on the real build:
valid against the shared copy of the schema (../shared/reference/, when this machine has it)
and against the copy vendored in the repository (a fresh clone in CI), stable identifiers,
levers of the référentiel only, unknown fields left empty."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from frictionless import Resource, Schema

from kb.publish import projets

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "reference" / "schema-projet-collectivites-transition-ecologique"
VENDORED = projets.SCHEMA_DIR
COPIES = [VENDORED] + ([SHARED] if SHARED.is_dir() else [])
TABLES = {"projets-territoire.csv": "projets-territoire/schema.json", "collectivites.csv": "collectivites/schema.json"}
UNKNOWN = ("budgetPrevisionnel", "porteurCodeSiret", "porteurReferentEmail", "porteurReferentTelephone",
           "porteurReferentPrenom", "porteurReferentNom", "porteurReferentFonction", "competences",
           "mecId", "tetId", "recocoId")


@pytest.fixture(scope="module")
def donnees(content_build):
    return content_build.site / "donnees"


def _rows(donnees, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO((donnees / name).read_text(encoding="utf-8"))))


@pytest.mark.parametrize("copy", COPIES, ids=[c.parent.parent.name for c in COPIES])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_export_is_valid_against_the_state_schema(donnees, copy, name):
    schema = Schema.from_descriptor(json.loads((copy / TABLES[name]).read_text(encoding="utf-8")))
    report = Resource(path=name, basepath=str(donnees), schema=schema).validate()
    errors = [(e.type, getattr(e, "row_number", None), getattr(e, "field_name", None), e.message)
              for task in report.tasks for e in task.errors]
    assert errors == []
    assert report.tasks[0].stats["rows"] > 10
    assert next(csv.reader(io.StringIO((donnees / name).read_text("utf-8")))) == [f.name for f in schema.fields]


def test_the_vendored_copy_is_the_shared_one():
    if not SHARED.is_dir():
        pytest.skip("../shared absent : la copie du dépôt est seule")  # not counted as passing
    for rel in ("projets-territoire/schema.json", "collectivites/schema.json", "LICENSE.md",
                "reference-data/50_leviers_SGPE_03_2025.csv", "datapackage.json"):
        assert (VENDORED / rel).read_bytes() == (SHARED / rel).read_bytes(), rel
    assert "Licence Ouverte" in (VENDORED / "LICENSE.md").read_text("utf-8").title() or \
        "LICENCE OUVERTE" in (VENDORED / "LICENSE.md").read_text("utf-8")


def test_identifiers_are_stable_uuid5_of_the_fiche(donnees):
    rows = {r["nom"]: r for r in _rows(donnees, "projets-territoire.csv")}
    brest = rows["Contrat de réciprocité Brest métropole – Pays du Centre Ouest Bretagne"]
    assert brest["id"] == "b4c26c08-4156-5b70-acb5-0c530abf46f5"  # fixed: uuid5(NAMESPACE, "cooperation/<id>")
    collectivities = {r["id"]: r for r in _rows(donnees, "collectivites.csv")}
    assert collectivities["a6ddca6f-f502-5d8b-a3ce-05153a144053"]["nom"] == "Brest Métropole"
    assert collectivities["a6ddca6f-f502-5d8b-a3ce-05153a144053"]["siren"] == "242900314"
    assert "a6ddca6f-f502-5d8b-a3ce-05153a144053" in json.loads(brest["collectiviteIds"])
    for row in rows.values():  # every partner id is a row of the collectivités table
        assert set(json.loads(row["collectiviteIds"] or "[]")) <= set(collectivities)


def test_levers_come_from_the_referentiel_and_unknown_fields_stay_empty(donnees):
    with (COPIES[-1] / "reference-data" / "50_leviers_SGPE_03_2025.csv").open(encoding="utf-8") as f:
        referentiel = {row["levier"] for row in csv.DictReader(f)}
    assert len(referentiel) == 50
    rows = _rows(donnees, "projets-territoire.csv")
    used = [lever for r in rows for lever in json.loads(r["leviers"] or "[]")]
    assert used and set(used) <= referentiel
    for row in rows:
        assert [row[name] for name in UNKNOWN] == [""] * len(UNKNOWN), row["nom"]
    by_name = {r["nom"]: r for r in rows}
    assert json.loads(by_name["Energ'iv, société d'économie mixte pour les énergies renouvelables en "
                              "Ille-et-Vilaine"]["leviers"]) == ["Electricité renouvelable"]


def test_an_unknown_lever_in_the_mapping_stops_with_a_french_message(tmp_path):
    (tmp_path / projets.MAPPING_FILE).write_text("themes:\n  energie: [Éolien magique]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="levier inconnu du référentiel.*Éolien magique"):
        projets.mapping(tmp_path)


def test_the_data_page_says_what_maps_to_what(content_build):
    main = BeautifulSoup((content_build.site / "donnees" / "index.html").read_text("utf-8"), "lxml").select_one(
        "article")
    caption = main.find("caption", string="Colonnes de projets-territoire.csv")
    rows = {tr.select_one("code").get_text(): tr.get_text(" ", strip=True)
            for tr in caption.find_parent("table").select("tbody tr")}
    assert "Titre de la fiche" in rows["nom"] and "la base ne le connaît pas" in rows["budgetPrevisionnel"]
    levers = main.find("caption", string="Correspondance avec les 50 leviers (choix de la rédaction)")
    text = levers.find_parent("table").get_text(" ", strip=True)
    assert "Thème : Énergie Electricité renouvelable" in text
    assert "Choix de la rédaction" in main.get_text()
