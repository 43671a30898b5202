"""The site on a phone, in real Chromium (issue 14): no page scrolls sideways at 320, 390
or 768 px, lists of cases become cards, the stop/start link stays visible, words do not
break mid-word, the site name is whole in the header, chart text is at least 12 px."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, load
from kb.graph.build import build_graph
from kb import sitemap as urls

GRAPH = build_graph(load(FIXTURES))
WIDTHS = (320, 390, 768)


def page_types() -> list[str]:
    """One page of every type of the site."""
    vocab = GRAPH.vocabularies
    theme = next(t for t, ids in GRAPH.terms_of("themes") if ids)
    audience = next(a for a, ids in GRAPH.terms_of("audiences") if ids)
    srcs = [urls.HOME, urls.COOPERATIONS, urls.cooperation(next(iter(GRAPH.cooperations))),
            urls.RECOMMENDATIONS, urls.recommendation(next(iter(GRAPH.recommendations))),
            urls.STOP_START, "explorer/cooperations.md", "explorer/recommandations.md", "chiffres.md",
            urls.TERRITORIES, urls.territory(next(iter(GRAPH.territories))), urls.vocabulary(vocab["themes"].path),
            urls.term(vocab["themes"].path, theme), urls.term(vocab["audiences"].path, audience),
            urls.DOCUMENTS, urls.document(next(iter(GRAPH.content.documents))), urls.VOCABULARIES,
            "donnees/index.md", "rechercher.md", urls.METHODS, "a-propos.md"]
    return [urls.page_url(s) for s in srcs] + ["404.html"]


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().right > width + 0.5)
    .map(t => t.className);
  return {scroll: document.documentElement.scrollWidth - width, wide};
}"""


@pytest.fixture(scope="module")
def pages_at(chromium, served_fixture_site):
    contexts = []

    def open_at(width):
        context = chromium.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(pages_at, served_fixture_site, width):
    page = pages_at(width)
    problems = {}
    for url in page_types():
        page.goto(served_fixture_site.url + url)
        found = page.evaluate(OVERFLOW)
        if found["scroll"] > 0 or found["wide"]:
            problems[url] = found
    assert problems == {}


def test_case_lists_are_cards_on_a_phone_with_every_link_visible(pages_at, served_fixture_site):
    page = pages_at(390)
    for url, selector in ((urls.page_url(urls.COOPERATIONS), "table.kb-coops tbody tr"),
                          (urls.page_url(urls.STOP_START), "table.kb-stop-start tbody tr")):
        page.goto(served_fixture_site.url + url)
        rows = page.locator(selector)
        assert rows.count() > 0
        for k in range(rows.count()):
            row = rows.nth(k)
            assert row.evaluate("r => getComputedStyle(r).display") == "flex"  # a card
            link = row.locator("a").first
            box = link.bounding_box()
            assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390
        # the cells say what they are, since the column headers are not shown
        labels = rows.first.locator("td").evaluate_all("""cells => cells.map(
            c => getComputedStyle(c, '::before').content)""")
        assert any("Territoires" in label or "Arrêter" in label for label in labels)


def test_words_do_not_break_in_the_middle(pages_at, served_fixture_site):
    page = pages_at(390)
    page.goto(served_fixture_site.url + urls.page_url(urls.COOPERATIONS))
    styles = page.eval_on_selector_all("table.kb-table td, table.kb-table th", """cells => cells.map(c => {
        const s = getComputedStyle(c); return [s.overflowWrap, s.wordBreak, s.hyphens]; })""")
    assert styles and all(s == ["normal", "normal", "auto"] for s in styles)
    assert page.evaluate("document.documentElement.lang") == "fr"


@pytest.mark.parametrize("width", (320, 390))
def test_full_site_name_in_the_header_on_a_phone(pages_at, served_fixture_site, width):
    page = pages_at(width)
    page.goto(served_fixture_site.url)
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert name.inner_text().strip() == "Coopérations territoriales"
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # not cut by an ellipsis
    box = name.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


def test_chart_text_is_at_least_12_px_on_a_phone(pages_at, served_fixture_site):
    page = pages_at(390)
    page.goto(served_fixture_site.url + "chiffres/")
    sizes = page.eval_on_selector_all(".kb-chart svg text", """texts => texts.map(t => {
        const svg = t.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(t).fontSize) * scale; })""")
    assert sizes and min(sizes) >= 12


def test_french_404_page_works_under_a_sub_path(chromium, fixture_site):
    """Served as GitHub Pages does for a project site: every missing address of /sous-chemin/
    answers with the site's 404.html."""
    import mimetypes
    from urllib.parse import urlparse

    root = fixture_site.root
    requests = []

    def serve(route):
        path = urlparse(route.request.url).path
        requests.append(path)
        if not path.startswith("/sous-chemin/"):
            return route.fulfill(status=404, body="")
        target = root / path[len("/sous-chemin/"):]
        if target.is_dir():
            target = target / "index.html"
        if target.is_file():
            return route.fulfill(status=200, body=target.read_bytes(),
                                 content_type=mimetypes.guess_type(target.name)[0] or "text/html")
        return route.fulfill(status=404, body=(root / "404.html").read_bytes(), content_type="text/html")

    context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.route("**/*", serve)
        response = page.goto("http://site.test/sous-chemin/cooperations/nulle-part/")
        assert response.status == 404
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text() == "Page introuvable"
        assert "Not found" not in page.content()
        link = page.get_by_role("link", name="Toutes les coopérations")
        page.wait_for_function("() => [...document.links].some(a => a.pathname === '/sous-chemin/cooperations/')")
        page.fill("#kb-404-q", "réciprocité")
        page.press("#kb-404-q", "Enter")
        page.wait_for_url("**/sous-chemin/rechercher/?q=*")
        page.go_back()
        link.click()
        page.wait_for_url("**/sous-chemin/cooperations/")
        assert page.locator("article h1").inner_text() == "Toutes les coopérations"
    finally:
        context.close()


