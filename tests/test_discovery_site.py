"""Discovery features on the built HTML (no browser): maps, charts, catalogues with
facets, sortable listings, search index, audience pages. Every expectation is
computed from the fixture content."""
from __future__ import annotations

import json
import posixpath
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import DATA, FIXTURES, NODE_MODULES, build_site, load
from kb.render import geo
from kb.search import index as search
from kb import sitemap as urls
from kb.graph.build import build_graph
from kb.content.model import territory_key

CONTENT = load(FIXTURES)
REALISED = [c for c in CONTENT.cooperations.values() if c.statut != "idee"]  # ideas are not counted
GRAPH = build_graph(CONTENT)
VOCABS = DATA.vocabularies
VOCAB_PATHS = {v.path: name for name, v in VOCABS.items()}


def resolve(page_url: str, href: str) -> str:
    path = urlparse(href).path
    return posixpath.normpath(posixpath.join("/" + page_url, path)).lstrip("/") + ("/" if path.endswith("/") else "")


def package_departements() -> dict[str, str]:
    """Département code -> name, read straight from the npm package (not through kb.render.geo)."""
    text = (NODE_MODULES / geo.PACKAGE / "index.js").read_text(encoding="utf-8")
    data = json.loads(text.strip().removeprefix("export default").rstrip(";"))
    return {loc["id"]: loc["name"] for loc in data["locations"]}


from kb.graph.build import official_name  # noqa: E402


def territories_by_key(cooperations) -> dict[str, dict]:
    """Territories of the given cases from the raw partner records: key -> {nom, departement}."""
    out: dict[str, dict] = {}
    for coop in cooperations:
        for p in coop.territoires:
            # an official territory is shown by its official name, never a fiche's usual name
            nom = official_name(p.official) if p.official is not None else p.nom
            entry = out.setdefault(p.key, {"nom": nom, "departement": None})
            entry["departement"] = entry["departement"] or p.departement
    return out


def key_of(link) -> str:
    """Territory key of a link to a territory page (…/territoires/<key>/)."""
    match = re.search(r"territoires/([^/]+)/$", link["href"])
    assert match, link["href"]
    return match.group(1)


def placeable(code) -> bool:
    return bool(code) and (code in package_departements() or code in geo.OVERSEAS)


# --- The map --------------------------------------------------------------------------------

def test_catalogue_map_has_one_marker_per_placed_territory(fixture_site):
    page = "explorer/cooperations/"
    main = fixture_site.main(page)
    svg = main.select_one("figure.kb-map--catalogue svg")
    # a group of links: the drawing hidden from screen readers, each marker a named link (issue 20)
    assert svg is not None and svg.get("role") == "group" and svg.get("aria-hidden") is None
    assert all(g.get("aria-hidden") == "true" for g in svg.select(".kb-map__land, .kb-map__links"))
    expected = territories_by_key(CONTENT.cooperations.values())
    placed = {k for k, t in expected.items() if placeable(t["departement"])}
    markers = svg.select(".kb-map__markers a")
    assert {key_of(a) for a in markers} == placed
    assert len(markers) == len(placed)
    # each marker links to its territory page, which exists
    for a in markers:
        target = resolve(page, a["href"])
        assert target == f"territoires/{key_of(a)}/"
        assert fixture_site.path(target).exists()
        assert a.find("title").get_text() == expected[key_of(a)]["nom"]
        assert a.get("tabindex") is None and a["aria-label"].startswith(expected[key_of(a)]["nom"])
    # the text alternative lists the same territories with the same links
    listed = main.select(".kb-map__list li[data-coops] a")
    assert [key_of(a) for a in listed] == [key_of(a) for a in markers]


def test_catalogue_map_joins_the_partners_of_each_case(fixture_site):
    svg = fixture_site.main("explorer/cooperations/").select_one("figure.kb-map--catalogue svg")
    expected = Counter()
    for coop in CONTENT.cooperations.values():
        keys = {p.key for p in coop.territoires}
        known = territories_by_key([coop])
        placed = [k for k in keys if placeable(territories_by_key(CONTENT.cooperations.values())[k]["departement"])]
        assert known  # every case has partners
        if len(placed) >= 2:
            expected[coop.id] = len(placed) - 1
    lines = Counter(line["data-coop"] for line in svg.select("line[data-coop]"))
    assert lines == expected


