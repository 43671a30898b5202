"""Results kept by what they were computed from, from one build to the next (``Memo``).

A live preview rebuilds the whole site after each edit. Most of the work of a rebuild
gives what the previous build gave: the same HTML cleaned the same way, the same pages
rendered from the same data. A ``Memo`` keeps each result under the full text of its
inputs (never a hand-written list of what depends on what, which goes stale): a result
is reused only when every input is equal to the one it was computed from, so a build
with a memo writes what a build without one writes (tests/test_serve.py,
tests/test_pipeline.py).

A memo lives as long as the adapter that holds it (one ``mkdocs serve`` process).
``next_build()`` starts a build: results not used by the build before are dropped, so a
memo holds at most two builds' worth. Only a live preview keeps results (``keep``): a
single build would hold every page's HTML twice for nothing (gigabytes at 5,000
cases). The compiled templates are kept in every case (a few hundred kilobytes).
"""
from __future__ import annotations

from typing import Callable, Hashable

import jinja2

from .reuse import Bodies


class Memo:
    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self._current: dict[tuple, object] = {}
        self._previous: dict[tuple, object] = {}
        self.hits = 0
        self.misses = 0
        self.templates = CompiledTemplates()
        self.bodies = Bodies()  # a live preview's page bodies (kb.assemble.reuse)

    def get(self, kind: str, key: Hashable, function: Callable, *args):
        """``function(*args)``, or the result it gave for an equal ``key`` and equal ``args``
        in this build or the one before. ``kind`` names the computation (one memo serves
        several)."""
        return self.keyed(kind, (key, args), lambda: function(*args))

    def keyed(self, kind: str, key: Hashable, compute: Callable[[], object]):
        """``compute()``, or the result it gave for an equal ``key`` in this build or the one
        before: ``key`` must hold everything the result depends on."""
        if not self.keep:
            return compute()
        full = (kind, key)
        if full in self._current:
            self.hits += 1
            return self._current[full]
        if full in self._previous:
            self.hits += 1
            result = self._current[full] = self._previous.pop(full)
            return result
        self.misses += 1
        result = self._current[full] = compute()
        return result

    def same(self, kind: str, key, compute: Callable[[], object]):
        """``compute()``, or the result it gave in the build before when ``key`` was equal
        (compared with ``==``: for keys that cannot be hashed, such as records)."""
        if not self.keep:
            return compute()
        known = self._previous.get((kind, "same"))
        if known is not None and known[0] == key:
            self.hits += 1
            result = known[1]
        else:
            self.misses += 1
            result = compute()
        self._current[(kind, "same")] = (key, result)
        return result

    def next_build(self) -> None:
        """A new build starts: what the build before did not use is dropped."""
        self._previous, self._current = self._current, {}
        self.hits = self.misses = 0


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja2's compiled templates kept in memory, for the project's templates and the
    theme's: Jinja2 itself stores each under its template's name and reuses it only for a
    source with the same checksum (an edited template is compiled again). Compiling the
    templates was a sixth of a rebuild of the real content."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # checks the source's checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
