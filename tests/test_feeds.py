"""RSS and Atom feeds of new and revised cases: valid, escaped, linked from every page."""
from __future__ import annotations

import posixpath
from datetime import date
from urllib.parse import urljoin, urlparse

import feedparser
from bs4 import BeautifulSoup
import pytest

from conftest import FIXTURES, load
from kb.publish import feeds
from kb.graph.build import build_graph

CONTENT = load(FIXTURES)
GRAPH = build_graph(CONTENT)
FEED_FILES = [(spec, fmt) for spec in feeds.FEEDS for fmt in ("rss", "atom")]


def expected(spec) -> list[tuple[str, str]]:
    """(title, date) of the entries a feed must carry, from the fixture files, newest first."""
    rows = []
    for records in (CONTENT.cooperations, CONTENT.recommendations):
        for record in records.values():
            value = getattr(record, spec.date_field)
            if value:
                rows.append((value, record.kind, record.id, record.titre))
    rows.sort(key=lambda r: (-date.fromisoformat(r[0]).toordinal(), r[1], r[2]))
    return [(title, day) for day, _, _, title in rows[:feeds.MAX_ENTRIES]]


def shown(detail) -> str:
    """The text a feed reader shows for a feedparser text construct (HTML is rendered)."""
    if detail.type == "text/html":
        return BeautifulSoup(detail.value, "html.parser").get_text()
    return detail.value


def site_url(path: str) -> str:
    return "http://site.test/" + path


def built_page(site, absolute: str):
    """Built file behind an absolute URL of the fake site root http://site.test/."""
    path = urlparse(absolute).path.lstrip("/")
    return site.root / path / "index.html" if path.endswith("/") or not path else site.root / path


@pytest.mark.parametrize("spec,fmt", FEED_FILES, ids=[f"{s.name}-{f}" for s, f in FEED_FILES])
def test_feed_is_valid_and_carries_the_expected_entries(fixture_site, spec, fmt):
    path = spec.rss_path if fmt == "rss" else spec.atom_path
    data = (fixture_site.root / path).read_bytes()
    parsed = feedparser.parse(data, response_headers={
        "content-location": site_url(path), "content-type": f"application/{fmt}+xml; charset=utf-8"})
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if fmt == "rss" else "atom10")
    wanted = expected(spec)
    assert wanted, f"the fixtures need at least one {spec.date_field}"
    assert [shown(e.title_detail) for e in parsed.entries] == [title for title, _ in wanted]
    assert [date(*e.published_parsed[:3] if fmt == "rss" else e.updated_parsed[:3]).isoformat()
            for e in parsed.entries] == [day for _, day in wanted]
    for entry in parsed.entries:
        target = built_page(fixture_site, entry.link)
        assert target.exists(), entry.link
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def no_element(detail) -> bool:
    """A feed reader renders text/html: it must not hold any element."""
    return detail.type != "text/html" or BeautifulSoup(detail.value, "html.parser").find() is None


def test_titles_are_escaped_and_round_trip():
    """A title or summary with markup characters stays text in both formats: a feed reader
    (feedparser) shows the characters typed and finds no element to render."""
    coop = next(iter(CONTENT.cooperations.values()))
    original = coop.titre, coop.resume
    try:
        coop.titre = 'Ville <b>A</b> & "Pays" B ]]> </title><script>x</script> R&amp;D'
        coop.resume = 'Résumé <i>x</i> <img src=x onerror=alert(1)> &lt;'
        graph = build_graph(CONTENT)
        for spec in feeds.FEEDS:
            for data in (feeds.rss(graph, spec, "Site & <co>"), feeds.atom(graph, spec, "Site & <co>")):
                assert b"<script>" not in data and b"<b>" not in data
                parsed = feedparser.parse(data)
                assert parsed.bozo == 0
                assert shown(parsed.feed.title_detail).startswith("Site & <co>")
                assert no_element(parsed.feed.title_detail)
                for entry in parsed.entries:
                    assert no_element(entry.title_detail) and no_element(entry.summary_detail), entry
                if spec.date_field == "date_ajout" or coop.date_revue:
                    assert coop.titre in [shown(e.title_detail) for e in parsed.entries]
                    assert coop.resume in [shown(e.summary_detail) for e in parsed.entries]
    finally:
        coop.titre, coop.resume = original


def test_feeds_are_absolute_with_a_site_url():
    # (reproducibility: two builds in separate processes, tests/test_reproducible.py)
    assert feeds.paths() == list(feeds.files(GRAPH, "Site"))
    spec = feeds.FEEDS[0]
    parsed = feedparser.parse(feeds.atom(GRAPH, spec, "Site", "https://exemple.fr/base/"))
    assert all(e.link.startswith("https://exemple.fr/base/") for e in parsed.entries)
    assert parsed.feed.links[0].href == "https://exemple.fr/base/" + spec.atom_path


def test_every_page_head_links_the_four_feeds(fixture_site):
    wanted = {spec.rss_path for spec in feeds.FEEDS} | {spec.atom_path for spec in feeds.FEEDS}
    pages = list(fixture_site.root.rglob("*.html"))
    assert len(pages) > 20
    for html_file in pages:
        if html_file.parent.name == "admin":
            continue
        soup = fixture_site.soup(html_file.relative_to(fixture_site.root).as_posix())
        links = soup.head.select('link[rel="alternate"]')
        here = "/" + html_file.parent.relative_to(fixture_site.root).as_posix()
        found = {posixpath.normpath(posixpath.join(here, link["href"])).lstrip("/") for link in links
                 if link.get("type") in ("application/rss+xml", "application/atom+xml")}
        assert found == wanted, html_file


def test_feed_links_cost_no_failed_request(chromium, served_fixture_site):
    """Material fetches sitemap.xml next to every rel=alternate target: the feeds must not
    make a page view request files that do not exist."""
    page = chromium.new_page()
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    page.on("requestfailed", lambda r: failed.append(("failed", r.url)))
    cid = next(iter(GRAPH.cooperations))
    page.goto(urljoin(served_fixture_site.url, f"cooperations/{cid}/"))
    page.wait_for_load_state("networkidle")
    page.close()
    assert failed == []