def test_map_geometry_comes_from_the_npm_package(fixture_site):
    svg = fixture_site.main("explorer/cooperations/").select_one("figure.kb-map--catalogue svg")
    codes = [p["data-dep"] for p in svg.select(".kb-map__land path")]
    assert sorted(codes) == sorted(package_departements())
    assert all(p["d"].startswith("m") for p in svg.select(".kb-map__land path"))
    # overseas insets, labelled
    labels = [t.get_text() for t in svg.select(".kb-map__insets text")]
    assert labels == list(geo.OVERSEAS.values())


@pytest.mark.parametrize("cid", sorted(CONTENT.cooperations))
def test_each_case_page_has_its_own_small_map(fixture_site, cid):
    page = f"cooperations/{cid}/"
    main = fixture_site.main(page)
    figure = main.select_one("figure.kb-map--case")
    assert figure is not None
    everyone = territories_by_key(CONTENT.cooperations.values())
    mine = {p.key for p in CONTENT.cooperations[cid].territoires}
    placed = {k for k in mine if placeable(everyone[k]["departement"])}
    assert {key_of(a) for a in figure.select("svg .kb-map__markers a")} == placed
    for a in figure.select("svg .kb-map__markers a"):
        assert fixture_site.path(resolve(page, a["href"])).exists()
    caption = figure.find("figcaption").get_text()
    for key in placed:
        assert everyone[key]["nom"] in caption
    # zoomed: fewer départements than the whole map
    assert 0 < len(figure.select(".kb-map__land path")) < len(package_departements())


def test_map_without_network_or_script(fixture_site):
    html = fixture_site.html("explorer/cooperations/")
    figure = re.search(r'<figure class="kb-map kb-map--catalogue".*?</figure>', html, re.S).group(0)
    assert "http://" not in figure and "https://" not in figure
    assert "<script" not in figure and "<image" not in figure


@pytest.fixture(scope="module")
def extra_site(tmp_path_factory):
    """The fixture content plus one case with an overseas partner and a partner
    without département, built once."""
    root = tmp_path_factory.mktemp("discovery-extra")
    content = root / "content"
    shutil.copytree(FIXTURES, content)
    data = FIXTURES.parent / "data"
    if data.exists():  # data files that belong with the fixture content (references…)
        shutil.copytree(data, root / "data")
    (content / "cooperations" / "essai-outre-mer.md").write_text("""---
titre: Essai de coopération ultramarine
resume: Une coopération d'essai entre La Réunion, la Bretagne et un réseau sans département.
territoires:
  - nom: Territoire de la Côte Ouest
    type: communaute-d-agglomeration
    code: "249740101"
    region: la-reunion
    departement: "974"
  - nom: Réseau national d'essai
    type: association
    region: national
  - nom: Brest métropole
    type: metropole
    code: "242900314"
themes: [energie]
statut: en-projet
date_ajout: 2026-04-01
sources:
  - document: rapport-essai
---

Un texte d'essai.
""", encoding="utf-8")
    site = root / "site"
    warnings = build_site(content, site)
    from conftest import BuiltSite

    return BuiltSite(site, warnings), load(content)


def test_actors_are_neither_drawn_nor_listed_as_missing(extra_site):
    """An actor (here an association) is an organisation, not a place: no marker, and no
    « ne figure pas sur la carte » note; every territory has a position (issue 13)."""
    site, content = extra_site
    main = site.main("explorer/cooperations/")
    assert main.select_one(".kb-map__unplaced") is None
    drawn = {key_of(a) for a in main.select("figure.kb-map--catalogue svg .kb-map__markers a")}
    assert "reseau-national-d-essai" not in drawn
    assert "ca-territoire-de-la-cote-ouest-tco" in drawn and "brest-metropole" in drawn
    case = site.main("cooperations/essai-outre-mer/")
    assert case.select(".kb-map__unplaced") == []
    assert case.select_one('a[href$="acteurs/reseau-national-d-essai/"]') is not None


def test_overseas_partner_is_drawn_in_its_inset(extra_site):
    site, _ = extra_site
    svg = site.main("explorer/cooperations/").select_one("figure.kb-map--catalogue svg")
    marker = next(a for a in svg.select(".kb-map__markers a")
                  if key_of(a) == "ca-territoire-de-la-cote-ouest-tco").find("circle")
    label = next(t for t in svg.select(".kb-map__insets text") if t.get_text() == "La Réunion")
    rect = label.find_previous_sibling("rect")
    x, y = float(marker["cx"]), float(marker["cy"])
    assert float(rect["x"]) <= x <= float(rect["x"]) + float(rect["width"])
    assert float(rect["y"]) <= y <= float(rect["y"]) + float(rect["height"])
    # a case with an overseas partner gets the whole map, insets included
    case_svg = site.main("cooperations/essai-outre-mer/").select_one("figure.kb-map--case svg")
    assert case_svg.select(".kb-map__insets rect")


