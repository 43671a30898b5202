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
