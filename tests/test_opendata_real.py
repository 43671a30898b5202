"""Open data of the real content/ (not a fixture): the published data package is valid, and its
schemas say exactly which cells may be empty."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from frictionless import Package

from conftest import FIXTURES, load
from kb.graph.build import build_graph

GRAPH = build_graph(load(FIXTURES))


@pytest.fixture(scope="module")
def donnees(content_build):
    """The /donnees/ folder of content/ built by `python -m kb build` (conftest, once per session)."""
    return content_build.site / "donnees"


def _errors(report) -> list:
    return [(task.name, err.type, getattr(err, "row_number", None), getattr(err, "field_name", None))
            for task in report.tasks for err in task.errors]


def test_every_resource_of_the_real_data_package_is_valid(donnees):
    descriptor = json.loads((donnees / "datapackage.json").read_text(encoding="utf-8"))
    report = Package(str(donnees / "datapackage.json")).validate()
    assert _errors(report) == []
    assert report.valid
    assert [task.name for task in report.tasks] == [res["name"] for res in descriptor["resources"]]
    assert all(task.stats["rows"] > 0 for task in report.tasks)


def test_the_schemas_say_which_cells_may_be_empty(donnees):
    """A column that may be empty says when in its description; every other column is
    ``required`` (and frictionless, above, checks that no cell of it is empty)."""
    descriptor = json.loads((donnees / "datapackage.json").read_text(encoding="utf-8"))
    silent = []
    for res in descriptor["resources"]:
        for field in res["schema"]["fields"]:
            if field.get("constraints", {}).get("required"):
                continue
            text = field.get("description", "").lower()
            if "vide" not in text and "null" not in text:
                silent.append((res["name"], field["name"]))
    assert silent == []


SPREADSHEETS = ("cooperations-tableur.csv", "recommandations-tableur.csv", "territoires-tableur.csv")


def _spreadsheet(donnees, name) -> list[list[str]]:
    data = (donnees / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM: Excel reads the accents right"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("name", SPREADSHEETS)
def test_french_spreadsheets_sit_beside_the_canonical_csv(donnees, name):
    """One file per table, as a French spreadsheet opens it: BOM, « ; », French headers,
    the same rows as the canonical CSV, in the same order."""
    rows = _spreadsheet(donnees, name)
    canonical = list(csv.reader(io.StringIO((donnees / name.replace("-tableur", "")).read_text("utf-8"))))
    descriptor = json.loads((donnees / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["path"] == name)
    assert res["dialect"] == {"delimiter": ";"}
    assert rows[0] == [f["title"] for f in res["schema"]["fields"]]
    assert rows[0][0] in ("Identifiant", "Clé") and ("Titre" in rows[0] or "Nom" in rows[0])
    assert [r[0] for r in rows[1:]] == [r[0] for r in canonical[1:]]
    assert all(len(r) == len(rows[0]) for r in rows)


def test_spreadsheets_show_labels_not_identifiers(donnees):
    rows = _spreadsheet(donnees, "cooperations-tableur.csv")
    head, body = rows[0], {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    brest = body["brest-metropole-centre-ouest-bretagne"]
    assert brest["Thèmes"] == "Santé ; Énergie ; Forêt-bois"
    assert "Pays du Centre Ouest Bretagne" in brest["Territoires partenaires"]
    assert "brest-metropole" not in brest["Territoires partenaires"]
    assert brest["Statut"] == "En cours"
    assert "Finistère (29)" in brest["Départements"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", brest["Date d'ajout"])
    territories = {r[0]: dict(zip(_spreadsheet(donnees, "territoires-tableur.csv")[0], r))
                   for r in _spreadsheet(donnees, "territoires-tableur.csv")[1:]}
    assert re.fullmatch(r"48,\d+", territories["brest-metropole"]["Latitude"])
    assert re.fullmatch(r"-4,\d+", territories["brest-metropole"]["Longitude"])  # a number, not "'-4,…"
    assert "id" not in head and "themes" not in head


def test_spreadsheets_keep_the_formula_protection():
    """A title that a spreadsheet would run as a formula is neutralised in both files."""
    from kb.publish import opendata

    rows = [{"Titre": '=HYPERLINK("https://e.example")', "Latitude": -4.5}]
    res = next(r for r in opendata.resources(GRAPH) if r.name == "cooperations-tableur")
    write = opendata._csv_row([type(res.columns[0])("Titre", "string", "Titre", "", None),
                               type(res.columns[0])("Latitude", "number", "Latitude", "", None)],
                              res.delimiter, res.cell)
    assert write(rows[0]) == "\"'=HYPERLINK(\"\"https://e.example\"\")\";-4,5\r\n"
