"""Discovery in a real headless Chromium: search, catalogues with facets, map, sorting.

Expected results come from the fixture content, never from literals. Each test
also checks that the page logged no console error and requested nothing from
another host (worker requests included: Pagefind searches in a Web Worker).
"""
from __future__ import annotations

import unicodedata
from urllib.parse import parse_qs, quote, urlparse

import pytest

from conftest import DATA, FIXTURES, load
from kb.content.model import territory_key

CONTENT = load(FIXTURES)
COOPS = CONTENT.cooperations
RECOS = CONTENT.recommendations


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def case_text(coop) -> str:
    return fold(" ".join([coop.titre, coop.resume, coop.body] + [p.nom for p in coop.territoires]))


def placed_territories(coop_ids) -> set[str]:
    """Keys of the territories of these cases that have a position (kb.graph.territories);
    actors and described partners are not places."""
    from kb.graph.territories import location

    return {p.key for cid in coop_ids for p in COOPS[cid].territoires
            if p.category in ("territoire", "groupement") and location(p) is not None}


@pytest.fixture
def browser_page(watched_page):
    """watched_page, plus the requests of workers (seen at the context level)."""
    seen: list[str] = []
    watched_page.page.context.on("request", lambda r: seen.append(r.url))
    yield watched_page
    watched_page.requests.extend(u for u in seen if u not in watched_page.requests)
    assert watched_page.console_errors == []
    assert watched_page.foreign_requests() == []


def run_search(w, query: str) -> list[str]:
    """Site paths of every result of a query on the search page (all result pages)."""
    page = w.page
    page.goto(w.url + "rechercher/?q=" + quote(query))
    page.wait_for_function("q => { const r = document.querySelector('[data-kb-search]');"
                           " return r.dataset.kbQuery === q && r.dataset.kbState === 'done'; }", arg=query)
    more = page.locator(".kb-search__more")
    while more.is_visible():
        count = page.locator(".kb-search__result").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('.kb-search__result').length > n", arg=count)
    return [urlparse(a.get_attribute("href")).path.lstrip("/")
            for a in page.locator(".kb-search__result > a").all()]


# --- Search -------------------------------------------------------------------------------------

def test_search_without_accents_finds_the_accented_case(browser_page):
    brest = COOPS["brest-centre-bretagne"]
    assert "réciprocité" in brest.titre  # the fixture the test relies on
    results = run_search(browser_page, "reciprocite")
    assert "cooperations/brest-centre-bretagne/" in results
    link = browser_page.page.locator('.kb-search__result > a[href$="cooperations/brest-centre-bretagne/"]')
    assert link.inner_text() == brest.titre
    # every case with the word in its title is found
    for cid, coop in COOPS.items():
        if "reciprocite" in fold(coop.titre):
            assert f"cooperations/{cid}/" in results
    # the excerpt highlights the accented word
    marks = browser_page.page.locator(".kb-search__excerpt mark").all_inner_texts()
    assert any(fold(m).startswith("reciprocit") for m in marks)


@pytest.mark.parametrize("plain, accented", [("reciprocite", "réciprocité"), ("elus", "élus"), ("peage", "péage")])
def test_accents_do_not_matter_either_way(browser_page, plain, accented):
    without = run_search(browser_page, plain)
    with_accents = run_search(browser_page, accented)
    assert without and sorted(without) == sorted(with_accents)


def test_audience_page_is_found_without_accents(browser_page):
    assert "publics/elus/" in run_search(browser_page, "elus")


def test_singular_and_plural_find_the_same_pages(browser_page):
    singular = run_search(browser_page, "coopération")
    plural = run_search(browser_page, "coopérations")
    assert singular and sorted(singular) == sorted(plural)


def test_territory_name_finds_its_cases(browser_page):
    expected = {f"cooperations/{cid}/" for cid, c in COOPS.items() if "lacaune" in case_text(c)}
    assert expected
    found = {u for u in run_search(browser_page, "Lacaune") if u.startswith("cooperations/")}
    assert found == expected


def test_header_search_box_leads_to_results(browser_page):
    page = browser_page.page
    page.goto(browser_page.url)
    page.fill("#kb-header-q", "reciprocite")
    page.press("#kb-header-q", "Enter")
    page.wait_for_url("**/rechercher/?q=reciprocite")
    page.wait_for_function("() => document.querySelector('[data-kb-search]').dataset.kbState === 'done'")
    assert page.locator('.kb-search__result > a[href$="cooperations/brest-centre-bretagne/"]').count() == 1
    assert page.locator("[data-kb-nojs]").is_hidden()


# --- Catalogue of cases -----------------------------------------------------------------------

def open_explorer(w, query: str = "", kind: str = "cooperations"):
    page = w.page
    page.goto(w.url + f"explorer/{kind}/" + query)
    page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'")
    toggle = page.locator(".kb-explorer__toggle")
    if toggle.is_visible():  # a phone: the facets are behind « Filtrer (n) »
        toggle.click()
        page.locator(".kb-explorer__more, .kb-facet__more").evaluate_all("bs => bs.forEach(b => b.click())")
    return page


