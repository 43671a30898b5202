"""Work of one build spread over a process pool (``concurrent.futures``), when it pays.

The site generator converts the pages one after the other, on one core. The
heaviest work the project adds before that is rendering each page's Markdown from
the templates (kb.render.pages): other processes can do it while the generator
converts the first pages (kb.assemble.ahead). A build session (kb.assemble.session)
creates at most one ``Pool`` per build; work goes in and out at named points:

  submit    work under a key (a batch of pages to render), started at once
  collect   its result, the first time the generator needs it (waits if need be)
  close     at the end of the build (``on_post_build``), on a build error
            (``on_build_error``) or when the preview server stops (``on_shutdown``);
            work never collected is cancelled

The cleaning of each page's HTML is not sent here: the page must hold its clean HTML
from the moment MkDocs converted it (kb.assemble.session, stage ``clean``).

``workers(setting, pages)`` decides: no pool below ``THRESHOLD`` pages (starting
processes costs more than it saves), on a machine with one core, or when the
settings say so (``KB_PARALLELE=0``); ``KB_PARALLELE=1`` asks for it at any size.
Without a pool, ``submit`` does the work at once in the build's own process, and
``collect`` hands it back: the same code path, the same pages byte for byte
(tests/test_parallel.py).

The pool's processes are started with ``spawn``: they import what the work needs,
not a copy of the build (a fork would copy a live preview's server threads too, and
is not available everywhere).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Hashable

THRESHOLD = 1000  # pages (500 cases make 1,058): below it, everything runs in the build's process


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

