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

import contextlib
import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import sitemap as urls
from ..content.vocab import ProjectData
from . import equivalences

BUNDLE = urls.SEARCH_BUNDLE
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
    urls.HOME, urls.STOP_START, urls.VOCABULARIES, urls.SEARCH, urls.EXPLORE_COOPERATIONS,
    urls.EXPLORE_RECOMMENDATIONS, urls.FIGURES, urls.STALE, urls.OPEN_DATA_PAGE)} | {
    urls.NOT_FOUND_FILE, f"{urls.EDITOR_FOLDER}/"}

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')
# the attribute on an element (a template's), not the words in a page's text
_NOINDEX_TEXT = "data-kb-noindex"
_NOINDEX = re.compile(r"<[a-zA-Z][^<>]*\sdata-kb-noindex(?=[\s=/>])")


def page_kind(url: str, vocab_paths: dict[str, str]) -> tuple[str, str | None, str] | None:
    """(type label, id filter name, id) for an indexed page URL ('cooperations/x/'), None if skipped.
    ``vocab_paths``: URL folder of each vocabulary's pages -> vocabulary name."""
    if url in SKIPPED or any(url.startswith(s) for s in SKIPPED if s.endswith("/")) or url.startswith(
            BUNDLE + "/") or url.startswith("assets/"):
        return None
    parts = url.strip("/").split("/")
    if len(parts) == 1 and parts[0] in SECTIONS:
        return None  # a section's listing page
    if parts[0] in SECTIONS and len(parts) == 2:
        label, id_filter = SECTIONS[parts[0]]
        return label, id_filter, parts[1]
    if parts[0] in vocab_paths:
        if vocab_paths[parts[0]] == "audiences" and len(parts) == 2:
            return AUDIENCE_TYPE, None, parts[1]
        return None  # vocabulary and term pages are listings
    return PAGE_TYPE, None, parts[-1]


# Pagefind reads « <dt>Département</dt><dd>Finistère</dd> » as one word, « DépartementFinistère »,
# in its index and its excerpts: the indexed copy gets a space after the end of every block element.
_BLOCK_END = re.compile(r"(</(?:p|div|li|dt|dd|dl|ul|ol|td|th|tr|table|caption|h[1-6]|section|figure|figcaption"
                        r"|blockquote|header|footer|aside|nav|details|summary|pre)>|<br\s*/?>)", re.IGNORECASE)
# Weight of a page's words by what it is (Pagefind's data-pagefind-weight, 1 by default): a fiche
# ranks above an audience page or an editorial page that uses the same words.
TYPE_WEIGHTS = {AUDIENCE_TYPE: 0.5, PAGE_TYPE: 0.5, "Document source": 0.7, "Méthode": 0.8}


def spaced(page_html: str) -> str:
    """The HTML with a space after each block element's end (what a reader sees as separate)."""
    return _BLOCK_END.sub(_with_space, page_html)


def _with_space(match: re.Match) -> str:
    return match.group(0) + " "  # a function: a third faster than a template (r"\1 ") at 5,000 pages


def prepare(page_html: str, kind: tuple[str, str | None, str]) -> str | None:
    """The page's HTML with its filters marked for Pagefind; None when it has no main article."""
    match = _ARTICLE.search(page_html)
    if not match or (_NOINDEX_TEXT in page_html and _NOINDEX.search(page_html)):
        return None
    label, id_filter, ident = kind
    marks = f'<span data-pagefind-filter="type:{html.escape(label)}"></span>'
    if id_filter:
        marks += f'<span data-pagefind-filter="{id_filter}:{html.escape(ident)}"></span>'
    weight = TYPE_WEIGHTS.get(label)
    opening = match.group(0)
    if weight is not None:
        opening = opening[:-1] + f' data-pagefind-weight="{weight}">'
    return page_html[:match.start()] + opening + marks + spaced(page_html[match.end():])


def pages_to_index(site_dir: Path, data: ProjectData, reuse=None):
    """(url, html) of every page to index, in a stable order. ``reuse(key, compute)``: gives
    back what ``compute()`` gave for an equal key earlier (a live preview: the page's text
    and kind are the key)."""
    vocab_paths = {v.path: name for name, v in data.vocabularies.items()}
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        kind = page_kind(url, vocab_paths)
        if kind is None:
            continue
        text = path.read_text(encoding="utf-8")
        prepared = prepare(text, kind) if reuse is None else reuse((text, kind), lambda: prepare(text, kind))
        if prepared is not None:
            yield url, prepared


