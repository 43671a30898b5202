"""Territory and actor pages, listings and search (issue 13), on the built fixture site."""
from __future__ import annotations

import pytest

from test_discovery_browser import run_search  # noqa: F401 - the search helper, in Chromium
from conftest import load  # noqa: E402


def test_territory_page_shows_official_identity(fixture_site):
    main = fixture_site.main("territoires/cc-du-haut-languedoc/")
    text = main.get_text(" ", strip=True)
    # the official name (legal form spelled out), not the usual name of the fiche naming it first
    assert main.h1.get_text() == "Communauté de communes du Haut-Languedoc"
    assert "Nom dans le Code officiel géographique : CC du Haut-Languedoc" in text
    assert "Une communauté de communes" in text
    assert "habitants (population municipale 2023, Insee)" in text
    assert "Tarn (81), Hérault (34)" in text and "Occitanie" in text
    link = main.select_one('a[href="https://www.banatic.interieur.gouv.fr/intercommunalite/200066553"]')
    assert link is not None
    assert main.select_one("figure.kb-map--territory svg .kb-map__markers circle") is not None
    # its member communes, Lacaune among them
    assert "Lacaune" in [li.get_text(" ", strip=True).split(" (")[0] for li in main.select(".kb-members li")]


def test_epci_page_lists_the_cooperations_of_its_groupings(fixture_site):
    # Poher communauté is not a partner: no page; the pays lists its member EPCI
    pays = fixture_site.main("territoires/pays-du-centre-ouest-bretagne/")
    members = [li.get_text(" ", strip=True) for li in pays.select(".kb-members li")]
    assert any(m.startswith("Communauté de communes Poher Communauté") for m in members)
    assert "Membres (5)" in pays.get_text()
    # the list's provenance, from data/groupements.yml
    assert "Liste des membres : précision de la rédaction" in pays.select_one(".kb-composition").get_text(" ", strip=True)


def test_usual_name_is_shown_on_its_fiche_only(fixture_site):
    fiche = fixture_site.main("cooperations/montpellier-lacaune/").get_text(" ", strip=True)
    assert "« Communauté de communes des Monts de Lacaune et de la Montagne du Haut-Languedoc » dans cette fiche" in fiche
    listing = fixture_site.main("territoires/").get_text(" ", strip=True)
    assert "Communauté de communes du Haut-Languedoc" in listing and "Monts de Lacaune" not in listing


def test_home_counts_territories_and_actors_apart(fixture_site):
    counts = [li.get_text(" ", strip=True) for li in fixture_site.main("").select(".kb-counts li")]
    assert any(c.endswith("territoires") for c in counts) and any(c.endswith("acteurs") for c in counts)


def test_search_finds_places_by_departement_and_name(watched_page):
    found = run_search(watched_page, "Finistère")
    assert "cooperations/brest-centre-bretagne/" in found
    assert "territoires/brest-metropole/" in found
    assert "territoires/brest-metropole/" in run_search(watched_page, "Brest métropole")[:3]


def test_explorer_markers_are_tappable_and_named_on_hover_and_focus(watched_page):
    page = watched_page.page
    page.set_viewport_size({"width": 1366, "height": 900})  # on a phone, map and filters are one tap away
    page.goto(watched_page.url + "explorer/cooperations/")
    page.wait_for_function("() => document.querySelector('svg.kb-map__svg[data-kb-map-ready]')")
    markers = page.locator("figure.kb-map--catalogue .kb-map__markers a")
    assert markers.count() >= 4
    for i in range(markers.count()):
        box = markers.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    first = markers.first
    name = first.locator("title").text_content()
    first.hover()
    assert page.locator("figure.kb-map--catalogue .kb-map__tip").text_content() == name
    # keyboard: the list under the map is the way in; focusing a link names its marker
    page.locator("figure.kb-map--catalogue ~ .kb-map__list summary, .kb-map__list summary").first.click()
    link = page.locator(".kb-map__list a").nth(1)
    link.focus()
    assert page.locator("figure.kb-map--catalogue .kb-map__tip").text_content() == link.text_content()
    assert watched_page.console_errors == []


def test_explorer_facets_by_size_and_urban_rural_profile(fixture_site):
    main = fixture_site.main("explorer/cooperations/")
    assert main.select_one('fieldset[data-facet="tailles"]') is not None
    assert main.select_one('fieldset[data-facet="profils"]') is not None
    row = main.select_one('tr[data-id="brest-centre-bretagne"]')
    # Brest métropole (about 210 000 inhabitants) and the pays (about 80 000): a métropole with a rural pays
    assert row["data-f-profils"] == "urbain-rural"
    assert set(row["data-f-tailles"].split()) == {"50000-200000", "plus-de-200000"}
    row = main.select_one('tr[data-id="montpellier-lacaune"]')
    assert row["data-f-profils"] == "urbain-rural"
    assert set(row["data-f-tailles"].split()) == {"moins-de-10000", "plus-de-200000"}


