"""Privacy: viewing the site makes no request to any other host.

Every HTML page of the fixture site is opened in headless Chromium (the
`watched_page` fixture records every request); pages that fetch on use (search,
catalogue filters) are also exercised. Any request to a host other than the
local server fails the test: no web font, CDN, analytics, map tiles or remote
image. The built HTML is also read for absolute URLs in attributes that load
something (src, stylesheet, preload…), which a browser would fetch.
"""
from __future__ import annotations

import re

import pytest

from bs4 import BeautifulSoup

from kb.publish.sanitize import is_local_url, sanitize_html


def _pages(site):
    return sorted(p.relative_to(site.root).as_posix() for p in site.root.rglob("*.html")
                  if p.relative_to(site.root).parts[0] not in ("pagefind", "assets"))


TABS = 4  # pages loading at the same time, each in a tab of its own


def test_no_page_loads_anything_from_another_host(watched_page, fixture_site):
    from conftest import PageWatch

    page = watched_page.page
    pages = _pages(fixture_site)
    assert len(pages) > 20
    # more tabs of the same browser, each recording its requests as watched_page does
    watches = [watched_page] + [PageWatch(page.context.new_page(), watched_page.url) for _ in range(TABS - 1)]
    # the first page of each section waits until the network is idle (requests made by
    # scripts after loading); the others, built from the same template, until "load"
    visits, sections = [], set()
    for rel in pages:
        section = rel.split("/")[0] if "/" in rel else rel
        visits.append((rel, "load" if section in sections else "networkidle"))
        sections.add(section)
    # those that wait for an idle network first, together: their waits overlap
    visits.sort(key=lambda visit: visit[1] != "networkidle")
    visited = 0
    for start in range(0, len(visits), TABS):
        batch = list(zip(watches, visits[start:start + TABS]))
        for watch, (rel, _) in batch:
            watch.page.goto(watched_page.url + rel.removesuffix("index.html"), wait_until="commit")
        for watch, (_, state) in batch:  # the tabs load at the same time; each is waited for in turn
            watch.page.wait_for_load_state(state)
            visited += 1
    # pages that load more when used
    page.goto(watched_page.url + "rechercher/?q=coopération", wait_until="networkidle")
    # the search has run and shown its results (each result's excerpt fetched): the event
    # itself, not a fixed delay that a slow machine could outlast
    page.wait_for_function("() => document.querySelector('[data-kb-search]').dataset.kbState === 'done'")
    assert page.locator(".kb-search__result").count() > 0
    assert visited == len(pages)
    requests = [u for watch in watches for u in watch.requests]
    local = [u for u in requests if u.startswith(watched_page.url)]
    assert len(local) >= len(pages)  # the recorders did see the requests
    assert any("pagefind" in u for u in local)  # the search index was fetched, locally
    assert [u for watch in watches for u in watch.foreign_requests()] == []


def test_the_request_recorder_sees_foreign_requests(watched_page):
    """The check is live: a page that asks for a remote image is caught."""
    page = watched_page.page
    page.goto(watched_page.url, wait_until="load")
    with page.expect_request(lambda request: "example.invalid" in request.url):  # waits for the request itself
        page.evaluate("() => { const i = new Image(); i.src = 'https://example.invalid/pixel.png'; "
                      "document.body.append(i); }")
    assert any("example.invalid" in u for u in watched_page.foreign_requests())


LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src",
           "embed": "src", "object": "data", "image": "href", "use": "href"}


def test_no_page_references_a_remote_resource(fixture_site):
    """Statically too: no tag that loads something points to another host (links to read are fine)."""
    found = []
    for rel in _pages(fixture_site):
        soup = BeautifulSoup((fixture_site.root / rel).read_text(encoding="utf-8"), "lxml")
        for tag, attr in LOADING.items():
            for el in soup.find_all(tag):
                value = el.get(attr) or el.get("xlink:href") or ""
                if value and not is_local_url(value):
                    found.append(f"{rel}: <{tag} {attr}={value}>")
        for el in soup.find_all("link", href=True):
            rels = set(el.get("rel") or [])
            if rels & {"stylesheet", "preload", "prefetch", "preconnect", "dns-prefetch", "icon", "modulepreload",
                       "manifest"} and not is_local_url(el["href"]):
                found.append(f"{rel}: <link rel={' '.join(rels)} href={el['href']}>")
        for el in soup.find_all(style=True):
            if re.search(r"url\(\s*['\"]?(?:[a-z]+:)?//", el["style"], re.I):
                found.append(f"{rel}: style={el['style']}")
    assert found == []


@pytest.mark.parametrize("src", [
    "https://e.example/p.png", "//e.example/p.png", " http://e.example/p.png", "&#32;https://e.example/p.png",
    "\thttp://e.example/p.png", "ht\ttps://e.example/p.png", "/\\e.example/p.png", "\\\\e.example/p.png",
    "HTTPS://e.example/p.png", "&#x01;//e.example/p.png"])
def test_an_image_from_another_host_is_dropped_however_its_address_is_written(src):
    """Browsers drop surrounding spaces and controls, tabs and newlines anywhere, and read \\ as /:
    every spelling of a foreign address loses its src."""
    out = sanitize_html(f'<p><img src="{src}" alt="x"></p>')
    assert "src=" not in out and 'alt="x"' in out


@pytest.mark.parametrize("src", ["images/carte.png", "/assets/a.png", "../a.png", "a.png?x=//y", "#"])
def test_a_local_image_is_kept(src):
    assert is_local_url(src)
    assert f'src="{src}"' in sanitize_html(f'<img src="{src}">')
