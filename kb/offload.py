"""The project's share of a build, done on another processor core.

A site generator such as MkDocs converts and writes pages one after the other,
on one core. The project's own work after the graph is built does not depend
on it: rendering every page's Markdown from the templates, computing the files
the site publishes (open data, feeds, schemas), and sanitising each page's
HTML once the generator has converted it. ``Helper`` hands that work to one
helper process, forked once the graph is built (so it inherits the graph and
the page list without copying them), while the generator keeps the main core:

- pages are rendered in the order the generator reads them, a few at a time,
  and ``markdown(path)`` waits only if the generator has caught up;
- ``call(fn, *args)`` runs ``fn(site, *args)`` in the helper;
- ``sanitize(key, html)`` queues a page's HTML; ``sanitized()`` returns the
  queued pages, cleaned: those already done while the generator works, those
  up to a given page when the generator is about to write it, or all of them.

The results are the same strings the main process would compute
(tests/test_offload.py builds the site both ways and compares every output
file). The helper is used only where forking is safe and useful
(``available()``): a system that can fork, a process with a single thread
(``mkdocs serve`` runs server threads: its rebuilds work in-process), and by
default Linux with more than one core (KB_PARALLELE=1 asks for the helper
elsewhere, KB_PARALLELE=0 turns it off).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor

from .sanitize import sanitize_html

CHUNK = 24  # pages per task at most: enough to amortise the hand-over
SANITIZE_BATCH = 16

_site = None  # what the forked helper works from (inherited at fork time)


def available(environ=None) -> bool:
    """KB_PARALLELE=0 turns the helper off, =1 asks for it (one core, macOS…); by default
    it is used on Linux with more than one core. Never where forking is unsafe."""
    environ = os.environ if environ is None else environ
    wanted = environ.get("KB_PARALLELE", "").strip().lower()
    if wanted in ("0", "non", "false"):
        return False
    # macOS: system frameworks may not survive a fork (Python itself no longer forks there by default)
    if wanted not in ("1", "oui", "true") and (_cores() < 2 or not sys.platform.startswith("linux")):
        return False
    return (sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def _cores() -> int:
    """Cores this process may run on (a container may be given fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class RenderError(Exception):
    """A page the helper could not render; the message names the cause."""


def _render(start: int, stop: int) -> list:
    out = []
    for page in _site.pages[start:stop]:
        try:
            out.append(page.markdown)
        except Exception as error:  # reported for this page only, when it is asked for
            out.append(RenderError(f"{type(error).__name__}: {error}"))
    return out


def _call(fn, args):
    return fn(_site, *args)


def _sanitize(htmls: list[str]) -> list[str]:
    return [sanitize_html(html) for html in htmls]


class Helper:
    """One helper process for one build of ``site`` (a kb.site.Site)."""

    def __init__(self, site):
        global _site
        _site = site  # set before the fork: the helper sees this site
        # raises OSError or NotImplementedError where processes cannot be started or
        # synchronised (no fork, no /dev/shm for semaphores): the caller works alone then
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        # small tasks first, so that the first page is ready soon; then CHUNK pages a task
        self._where: dict[str, tuple[Future, int]] = {}
        start, size = 0, 1
        try:
            while start < len(site.pages):
                stop = min(start + size, len(site.pages))
                future = self._pool.submit(_render, start, stop)
                for i in range(start, stop):
                    self._where[site.pages[i].path] = (future, i - start)
                start, size = stop, min(size * 2, CHUNK)
        except BaseException:
            self.close()
            raise
        self._batch: list[tuple[object, str]] = []
        self._cleaning: deque[tuple[list, Future]] = deque()

    def markdown(self, path: str) -> str:
        """The Markdown of the page at ``path``, rendered by the helper (handed over once)."""
        future, i = self._where.pop(path)
        pages = future.result()
        text, pages[i] = pages[i], None  # the generator keeps its own copy: free ours
        if isinstance(text, RenderError):
            raise text
        return text

    def call(self, fn, *args) -> Future:
        """``fn(site, *args)`` in the helper (``fn`` a module-level function)."""
        return self._pool.submit(_call, fn, args)

    def sanitize(self, key, html: str) -> None:
        self._batch.append((key, html))
        if len(self._batch) >= SANITIZE_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            keys = [key for key, _ in self._batch]
            self._cleaning.append((keys, self._pool.submit(_sanitize, [html for _, html in self._batch])))
            self._batch = []

    def sanitized(self, wait: bool = True, until=None) -> list[tuple[object, str]]:
        """(key, cleaned HTML) for the pages queued by ``sanitize``, in order, each once:
        all of them (``wait``), those the helper has finished, or (``until``) every
        page up to that key, waiting for them if need be."""
        if wait or until is not None:
            self._flush()
        out = []
        while self._cleaning and (wait or self._cleaning[0][1].done()
                                  or (until is not None and not any(k is until for k, _ in out))):
            keys, future = self._cleaning.popleft()
            out.extend(zip(keys, future.result(), strict=True))
        return out

    def close(self) -> None:
        global _site
        self._pool.shutdown(wait=True, cancel_futures=True)
        _site = None
