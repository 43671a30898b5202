"""Issue 21, item 4: reciprocity as data. What each partner brings and receives (« reciprocites »:
partner, direction, nature from the vocabulary « echanges », description, source) is validated
with French messages, shown on the fiche as « Ce que chacun apporte » (one column per partner,
side by side on a wide screen, stacked on a phone), exported, offered in the issue form, and the
explorer filters by what is exchanged."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import NODE_MODULES, ROOT, FIXTURES, LocalServer, build_site, load, BuiltSite
from kb.infra import assets

RECIPROCITY = """reciprocites:
  - partenaire: Communauté de communes des Monts de Lacaune et de la Montagne du Haut-Languedoc
    sens: apporte
    nature: energie
    description: Le bois de ses forêts.
    source: rapport-essai
  - partenaire: "243400017"
    sens: recoit
    nature: materiaux
    description: Du bois pour construire.
    source: etude-cler-2018
  - partenaire: montpellier mediterranee metropole
    sens: recoit
    nature: energie
    description: Du bois pour ses chaufferies <script>alert(1)</script>.
    source: rapport-essai
"""
CASE = "cooperations/montpellier-lacaune.md"


def _with(content: Path, extra: str) -> None:
    path = content / CASE
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    path.write_text(head + "\n" + extra.rstrip("\n") + sep + body, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    root = tmp_path_factory.mktemp("reciprocity")
    shutil.copytree(FIXTURES, root / "content")
    shutil.copytree(FIXTURES.parent / "data", root / "data")
    _with(root / "content", RECIPROCITY)
    site_dir = root / "site"
    warnings = build_site(root / "content", site_dir)
    assert warnings == []
    return BuiltSite(site_dir, warnings)


def test_the_fiche_says_what_each_partner_brings_and_receives(site):
    main = site.main("cooperations/montpellier-lacaune/")
    heading = main.select_one("h2#ce-que-chacun-apporte")
    assert heading is not None and heading.get_text().startswith("Ce que chacun apporte")
    columns = main.select(".kb-reciprocity > .kb-reciprocity__partner")
    shown = []
    for column in columns:
        ways = [(p.get_text(), [" ".join(li.get_text(" ").split()) for li in p.find_next_sibling("ul").select("li")])
                for p in column.select(".kb-reciprocity__way")]
        shown.append((column.select_one("h3").get_text(" ", strip=True), ways))
    # partners in the order of « territoires »; named by their name, their code or their name typed otherwise
    assert shown == [
        ("Montpellier Méditerranée Métropole", [("Reçoit", [
            "Matériaux Du bois pour construire. (source : Nouvelles solidarités urbain-rural )",
            "Énergie Du bois pour ses chaufferies <script>alert(1)</script>. (source : Rapport d'essai sur les alliances )"])]),
        ("Communauté de communes des Monts de Lacaune et de la Montagne du Haut-Languedoc", [("Apporte", [
            "Énergie Le bois de ses forêts. (source : Rapport d'essai sur les alliances )"])]),
    ]
    assert main.select_one(".kb-reciprocity script") is None  # text, never markup
    nature = columns[1].select_one("a.kb-reciprocity__nature")
    assert nature["href"] == "../../echanges/energie/"


def test_the_explorer_and_the_term_pages_filter_by_what_is_exchanged(site):
    main = site.main("explorer/cooperations/")
    facet = main.select_one('fieldset[data-facet="echanges"]')
    assert facet.select_one("legend").get_text() == "Ce qui est échangé"
    assert [" ".join(label.get_text(" ").split()) for label in facet.select("label")] == \
        ["Énergie (1)", "Matériaux (1)"]
    row = main.select_one('[data-f-echanges="energie materiaux"]')
    assert row is not None and "Montpellier" in row.get_text()
    rows = json.loads(site.path("explorer/cooperations.json").read_text(encoding="utf-8"))
    k = rows["columns"].__len__() + rows["facets"].index("echanges")
    assert {row[0]: row[k] for row in rows["rows"]}["montpellier-lacaune"] == "energie materiaux"
    term = site.main("echanges/materiaux/")
    assert [a.get_text(" ", strip=True) for a in term.select("a[href*='montpellier-lacaune']")][:1] == \
        ["Contrat de réciprocité Montpellier – Monts de Lacaune"]


def test_open_data_exports_who_brings_what(site):
    rows = {r["id"]: r for r in json.loads(site.path("donnees/cooperations.json").read_text("utf-8"))}
    assert rows["montpellier-lacaune"]["reciprocites"][:2] == [
        {"partenaire": "Communauté de communes des Monts de Lacaune et de la Montagne du Haut-Languedoc",
         "sens": "apporte", "nature": "energie", "description": "Le bois de ses forêts.", "source": "rapport-essai"},
        {"partenaire": "243400017", "sens": "recoit", "nature": "materiaux",
         "description": "Du bois pour construire.", "source": "etude-cler-2018"}]
    assert rows["brest-centre-bretagne"]["reciprocites"] == []
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(site.path("donnees/cooperations.csv").read_text("utf-8")))}
    assert table["montpellier-lacaune"]["echanges"] == "energie;materiaux"
    assert table["montpellier-lacaune"]["nombre_reciprocites"] == "3"
    assert table["brest-centre-bretagne"]["echanges"] == ""
    package = json.loads(site.path("donnees/datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "cooperations-csv"
              for f in r["schema"]["fields"]}
    assert fields["echanges"]["title"] == "Ce qui est échangé"


def test_a_partner_the_fiche_does_not_have_is_refused_in_french(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    _with(content, RECIPROCITY.replace("partenaire: montpellier mediterranee metropole",
                                       "partenaire: Montpelier Metropole"))
    problems = [str(p) for p in load(content).problems]
    assert problems == [
        "content/cooperations/montpellier-lacaune.md:36: reciprocites[3].partenaire: « Montpelier Metropole » "
        "n'est pas un partenaire de cette fiche ; vouliez-vous dire « Montpellier Méditerranée Métropole » ? "
        "Partenaires : « Montpellier Méditerranée Métropole », "
        "« Communauté de communes des Monts de Lacaune et de la Montagne du Haut-Languedoc »"]


def test_an_exchange_needs_its_nature_and_its_source(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    _with(content, RECIPROCITY.replace("    nature: materiaux\n", "    nature: bois\n")
          .replace("    source: rapport-essai\n", "", 1))
    problems = [str(p) for p in load(content).problems]
    assert any("reciprocites[2].nature: « bois » n'est pas un terme du vocabulaire « Ce qui est échangé »" in p
               for p in problems), problems
    assert any("reciprocites[1].source: champ obligatoire manquant" in p for p in problems), problems


def test_the_issue_form_asks_for_it():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/proposer-une-cooperation.yml").read_text("utf-8"))
    item = next(i for i in form["body"] if i.get("id") == "reciprocites")
    assert item["type"] == "textarea" and item["attributes"]["label"] == "Ce que chacun apporte"
    description = " ".join(item["attributes"]["description"].split())
    assert "Nature : energie, materiaux, alimentation, ingenierie, financement, services, mobilite, activite." \
        in description
    assert "Sens : apporte, recoit." in description


def test_real_fiches_say_it_only_with_a_source_of_the_fiche():
    """In the real content, every exchange cites a source the fiche itself cites."""
    content = load(ROOT / "content")
    assert content.problems == []
    filled = {cid: c for cid, c in content.cooperations.items() if c.reciprocites}
    assert {"montpellier-monts-de-lacaune", "toulouse-metropole-portes-de-gascogne"} <= set(filled)
    for cid, coop in filled.items():
        cited = {s.document or s.reference for s in coop.sources}
        assert {e.source for e in coop.reciprocites} <= cited, cid
        assert all(brings or receives for _, brings, receives in coop.exchanges()), cid
        assert sum(len(b) + len(r) for _, b, r in coop.exchanges()) == len(coop.reciprocites), cid


@pytest.mark.parametrize("width,side_by_side", [(1366, True), (390, False)])
def test_two_columns_on_a_wide_screen_one_on_a_phone(chromium, site, width, side_by_side):
    with LocalServer(site.root) as server:
        page = chromium.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(server.url + "cooperations/montpellier-lacaune/")
            boxes = [c.bounding_box() for c in page.locator(".kb-reciprocity__partner").all()]
            assert len(boxes) == 2
            assert (abs(boxes[0]["y"] - boxes[1]["y"]) < 1) is side_by_side
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes)
            page.add_script_tag(content=assets.read_text(NODE_MODULES, "axe-core", "axe.min.js"))
            result = page.evaluate("() => axe.run('.kb-reciprocity', {runOnly: {type: 'tag', values: "
                                   "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
            assert result["passes"] and [v["id"] for v in result["violations"]] == []
        finally:
            page.close()