def visible_ids(page) -> set[str]:
    return set(page.eval_on_selector_all(".kb-explorer__results tbody tr[data-id]",
                                         "rows => rows.filter(r => !r.hidden).map(r => r.dataset.id)"))


def visible_markers(page) -> set[str]:
    hrefs = page.eval_on_selector_all(
        "figure.kb-map--catalogue .kb-map__markers a",
        "links => links.filter(a => getComputedStyle(a).display !== 'none').map(a => a.getAttribute('href'))")
    return {h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs}


def count_of(page, facet: str, value: str) -> int:
    text = page.inner_text(f"label[for='kb-f-{facet}-{value}'] [data-kb-count]")
    return int(text.strip("()"))


def test_catalogue_starts_with_everything_and_the_whole_map(browser_page):
    page = open_explorer(browser_page)
    assert visible_ids(page) == set(COOPS)
    assert visible_markers(page) == placed_territories(COOPS)
    assert page.locator("[data-kb-controls]").is_visible()
    assert page.inner_text("[data-kb-status]").startswith(str(len(COOPS)))


def test_a_facet_filters_rows_counts_map_and_url(browser_page):
    page = open_explorer(browser_page)
    theme = "energie"
    with_theme = {cid for cid, c in COOPS.items() if theme in c.themes}
    assert 0 < len(with_theme) < len(COOPS)
    before = {r: count_of(page, "regions", r) for r in {p.region for c in COOPS.values() for p in c.territoires}}
    page.check(f"#kb-f-themes-{theme}")
    page.wait_for_function("n => document.querySelector('[data-kb-status]').textContent.startsWith(n + ' ')",
                           arg=str(len(with_theme)))
    assert visible_ids(page) == with_theme
    # counts of the other facets now count only the cases with this theme
    after = {r: count_of(page, "regions", r) for r in before}
    expected = {r: sum(1 for cid in with_theme if r in {p.region for p in COOPS[cid].territoires}) for r in before}
    assert after == expected and after != before
    # the theme facet itself keeps the counts of its other values (OR inside a facet)
    for other in {t for c in COOPS.values() for t in c.themes}:
        assert count_of(page, "themes", other) == sum(1 for c in COOPS.values() if other in c.themes)
    # the map follows
    assert visible_markers(page) == placed_territories(with_theme)
    lines = page.eval_on_selector_all("figure.kb-map--catalogue line[data-coop]",
                                      "ls => ls.filter(l => getComputedStyle(l).display !== 'none').map(l => l.dataset.coop)")
    assert set(lines) <= with_theme
    # the state is in the URL
    assert parse_qs(urlparse(page.url).query) == {"themes": [theme]}


def test_shared_filtered_url_restores_the_state(browser_page):
    region, statut = "bretagne", "en-cours"
    expected = {cid for cid, c in COOPS.items()
                if region in {p.region for p in c.territoires} and c.statut == statut}
    assert expected and expected != set(COOPS)
    page = open_explorer(browser_page, f"?regions={region}&statuts={statut}")
    assert page.is_checked(f"#kb-f-regions-{region}") and page.is_checked(f"#kb-f-statuts-{statut}")
    assert visible_ids(page) == expected
    assert visible_markers(page) == placed_territories(expected)
    status = page.inner_text("[data-kb-status]")
    assert status.startswith(f"{len(expected)} ") and f"sur {len(COOPS)}" in status
    # clearing the filters brings everything back and empties the URL
    page.click(".kb-explorer__clear")
    page.wait_for_function("n => document.querySelector('[data-kb-status]').textContent.startsWith(n + ' ')",
                           arg=str(len(COOPS)))
    assert visible_ids(page) == set(COOPS)
    assert urlparse(page.url).query == ""


def test_text_query_combines_with_facets(browser_page):
    word = "lacaune"
    matching = {cid for cid, c in COOPS.items() if word in case_text(c)}
    assert matching
    page = open_explorer(browser_page, f"?q={word}")
    assert page.input_value("#kb-explorer-q") == word
    assert visible_ids(page) == matching
    # plus a facet that none of them has: nothing left, and the status says so
    statut = next(s for s in {c.statut for c in COOPS.values()} if not any(COOPS[m].statut == s for m in matching))
    page.check(f"#kb-f-statuts-{statut}")
    page.wait_for_function("() => document.querySelector('[data-kb-status]').textContent.startsWith('0 ')")
    assert visible_ids(page) == set()
    query = parse_qs(urlparse(page.url).query)
    assert query == {"q": [word], "statuts": [statut]}


def test_typing_in_the_catalogue_filters_as_you_type(browser_page):
    page = open_explorer(browser_page)
    expected = {cid for cid, c in COOPS.items() if "reciprocite" in case_text(c)}
    page.fill("#kb-explorer-q", "reciprocite")
    page.wait_for_function("n => document.querySelector('[data-kb-status]').textContent.startsWith(n + ' ')",
                           arg=str(len(expected)))
    assert visible_ids(page) == expected
    assert parse_qs(urlparse(page.url).query) == {"q": ["reciprocite"]}


