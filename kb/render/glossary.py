"""The glossary of acronyms (data/glossaire.yml), explained where readers meet them.

``load`` reads the data file (its path comes from the build's settings); the
« Glossaire » page lists every entry (templates/glossary.md); ``explain_first_uses``
wraps the first use of each acronym on a page in ``<abbr title="…">``, in the final
HTML of the page (tables of cases included), outside links' attributes, code,
headings' anchors and drawings. The build session applies it to each converted
page, before the page is sanitised (kb.assemble.session).
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.vocab import DataFileError, read_glossary
from ..graph.collation import sort_key

FILE = "glossaire.yml"  # in data/
# text inside these elements is left as it is (inside a link, a tap follows the link: the
# acronym is explained at its first use outside one, where kb-abbr.js shows it on a tap)
_SKIP = {"a", "abbr", "code", "pre", "script", "style", "svg", "textarea", "title", "kbd", "samp", "button"}


@dataclass(frozen=True)
class Entry:
    sigle: str
    forme: str
    definition: str = ""

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.sigle.lower()).strip("-")


def load(path: Path) -> tuple[Entry, ...]:
    """Every entry, in French alphabetical order of the acronym. A file with problems gives
    none: the content check reports them (kb.content.vocab.ProjectData.problems)."""
    try:
        raw = read_glossary(Path(path))
    except DataFileError:
        return ()
    entries = [Entry(*item) for item in raw]
    return tuple(sorted(entries, key=lambda e: (sort_key(e.sigle), e.sigle)))


@functools.lru_cache(maxsize=4)
def _matcher(entries: tuple[Entry, ...]):
    """The acronyms, longest first, not followed by a word character, a number or an address,
    and the full form of each (``None`` without entries).

    The alternatives are grouped by first letter (``P(?:CAET|ETR|AT)``): the page is read
    once, and at each letter that can begin an acronym only the acronyms that begin with it
    are tried, in the same order as a flat list of every acronym, longest first (a third
    faster). What comes before is checked apart (``_BEFORE_WORD``, in ``explain_first_uses``):
    a pattern that opens on a look-behind is tried at every character of the page, five times
    slower."""
    if not entries:
        return None
    names = sorted((e.sigle for e in entries), key=len, reverse=True)
    by_first: dict[str, list[str]] = {}
    for name in names:
        by_first.setdefault(name[:1], []).append(name[1:])
    branches = []
    for first, rests in by_first.items():
        longer = "|".join(re.escape(rest) for rest in rests if rest)
        if not longer:  # a one-letter acronym
            branches.append(re.escape(first))
        else:  # the rests are longest first; a one-letter acronym (empty rest) is tried last
            branches.append(re.escape(first) + f"(?:{longer})" + ("?" if "" in rests else ""))
    pattern = re.compile("(" + "|".join(branches) + r")(?![\w/@-])")
    # an acronym spelt with a « < » (refused in data/glossaire.yml) could span a tag's start:
    # then the whole page is read (``_occurrences``)
    return pattern, {e.sigle: e.forme for e in entries}, any("<" in name for name in names)


_BEFORE_WORD = re.compile(r"[\w/.@-]")


def explain_first_uses(page_html: str, entries: tuple[Entry, ...]) -> str:
    """``page_html`` with the first use of each acronym wrapped in <abbr title="forme">.

    The page is read as a sequence of tags (``<`` to the next ``>``) and text. Only the
    acronyms' occurrences are visited, not every tag: one is explained when it is in text
    (no tag begun since the last ``>``) and outside the elements of ``_SKIP``, whose
    opening and closing tags are followed on the way, as far as the last occurrence of an
    acronym not yet explained (a page without any acronym is read once, by one search)."""
    compiled = _matcher(entries)
    if compiled is None:
        return page_html
    matcher, titles, spans_tags = compiled
    before = _BEFORE_WORD.match
    # the occurrences that start a word: not inside a longer word, a number or an address
    # (``SEM`` in ``ASSEMBLÉE``, ``PAT`` in ``/pat/`` or ``x.PAT``)
    occurrences = matcher.finditer(page_html) if spans_tags else _occurrences(page_html, matcher)
    found = [m for m in occurrences if not m.start() or before(page_html, m.start() - 1) is None]
    if not found:
        return page_html
    # the elements of _SKIP open at this point of the walk: how many of each name (a closing
    # tag closes one of its name, if one is open; one not open is ignored)
    open_elements: dict[str, int] = {}
    skipping = 0  # their number
    tags = _SKIP_TAG.finditer(page_html)
    tag = next(tags, None)
    seen: set[str] = set()
    out = []
    done = 0  # page_html[:done] is in out
    for match in found:
        sigle = match.group(1)
        if sigle in seen:  # nothing to decide: the tags before it are followed only if needed
            continue
        at = match.start()
        while tag is not None and tag.start() < at:  # the skipped elements open and close here
            # only a whole tag counts: not one begun inside another tag (« < » in « a < b <code> »),
            # nor one that closes itself (<svg/>)
            if not _in_tag(page_html, tag.start()) and not tag.group(0).endswith("/>"):
                closing, name = tag.group(1, 2)
                name = name.lower()
                if not closing:
                    open_elements[name] = open_elements.get(name, 0) + 1
                    skipping += 1
                elif open_elements.get(name):
                    open_elements[name] -= 1
                    skipping -= 1
            tag = next(tags, None)
        if not skipping and not _in_tag(page_html, at):
            seen.add(sigle)
            out.append(page_html[done:at])
            out.append(f'<abbr title="{html.escape(titles[sigle], quote=True)}">{sigle}</abbr>')
            done = match.end()
    if not done:
        return page_html
    out.append(page_html[done:])
    return "".join(out)


# an opening or closing tag of an element of _SKIP (whole name: <code>, not <codex>)
_SKIP_TAG = re.compile(r"<(/?)\s*(" + "|".join(sorted(_SKIP)) + r")(?![a-zA-Z0-9])[^>]*>", re.I)
# a closing tag of a drawing, however it is spelt (``.lower()`` tells ``svg`` from ``ſvg``)
_SVG_CLOSE = re.compile(r"</\s*(svg)(?![a-zA-Z0-9])[^>]*>", re.I)


def _occurrences(page_html: str, matcher: re.Pattern) -> list[re.Match]:
    """``matcher.finditer(page_html)``, less the occurrences inside drawings, which are never
    explained: from a whole ``<svg>`` tag (as the templates write it) to the first whole
    closing tag of an svg after it, an svg is open whatever else opens or closes. The maps'
    drawings are a third of the pages' text. No occurrence spans a ``<``, so the pieces read
    between the drawings give the occurrences a reading of the whole page gives there."""
    found: list[re.Match] = []
    start = 0  # read up to here
    look = 0  # the next drawing is looked for from here
    while True:
        at = page_html.find("<svg", look)
        if at < 0:
            found += matcher.finditer(page_html, start)
            return found
        tag = _SKIP_TAG.match(page_html, at)
        if tag is None or tag.group(2) != "svg" or tag.group(0).endswith("/>") or _in_tag(page_html, at):
            look = at + 1  # not a drawing opened here (<svgx>, <svg/>, inside another tag)
            continue
        found += matcher.finditer(page_html, start, at)
        for close in _SVG_CLOSE.finditer(page_html, tag.end()):
            if close.group(1).lower() == "svg" and not close.group(0).endswith("/>") \
                    and not _in_tag(page_html, close.start()):
                start = look = close.start()
                break
        else:  # never closed: nothing after it is explained
            return found


def _in_tag(page_html: str, at: int) -> bool:
    """Whether ``at`` is inside a tag: a ``<`` after the last ``>`` before it (a ``<`` never
    closed, which a browser would show as text, counts too: nothing is explained after it)."""
    return page_html.rfind("<", 0, at) > page_html.rfind(">", 0, at)