def _write_pages(folder: Path, pages) -> int:
    """The prepared pages written into ``folder`` (same relative paths as in the site, so the
    same URLs), each only if it is not there already; pages of an earlier run that are not
    indexed any more removed. Returns how many pages there are."""
    wanted = set()
    for url, page_html in pages:
        target = folder / (url + "index.html" if url.endswith("/") or not url else url)
        wanted.add(target)
        data = page_html.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for stale in [path for path in folder.rglob("*.html") if path not in wanted]:
        stale.unlink()
    return len(wanted)


def _index(site_dir: Path, data: ProjectData, scratch: Path | None = None, reuse=None) -> int:
    out = (Path(site_dir) / BUNDLE).resolve()  # Pagefind resolves relative paths elsewhere
    shutil.rmtree(out, ignore_errors=True)
    config = {"root_selector": ROOT_SELECTOR, "exclude_selectors": EXCLUDE_SELECTORS,
              "force_language": "fr", "output_path": str(out)}
    # The prepared pages are written to a scratch folder and indexed in one request: the
    # Python API answers one request per tenth of a second, too slow to send thousands of
    # pages one by one. A live preview keeps its scratch folder from one rebuild to the next
    # (``scratch``): only the pages that changed are written again (making and removing a
    # folder per page took 8 of the 20 s of a rebuild's index at 1,000 cases).
    with contextlib.ExitStack() as stack:
        if scratch is None:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kb-pagefind-")))
        scratch.mkdir(parents=True, exist_ok=True)
        count = _write_pages(scratch, pages_to_index(Path(site_dir), data, reuse))
        # The Pagefind command, not its Python service API: the service answers
        # "files written" while it is still writing them and is then killed, which
        # leaves truncated .js files on a busy machine; the command exits only once
        # everything is on disk. It reads its options from pagefind.json.
        (scratch / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        run = subprocess.run([str(executable()), "--site", "."], cwd=scratch, capture_output=True, text=True)
    indexed = re.search(r"Indexed (\d+) pages?\b", run.stdout)
    if run.returncode or not indexed:
        raise RuntimeError((run.stdout + run.stderr).strip()[-2000:])
    verify(out, count, int(indexed.group(1)))
    (Path(site_dir) / urls.SEARCH_EQUIVALENCES).write_text(
        equivalences.to_json(equivalences.load(data.data_dir)), encoding="utf-8")
    return count


def executable() -> Path:
    """Pagefind's binary, as pagefind[bin] installs it (``pagefind_bin.get_executable``): run
    directly, not through ``python -m pagefind``, whose start of a Python interpreter doubled the
    indexing time of a live preview's rebuild (0.46 s instead of 0.24 s at the real content)."""
    import pagefind_bin

    return pagefind_bin.get_executable()


class SearchIndexError(RuntimeError):
    """The search index could not be made; the message is in French."""


def verify(bundle: Path, expected_pages: int, indexed: int) -> None:
    """The bundle Pagefind wrote is whole: every file non-empty (a full disk leaves empty
    files while Pagefind reports success), its script present, every page sent indexed."""
    if indexed != expected_pages:
        raise SearchIndexError(f"{indexed} pages indexées sur {expected_pages} envoyées")
    if not (bundle / "pagefind.js").is_file():
        raise SearchIndexError("pagefind.js absent après l'indexation")
    empty = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file() and
                   p.stat().st_size == 0)
    if empty:
        raise SearchIndexError(f"{len(empty)} fichier(s) vide(s) dans l'index, par exemple {empty[0]} : "
                               "disque plein ?")


def build_index(site_dir: Path, data: ProjectData, scratch: Path | None = None, reuse=None) -> int:
    """Write the Pagefind bundle into ``site_dir/pagefind``; return the number of pages indexed.
    ``scratch``: a folder kept between runs for the pages handed to Pagefind (a temporary one
    by default); ``reuse``: see ``pages_to_index``."""
    try:
        count = _index(Path(site_dir), data, scratch, reuse)
    except OSError as error:
        raise SearchIndexError(f"index de recherche (Pagefind) impossible à écrire : {error}") from None
    except RuntimeError as error:  # the binary is missing or failed
        raise SearchIndexError(f"index de recherche (Pagefind) : échec : {error}") from None
    return count
