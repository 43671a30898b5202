"""`make serve` runs `mkdocs serve --strict`: the live preview serves the site, its search
works (the Pagefind index is part of every build), and an edit shows up, in search too."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

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
    raise AssertionError(proc.stdout.read() if proc.poll() is not None else f"{url}: never as expected")


def _search(page, base: str, query: str) -> list[str]:
    page.goto(f"{base}/rechercher/?q={quote(query)}")
    page.wait_for_function("q => { const r = document.querySelector('[data-kb-search]');"
                           " return r.dataset.kbQuery === q && r.dataset.kbState === 'done'; }", arg=query,
                           timeout=30000)
    return [a.inner_text() for a in page.locator(".kb-search__result > a").all()]


def _search_after_reload(page, base: str, query: str) -> bool:
    """Whether a search finds ``query`` in a result title. The preview reloads the open page
    when a rebuild ends (its search index written last): a navigation that reload
    interrupts, or a page the server holds back while it rebuilds, is one more try, not a
    failure (the caller's deadline still bounds the wait)."""
    from playwright.sync_api import Error

    try:
        return any(query in t for t in _search(page, base, query))
    except Error as error:
        if any(reason in str(error) for reason in ("ERR_ABORTED", "interrupted by another navigation",
                                                   "context was destroyed", "Timeout")):
            return False
        raise


@pytest.fixture
def preview(tmp_path):
    """`mkdocs serve --strict` (what `make serve` runs) on a copy of the project."""
    config = make_project(tmp_path / "project", FIXTURES)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "-f", str(config),
                             "-a", f"127.0.0.1:{port}"], cwd=config.parent, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield config.parent, f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_make_serve_runs_the_strict_live_preview():
    makefile = (FIXTURES.parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "\t$(VENV)/bin/mkdocs serve --strict\n" in makefile


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
