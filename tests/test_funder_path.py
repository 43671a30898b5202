"""The funder's path on a phone (issue 21, item 6), on the real content: the home page links
each audience straight to its « arrêter / commencer » table and its recommendations; each
audience page opens with jump links to them, to ids set by the template; an acronym's
expansion shows on a tap, not only on hover."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from kb.infra.localsite import LocalServer


def _soup(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def _target(site, page_path: str, href: str):
    """The element an in-site link with a fragment points to."""
    url = urljoin("http://x/" + page_path + "/", href)
    parts = urlsplit(url)
    assert parts.fragment, href
    soup = _soup(site, parts.path.strip("/"))
    return soup.find(id=parts.fragment)


def test_home_links_each_audience_to_its_table_and_recommendations(content_build):
    site = content_build.site
    home = (site / "index.html").read_text(encoding="utf-8")
    links = BeautifulSoup(home, "lxml").select("article a[href*='publics/financeurs']")
    fragments = {urlsplit(a["href"]).fragment for a in links}
    assert "arreter-commencer" in fragments, fragments
    assert fragments & {"essentiel", "recommandations"}, fragments
    for a in links:
        if urlsplit(a["href"]).fragment:
            target = _target(site, "", a["href"])
            assert target is not None, a["href"]
    table = _target(site, "", next(a["href"] for a in links if a["href"].endswith("#arreter-commencer")))
    assert table.name == "h2" and "arrêter" in table.get_text()
    assert table.find_next("table", class_="kb-stop-start") is not None


def test_audience_pages_open_with_jump_links(content_build):
    site = content_build.site
    for audience in ("financeurs", "elus"):
        soup = _soup(site, f"publics/{audience}")
        jump = soup.select_one("article nav.kb-jump")
        assert jump is not None, audience
        # before the first section of the page
        first_h2 = soup.select_one("article h2")
        assert first_h2 in jump.find_all_next("h2")
        hrefs = [a["href"] for a in jump.select("a")]
        assert "#arreter-commencer" in hrefs, hrefs
        for href in hrefs:
            assert href.startswith("#") and soup.find(id=href[1:]) is not None, (audience, href)


def test_a_tap_on_an_acronym_shows_its_expansion_on_a_phone(chromium, content_build):
    site = content_build.site
    with LocalServer(site) as server:
        context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844},
                                       has_touch=True, is_mobile=True)
        page = context.new_page()
        try:
            page.goto(server.url + "publics/financeurs/")
            abbr = page.locator("article abbr[title]").first
            title = abbr.get_attribute("title")
            assert title
            abbr.scroll_into_view_if_needed()
            abbr.tap()
            tip = page.get_by_text(title, exact=True)
            tip.wait_for(state="visible", timeout=3000)
            box, width = tip.bounding_box(), page.evaluate("document.documentElement.clientWidth")
            assert 0 <= box["x"] and box["x"] + box["width"] <= width, (box, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            # read once by a screen reader: the bubble is hidden from assistive technology
            assert tip.get_attribute("aria-hidden") == "true"
            # closed by a tap elsewhere
            page.locator("article h1").tap()
            tip.wait_for(state="hidden", timeout=3000)
            # and reachable by keyboard
            abbr.focus()
            assert page.get_by_text(title, exact=True).is_visible()
        finally:
            context.close()


def test_an_acronym_is_explained_outside_links_where_a_tap_can_show_it():
    from kb.render.glossary import Entry, explain_first_uses

    entries = (Entry("SEM", "Société d'économie mixte"),)
    out = explain_first_uses('<p><a href="x/">La SEM du Mené</a> ; une SEM locale.</p>', entries)
    assert out == ('<p><a href="x/">La SEM du Mené</a> ; une '
                   '<abbr title="Société d&#x27;économie mixte">SEM</abbr> locale.</p>')
