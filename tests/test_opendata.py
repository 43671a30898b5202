"""Open data (/donnees/): Frictionless validation, JSON Schemas, stable ids and columns."""
from __future__ import annotations

import csv
import io
import json

import pytest
from frictionless import Package
from jsonschema import Draft202012Validator

from conftest import DATA, FIXTURES, load
from kb.publish import opendata as exports
from kb import sitemap as urls
from kb.content.fields import MODEL, json_schema
from kb.graph.build import build_graph

GRAPH = build_graph(load(FIXTURES))
ADDED = {"id", "page"}  # columns of the JSON files that are not front-matter fields


def _descriptor(site):
    return json.loads(site.path("donnees/datapackage.json").read_text(encoding="utf-8"))


def _strip_empty(value):
    if isinstance(value, dict):
        return {k: _strip_empty(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_empty(v) for v in value]
    return value


def test_datapackage_validates_with_frictionless(fixture_site):
    package = Package(str(fixture_site.path("donnees/datapackage.json")))
    report = package.validate()
    errors = [(task.name, err.message) for task in report.tasks for err in task.errors]
    assert report.valid, errors
    names = [task.name for task in report.tasks]
    assert names == [r.name for r in exports.resources(GRAPH)]
    assert {t.stats["rows"] for t in report.tasks if t.name.startswith("cooperations")} == {len(GRAPH.cooperations)}
    assert {t.stats["rows"] for t in report.tasks if t.name.startswith("recommandations")} == \
        {len(GRAPH.recommendations)}
    assert [t.stats["rows"] for t in report.tasks if t.name == "territoires-csv"] == [len(GRAPH.territories)]


def test_frictionless_catches_a_broken_file(fixture_site, tmp_path):
    """The validation above can fail: a row with a term outside its vocabulary is reported."""
    folder = tmp_path / "donnees"
    folder.mkdir()
    for path in fixture_site.path("donnees/datapackage.json").parent.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        res.pop("bytes", None)
        res.pop("hash", None)
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    text = (folder / "cooperations.csv").read_text(encoding="utf-8")
    first_statut = next(iter(GRAPH.cooperations.values())).statut
    (folder / "cooperations.csv").write_text(text.replace(f",{first_statut},", ",pas-un-statut,", 1),
                                             encoding="utf-8")
    report = Package(str(folder / "datapackage.json")).validate()
    assert not report.valid
    assert any(err.type == "constraint-error" for task in report.tasks for err in task.errors)


def test_licence_is_etalab_2(fixture_site):
    descriptor = _descriptor(fixture_site)
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    assert all(res["licenses"][0]["name"] == "etalab-2.0" for res in descriptor["resources"])


@pytest.mark.parametrize("kind,name,records", [
    ("cooperation", "cooperations.json", GRAPH.cooperations),
    ("recommandation", "recommandations.json", GRAPH.recommendations),
])
def test_json_rows_match_the_front_matter_schema(fixture_site, kind, name, records):
    rows = json.loads(fixture_site.path(f"donnees/{name}").read_text(encoding="utf-8"))
    validator = Draft202012Validator(json_schema(kind, DATA))
    assert [r["id"] for r in rows] == sorted(records)
    for row in rows:
        assert set(ADDED) <= set(row)
        front_matter = _strip_empty({k: v for k, v in row.items() if k not in ADDED})
        errors = [e.message for e in validator.iter_errors(front_matter)]
        assert errors == [], (row["id"], errors)
        record = records[row["id"]]
        assert row["titre"] == record.titre
        assert fixture_site.path(row["page"]).exists()


def test_json_keys_and_csv_headers_follow_the_model_in_a_fixed_order(fixture_site):
    descriptor = _descriptor(fixture_site)
    for res in descriptor["resources"]:
        columns = [f["name"] for f in res["schema"]["fields"]]
        data = fixture_site.path(f"donnees/{res['path']}").read_text(encoding="utf-8-sig")
        if res["format"] == "csv":
            delimiter = res.get("dialect", {}).get("delimiter", ",")
            assert next(csv.reader(io.StringIO(data), delimiter=delimiter)) == columns
        else:
            assert all(list(row) == columns for row in json.loads(data))
    coop_json = next(r for r in descriptor["resources"] if r["name"] == "cooperations-json")
    model_order = [f.name for f in MODEL["cooperation"]]
    listed = [f["name"] for f in coop_json["schema"]["fields"] if f["name"] in model_order]
    assert listed == model_order


def test_cooperation_csv_rows(fixture_site):
    rows = list(csv.DictReader(io.StringIO(fixture_site.path("donnees/cooperations.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == sorted(GRAPH.cooperations)
    for row in rows:
        coop = GRAPH.cooperations[row["id"]]
        assert row["territoires"].split(";") == [p.key for p in coop.territoires]
        assert row["themes"].split(";") == coop.themes
        assert row["statut"] == coop.statut
        assert row["annee"] == (str(coop.annee) if coop.annee else "")
        assert sorted(filter(None, row["recommandations"].split(";"))) == sorted(GRAPH.recos_of.get(coop.id, []))


def test_territories_csv_one_row_per_territory_with_code_and_cases(fixture_site):
    rows = list(csv.DictReader(io.StringIO(fixture_site.path("donnees/territoires.csv").read_text("utf-8"))))
    assert [r["cle"] for r in rows] == sorted(GRAPH.territories)
    with_code = [t for t in GRAPH.territories.values() if t.code]
    assert with_code, "the fixtures need a territory with an official code"
    for row in rows:
        territory = GRAPH.territories[row["cle"]]
        assert row["nom"] == territory.nom
        assert row["code"] == (territory.code or "")
        assert row["cooperations"].split(";") == sorted(territory.cooperations)
        assert int(row["nombre_cooperations"]) == len(territory.cooperations)
        assert row["page"] == urls.page_url(urls.territory(territory.key))


def test_exports_are_absolute_with_a_site_url():
    # (reproducibility: two builds in separate processes, tests/test_reproducible.py)
    assert exports.paths(GRAPH) == list(exports.files(GRAPH))
    absolute = exports.files(GRAPH, "https://exemple.fr/base/")
    rows = json.loads(absolute["donnees/cooperations.json"])
    assert all(r["page"].startswith("https://exemple.fr/base/cooperations/") for r in rows)


def test_open_data_page_is_in_nav_and_documents_every_column(fixture_site):
    nav = [a.get_text(strip=True) for a in fixture_site.soup("").select("nav.md-nav--primary a.md-nav__link")]
    assert "Données ouvertes" in nav
    main = fixture_site.main("donnees/")
    page_dir = fixture_site.path("donnees/").parent
    downloads = {a["href"] for a in main.select("a[download]")}
    for res in exports.resources(GRAPH):
        assert res.path in downloads
        assert (page_dir / res.path).exists()
        caption = main.find("caption", string=f"Colonnes de {res.path}")
        assert caption is not None, res.path
        documented = [code.get_text() for code in caption.find_parent("table").select("tbody tr td:first-child code")]
        assert documented == [c.name for c in res.columns]
    hrefs = {a["href"] for a in main.select("a")}
    assert "datapackage.json" in hrefs
    assert any(h.endswith("licence-ouverte-open-licence/") for h in hrefs)


def test_territories_csv_joins_public_data(fixture_site):
    """Official code, category, population with its year, départements, members, position."""
    rows = {r["cle"]: r for r in csv.DictReader(io.StringIO(
        fixture_site.path("donnees/territoires.csv").read_text("utf-8")))}
    brest = rows["brest-metropole"]
    assert (brest["code"], brest["categorie"], brest["nom_officiel"]) == ("242900314", "territoire", "Brest Métropole")
    assert int(brest["population"]) > 200_000 and brest["annee_population"] == "2023"
    assert abs(float(brest["latitude"]) - 48.39) < 0.1 and abs(float(brest["longitude"]) + 4.48) < 0.1
    cob = rows["pays-du-centre-ouest-bretagne"]
    assert cob["categorie"] == "groupement" and "242900744" in cob["membres"].split(";")
    assert set(cob["departements"].split(";")) >= {"29", "22"} and int(cob["population"]) > 50_000
    lacaune = rows["cc-du-haut-languedoc"]
    assert set(lacaune["departements"].split(";")) == {"81", "34"}
    cases = {r["id"]: r for r in csv.DictReader(io.StringIO(
        fixture_site.path("donnees/cooperations.csv").read_text("utf-8")))}
    assert cases["montpellier-lacaune"]["codes_officiels"] == "243400017;200066553"
