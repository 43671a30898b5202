"""One build from start to end: six named stages, and ``BuildSession``, which runs them.

Each stage is a function of this module, with explicit inputs and outputs; the site
generator's adapter calls them through the session at the points of its own run
(kb.adapters.mkdocs: the MkDocs event each stage is attached to is on the right):

  stage  function                              input -> output                        MkDocs event
  load   load(settings, data)                  content/ and data/ -> Content          on_config
         (every problem in French; the session raises ContentErrors, nothing is written)
  graph  graph(content)                        Content -> Graph (kb.graph)            on_config
  pages  pages(graph, inputs)                  Graph -> [GeneratedPage]: the list of  on_config (listed),
         every page, each body rendered from its template when first read   on_page_markdown (body)
         (or ahead, in the build's process pool: kb.assemble.ahead)
  files  files(graph, settings, pages)         Graph -> {site path: bytes|str|Path}   on_config, handed
         (open data, feeds, schemas, /admin/; kb.publish.files stops two producers     over in on_files
         writing one path, and so does this stage for a page and a file)
  clean  clean(html, glossary)                 converted HTML -> HTML the site serves on_page_content
         (first use of each acronym explained, then nh3: kb.publish.sanitize); the page
         holds the clean HTML from then on, never a placeholder nor the unsanitised HTML
  index  index(site_dir, data)                 written site -> Pagefind index, checked on_post_build

Commands that need only the data (``make check``, ``python -m kb schemas``, ``nouvelle``)
call ``project_data`` and ``load`` without a session. A session lives for one build; a
live preview makes a new one for each rebuild and hands it the ``Memo`` of the
previous ones (kb.assemble.memo: results kept by the content they were made from): each
fiche's checks kept by its bytes, page bodies kept while what they read from the graph is
unchanged (kb.graph.tracking, kb.assemble.reuse), the pages handed to Pagefind kept in a
folder and prepared once.
Settings come in whole (kb.infra.settings); nothing here reads the environment.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..content.inventory import MAX_MEDIA_BYTES, publishable_media, read_regular
from ..content.paths import duplicate_paths
from ..content.validate import Content, Problem, load_content
from ..content.vocab import ProjectData
from ..graph.build import Graph, build_graph
from ..infra.settings import Settings
from ..publish import budget
from ..publish.files import site_files
from ..publish.sanitize import sanitize_html
from ..render import glossary as glossary_module
from ..render import islands, ma_commune
from ..render.pages import GeneratedPage
from ..render.participate import SiteInfo
from ..search import codec
from ..search import index as search_index
from ..graph import tracking
from ..render.pages import templates_folder
from . import ahead, parallel, reuse
from .memo import Memo


SEARCH_SCRATCH = "recherche"  # in Settings.cache_dir: a live preview's pages for Pagefind


class ContentErrors(Exception):
    """Raised when content files have problems; carries them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        n = len(problems)
        super().__init__("\n".join(str(p) for p in problems) +
                         f"\n{n} erreur{'s' if n > 1 else ''} dans le contenu : la construction du site "
                         "est arrêtée. Lancez « make check » pour les revoir.")


class BudgetExceeded(Exception):
    """A file a reader downloads is over its size budget (French message, kb.publish.budget)."""


@dataclass
class Site:
    """What the first four stages made of the content: records, graph, pages, published files."""
    content: Content
    graph: Graph
    pages: list[GeneratedPage]
    files: dict[str, bytes | str | Path] = field(default_factory=dict)
    media: frozenset[str] = frozenset()  # content/medias files published as they are (checked images)


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while the site is read and linked: it creates
    millions of objects that all stay alive, and each automatic collection would walk them
    again (two thirds of the time spent listing the pages at 5,000 cases)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- the stages -------------------------------------------------------------------------------
def project_data(settings: Settings) -> ProjectData:
    """Vocabularies, départements and references of data/ (what ``load`` checks against)."""
    return ProjectData.at(settings.data_dir, settings.references_file)


def load(settings: Settings, data: ProjectData, reuse=None) -> Content:
    """Stage 1: every file of content/ read and checked; ``Content.problems`` lists what is wrong
    (never raises for bad content: ``make check`` prints them all). ``reuse``: each file's own
    checks kept by its bytes (kb.content.validate.load_content; a live preview)."""
    # no date of addition after the build date (or today, for a check before the commit)
    return load_content(settings.content_dir, data, max(settings.build_date, date.today()), reuse)


def graph(content: Content) -> Graph:
    """Stage 2: indexes, territories, cross-links (kb.graph)."""
    return build_graph(content)


