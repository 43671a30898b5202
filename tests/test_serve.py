"""`make serve` runs `mkdocs serve --strict`: the live preview serves the site, its search
works (the Pagefind index is part of every build), and an edit shows up everywhere a full
build would show it: after an edit of a text, a title change and a new file, the case's
page, every page that lists it (found by reading every page of the sitemap) and the
search results reflect it (the rebuilds reuse what earlier builds computed: kb.assemble.memo)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import re
import time
import urllib.request
from urllib.parse import quote, urlsplit

import pytest

from conftest import FIXTURES
from project_copy import make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc, predicate, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                html = response.read().decode("utf-8")
                if predicate(html):
                    return html
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url}: never as expected; the server said:\n" + proc.log.read_text(encoding="utf-8")[-5000:])


def _search(page, base: str, query: str) -> list[str]:
    page.goto(f"{base}/rechercher/?q={quote(query)}")
    page.wait_for_function("q => { const r = document.querySelector('[data-kb-search]');"
                           " return r.dataset.kbQuery === q && r.dataset.kbState === 'done'; }", arg=query,
                           timeout=30000)
    return [a.inner_text() for a in page.locator(".kb-search__result > a").all()]


def _search_after_reload(page, base: str, query: str, title: str | None = None) -> bool:
    """Whether a search for ``query`` finds ``title`` (by default ``query``) in a result title. The preview reloads the open page
    when a rebuild ends (its search index written last): a navigation that reload
    interrupts, or a page the server holds back while it rebuilds, is one more try, not a
    failure (the caller's deadline still bounds the wait)."""
    from playwright.sync_api import Error

    try:
        return any((title or query) in t for t in _search(page, base, query))
    except Error as error:
        if any(reason in str(error) for reason in ("ERR_ABORTED", "interrupted by another navigation",
                                                   "context was destroyed", "Timeout")):
            return False
        raise


@pytest.fixture
def preview(tmp_path):
    """`mkdocs serve --strict --dirty` (what `make serve` runs) on a copy of the project."""
    config = make_project(tmp_path / "project", FIXTURES)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tmp_path / "serve.log"  # a file, not a pipe nobody reads (a full pipe would stop the server)
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--dirty", "-f", str(config),
                                 "-a", f"127.0.0.1:{port}"], cwd=config.parent, env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    proc.log = log
    try:
        yield config.parent, f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_make_serve_runs_the_strict_live_preview():
    makefile = (FIXTURES.parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "\t$(VENV)/bin/mkdocs serve --strict --dirty\n" in makefile


def test_search_works_in_the_live_preview_and_follows_an_edit(preview, chromium):
    project, base, proc = preview
    _wait_for(f"{base}/cooperations/", proc, lambda html: "Monts de Lacaune" in html)
    with urllib.request.urlopen(f"{base}/pagefind/pagefind.js", timeout=10) as response:
        assert response.status == 200
    page = chromium.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        assert any("Monts de Lacaune" in t for t in _search(page, base, "Lacaune"))
        assert "La recherche n'a pas pu être chargée" not in page.content()

        case = project / "content" / "cooperations" / "montpellier-lacaune.md"
        text = case.read_text(encoding="utf-8")
        old = "titre: Contrat de réciprocité Montpellier – Monts de Lacaune"
        assert old in text
        case.write_text(text.replace(old, "titre: Contrat ville-montagne Montpellier – Zorglub"), encoding="utf-8")
        for url in (f"{base}/cooperations/montpellier-lacaune/", f"{base}/cooperations/"):
            html = _wait_for(url, proc, lambda html: "Contrat ville-montagne Montpellier" in html)
            assert "Contrat de réciprocité Montpellier – Monts de Lacaune" not in html
        deadline = time.monotonic() + 150
        while not _search_after_reload(page, base, "Zorglub"):
            assert time.monotonic() < deadline, "the search index of the preview never showed the edit"
            time.sleep(1)
    finally:
        page.close()
    assert errors == []


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def _every_page(base: str) -> dict[str, str]:
    """Every page of the preview's sitemap, with its HTML."""
    sitemap = _get(f"{base}/sitemap.xml")
    urls = [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(urls) > 50, sitemap[:500]
    return {path: _get(base + path) for path in urls}


def _search_finds(page, base: str, query: str, title: str, seconds: float = 150) -> None:
    deadline = time.monotonic() + seconds
    while not _search_after_reload(page, base, query, title):
        assert time.monotonic() < deadline, f"search for {query!r} never found {title!r}"
        time.sleep(0.5)


def test_an_edit_a_title_change_and_a_new_file_show_everywhere(preview, chromium):
    project, base, proc = preview
    cases = project / "content" / "cooperations"
    case = cases / "montpellier-lacaune.md"
    fiche = f"{base}/cooperations/montpellier-lacaune/"
    old_title = "Contrat de réciprocité Montpellier – Monts de Lacaune"
    _wait_for(fiche, proc, lambda html: old_title in html)
    listing = [path for path, html in _every_page(base).items()
               if old_title in html and path != "/cooperations/montpellier-lacaune/"]
    assert "/cooperations/" in listing and "/themes/foret-bois/" in listing and len(listing) > 10
    page = chromium.new_page()
    try:
        # 1. an edit of the text
        text = case.read_text(encoding="utf-8")
        case.write_text(text + "\nLes chaufferies accueillent aussi l'ornithorynque forestier.\n", encoding="utf-8")
        _wait_for(fiche, proc, lambda html: "ornithorynque forestier" in html)
        _search_finds(page, base, "ornithorynque", old_title)

        # 2. a title change: the case's page, every page that listed it, the explorer's rows
        new_title = "Contrat ville-montagne Montpellier – Zorglub"
        case.write_text(case.read_text(encoding="utf-8").replace(f"titre: {old_title}", f"titre: {new_title}"),
                        encoding="utf-8")
        _wait_for(fiche, proc, lambda html: new_title in html)
        pages = _every_page(base)
        stale = [path for path, html in pages.items() if old_title in html]
        assert stale == []
        missing = [path for path in listing if new_title not in pages[path]]
        assert missing == []
        assert new_title in _get(f"{base}/explorer/cooperations.json")
        _search_finds(page, base, "Zorglub", new_title)

        # 3. a new file: its page, the lists of its themes, the search
        added = "Coopération bois-énergie Wombatière"
        (cases / "wombatiere.md").write_text(
            text.replace(f"titre: {old_title}", f"titre: {added}"), encoding="utf-8")
        _wait_for(f"{base}/cooperations/wombatiere/", proc, lambda html: added in html)
        for path in ("/cooperations/", "/themes/foret-bois/", "/themes/energie/"):
            assert added in _get(base + path), path
        _search_finds(page, base, "Wombatière", added)
    finally:
        page.close()


def test_a_change_of_data_alone_reaches_pages_whose_markdown_did_not_change(preview):
    """The preview converts only the pages whose Markdown changed (kb.assemble.preview), and
    watches data/: a glossary edit changes no fiche's Markdown, yet every page that uses the
    acronym must explain it the new way, as a full build would."""
    project, base, proc = preview
    fiche = f"{base}/cooperations/montpellier-lacaune/"
    _wait_for(fiche, proc, lambda html: "Monts de Lacaune" in html)
    glossary = project / "data" / "glossaire.yml"
    original = glossary.read_text(encoding="utf-8")
    case = project / "content" / "cooperations" / "montpellier-lacaune.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nLe ZGB suit les chaufferies.\n", encoding="utf-8")
    glossary.write_text(original + "ZGB:\n  forme: Zone de grande bienveillance\n", encoding="utf-8")
    _wait_for(fiche, proc, lambda html: 'title="Zone de grande bienveillance"' in html)
    glossary.write_text(original + "ZGB:\n  forme: Zone de grande bricole\n", encoding="utf-8")
    html = _wait_for(fiche, proc, lambda html: 'title="Zone de grande bricole"' in html, seconds=60)
    assert "bienveillance" not in html
