"""The explorer on a phone, on the real content: after « Voir les n résultats », the count and
the sort buttons are on screen, not under Material's sticky header."""
from __future__ import annotations

from kb.infra.localsite import LocalServer


def test_count_and_sort_are_below_the_sticky_header_after_voir_les_resultats(chromium, content_build):
    with LocalServer(content_build.site) as server:
        context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        page = context.new_page()
        try:
            page.goto(server.url + "explorer/cooperations/")
            page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'")
            page.click(".kb-explorer__toggle")
            page.locator("fieldset[data-facet] input[type=checkbox]").first.check()
            page.click(".kb-explorer__show-button")
            page.wait_for_timeout(300)  # smooth scrolling, if any, ends
            where = page.evaluate("""(() => {
              const top = (s) => document.querySelector(s).getBoundingClientRect().top;
              return {header: document.querySelector('.md-header').getBoundingClientRect().bottom,
                      status: top('[data-kb-status]'), sort: top('[data-sort] button'), scrolled: scrollY}; })()""")
            assert where["scrolled"] > 0  # the results were below the facets: the page moved to them
            assert where["status"] >= where["header"] - 1, where
            assert where["header"] <= where["sort"] <= 844, where
        finally:
            context.close()


def test_at_scale_the_map_is_loaded_when_its_panel_opens(chromium, tmp_path_factory):
    """With more cases than the explorer lists in its page, the catalogue map (megabytes of SVG at
    5,000 cases) is a page of its own: the explorer's HTML holds a link to it, and the map is
    fetched, with working links, and filtered like the list, only when its panel opens."""
    import sys

    from bs4 import BeautifulSoup

    from conftest import ROOT
    from project_copy import kb_build, make_project

    sys.path.insert(0, str(ROOT / "scripts"))
    import bench

    work = tmp_path_factory.mktemp("explorer-at-scale")
    bench.generate_content(work / "content", 60)
    config = make_project(work / "project", work / "content")
    result = kb_build(config, work / "site", env={"KB_PARALLELE": "0"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = (work / "site" / "explorer" / "cooperations" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one("[data-kb-map-details] svg") is None
    link = soup.select_one("[data-kb-map-slot] a")
    assert link is not None and link["href"].rstrip("/").endswith("carte")
    assert (work / "site" / "explorer" / "cooperations" / "carte" / "index.html").exists()
    with LocalServer(work / "site") as server:
        context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        try:
            page.goto(server.url + "explorer/cooperations/")
            page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'")
            assert not any("/carte/" in u for u in fetched)  # a phone: nothing until the panel opens
            page.click("[data-kb-map-details] > summary")
            page.wait_for_selector("[data-kb-map-details] svg.kb-map__svg[data-kb-map-ready]")
            markers = page.locator("[data-kb-map-details] .kb-map__markers a")
            assert markers.count() > 10
            href = page.locator("[data-kb-map-details] .kb-map__list a").first.get_attribute("href")
            assert "/territoires/" in href or "/acteurs/" in href
            page.goto(href)
            assert page.locator("h1").count() == 1  # the link leads to a page of the site
            page.go_back()
            page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'")
            page.click("[data-kb-map-details] > summary")
            page.wait_for_selector("[data-kb-map-details] svg.kb-map__svg[data-kb-map-ready]")
            page.click(".kb-explorer__toggle")
            page.locator("fieldset[data-facet] input[type=checkbox]").first.check()
            off = page.locator("[data-kb-map-details] .kb-map__markers .kb-off, "
                               "[data-kb-map-details] .kb-map__markers a.kb-off").count()
            assert off > 0  # the map follows the filters
        finally:
            context.close()