def template_context(settings: Settings) -> dict:
    """Values of the settings every template may show: who publishes the site, the
    repository and its contribution links (kb.render.participate)."""
    s = settings
    return {"site_info": SiteInfo(repo_url=s.repository_url, branch=s.branch, publisher=s.publisher,
                                  director=s.director, contact=s.contact, host=s.host),
            "repo_url": s.repository_url}


def pages(inputs: ahead.Inputs, body=None, bytecode_cache=None, reads=None, rows=None) -> list[GeneratedPage]:
    """Stage 3: every page of the site, listed (bodies rendered when first read). ``body``: how
    a content file's Markdown body enters its page (kb.render.pages.Renderer; Markdown for
    the site generator by default, HTML for the export); ``bytecode_cache``: compiled templates
    kept from an earlier build (kb.assemble.memo); ``reads``: with a tracked graph
    (kb.graph.tracking), what each page reads is noted, ``rows``: the rows of tables of cases
    kept by an earlier build (a live preview, kb.assemble.reuse)."""
    return inputs.pages(body, bytecode_cache, reads, rows)


def files(graph: Graph, settings: Settings, site_pages: list[GeneratedPage],
          data_files=None) -> dict[str, bytes | str | Path]:
    """Stage 4: every file the site serves besides its pages (kb.publish.files); a page and a
    file at one path (one would silently replace the other) stop the build. ``data_files``:
    the files made from the data files alone kept by a live preview (kb.publish.files.producers)."""
    out = site_files(graph, settings, data_files)
    clashes = duplicate_paths([page.path for page in site_pages] + list(out))
    if clashes:
        raise ContentErrors([Problem(path, 1, "chemin", "deux pages ou fichiers du site au même endroit ; "
                                     "renommez le fichier de contenu") for path in clashes])
    return out


def clean(html: str, glossary_entries: tuple) -> str:
    """Stage 5: a converted page as the site may serve it: the first use of each acronym
    explained (kb.render.glossary), then the sanitiser (kb.publish.sanitize), which sees the
    result."""
    return sanitize_html(glossary_module.explain_first_uses(html, glossary_entries))


def index(site_dir: Path, data: ProjectData, scratch: Path | None = None, reuse=None) -> int:
    """Stage 6: the search index (Pagefind) of the written site and its stable order
    (kb.search); returns the number of pages indexed. Raises
    kb.search.index.SearchIndexError (a French message) when it cannot be made. ``scratch``,
    ``reuse``: a live preview's folder of pages for Pagefind and its pages prepared once
    (kb.search.index.build_index)."""
    codec.check_version()
    count = search_index.build_index(Path(site_dir), data, scratch, reuse)
    codec.stable_search_index(Path(site_dir))
    return count


def body_blind(content: Content) -> tuple:
    """Every record of ``content`` without its Markdown body: what the published files and the
    graph are made from (no producer of kb.publish.files reads a body: a fiche's text is on its
    page only; tests/test_preview.py compares a preview after a text edit with a full build)."""
    return tuple((type(record).__name__, tracking.without_body(record)) for record in content.records())


