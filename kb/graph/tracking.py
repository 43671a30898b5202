"""What each page reads from the graph, and which of those reads an edit changed.

A live preview renders every page again after each save only if it must. While a page is
rendered from a *tracked* graph (``tracked``), the graph's dictionaries (the records, the
territories, the indexes, « coopérations proches ») are seen through ``TrackedDict`` views
that note each key the page looks up, ``(name, KEYS)`` when it walks or counts the keys of a
whole dictionary (the order of the cases), and ``(name, EVERY)`` when it reads all its values
(a catalogue, the home page's figures). After an edit, ``changes`` compares
the graph before and after, key by key, by value. A page whose notes meet none of the
changed keys, rendered from the same template with the same values (kb.render.pages:
``GeneratedPage.inputs``) and the same data files, would come out the same
(kb.assemble.reuse keeps its body; tests/test_preview.py compares the preview's site with a
full build's, byte for byte, after each kind of edit).

Nothing here guesses what depends on what: a read that does not go through a view is not
noted, so every part of the graph a page can reach without a view (the vocabularies, the
data files) is compared whole by the caller, and a difference there renders every page.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from contextlib import contextmanager

EVERY = None  # every value of the dictionary (no key of the graph is None)
KEYS = ("tracking", "keys")  # its keys and their order only (a walk over the keys, a count)

# the record dictionaries of the graph's Content, and the graph's own dictionaries
RECORDS = ("cooperations", "recommendations", "documents", "pages", "references")
INDEXES = ("cooperations", "recommendations", "territories", "recos_of", "coops_of", "citing", "partners_of",
           "related_ids", "starts")
BODY = ("tracking", "body")  # (name, key, BODY): the record changed, but only its Markdown body
NESTED = ("by_term",)  # vocabulary -> term -> ids: a read of one term is one key


class Reads:
    """The keys read by the page being rendered (``current``), if any; and ``shared``, the
    keys read to compute a value that several pages use once computed (``shared``)."""

    def __init__(self) -> None:
        self.current: set | None = None
        self.shared: set = set()

    @contextmanager
    def page(self):
        """Notes what is read until the end of the block (one page's rendering) into a new set."""
        outer, self.current = self.current, set()
        try:
            yield self.current
        finally:
            self.current = outer


@contextmanager
def shared(graph):
    """For the length of the block, what is read from ``graph`` (if tracked) is noted as read
    by every page: for a value computed once from the graph and kept for the pages rendered
    after (kb.render.places' memberships). A page that uses such a value without computing it
    reads nothing itself: its reads alone would let a preview keep it after the value changed."""
    reads = _reads_of(graph)
    if reads is None:
        yield
        return
    outer, reads.current = reads.current, reads.shared
    try:
        yield
    finally:
        reads.current = outer


def _reads_of(graph) -> Reads | None:
    view = getattr(graph, "territories", None)
    return view._reads if isinstance(view, TrackedDict) else None


class TrackedDict(Mapping):
    """A read-only view of one dictionary of the graph that notes what is read through it.
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
        self._note(KEYS)
        return iter(self._data)

    def __len__(self) -> int:
        self._note(KEYS)
        return len(self._data)

    def __bool__(self) -> bool:
        self._note(KEYS)
        return bool(self._data)

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
        self._note(KEYS)
        return self._data.keys()

    def __repr__(self) -> str:
        return f"TrackedDict({self._name!r}, {len(self._data)} keys)"


def tracked(graph, reads: Reads):
    """The same graph, its dictionaries seen through views that note into ``reads``.
    « Coopérations proches » are computed first (on first use otherwise: the page that asked
    would note every case), then seen through a view like the other indexes."""
    graph.related  # noqa: B018 - computed now, from the graph itself
    content = graph.content
    view_content = dataclasses.replace(content, **{
        name: TrackedDict(getattr(content, name), ("content", name), reads) for name in RECORDS})
    return dataclasses.replace(
        graph, content=view_content,
        **{name: TrackedDict(getattr(graph, name), name, reads) for name in INDEXES},
        **{name: TrackedDict(getattr(graph, name), name, reads, nested=True) for name in NESTED})


def _changed(name, before: dict, after: dict, records: bool = False) -> set:
    """(name, key) for every key added, removed or changed; (name, KEYS) if the keys or their
    order changed; (name, EVERY) if anything did. ``records``: the values are content records,
    and a record whose only change is its Markdown body gives (name, key, BODY) alone: no page
    reads the body of a record but the record's own page, which compares its record whole
    (kb.render.pages: ``GeneratedPage.inputs``; tests/test_preview.py checks the templates)."""
    keys = {(name, k) for k in before.keys() ^ after.keys()}
    if keys or list(before) != list(after):  # the order is part of a walk
        keys.add((name, KEYS))
    bodies = set()
    for k, value in after.items():
        if k in before and not before[k] == value:
            if records and without_body(before[k]) == without_body(value):
                bodies.add((name, k, BODY))
            else:
                keys.add((name, k))
    if keys:
        keys.add((name, EVERY))
    return keys | bodies


def without_body(record):
    """The record as every page but its own sees it: its Markdown body left out."""
    return dataclasses.replace(record, body="", body_line=0)


def changes(before, after) -> set:
    """The keys of the graph whose values differ between two graphs (untracked graphs, built
    from the same data files): a page that read none of them reads the same values."""
    out = set()
    for name in RECORDS:
        out |= _changed(("content", name), getattr(before.content, name), getattr(after.content, name),
                        records=name != "references")
    for name in INDEXES:
        out |= _changed(name, getattr(before, name) or {}, getattr(after, name) or {},
                        records=name in ("cooperations", "recommendations"))
    for name in NESTED:
        outer_before, outer_after = getattr(before, name), getattr(after, name)
        out |= _changed(name, outer_before, outer_after)
        for key in outer_before.keys() & outer_after.keys():
            out |= _changed((name, key), outer_before[key], outer_after[key])
    return out