def test_geo_path_parsing_and_centroid():
    rings = geo.parse_path("m 10,10 10,0 0,10 -10,0 z m 100,100 1,0 0,1 z")
    assert rings[0] == [(10, 10), (20, 10), (20, 20), (10, 20)]
    assert rings[1][0] == (110, 110)  # after z the pen is back at the ring's start
    assert geo.centroid(rings) == pytest.approx((15, 15))


def test_geo_spreads_territories_of_one_departement():
    class T:
        def __init__(self, key, dep):
            self.key, self.nom, self.departement, self.cooperations = key, key, dep, []

    markers, unplaced = geo.place([T("a", "29"), T("b", "29"), T("c", None), T("d", "99")], geo.load_geometry(NODE_MODULES))
    assert [(u.key, u.nom) for u in unplaced] == [("c", "c"), ("d", "d")]
    (a, b) = markers
    assert (a.x, a.y) != (b.x, b.y)


# --- Charts -----------------------------------------------------------------------------------

def chart_rows(fixture_site, chart_id) -> dict[str, int]:
    table = fixture_site.main("chiffres/").select_one(f'table[data-chart="{chart_id}"]')
    return {tr.th.get_text(strip=True): int(tr.td.get_text(strip=True)) for tr in table.select("tbody tr")}


@pytest.mark.parametrize("vocab", ["themes", "fonctions", "finalites"])
def test_term_chart_tables_match_the_data(fixture_site, vocab):
    expected = {term.label: 0 for term in VOCABS[vocab].terms.values()}
    for coop in REALISED:
        for t in getattr(coop, vocab):
            expected[VOCABS[vocab].terms[t].label] += 1
    assert chart_rows(fixture_site, vocab) == expected


def test_region_chart_counts_each_case_once_per_region(fixture_site):
    expected = Counter()
    for coop in REALISED:
        for region in {p.region for p in coop.territoires if p.region}:
            expected[VOCABS["regions"].terms[region].label] += 1
    assert chart_rows(fixture_site, "regions") == dict(expected)


def test_year_chart_matches_the_data(fixture_site):
    years = Counter(c.annee for c in REALISED if c.annee is not None)
    rows = chart_rows(fixture_site, "annees")
    assert {int(y): n for y, n in rows.items() if n} == dict(years)
    assert list(rows) == [str(y) for y in range(min(years), max(years) + 1)]
    unknown = sum(1 for c in REALISED if c.annee is None)
    if unknown:
        assert f"{unknown} coopération" in fixture_site.main("chiffres/").get_text()


def test_charts_are_svg_with_one_bar_per_row(fixture_site):
    main = fixture_site.main("chiffres/")
    for figure in main.select("figure.kb-chart"):
        chart_id = figure["id"].removeprefix("graphique-")
        svg = figure.find("svg")
        assert svg.get("aria-hidden") == "true"
        rows = chart_rows(fixture_site, chart_id)
        assert len(svg.select("rect")) == len(rows)
    assert len(main.select("figure.kb-chart")) == 5


def test_figures_page_is_linked_from_home_and_nav(fixture_site):
    home = fixture_site.soup("")
    hrefs = [resolve("", a["href"]) for a in home.select("article a[href]")]
    assert "chiffres/" in hrefs and "explorer/cooperations/" in hrefs
    nav = [resolve("", a["href"]) for a in home.select("nav.md-nav--primary a[href]")]
    assert {"chiffres/", "explorer/cooperations/", "explorer/recommandations/", "rechercher/"} <= set(nav)


# --- Catalogues with facets, readable without JavaScript -----------------------------------------

def test_cooperation_catalogue_lists_everything_without_javascript(fixture_site):
    main = fixture_site.main("explorer/cooperations/")
    rows = main.select("table.kb-explorer__results tbody tr[data-id]")
    assert sorted(r["data-id"] for r in rows) == sorted(CONTENT.cooperations)
    assert not any(r.has_attr("hidden") for r in rows)
    # controls that need the script are hidden until it runs
    assert main.select_one("[data-kb-controls]").has_attr("hidden")
    status = main.select_one("[data-kb-status]")
    assert status["aria-live"] == "polite" and status["role"] == "status"
    assert status.get_text().startswith(str(len(CONTENT.cooperations)))


