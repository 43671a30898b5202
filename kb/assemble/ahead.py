"""The pages' Markdown rendered ahead, in the build's process pool (kb.assemble.parallel).

Rendering every page from the templates (kb.render.pages) is the heaviest work of a
build before the site generator converts the pages, and it needs nothing but the
graph. When a build has a pool, the build session sends each pool process the graph
and what the templates show besides it, once, pickled (``Ahead``, the pool's
initializer ``start``). Each pool process lists the pages as the build's own process
did and renders them by batches of ``BATCH`` (``render``), in the order of the site's
pages, which is the order a site generator converts them in; the build's own process
takes a batch back the first time it needs one of its pages (``Ahead.body``), and
renders nothing itself. The bodies are the same text either way: the same templates,
the same graph (tests/test_parallel.py compares whole builds).

State: the pages a pool process lists (``_LISTED``) are the one piece of state of this
module. A pool process sets it once, when it starts (``start``), and reads it for each
batch; the build's own process never sets it nor reads it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..graph.build import Graph
from ..publish import opendata
from ..render.pages import GeneratedPage, generate_pages
from .parallel import Pool

BATCH = 100  # pages: the generator waits at most one batch at the start

_LISTED: dict[str, GeneratedPage] = {}  # in a pool process only (see the module's docstring)


@dataclass(frozen=True)
class Inputs:
    """What the pages are rendered from, as the build session passes it to generate_pages."""
    graph: Graph
    today: date
    context: dict
    glossary_entries: tuple
    node_modules: Path  # the pinned map packages (Settings.node_modules_dir)

    def pages(self, body=None, bytecode_cache=None, reads=None, rows=None) -> list[GeneratedPage]:
        """Every page, listed (kb.render.pages.generate_pages; ``body``, ``bytecode_cache``,
        ``reads``, ``rows``: see its Renderer)."""
        return generate_pages(self.graph, today=self.today, open_data=opendata.page_context(self.graph),
                              context=self.context, glossary_entries=self.glossary_entries, body=body,
                              bytecode_cache=bytecode_cache, node_modules=self.node_modules, reads=reads,
                              rows=rows)


def start(inputs: Inputs) -> None:
    """The pool's initializer: list the pages once in this pool process."""
    _LISTED.clear()
    _LISTED.update((page.path, page) for page in inputs.pages())


def render(paths: tuple[str, ...]) -> list[str]:
    """The bodies of ``paths``, rendered in this pool process (each page once)."""
    return [_LISTED.pop(path).body for path in paths]


class Ahead:
    """The pages of one build whose bodies the pool renders ahead."""

    def __init__(self, pool: Pool, pages: list[GeneratedPage]):
        self._pool = pool
        self._pages = {page.path: page for page in pages}
        self._batch_of: dict[str, int] = {}
        self._batches: list[tuple[str, ...]] = []
        for start_at in range(0, len(pages), BATCH):
            paths = tuple(page.path for page in pages[start_at:start_at + BATCH])
            self._batch_of.update((path, len(self._batches)) for path in paths)
            self._batches.append(paths)
            pool.submit(("ahead", len(self._batches) - 1), render, paths)

    def body(self, path: str) -> str:
        """A page's body: its batch taken back from the pool if it is not yet."""
        page = self._pages[path]
        batch = self._batch_of.get(path)
        if batch is not None and self._pool.submitted(("ahead", batch)):
            for other, body in zip(self._batches[batch], self._pool.collect(("ahead", batch))):
                self._pages[other].provide(body)
        return page.body