FOCUS_VISIBLE = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const r = e.getBoundingClientRect();
  const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth;
  return {tag: e.tagName, id: e.id, text: (e.textContent || '').trim().slice(0, 40),
          visible: (outline || s.boxShadow !== 'none') && onScreen && getComputedStyle(e).visibility !== 'hidden'};
}"""


def test_keyboard_only_walk_through_the_explorer_on_a_phone(pages_at, served_fixture_site):
    """Skip link, search box, « Filtrer (n) », a facet value, « Voir les n résultats », then
    Back undoes the filter; every focused control shows its focus."""
    from urllib.parse import parse_qs, urlparse

    page = pages_at(390)
    page.goto(served_fixture_site.url + "explorer/cooperations/")
    page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'")
    total = len(GRAPH.cooperations)

    def tab(until, limit=12, key="Tab"):
        for _ in range(limit):
            page.keyboard.press(key)
            focused = page.evaluate(FOCUS_VISIBLE)
            assert focused["visible"], focused
            if until(focused):
                return focused
        raise AssertionError(f"not reached in {limit} presses of Tab")

    # a few presses to the skip link, which leads to the results
    tab(lambda f: f["text"] == "Aller aux résultats", limit=8)  # past « ma commune » too
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "kb-resultats"
    # the first result is the next stop
    tab(lambda f: f["tag"] in ("A", "BUTTON"), limit=1)
    # back up to the controls: « Filtrer (0) », the search box
    tab(lambda f: f["id"] == "kb-explorer-q", limit=6, key="Shift+Tab")
    toggle = tab(lambda f: f["text"].startswith("Filtrer"), limit=1)
    assert toggle["text"] == "Filtrer (0)"
    assert page.get_attribute(".kb-explorer__toggle", "aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert page.get_attribute(".kb-explorer__toggle", "aria-expanded") == "true"
    focused = page.evaluate(FOCUS_VISIBLE)
    assert focused["tag"] == "INPUT" and focused["visible"]  # the first value of the first facet
    facet, value = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    expected = sum(1 for c in GRAPH.cooperations.values() if value in c.terms(facet))
    page.keyboard.press("Space")
    page.wait_for_function("n => document.querySelector('[data-kb-status]').textContent.startsWith(n + ' ')",
                           arg=str(expected))
    assert parse_qs(urlparse(page.url).query) == {facet: [value]}
    assert page.inner_text(".kb-explorer__toggle") == "Filtrer (1)"
    # the state is announced: a polite live region
    assert page.get_attribute("[data-kb-status]", "role") == "status"
    show = tab(lambda f: f["text"].startswith("Voir"), limit=60)
    assert str(expected) in show["text"] or expected == 1
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "kb-resultats"
    assert page.get_attribute(".kb-explorer__toggle", "aria-expanded") == "false"
    # Back undoes the filter, and stays on the explorer
    page.go_back()
    page.wait_for_function("n => document.querySelector('[data-kb-status]').textContent.startsWith(n + ' ')",
                           arg=str(total))
    assert urlparse(page.url).path.endswith("/explorer/cooperations/") and urlparse(page.url).query == ""
    assert not page.is_checked(f"#kb-f-{facet}-{value}")


def test_relative_date_is_computed_in_the_browser(pages_at, served_fixture_site):
    from datetime import date

    from kb.render.freshness import ago

    page = pages_at(390)
    for cid, coop in GRAPH.cooperations.items():
        page.goto(served_fixture_site.url + f"cooperations/{cid}/")
        shown = page.inner_text("dd.kb-freshness .kb-ago")
        assert shown.strip() == f"({ago(coop.date_revue or coop.date_ajout, date.today())})"


def test_explorer_rows_come_from_its_data_file_a_page_at_a_time(pages_at, served_fixture_site):
    """At scale the page holds only its first rows: the others come from explorer/cooperations.json,
    shown a page at a time (here a page of 2, set before the script runs)."""
    page = pages_at(1280)
    page.add_init_script("""new MutationObserver((_, observer) => {
        const root = document.querySelector('[data-kb-explorer]');
        if (root) { root.dataset.kbPageSize = '2'; observer.disconnect(); }
    }).observe(document, {childList: true, subtree: true});""")
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(served_fixture_site.url + "explorer/cooperations/")
    page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'")
    assert any(u.endswith("explorer/cooperations.json") for u in fetched)
    rows = ".kb-explorer__results tbody tr"
    titles = list(GRAPH.cooperations)
    assert page.eval_on_selector_all(rows, "rs => rs.map(r => r.dataset.id)") == titles[:2]
    more = page.locator(".kb-explorer__more")
    assert more.inner_text() == f"Afficher plus de résultats ({len(titles) - 2} autres)"
    more.click()
    assert page.eval_on_selector_all(rows, "rs => rs.map(r => r.dataset.id)") == titles[:4]
    # a row made from the data file is the row the build writes: title link, partners, themes, year
    built = page.locator(rows).nth(3)
    coop = GRAPH.cooperations[titles[3]]
    assert built.locator("a").first.inner_text() == coop.titre
    assert built.locator("a").first.get_attribute("href").endswith(f"cooperations/{coop.id}/")
    assert coop.territoires[0].nom in built.inner_text()
