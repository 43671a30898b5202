"""Work of one build spread over a process pool (``concurrent.futures``), when it pays.

The site generator converts the pages one after the other, on one core. The
heaviest work the project adds to each page is rendering its Markdown from the
templates (kb.render.pages) and sanitising its HTML (nh3, kb.publish.sanitize):
other processes can do both while the generator converts the pages (kb.build.ahead
renders ahead; the cleaning needs nothing but the HTML). A build session
(kb.build.session) creates one ``Pool`` per build; work goes in and out at named points:

  submit    a page's HTML, as soon as the generator has converted it (the MkDocs
            adapter: ``on_page_content``); until it is collected, the page holds
            ``PENDING``, never the unsanitised HTML
  collect   the clean HTML, just before the page is written (``on_page_context``);
            it waits for the work if it is not done yet
  close     at the end of the build (``on_post_build``) or when the next build of a
            live preview starts; work never collected is cancelled

``workers(setting, pages)`` decides: no pool below ``THRESHOLD`` pages (starting
processes costs more than it saves), on a machine with one core, or when the
settings say so (``KB_PARALLELE=0``); ``KB_PARALLELE=1`` asks for it at any size.
Without a pool, ``submit`` does the work at once in the build's own process, and
``collect`` hands it back: the same code path, the same pages byte for byte
(tests/test_parallel.py).

The pool's processes are started with ``spawn``: they import what the work needs
(nh3), not a copy of the build (a fork would copy a live preview's server threads
too, and is not available everywhere).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Hashable

THRESHOLD = 1000  # pages (500 cases make 1,058): below it, everything runs in the build's process
PENDING = ""  # what a page holds between ``submit`` and ``collect``


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers(setting: bool | None, pages: int, cores: int | None = None) -> int:
    """How many pool processes a build of ``pages`` pages uses (0: none). The build's own
    process keeps one core for the site generator; the pool takes the others."""
    cores = available_cores() if cores is None else cores
    if setting is False or (setting is None and (pages < THRESHOLD or cores < 2)):
        return 0
    return max(1, cores - 1)


class Pool:
    """Keyed futures of one build, computed by a process pool or, without one, at once."""

    def __init__(self, workers: int = 0, initializer: Callable | None = None, initargs: tuple = ()):
        """``initializer(*initargs)`` runs once in each pool process when it starts (a
        module-level function, sent by name; the arguments are pickled)."""
        self.workers = workers
        self._initializer, self._initargs = initializer, initargs
        self._executor: ProcessPoolExecutor | None = None
        self._pending: dict[Hashable, Future] = {}

    def submit(self, key: Hashable, function: Callable, *args) -> None:
        """Start ``function(*args)`` (a module-level function: it is sent to another process by
        name); its result is ``collect(key)``'s. A key is submitted once per build."""
        if key in self._pending:
            raise KeyError(f"{key!r} already submitted")
        if not self.workers:
            future: Future = Future()
            try:
                future.set_result(function(*args))
            except Exception as error:  # raised by collect(), as a pool would
                future.set_exception(error)
        else:
            if self._executor is None:  # created once, on the first submission
                self._executor = ProcessPoolExecutor(self.workers,
                                                     mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=self._initializer, initargs=self._initargs)
            future = self._executor.submit(function, *args)
        self._pending[key] = future

    def submitted(self, key: Hashable) -> bool:
        """Whether work under ``key`` waits to be collected."""
        return key in self._pending

    def collect(self, key: Hashable):
        """The result of the work submitted under ``key`` (waits for it); raises KeyError if
        nothing was submitted under that key, or the work's own error."""
        return self._pending.pop(key).result()

    def close(self) -> None:
        """Stop the pool's processes; work not collected is cancelled."""
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _each(function: Callable, items: list, args: tuple) -> list:
    """``function(item, *args)`` for each item (one pool task for a whole batch)."""
    return [function(item, *args) for item in items]


class Batched:
    """Keyed work of one kind, ``function(item, *args)``, sent to ``pool`` by batches of
    ``size`` items: one task, one pickling and one future per batch, not per page (at
    5,000 cases, one future per page cost the build's own process a few seconds). A batch
    leaves when it is full, or when one of its items is collected first."""

    def __init__(self, pool: Pool, function: Callable, size: int, *args):
        self._pool, self._function, self._args = pool, function, args
        self._size = size if pool.workers else 1  # without a pool: each item done at once
        self._waiting: dict[Hashable, object] = {}  # submitted, batch not sent yet
        self._batch_of: dict[Hashable, tuple] = {}  # sent, result not taken back yet
        self._done: dict[Hashable, object] = {}  # taken back with their batch, not collected
        self._sent = 0

    def submit(self, key: Hashable, item) -> None:
        if key in self._waiting or key in self._batch_of or key in self._done:
            raise KeyError(f"{key!r} already submitted")
        self._waiting[key] = item
        if len(self._waiting) >= self._size:
            self._send()

    def _send(self) -> None:
        keys = tuple(self._waiting)
        self._pool.submit(("batch", self._sent, keys), _each, self._function, list(self._waiting.values()),
                          self._args)
        self._sent += 1
        self._batch_of.update((key, (self._sent - 1, keys)) for key in keys)
        self._waiting = {}

    def collect(self, key: Hashable):
        """The result for ``key`` (waits for its batch); KeyError if nothing was submitted
        under it, or it was collected already; the work's own error otherwise."""
        if key in self._waiting:
            self._send()
        if key not in self._done:
            number, keys = self._batch_of[key]
            results = self._pool.collect(("batch", number, keys))  # raises the work's error
            for other in keys:
                del self._batch_of[other]
            self._done.update(zip(keys, results))
        return self._done.pop(key)
