"""Full-text search index of the built site, with Pagefind (post-build step).

Pagefind (PyPI ``pagefind[bin]``, which ships the binary) indexes the built HTML:
it stems French, folds accents, and writes an index split into chunks that the
browser loads on demand, so one query downloads a small part of it.

Only the pages that are worth landing on are indexed (cases, recommendations,
sources, methods, territories, actors, audience pages and editorial pages), and only
their main text (listings of other cases inside a page are left out so that a
case is not found through its neighbours). Each indexed page gets two Pagefind
filters: ``type`` (shown as a facet on the search page) and, for a case or a
recommendation, its id (``coop`` or ``reco``), which lets the catalogue ask
Pagefind which cases match a query without downloading any result fragment.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..publish import decap as decap
from ..render import discovery as discovery
from ..publish import opendata as exports
from ..render import freshness as freshness
from ..render import sitemap as urls
from ..content.vocab import load_vocabularies

BUNDLE = "pagefind"
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = ["table.kb-coops", "ul.kb-recos", ".kb-map", ".headerlink", ".kb-noindex",
                     "[data-kb-explorer]"]

# first URL segment -> (type label, id filter name)
SECTIONS = {
    "cooperations": ("Coopération", "coop"),
    "recommandations": ("Recommandation", "reco"),
    "sources": ("Document source", None),
    "methode": ("Méthode", None),
    "territoires": ("Territoire", None),
    "acteurs": ("Acteur", None),
}
AUDIENCE_TYPE = "Public"
PAGE_TYPE = "Page"
# Territory and actor pages are indexed (only those of the partners of some case, a few
# dozen): they name the official name, type, département and région, so « Finistère » or
# « Brest métropole » find the place itself as well as its cases.
# generated pages that are listings or tools, never search results
# (a page can also opt out with an element marked data-kb-noindex in its article)
SKIPPED = {urls.page_url(p) for p in (
    urls.HOME, urls.STOP_START, urls.VOCABULARIES, discovery.SEARCH, discovery.EXPLORE_COOPERATIONS,
    discovery.EXPLORE_RECOMMENDATIONS, discovery.FIGURES, freshness.PAGE, exports.PAGE)} | {
    "404.html", f"{decap.FOLDER}/"}

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')


def page_kind(url: str) -> tuple[str, str | None, str] | None:
    """(type label, id filter name, id) for an indexed page URL ('cooperations/x/'), None if skipped."""
    if url in SKIPPED or any(url.startswith(s) for s in SKIPPED if s.endswith("/")) or url.startswith(
            BUNDLE + "/") or url.startswith("assets/"):
        return None
    parts = url.strip("/").split("/")
    if len(parts) == 1 and parts[0] in SECTIONS:
        return None  # a section's listing page
    if parts[0] in SECTIONS and len(parts) == 2:
        label, id_filter = SECTIONS[parts[0]]
        return label, id_filter, parts[1]
    vocab_paths = {v.path: name for name, v in load_vocabularies().items()}
    if parts[0] in vocab_paths:
        if vocab_paths[parts[0]] == "audiences" and len(parts) == 2:
            return AUDIENCE_TYPE, None, parts[1]
        return None  # vocabulary and term pages are listings
    return PAGE_TYPE, None, parts[-1]


def prepare(page_html: str, kind: tuple[str, str | None, str]) -> str | None:
    """The page's HTML with its filters marked for Pagefind; None when it has no main article."""
    match = _ARTICLE.search(page_html)
    if not match or "data-kb-noindex" in page_html:
        return None
    label, id_filter, ident = kind
    marks = f'<span data-pagefind-filter="type:{html.escape(label)}"></span>'
    if id_filter:
        marks += f'<span data-pagefind-filter="{id_filter}:{html.escape(ident)}"></span>'
    return page_html[:match.end()] + marks + page_html[match.end():]


def pages_to_index(site_dir: Path):
    """(url, html) of every page to index, in a stable order."""
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        kind = page_kind(url)
        if kind is None:
            continue
        prepared = prepare(path.read_text(encoding="utf-8"), kind)
        if prepared is not None:
            yield url, prepared


def _index(site_dir: Path) -> int:
    out = (Path(site_dir) / BUNDLE).resolve()  # Pagefind resolves relative paths elsewhere
    shutil.rmtree(out, ignore_errors=True)
    config = {"root_selector": ROOT_SELECTOR, "exclude_selectors": EXCLUDE_SELECTORS,
              "force_language": "fr", "output_path": str(out)}
    # The prepared pages are written to a scratch folder (same relative paths, so the
    # same URLs) and indexed in one request: the Python API answers one request per
    # tenth of a second, too slow to send thousands of pages one by one.
    with tempfile.TemporaryDirectory(prefix="kb-pagefind-") as scratch:
        count = 0
        for url, page_html in pages_to_index(Path(site_dir)):
            target = Path(scratch) / (url + "index.html" if url.endswith("/") or not url else url)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_html, encoding="utf-8")
            count += 1
        # The Pagefind command, not its Python service API: the service answers
        # "files written" while it is still writing them and is then killed, which
        # leaves truncated .js files on a busy machine; the command exits only once
        # everything is on disk. It reads its options from pagefind.json.
        (Path(scratch) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "pagefind", "--site", "."], cwd=scratch,
                             capture_output=True, text=True)
    indexed = re.search(r"Indexed (\d+) pages?\b", run.stdout)
    if run.returncode or not indexed:
        raise RuntimeError((run.stdout + run.stderr).strip()[-2000:])
    if int(indexed.group(1)) != count:
        raise RuntimeError(f"{indexed.group(1)} pages indexées sur {count}")
    return count


def build_index(site_dir: Path) -> int:
    """Post-build step (kb.cli.POST_BUILD): write the Pagefind bundle into ``site_dir/pagefind``."""
    try:
        count = _index(Path(site_dir))
    except Exception as error:  # the binary is missing or failed: say it, fail the build
        print(f"Index de recherche (Pagefind) : échec : {error}", file=sys.stderr)
        return 1
    if not (Path(site_dir) / BUNDLE / "pagefind.js").exists():
        print("Index de recherche (Pagefind) : pagefind.js absent après l'indexation", file=sys.stderr)
        return 1
    print(f"Index de recherche : {count} pages indexées (Pagefind)")
    return 0