# -- one build ------------------------------------------------------------------------------------
class BuildSession:
    """The stages of one build, their results, and the build's process pool (if any).

    ``prepare()`` runs load, graph, pages and files; ``body(path)`` gives a page's Markdown
    body, ``clean(html)`` its converted HTML cleaned; ``finish(site_dir)`` closes the pool and
    writes the search index. ``close()`` stops the pool whatever happened (the adapter calls
    it on a build error and when the server shuts down)."""

    def __init__(self, settings: Settings, memo: Memo | None = None):
        self.settings = settings
        self.memo = memo if memo is not None else Memo()
        self.data = project_data(settings)
        self.glossary = glossary_module.load(settings.data_dir / glossary_module.FILE)
        self._site: Site | None = None
        self._pages: dict[str, GeneratedPage] = {}
        self._pool = parallel.Pool()
        self._ahead: ahead.Ahead | None = None
        self.largest: list[str] = []  # the heaviest files written, after ``finish``
        self.coverage: list[str] = []  # what « Ma commune » answers (kb.render.ma_commune.report)

    def prepare(self, body=None) -> Site:
        """Stages load, graph, pages and files; raises ContentErrors (nothing is written).
        ``body``: see ``pages``. With the site generator's bodies (the default) and a site
        big enough (kb.assemble.parallel.workers), the pages' bodies are rendered ahead in a
        process pool, started here (before the published files are made: the pool starts and
        renders while they are) and stopped by ``finish`` or ``close``. In a live preview
        (a memo that keeps results), no pool: what an edit cannot have changed is taken back
        from the previous rebuild instead (each fiche's checks, by its bytes; the pages whose
        reads did not change, kb.assemble.reuse; the files made from the data files alone)."""
        preview = self.memo.keep and body is None  # a live preview: pages rendered again only if they changed
        data_digest = reuse.data_digest(self.settings.data_dir) if preview else None

        def kept(kind: str):
            """What a live preview keeps from one rebuild to the next, made from the same data
            files and an equal ``key``: each fiche's checks (by its bytes), the files made from
            the data files alone."""
            if not preview:
                return None
            return lambda key, compute: self.memo.keyed(kind, (data_digest, key), compute)

        with collector_paused():
            content = load(self.settings, self.data, kept("checked"))
            if content.problems:
                raise ContentErrors(content.problems)
            site_graph = graph(content)
            context = template_context(self.settings)
            reads = tracking.Reads() if preview else None
            inputs = ahead.Inputs(tracking.tracked(site_graph, reads) if preview else site_graph,
                                  self.settings.build_date, context, self.glossary, self.settings.node_modules_dir)
            frame = reuse.frame(data=data_digest, templates_dir=templates_folder(), values=(
                self.settings.build_date, context, self.glossary, self.settings.node_modules_dir)) if preview else None
            site_pages = pages(inputs, body, self.memo.templates, reads,
                               self.memo.bodies.rows(frame) if preview else None)
            if preview:
                self.memo.bodies.reuse(frame, site_graph, reads, site_pages)
            workers = parallel.workers(self.settings.parallel, len(site_pages)) if body is None and not preview else 0
            if workers:  # started before the files: the pool starts and renders while they are made
                self._pool = parallel.Pool(workers, ahead.start, (inputs,))
                self._ahead = ahead.Ahead(self._pool, site_pages)
            try:
                if preview:  # the files stay what they were while nothing but the fiches' text changed
                    site_files_, self.coverage = self.memo.same(
                        "files", (data_digest, self.settings, body_blind(content)),
                        lambda: (files(site_graph, self.settings, site_pages, kept("data-files")),
                                 ma_commune.report(site_graph)))
                else:
                    site_files_ = files(site_graph, self.settings, site_pages)
                    self.coverage = ma_commune.report(site_graph)
            except BaseException:
                self.close()
                raise
            self._site = Site(content, site_graph, site_pages, site_files_,
                              frozenset(publishable_media(self.settings.content_dir)))
        self._pages = {page.path: page for page in site_pages}
        return self._site

    @property
    def site(self) -> Site:
        if self._site is None:
            raise RuntimeError("BuildSession.prepare() must come first")
        return self._site

    @property
    def pool_workers(self) -> int:
        """Processes of this build's pool (0: everything in the build's own process)."""
        return self._pool.workers

    def body(self, path: str) -> str:
        """Stage 3, a page's Markdown body (without its front matter, ``GeneratedPage.front_matter``):
        rendered here, or taken back from the pool."""
        if self._ahead is not None:
            return self._ahead.body(path)
        return self._pages[path].body

    def clean(self, html: str) -> str:
        """Stage 5 with this build's glossary; the same HTML is cleaned once per preview
        server (kept in the memo by its text)."""
        return self.memo.get("clean", html, clean, html, self.glossary)

    @staticmethod
    def anchor_ids(markdown: str) -> set[str]:
        """Ids of the HTML blocks the generator did not parse (kb.render.islands)."""
        return islands.anchor_ids(markdown)

    def media_bytes(self, rel: str) -> bytes:
        """A checked image of content/medias, read again without following any link (a file
        swapped for a link after the check is refused, not copied)."""
        if rel not in self.site.media:
            raise KeyError(rel)
        return read_regular(self.settings.content_dir / rel, MAX_MEDIA_BYTES)

    def finish(self, site_dir: Path) -> int:
        """Stage 6, after the pages are written: the pool closed, then the search index; then
        the size of every file a reader downloads checked against its budget (kb.publish.budget):
        ``largest`` lists the heaviest files written, BudgetExceeded names those over budget."""
        self.close()
        if self.memo.keep:  # a live preview: the pages for Pagefind kept, each prepared once
            count = index(site_dir, self.data, self.settings.cache_dir / SEARCH_SCRATCH,
                          lambda key, compute: self.memo.keyed("search", key, compute))
        else:
            count = index(site_dir, self.data)
        self.largest, over = budget.report(site_dir)
        if over:
            raise BudgetExceeded("\n".join(over))
        return count

    def close(self) -> None:
        """Stop the pool's processes, if any (end of a build, failed or not; server shutdown)."""
        self._pool.close()
        self._ahead = None