def test_explorer_map_zooms_on_the_selected_region(watched_page):
    page = watched_page.page
    page.set_viewport_size({"width": 1366, "height": 900})  # on a phone, map and filters are one tap away
    page.goto(watched_page.url + "explorer/cooperations/")
    svg = page.locator("figure.kb-map--catalogue svg")
    page.wait_for_function("() => document.querySelector('svg.kb-map__svg[data-kb-map-ready]')")
    full = [float(v) for v in svg.get_attribute("viewBox").split()]
    page.locator('fieldset[data-facet="regions"] input[value="bretagne"]').check(force=True)
    page.wait_for_function("w => parseFloat(document.querySelector('figure.kb-map--catalogue svg')"
                           ".getAttribute('viewBox').split(' ')[2]) < w", arg=full[2])
    x0, y0, w, h = (float(v) for v in svg.get_attribute("viewBox").split())
    assert w < full[2] / 2
    dots = page.eval_on_selector_all(
        'figure.kb-map--catalogue .kb-map__markers a[data-region="bretagne"] circle:not(.kb-map__hit)',
        "cs => cs.map(c => [parseFloat(c.getAttribute('cx')), parseFloat(c.getAttribute('cy'))])")
    assert dots and all(x0 <= x <= x0 + w and y0 <= y <= y0 + h for x, y in dots)
    page.locator('fieldset[data-facet="regions"] input[value="bretagne"]').uncheck(force=True)
    page.wait_for_function("w => parseFloat(document.querySelector('figure.kb-map--catalogue svg')"
                           ".getAttribute('viewBox').split(' ')[2]) === w", arg=full[2])


def test_epci_and_commune_pages_list_cooperations_through_their_groupings(tmp_path):
    """Poher communauté, member of the Pays du Centre Ouest Bretagne, partner of a case of its
    own: its page also lists the pays's contract; Carhaix's, through its EPCI and the pays."""
    import shutil
    from pathlib import Path
    from kb.graph.build import build_graph
    from kb.render.places import Places
    from test_validation import CASE

    fixtures = Path(__file__).resolve().parent / "fixtures"
    content = tmp_path / "content"
    shutil.copytree(fixtures / "content", content)
    shutil.copytree(fixtures / "data", tmp_path / "data")
    (content / "cooperations" / "poher-carhaix.md").write_text(CASE.format(partners=(
        '  - type: communaute-de-communes\n    code: "242900744"\n  - type: commune\n    code: "29024"')),
        encoding="utf-8")
    loaded = load(content)
    assert loaded.problems == []
    graph = build_graph(loaded)
    places = Places(graph)
    poher = graph.territories["cc-poher-communaute"]
    through = {(c.cooperation, c.via) for c in places.through(poher)}
    assert ("brest-centre-bretagne", "membre du Pays du Centre Ouest Bretagne") in through
    carhaix = graph.territories["carhaix-plouguer-29024"]
    through = {(c.cooperation, c.via) for c in places.through(carhaix)}
    assert ("brest-centre-bretagne", "via CC Poher Communauté, membre du Pays du Centre Ouest Bretagne") in through
    assert [g.key for g in places.groupings(poher)] == ["pays-du-centre-ouest-bretagne"]


def test_epci_page_offers_comparable_territories_with_the_reason(fixture_site):
    """« Des territoires comparables qui coopèrent » (issue 20 item 4): cases with an EPCI partner
    of the same kind and population band, the urban–rural profile and the kind of neighbour
    métropole it shares said too, the reason in words with the editors' rule, the page's own
    cases left out."""
    main = fixture_site.main("territoires/brest-metropole/")
    items = {li.a["href"].rstrip("/").rsplit("/", 1)[-1]: li.get_text(" ", strip=True)
             for li in main.select(".kb-comparable li")}
    assert "montpellier-lacaune" in items and "brest-centre-bretagne" not in items
    # Brest Métropole and Montpellier Méditerranée Métropole: urban, no other métropole within 60 km
    assert "Montpellier Méditerranée Métropole : comme elle, même type d'intercommunalité (une métropole), même tranche de " \
        "population (de plus de 200\u202f000 habitants), profil urbain, sans métropole à moins de 60\u202fkm" \
        in items["montpellier-lacaune"]
    rule = main.select_one(".kb-comparable__rule").get_text(" ", strip=True)
    assert rule.startswith("Règle de la rédaction") and "2\u202f000 habitants" in rule and "60\u202fkm" in rule