def test_cooperation_facets_are_accessible_and_counted(fixture_site):
    main = fixture_site.main("explorer/cooperations/")
    legends = [fs.legend.get_text(strip=True) for fs in main.select("fieldset.kb-facet")]
    assert legends == [VOCABS[v].label for v in ("themes", "fonctions", "finalites", "portages", "regions",
                                                  "types_territoire", "tailles", "profils", "statuts")] + [
        "Année de début"]
    for box in main.select("fieldset.kb-facet input[type=checkbox]"):
        label = main.select_one(f'label[for="{box["id"]}"]')
        assert label is not None and label.get_text(strip=True)
    # counts of each theme and year, from the records
    themes = Counter(t for c in CONTENT.cooperations.values() for t in c.themes)
    fs = main.select_one('fieldset[data-facet="themes"]')
    shown = {b["value"]: int(re.search(r"\((\d+)\)", main.select_one(f'label[for="{b["id"]}"]').get_text()).group(1))
             for b in fs.select("input")}
    assert shown == dict(themes)
    years = Counter(str(c.annee) if c.annee else "non-precisee" for c in CONTENT.cooperations.values())
    fs = main.select_one('fieldset[data-facet="annee"]')
    assert {b["value"] for b in fs.select("input")} == set(years)


def test_catalogue_rows_carry_their_facet_values(fixture_site):
    main = fixture_site.main("explorer/cooperations/")
    for row in main.select("tr[data-id]"):
        coop = CONTENT.cooperations[row["data-id"]]
        assert row["data-f-themes"].split() == coop.themes
        assert sorted(row["data-f-regions"].split()) == sorted({p.region for p in coop.territoires if p.region})
        assert row["data-f-statuts"] == coop.statut


def test_recommendation_catalogue_puts_audience_first(fixture_site):
    main = fixture_site.main("explorer/recommandations/")
    facets = [fs["data-facet"] for fs in main.select("fieldset.kb-facet")]
    assert facets == ["audiences", "axes"]
    rows = main.select("tr[data-id]")
    assert sorted(r["data-id"] for r in rows) == sorted(CONTENT.recommendations)
    for row in rows:
        assert row["data-f-audiences"].split() == CONTENT.recommendations[row["data-id"]].audiences


# --- Sortable listings ------------------------------------------------------------------------

def all_pages(site):
    for path in sorted(site.root.rglob("index.html")):
        rel = path.relative_to(site.root).as_posix()
        if rel.startswith(("pagefind/", "admin/")):
            continue
        yield rel[: -len("index.html")]


def test_every_case_listing_has_sort_controls(fixture_site):
    tables = 0
    for url in all_pages(fixture_site):
        main = fixture_site.main(url)
        if main is None:
            continue
        for table in main.select("table.kb-coops"):
            tables += 1
            # the date added is a column where it helps: the latest cases of the home page
            added = ["ajout"] if table.select("th[data-sort=ajout]") and url == "" else []
            assert [th["data-sort"] for th in table.select("th[data-sort]")] == ["titre", "annee"] + added, url
            for tr in table.select("tbody tr"):
                assert tr.has_attr("data-titre") and tr.has_attr("data-annee") and tr.has_attr("data-ajout")
        for ul in main.select("ul.kb-recos"):
            assert ul["data-sortable"] == "titre ajout"
    assert tables >= len(CONTENT.cooperations)  # at least the related cases of each case page
    scripts = [s["src"] for s in fixture_site.soup("").select("script[src]")]
    assert any(s.endswith("assets/javascripts/kb-sort.js") for s in scripts)


# --- Search: Pagefind instead of lunr ---------------------------------------------------------

def test_pagefind_replaces_the_lunr_index(fixture_site):
    assert (fixture_site.root / "pagefind" / "pagefind.js").exists()
    assert list((fixture_site.root / "pagefind" / "index").glob("*.pf_index"))
    assert not (fixture_site.root / "search" / "search_index.json").exists()
    home = fixture_site.soup("")
    assert home.select_one('[data-md-component="search"]') is None
    form = home.select_one("header form[role=search]")
    assert resolve("", form["action"]) == "rechercher/" and form["method"] == "get"
    field = form.select_one("input[name=q]")
    assert form.select_one(f'label[for="{field["id"]}"]') is not None


def test_the_theme_lunr_files_are_not_published(fixture_site):
    """Material's lunr language files (wordcut.js alone is 662 KiB) serve its own search, which
    the site does not use: no page loads them, so they are not published."""
    assert not (fixture_site.root / "assets" / "javascripts" / "lunr").exists()
    assert (fixture_site.root / "assets" / "javascripts" / "workers").is_dir()  # named by every page


