"""What each page reads from the graph, and what an edit changed in it.

For the live preview (kb.build.preview). While a page is rendered, the graph's
dictionaries (records, territories, indexes, "coopérations proches"…) are seen
through ``TrackedDict`` views that note every key the page looks up, and note
``(name, EVERY)`` when the page walks or counts a whole dictionary (the
catalogue, the home page's figures). After an edit, ``changes`` compares the
graph before and after, key by key: a page whose reads meet none of the changed
keys, and whose own inputs (template, title, context) are the same, would come
out the same, and keeps its Markdown.

tests/test_incremental.py checks, edit after edit, that the preview's pages are
exactly those of a full build, and that an edit renders few pages again.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from contextlib import contextmanager

EVERY = None  # "the whole dictionary" (no key of the graph is None)


class Reads:
    """The keys read by the page being rendered (``current``), if any."""

    def __init__(self):
        self.current: set | None = None

    @contextmanager
    def page(self):
        outer, self.current = self.current, set()
        try:
            yield self.current
        finally:
            self.current = outer


class TrackedDict(Mapping):
    """A read-only view of a dictionary of the graph that notes what is read through it.
    ``nested``: its values are dictionaries too, seen the same way (vocabulary -> term -> ids)."""

    __slots__ = ("_data", "_name", "_reads", "_nested")

    def __init__(self, data: dict, name, reads: Reads, nested: bool = False):
        self._data, self._name, self._reads, self._nested = data, name, reads, nested

    def _note(self, key) -> None:
        current = self._reads.current
        if current is not None:
            current.add((self._name, key))

    def _view(self, key, value):
        return TrackedDict(value, (self._name, key), self._reads) if self._nested else value

    def __getitem__(self, key):
        self._note(key)
        return self._view(key, self._data[key])

    def get(self, key, default=None):
        self._note(key)
        return self._view(key, self._data[key]) if key in self._data else default

    def __contains__(self, key) -> bool:
        self._note(key)
        return key in self._data

    def __iter__(self):
        self._note(EVERY)
        return iter(self._data)

    def __len__(self) -> int:
        self._note(EVERY)
        return len(self._data)

    def items(self):
        self._note(EVERY)
        if self._nested:
            return [(k, self._view(k, v)) for k, v in self._data.items()]
        return self._data.items()

    def values(self):
        self._note(EVERY)
        if self._nested:
            return [self._view(k, v) for k, v in self._data.items()]
        return self._data.values()

    def keys(self):
        self._note(EVERY)
        return self._data.keys()

    def __repr__(self) -> str:
        return f"TrackedDict({self._name!r}, {len(self._data)} keys)"


RECORDS = ("cooperations", "recommendations", "documents", "pages", "references")
INDEXES = ("territories", "recos_of", "coops_of", "citing", "partners_of")


def tracked(graph, reads: Reads):
    """The same graph, its dictionaries seen through TrackedDict views."""
    content = graph.content
    view = {name: TrackedDict(getattr(content, name), name, reads) for name in RECORDS}
    tracked_content = dataclasses.replace(content, **view)
    return dataclasses.replace(
        graph, content=tracked_content, cooperations=TrackedDict(graph.cooperations, "cooperations", reads),
        recommendations=TrackedDict(graph.recommendations, "recommendations", reads),
        by_term=TrackedDict(graph.by_term, "by_term", reads, nested=True),
        related_ids=TrackedDict(graph.related, "related", reads),
        **{name: TrackedDict(getattr(graph, name), name, reads) for name in INDEXES})


def _changed(name, before: dict, after: dict, same=None) -> set:
    """(name, key) for every key added, removed or changed, and (name, EVERY) if any."""
    keys = {(name, k) for k in before.keys() ^ after.keys()}
    for k, value in after.items():
        if k in before and not (same(before[k], value) if same else before[k] == value):
            keys.add((name, k))
    if keys or list(before) != list(after):  # the order is part of a walk
        keys.add((name, EVERY))
    return keys


def changes(before, after, same_record) -> set:
    """The keys of the graph that differ between two graphs built from the same data files
    and templates. ``same_record(a, b)``: whether two records look the same on other
    pages than their own (kb.build.preview compares them without their bodies)."""
    out = set()
    for name in RECORDS:
        out |= _changed(name, getattr(before.content, name), getattr(after.content, name), same_record)
    for name in INDEXES:
        out |= _changed(name, getattr(before, name), getattr(after, name))
    out |= _changed("related", before.related, after.related)
    out |= _changed("by_term", before.by_term, after.by_term)
    for vocab in before.by_term.keys() & after.by_term.keys():
        out |= _changed(("by_term", vocab), before.by_term[vocab], after.by_term[vocab])
    return out