def test_facets_work_with_the_keyboard(browser_page):
    page = open_explorer(browser_page)
    page.focus(".kb-explorer__toggle")
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.id")
    assert first == page.get_attribute("fieldset[data-facet] input[type=checkbox]", "id")
    facet, value = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    page.keyboard.press("Space")
    expected = {cid for cid, c in COOPS.items() if value in c.terms(facet)}
    page.wait_for_function("n => document.querySelector('[data-kb-status]').textContent.startsWith(n + ' ')",
                           arg=str(len(expected)))
    assert visible_ids(page) == expected
    # the count is announced: the status is a polite live region
    assert page.get_attribute("[data-kb-status]", "aria-live") == "polite"


def test_recommendation_catalogue_by_audience(browser_page):
    audience = "financeurs"
    expected = {rid for rid, r in RECOS.items() if audience in r.audiences}
    assert expected and expected != set(RECOS)
    page = open_explorer(browser_page, f"?audiences={audience}", kind="recommandations")
    assert visible_ids(page) == expected
    axes = {r.axe for r in RECOS.values()}
    for axe in axes:
        assert count_of(page, "axes", axe) == sum(1 for rid in expected if RECOS[rid].axe == axe)


# --- Sorting --------------------------------------------------------------------------------

def column(page, selector: str, attribute: str) -> list[str]:
    return page.eval_on_selector_all(selector, f"rows => rows.map(r => r.dataset.{attribute})")


def test_sorting_a_table_by_year_and_title(browser_page):
    page = open_explorer(browser_page)
    rows = ".kb-explorer__results tbody tr"
    header = page.locator(".kb-explorer__results th[data-sort=annee]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    years = column(page, rows, "annee")
    known = [int(y) for y in years if y]
    assert known == sorted((c.annee for c in COOPS.values() if c.annee), reverse=True)
    assert all(not y for y in years[len(known):])  # unknown years last
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert [int(y) for y in column(page, rows, "annee") if y] == sorted(known)
    title = page.locator(".kb-explorer__results th[data-sort=titre]")
    title.locator("button").click()
    assert title.get_attribute("aria-sort") == "ascending" and header.get_attribute("aria-sort") is None
    titles = column(page, rows, "titre")
    assert titles == sorted(titles, key=lambda t: fold(t))


def test_sorting_a_list_of_recommendations(browser_page):
    cid = next(c for c in COOPS if len([r for r in RECOS.values() if c in r.cooperations] +
                                       COOPS[c].recommandations) >= 2)
    page = browser_page.page
    page.goto(browser_page.url + f"cooperations/{cid}/")
    assert page.locator(".kb-sort-bar").count() == 0  # too short to need sorting (issue 14)
    # the same list made long enough, before kb-sort.js looks at it (the page is parsed, its
    # module scripts not yet run)
    page.add_init_script("""document.addEventListener("readystatechange", () => {
        if (document.readyState !== "interactive") return;
        const list = document.querySelector("ul.kb-recos");
        const items = [...list.children];
        while (list.children.length < 8) items.forEach(li => list.appendChild(li.cloneNode(true)));
    });""")
    page.reload()
    button = page.locator(".kb-sort-bar button", has_text="date d'ajout")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    dates = column(page, "ul.kb-recos > li", "ajout")
    assert dates == sorted(dates, reverse=True)
    button.click()
    assert column(page, "ul.kb-recos > li", "ajout") == sorted(dates)


# --- Pages without JavaScript, map on case pages ----------------------------------------------

def test_catalogue_without_javascript(chromium, served_fixture_site):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_fixture_site.url + "explorer/cooperations/")
        assert page.locator("[data-kb-controls]").is_hidden()
        rows = page.locator(".kb-explorer__results tbody tr")
        assert rows.count() == len(COOPS)
        assert all(rows.nth(k).is_visible() for k in range(rows.count()))
        page.goto(served_fixture_site.url + "rechercher/")
        assert page.locator("[data-kb-nojs]").is_visible()
    finally:
        context.close()


def test_case_page_map_shows_its_partners(browser_page):
    page = browser_page.page
    for cid in COOPS:
        page.goto(browser_page.url + f"cooperations/{cid}/")
        markers = page.locator("figure.kb-map--case .kb-map__markers circle:not(.kb-map__hit)")
        assert markers.count() == len(placed_territories([cid]))
        for k in range(markers.count()):
            assert markers.nth(k).is_visible()


def test_query_transfer_is_measured(chromium, fixture_site):
    """scripts/search_transfer.py (used by the benchmark) measures a real query: at
    least the Pagefind runtime it must download, and under the 500 KB budget."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from search_transfer import measure_query_transfer
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    bundle = fixture_site.root / "pagefind"
    runtime = (bundle / "pagefind.js").stat().st_size + next(bundle.glob("wasm.fr.pagefind")).stat().st_size
    size = measure_query_transfer(fixture_site.root, "reciprocite")
    assert runtime < size < 500_000
