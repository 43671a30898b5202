"""The project's share of a build, done on another processor core.

A site generator such as MkDocs converts and writes pages one after the other,
on one core. The project's own work after the graph is built does not depend
on it: rendering every page's Markdown from the templates, computing the files
the site publishes (open data, feeds), and sanitising each page's HTML once the
generator has converted it. ``Helper`` hands that work to one helper process,
forked once the graph is built (so it inherits the graph and the page list
without copying them), while the generator keeps the main core:

- the helper renders every page at once, in the order the generator reads
  them, and sends them as they are ready; ``markdown(path)`` waits only if the
  generator has caught up;
- ``call(fn, *args)`` runs ``fn(site, *args)`` in the helper, once the pages
  are rendered;
- ``sanitize(key, html)`` queues a page's HTML; ``sanitized()`` returns the
  queued pages, cleaned: those already done while the generator works, those
  up to a given page when the generator is about to write it, or all of them.

The helper needs nothing from the main process to go on working: its own
threads receive requests and send results, so a main process busy converting
pages never holds it up. The results are the same strings the main process
would compute (tests/test_offload.py builds the site both ways and compares
every output file). The helper is used only where forking is safe and useful
(``available()``): a system that can fork, a process with a single thread
(``mkdocs serve`` runs server threads: its rebuilds work in-process), and by
default Linux with more than one core (KB_PARALLELE=1 asks for the helper
elsewhere, KB_PARALLELE=0 turns it off).
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
from collections import deque

from ..render.islands import anchor_ids
from ..publish.sanitize import sanitize_html

CHUNK = 24  # pages per message at most: enough to amortise the hand-over
SANITIZE_BATCH = 16
_STOP = None  # the message that ends the helper

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


def map_halves(fn, items: list, minimum: int = 400) -> list:
    """``[fn(x) for x in items]``, the second half computed in a forked process while
    this one computes the first, when the helper may be used (``available()``) and there
    are at least ``minimum`` items (below, forking costs more than it saves). The results
    must be picklable. If the other process cannot start or fails, this one does it all."""
    if len(items) < minimum or not available():
        return [fn(x) for x in items]
    half = len(items) // 2
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_map_part, args=(fn, items[half:], sending), daemon=True)
    try:
        process.start()
    except (OSError, NotImplementedError):
        return [fn(x) for x in items]
    finally:
        sending.close()
    first = [fn(x) for x in items[:half]]
    try:
        ok, second = receiving.recv()
    except (EOFError, OSError):
        ok, second = False, None
    receiving.close()
    process.join()
    return first + (second if ok else [fn(x) for x in items[half:]])


def _map_part(fn, items: list, sending) -> None:
    try:
        sending.send((True, [fn(x) for x in items]))
    except Exception:  # failed, or results that cannot be sent: the main process computes them itself
        sending.send((False, None))
    sending.close()


class RenderError(Exception):
    """A page the helper could not render; the message names the cause."""


def _render_all(site, put) -> None:
    """Render every page in order, with the anchors of its islands (kb.render.islands), small
    messages first so that the first page arrives soon."""
    start, size = 0, 1
    while start < len(site.pages):
        stop = min(start + size, len(site.pages))
        out = []
        for page in site.pages[start:stop]:
            try:
                out.append((page.markdown, anchor_ids(page.markdown)))
            except Exception as error:  # reported for this page only, when it is asked for
                out.append(RenderError(f"{type(error).__name__}: {error}"))
        put(("pages", start, out))
        start, size = stop, min(size * 2, CHUNK)


def _serve(request):
    kind, number, payload = request
    if kind == "call":
        fn, args = payload
        try:
            return ("call", number, True, fn(_site, *args))
        except Exception as error:  # the main process reports it
            return ("call", number, False, f"{type(error).__name__}: {error}")
    return ("sanitized", number, [sanitize_html(html) for html in payload])


def _worker(requests, results) -> None:
    """The helper process: render every page, then answer requests until told to stop.
    One thread reads requests and one sends results, so that neither pipe ever waits
    on this process's work (nor this work on the main process)."""
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    outbox: queue.SimpleQueue = queue.SimpleQueue()

    def receive():
        while True:
            try:
                request = requests.recv()
            except EOFError:
                request = _STOP
            inbox.put(request)
            if request is _STOP:
                return

    def send():
        while (message := outbox.get()) is not _STOP:
            results.send(message)

    threading.Thread(target=receive, daemon=True).start()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    _render_all(_site, outbox.put)
    while (request := inbox.get()) is not _STOP:
        outbox.put(_serve(request))
    outbox.put(_STOP)
    sender.join()


class _Pending:
    """The result of a ``call``, received from the helper when asked for."""

    def __init__(self, helper: "Helper", number: int):
        self._helper, self._number = helper, number

    def result(self):
        return self._helper._wait("call", self._number)


