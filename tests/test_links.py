"""Zero broken internal links and anchors, on the fixture site and on the real content/ site.

The build is already strict (MkDocs validation of links and anchors, as warnings that
stop it). On top of that, the built site is crawled from the home page
(tests/site_links.py): every internal URL any page names (links, images, scripts,
stylesheets, srcset, style url()…) must lead to a file that is not empty, and every
#anchor to an element of the target page. External links are not followed (no network
in tests). The crawler does what LinkChecker does with its AnchorCheck plugin, reading
the files instead of fetching them: the first test runs both on a small site that has
every kind of break and checks that they find the same ones.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from kb.infra.localsite import LocalServer
from site_links import SiteLinks

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


def linkchecker_problems(site: Path, tmp_path: Path) -> set[str]:
    """The URLs (path and #anchor) LinkChecker finds broken (error or warning) on the site, over HTTP."""
    config = tmp_path / "linkcheckerrc"
    config.write_text(_CONFIG)
    # the header lets LinkChecker go beyond its 10-requests-a-second politeness limit
    with LocalServer(site, headers={"LinkChecker": "local"}) as server:
        result = subprocess.run([sys.executable, "-c", _RUNNER, "-f", str(config), "--no-status",
                                 "-o", "csv", "--verbose", "--no-robots", server.url],
                                capture_output=True, text=True, timeout=300, cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    assert rows, f"LinkChecker n'a rien vérifié :\n{result.stdout}\n{result.stderr}"
    assert "internal error" not in result.stderr, result.stderr
    return {_local(r["url"]) for r in rows if r["valid"] != "True" or r["warningstring"]}


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def crawl(site: Path) -> SiteLinks:
    crawler = SiteLinks(site)
    crawler.check()
    return crawler


def _report(crawler: SiteLinks) -> str:
    return "\n".join(map(str, crawler.problems))


BROKEN_SITE = {
    "index.html": '<!doctype html><html><head><link rel="stylesheet" href="style.css">'
                  '<link rel="icon" href="absente.png"></head><body>'
                  '<a href="b/">b</a> <a href="b/#absente">ancre</a> <a href="b/#la">bonne ancre</a>'
                  ' <a href="b/#nom">ancre par name</a> <a href="b/#%C3%A9t%C3%A9">ancre encodée</a>'
                  ' <a href="manquante/">page</a> <a href="https://example.org/">ext</a>'
                  ' <a href="mailto:x@example.org">courriel</a> <a href="#haut">même page</a>'
                  ' <img src="images/absente.png" alt=""> <img src="images/la.png" alt="">'
                  ' <img srcset="images/la.png 1x, images/grande.png 2x" alt="">'
                  ' <script src="js/absent.js"></script> <div style="background: url(\'images/fond.png\')"></div>'
                  ' <a href="vide.html">vide</a> <a href="c">dossier sans barre</a></body></html>',
    "style.css": "body { background: url(images/police.woff2) } /* url(images/commentaire.png) */",
    "images/la.png": "png",
    "vide.html": "",
    "b/index.html": '<!doctype html><html><body><h2 id="la">x</h2><a name="nom"></a><h2 id="été">y</h2>'
                    '<a href="../index.html#haut-absent">retour</a></body></html>',
    "c/index.html": '<!doctype html><html><body><a href="../b/#la">relative au dossier</a>'
                    '<a href="d.html">page voisine absente</a></body></html>',
}


def test_the_crawler_finds_what_linkchecker_finds(tmp_path):
    """Missing pages, anchors, images (src, srcset, style url()), scripts, icons, url() in a
    stylesheet, an empty page and a folder named without its final / are caught; links to other hosts are not followed; the two
    tools agree on this site."""
    site = tmp_path / "site"
    for name, text in BROKEN_SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "index.html").write_text(BROKEN_SITE["index.html"].replace('<a href="#haut">', '<a id="haut" href="#haut">'),
                                     encoding="utf-8")
    crawler = crawl(site)
    found = {_local(p.url) for p in crawler.problems}
    assert found == {"/b/#absente", "/manquante/", "/absente.png", "/images/absente.png", "/images/grande.png",
                     "/js/absent.js", "/images/fond.png", "/images/police.woff2", "/vide.html",
                     "/index.html#haut-absent", "/c/", "/c/d.html"}, _report(crawler)
    assert not any("example.org" in url for url in crawler.checked)
    assert {site / "index.html", site / "b" / "index.html", site / "c" / "index.html"} <= crawler.pages
    assert linkchecker_problems(site, tmp_path) == found


def test_fixture_site_has_no_broken_link(fixture_site):
    crawler = crawl(fixture_site.root)
    pages = len(list(fixture_site.root.rglob("index.html")))
    assert len(crawler.checked) >= pages and len(crawler.pages) >= pages - 1, (len(crawler.pages), pages)
    assert crawler.problems == [], _report(crawler)


def test_content_site_has_no_broken_link(content_build):
    """The real content/ folder, built by `python -m kb build` on a copy of the project (conftest)."""
    site = content_build.site
    crawler = crawl(site)
    pages = len(list(site.rglob("index.html")))
    assert len(crawler.checked) >= pages and len(crawler.pages) >= pages - 1, (len(crawler.pages), pages)
    assert crawler.problems == [], _report(crawler)
