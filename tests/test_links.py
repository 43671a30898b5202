"""Zero broken internal links and anchors, checked by a third-party tool.

The build is already strict (MkDocs validation of links and anchors, as
warnings that stop it). On top of that, LinkChecker crawls the built site over
HTTP from the home page, follows every internal link and checks every #anchor
(AnchorCheck plugin): the fixture site and the real content/ site. External
links are not fetched (no network in tests).
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from kb.infra.localsite import LocalServer

# LinkChecker refuses to run as root without dropping privileges to "nobody", who
# cannot read this virtual environment; in containers and CI we do run as root.
_RUNNER = """
import sys
import linkcheck.command.linkchecker as lc
lc.drop_privileges = lambda: None
sys.exit(lc.linkchecker())
"""
_CONFIG = """
[checking]
maxrequestspersecond=1000
threads=8
[filtering]
checkextern=0
[output]
status=0
[AnchorCheck]
"""


def linkcheck(site: Path, tmp_path: Path) -> tuple[list[dict], int]:
    """Problems (errors and warnings) LinkChecker finds on the site, and the number of URLs it checked."""
    config = tmp_path / "linkcheckerrc"
    config.write_text(_CONFIG)
    # the header lets LinkChecker go beyond its 10-requests-a-second politeness limit
    with LocalServer(site, headers={"LinkChecker": "local"}) as server:
        result = subprocess.run([sys.executable, "-c", _RUNNER, "-f", str(config), "--no-status",
                                 "-o", "csv", "--verbose", "--no-robots", server.url],
                                capture_output=True, text=True, timeout=900, cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    assert rows, f"LinkChecker n'a rien vérifié :\n{result.stdout}\n{result.stderr}"
    assert "internal error" not in result.stderr, result.stderr
    problems = [r for r in rows if r["valid"] != "True" or r["warningstring"]]
    return problems, len(rows)


def _report(problems: list[dict]) -> str:
    return "\n".join(f"{p['url']} (depuis {p['parentname']}, ligne {p['line']}) : {p['result']} "
                     f"{p['warningstring']}" for p in problems)


def test_linkchecker_finds_broken_links_and_anchors(tmp_path):
    """The checker, configured this way, does catch a missing page and a missing anchor."""
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "index.html").write_text('<!doctype html><html><body><a href="b/">b</a> <a href="b/#absente">ancre</a>'
                                     ' <a href="manquante/">page</a> <a href="https://example.org/">ext</a>'
                                     '</body></html>')
    (site / "b" / "index.html").write_text('<!doctype html><html><body><h2 id="la">x</h2></body></html>')
    problems, _ = linkcheck(site, tmp_path)
    text = _report(problems)
    assert "manquante" in text and "absente" in text and "example.org" not in text, text


def test_fixture_site_has_no_broken_link(fixture_site, tmp_path):
    problems, checked = linkcheck(fixture_site.root, tmp_path)
    pages = len(list(fixture_site.root.rglob("index.html")))
    assert checked >= pages, (checked, pages)  # the crawl reached every page at least
    assert problems == [], _report(problems)


@pytest.fixture(scope="module")
def content_site(content_build):
    """The real content/ folder, built by `python -m kb build` on a copy of the project (conftest)."""
    return content_build.site


def test_content_site_has_no_broken_link(content_site, tmp_path):
    problems, checked = linkcheck(content_site, tmp_path)
    pages = len(list(content_site.rglob("index.html")))
    assert checked >= pages, (checked, pages)
    assert problems == [], _report(problems)