class Helper:
    """One helper process for one build of ``site`` (a kb.build.session.Site)."""

    def __init__(self, site):
        global _site
        _site = site  # set before the fork: the helper sees this site
        context = multiprocessing.get_context("fork")
        self._requests, requests = context.Pipe()
        results, self._results = context.Pipe()
        # raises OSError or NotImplementedError where processes cannot be started
        # (no fork…): the caller works alone then
        self._process = context.Process(target=_worker, args=(requests, results), daemon=True)
        try:
            self._process.start()
        finally:
            requests.close()
            results.close()
        # requests go out and results come in through threads: a large batch of HTML fills
        # a pipe faster than the busy process at the other end empties it, and the
        # generator must not wait for that
        self._outgoing: queue.SimpleQueue = queue.SimpleQueue()
        self._incoming: queue.SimpleQueue = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send, daemon=True)
        self._sender.start()
        threading.Thread(target=self._collect, daemon=True).start()
        self._index = {page.path: i for i, page in enumerate(site.pages)}
        self._pages: dict[int, object] = {}  # index -> (Markdown, anchors) or RenderError, until asked for
        self._anchors: dict[str, set[str]] = {}
        self._answers: dict[tuple[str, int], object] = {}
        self._numbers = 0
        self._batch: list[tuple[object, str]] = []
        self._cleaning: deque[tuple[int, list]] = deque()  # (batch number, keys)

    def _collect(self) -> None:
        while True:
            try:
                message = self._results.recv()
            except (EOFError, OSError) as error:  # the helper died, or the build is over
                self._incoming.put(("gone", error))
                return
            self._incoming.put(message)

    def _receive(self, block: bool = True) -> bool:
        """Take one message from the helper (``block``: wait for it). Whether one came."""
        try:
            message = self._incoming.get(block=block)
        except queue.Empty:
            return False
        if message[0] == "gone":
            self._incoming.put(message)  # for whoever waits next
            raise EOFError(f"processus auxiliaire arrêté ({message[1]!r})")
        if message[0] == "pages":
            _, start, texts = message
            for offset, text in enumerate(texts):
                self._pages[start + offset] = text
        else:
            self._answers[(message[0], message[1])] = message
        return True

    def _wait(self, kind: str, number: int):
        while (kind, number) not in self._answers:
            self._receive()
        message = self._answers.pop((kind, number))
        if kind == "call":
            if not message[2]:
                raise RuntimeError(message[3])
            return message[3]
        return message[2]

    def _send(self) -> None:
        while True:
            message = self._outgoing.get()
            try:
                self._requests.send(message)
            except OSError:  # the helper is gone: the main thread finds out when it waits
                return
            if message is _STOP:
                return

    def _request(self, kind: str, payload) -> int:
        self._numbers += 1
        self._outgoing.put((kind, self._numbers, payload))
        return self._numbers

    def markdown(self, path: str) -> str:
        """The Markdown of the page at ``path``, rendered by the helper (handed over once)."""
        i = self._index.pop(path)
        while i not in self._pages:
            self._receive()
        rendered = self._pages.pop(i)
        if isinstance(rendered, RenderError):
            raise rendered
        text, self._anchors[path] = rendered
        return text

    def anchor_ids(self, path: str) -> set[str]:
        """The anchors of the islands of the page at ``path`` (kb.render.islands.anchor_ids), once."""
        return self._anchors.pop(path)

    def call(self, fn, *args) -> _Pending:
        """``fn(site, *args)`` in the helper (``fn`` a module-level function), once the pages are rendered."""
        return _Pending(self, self._request("call", (fn, args)))

    def sanitize(self, key, html: str) -> bool:
        """Queue a page's HTML; whether that sent a batch to the helper."""
        self._batch.append((key, html))
        if len(self._batch) >= SANITIZE_BATCH:
            self._flush()
            return True
        return False

    def flush(self) -> None:
        """Send the pages queued so far without waiting for a full batch (the last ones)."""
        self._flush()

    def _flush(self) -> None:
        if self._batch:
            number = self._request("sanitize", [html for _, html in self._batch])
            self._cleaning.append((number, [key for key, _ in self._batch]))
            self._batch = []

    def sanitized(self, wait: bool = True, until=None) -> list[tuple[object, str]]:
        """(key, cleaned HTML) for the pages queued by ``sanitize``, in order, each once:
        all of them (``wait``), those the helper has finished, or (``until``) every
        page up to that key, waiting for them if need be."""
        if wait or until is not None:
            self._flush()
        while self._receive(block=False):
            pass
        out, reached = [], until is None
        while self._cleaning:
            number, keys = self._cleaning[0]
            if not (wait or not reached or ("sanitized", number) in self._answers):
                break
            self._cleaning.popleft()
            out.extend(zip(keys, self._wait("sanitized", number), strict=True))
            reached = reached or any(k is until for k in keys)
        return out

    def close(self) -> None:
        global _site
        self._outgoing.put(_STOP)
        self._sender.join(timeout=1)
        self._process.join(timeout=1)  # done at once after a build; still rendering after an error
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._requests.close()
        self._results.close()
        _site = None