def test_search_page_says_what_to_do_without_javascript(fixture_site):
    main = fixture_site.main("rechercher/")
    assert main.select_one("label[for=kb-search-q]") is not None
    nojs = main.select_one("[data-kb-nojs]")
    targets = {resolve("rechercher/", a["href"]) for a in nojs.select("a")}
    assert "explorer/cooperations/" in targets
    assert main.select_one("[data-kb-search-status]")["aria-live"] == "polite"


@pytest.mark.parametrize("url, kind", [
    ("cooperations/brest-centre-bretagne/", ("Coopération", "coop", "brest-centre-bretagne")),
    ("recommandations/financer-le-temps-long/", ("Recommandation", "reco", "financer-le-temps-long")),
    ("territoires/brest-metropole/", ("Territoire", None, "brest-metropole")),  # issue 13
    ("acteurs/audiar/", ("Acteur", None, "audiar")),
    ("territoires/", None), ("acteurs/", None),
    ("publics/elus/", ("Public", None, "elus")),
    ("a-propos/", ("Page", None, "a-propos")),
    ("cooperations/", None), ("themes/energie/", None), ("themes/", None), ("", None),
    ("explorer/cooperations/", None), ("rechercher/", None), ("chiffres/", None), ("404.html", None),
])
def test_search_indexes_landing_pages_only(url, kind):
    assert search.page_kind(url, VOCAB_PATHS) == kind


def test_search_marks_filters_without_changing_the_site(fixture_site):
    html = fixture_site.html("cooperations/brest-centre-bretagne/")
    assert "data-pagefind" not in html  # the published page is untouched
    prepared = search.prepare(html, search.page_kind("cooperations/brest-centre-bretagne/", VOCAB_PATHS))
    assert 'data-pagefind-filter="coop:brest-centre-bretagne"' in prepared
    assert 'data-pagefind-filter="type:Coopération"' in prepared


# --- Audience pages ---------------------------------------------------------------------------

@pytest.mark.parametrize("audience", list(VOCABS["audiences"].terms))
def test_audience_page(fixture_site, audience):
    page = f"publics/{audience}/"
    main = fixture_site.main(page)
    term = VOCABS["audiences"].terms[audience]
    assert main.find("h1").get_text() == (term.page_title or f"{VOCABS['audiences'].label} : {term.label}")
    mine = [r for r in CONTENT.recommendations.values() if audience in r.audiences]
    # every recommendation under the heading of its axe, once
    for reco in mine:
        heading = main.find("h2", id=reco.axe)
        assert heading is not None
        assert reco.titre in heading.find_next("ul").get_text()
    titles = [li.a.get_text() for ul in main.select("ul.kb-recos") for li in ul.select(":scope > li")]
    assert sorted(titles) == sorted(r.titre for r in mine)
    # stop / start pairs of this audience
    pairs = {(r.arreter, r.commencer) for r in mine if r.arreter}
    table = main.select_one("table.kb-stop-start")
    shown = {(tr.select("td")[0].get_text(), tr.select("td")[1].get_text())
             for tr in table.select("tbody tr")} if table else set()
    assert shown == pairs
    # the cases that illustrate them
    illustrating = {cid for r in mine for cid in GRAPH.coops_of.get(r.id, [])}
    listed = {resolve(page, a["href"]) for a in main.select("table.kb-coops tbody tr td:first-child a")}
    assert listed == {f"cooperations/{cid}/" for cid in illustrating}
    # a link opens the recommendation catalogue filtered on this audience
    link = main.select_one("a.kb-explore-link")
    assert resolve(page, link["href"]) == "explorer/recommandations/"
    assert urlparse(link["href"]).query == f"audiences={audience}"
    # linked from the home page
    home_links = {resolve("", a["href"]) for a in fixture_site.main("").select("a[href]")}
    assert page in home_links


def test_explorer_rows_show_what_the_catalogue_rows_show(fixture_site):
    """The explorer's rows come from the same macro as every other case table: same cells
    (badges "idée" and "à actualiser" included), plus the id and facet values for filtering."""
    def rows(url, selector):
        return {tr.select_one("a")["href"].rstrip("/").split("/")[-1]: tr
                for tr in fixture_site.main(url).select(selector)}

    catalogue = rows("cooperations/", "table.kb-coops tbody tr")
    explorer = rows("explorer/cooperations/", "table.kb-explorer__results tbody tr")
    assert catalogue.keys() == explorer.keys() and catalogue
    for cid, row in explorer.items():
        assert row["data-id"] == cid and any(k.startswith("data-f-") for k in row.attrs)
        assert [td.get_text(" ", strip=True) for td in row.select("td")] == \
            [td.get_text(" ", strip=True) for td in catalogue[cid].select("td")]
