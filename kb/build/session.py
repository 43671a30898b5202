"""One build from start to end: ``BuildSession``.

Every entry point goes through a session (``mkdocs build`` and ``mkdocs serve``
through the adapter in kb.adapters.mkdocs, ``python -m kb build``, the export
of a plain project, the tests and the benchmark):

1. ``load()``: read and validate content/ and data/ (kb.content), build the
   graph (kb.graph), list every generated page (kb.render) and every published
   file (kb.publish). Any content problem raises ``ContentErrors`` with every
   problem in French; nothing is written.
2. The site generator converts the pages: ``page_markdown(path)`` gives a
   page's Markdown (``render_ahead()`` first, to have the build's process pool
   render them while the generator converts the first ones: kb.build.ahead),
   ``clean(html)`` sanitises the HTML it made of it (no page is written unsanitised), ``anchor_ids(markdown)`` lists the ids of the HTML blocks
   the generator did not parse (kb.render.islands). A generator that converts
   every page before writing any (MkDocs) starts the cleaning of each page with
   ``start_clean(key, html)`` and takes the clean HTML back with ``cleaned(key)``
   just before writing it: in between, the cleaning may run in a process pool
   (kb.build.parallel, created once per build when the settings and the size of
   the site call for it) while the generator converts the next pages.
3. ``finish(site_dir)``: the pool closed, then the search index (Pagefind) and its
   stable order (kb.search), checked before the build is declared done.

A session lives for one build: a live preview makes a new one for each rebuild.
Settings come in whole (kb.infra.settings); nothing here reads the environment.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..content.inventory import MAX_MEDIA_BYTES, publishable_media, read_regular
from ..content.paths import duplicate_paths
from ..content.validate import Content, Problem, load_content
from ..content.vocab import ProjectData
from ..graph.build import Graph, build_graph
from ..infra.settings import Settings
from ..publish import opendata
from ..publish.files import site_files
from ..publish.sanitize import sanitize_html
from ..render import glossary, islands
from ..render.participate import SiteInfo
from ..render.pages import GeneratedPage, generate_pages
from ..search import codec, index
from . import ahead, parallel


CLEAN_BATCH = 25  # pages cleaned by one task of the pool


class ContentErrors(Exception):
    """Raised when content files have problems; carries them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        n = len(problems)
        super().__init__("\n".join(str(p) for p in problems) +
                         f"\n{n} erreur{'s' if n > 1 else ''} dans le contenu : la construction du site "
                         "est arrêtée. Lancez « make check » pour les revoir.")


@dataclass
class Site:
    """What a session made of the content: records, graph, pages, published files."""
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


def clean_page(html: str, glossary_entries: tuple) -> str:
    """What every converted page goes through before it is written: the first use of each
    acronym explained (kb.render.glossary), then the sanitiser (kb.publish.sanitize), which
    sees the result. A module-level function: the process pool calls it by name."""
    return sanitize_html(glossary.explain_first_uses(html, glossary_entries))


class BuildSession:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.data = ProjectData.at(settings.data_dir, settings.references_file)
        self.glossary = glossary.load(settings.data_dir / glossary.FILE)
        self._site: Site | None = None
        self._pages: dict[str, GeneratedPage] = {}
        self._pool = parallel.Pool()
        self._cleaning = parallel.Batched(self._pool, clean_page, CLEAN_BATCH, self.glossary)
        self._ahead: ahead.Ahead | None = None
        self._ahead_possible = False

    # -- 1. content, graph, pages, files ------------------------------------------------
    def check(self) -> Content:
        """Read and validate every file (``make check``); never raises for bad content."""
        return load_content(self.settings.content_dir, self.data)

    def load(self, body=None) -> Site:
        """Everything the site is made of. ``body``: how a content file's Markdown body enters
        its page (kb.render.pages.Renderer; Markdown for the site generator by default)."""
        with collector_paused():
            content = self.check()
            if content.problems:
                raise ContentErrors(content.problems)
            graph = build_graph(content)
            inputs = ahead.Inputs(graph, self.settings.build_date, self.template_context(), self.glossary,
                                  self.settings.node_modules_dir)
            pages = inputs.pages() if body is None else generate_pages(
                graph, today=inputs.today, open_data=opendata.page_context(graph), context=inputs.context,
                glossary_entries=inputs.glossary_entries, body=body, node_modules=inputs.node_modules)
            files = site_files(graph, self.settings)
            clashes = duplicate_paths([page.path for page in pages] + list(files))
            if clashes:  # two pages (or files) at one place: one would silently replace the other
                raise ContentErrors([Problem(path, 1, "chemin", "deux pages ou fichiers du site au même endroit ; "
                                             "renommez le fichier de contenu") for path in clashes])
            self._site = Site(content, graph, pages, files, frozenset(publishable_media(self.settings.content_dir)))
        self._pages = {page.path: page for page in pages}
        self._pool.close()
        workers = parallel.workers(self.settings.parallel, len(pages))
        # the pool's processes receive what the pages are rendered from (kb.build.ahead), if
        # the pages are the site generator's (the default body)
        self._pool = parallel.Pool(workers, ahead.start, (inputs,)) if body is None else parallel.Pool(workers)
        self._cleaning = parallel.Batched(self._pool, clean_page, CLEAN_BATCH, self.glossary)
        self._ahead = None
        self._ahead_possible = body is None
        return self._site

    def template_context(self) -> dict:
        """Values of the settings every template may show: who publishes the site, the
        repository and its contribution links (kb.render.participate)."""
        s = self.settings
        return {"site_info": SiteInfo(repo_url=s.repository_url, branch=s.branch, publisher=s.publisher,
                                      director=s.director, contact=s.contact, host=s.host),
                "repo_url": s.repository_url}

    @property
    def site(self) -> Site:
        if self._site is None:
            raise RuntimeError("BuildSession.load() must come first")
        return self._site

    # -- 2. conversion by the site generator ----------------------------------------------
    def render_ahead(self) -> None:
        """Start rendering every page's body in the pool, in the order of ``site.pages``, if
        the build has a pool (kb.build.ahead); without one, each page is rendered when it is
        first asked for. Called once, before the generator asks for the first page."""
        if self._pool.workers and self._ahead_possible and self._ahead is None:
            self._ahead = ahead.Ahead(self._pool, self.site.pages)

    def page_markdown(self, path: str) -> str:
        """A page as a Markdown file (front matter, then body)."""
        return self._pages[path].front_matter + self.page_body(path)

    def page_body(self, path: str) -> str:
        """A page's Markdown without its front matter (``GeneratedPage.front_matter``)."""
        if self._ahead is not None:
            return self._ahead.body(path)
        return self._pages[path].body

    def clean(self, html: str) -> str:
        """A page's HTML as the site may serve it: acronyms explained, sanitised."""
        return clean_page(html, self.glossary)

    def start_clean(self, key: str, html: str) -> str:
        """Start sanitising a page's HTML (in the pool, by batches of ``CLEAN_BATCH``, if the
        build has one); returns what the page holds until ``cleaned(key)``
        (kb.build.parallel.PENDING), never ``html``."""
        self._cleaning.submit(key, html)
        return parallel.PENDING

    def cleaned(self, key: str) -> str:
        """The sanitised HTML of the page started under ``key``, waited for if need be."""
        return self._cleaning.collect(key)

    @property
    def pool_workers(self) -> int:
        """Processes of this build's pool (0: everything in the build's own process)."""
        return self._pool.workers

    def close(self) -> None:
        """Stop the pool's processes, if any (a failed build, the next build of a preview)."""
        self._pool.close()

    def media_bytes(self, rel: str) -> bytes:
        """A checked image of content/medias, read again without following any link (a file
        swapped for a link after the check is refused, not copied)."""
        if rel not in self.site.media:
            raise KeyError(rel)
        return read_regular(self.settings.content_dir / rel, MAX_MEDIA_BYTES)

    @staticmethod
    def anchor_ids(markdown: str) -> set[str]:
        return islands.anchor_ids(markdown)

    # -- 3. after the pages are written ----------------------------------------------------
    def finish(self, site_dir: Path) -> int:
        """Search index of the written site; returns the number of pages indexed.
        Raises kb.search.index.SearchIndexError (a French message) when it cannot be made."""
        self.close()
        codec.check_version()
        count = index.build_index(Path(site_dir), self.data)
        codec.stable_search_index(Path(site_dir))
        return count
