"""Generated HTML kept out of the Markdown parser ("islands").

The pages' templates write large blocks of HTML: tables of cases, maps, the
explorer. Markdown passes a block of raw HTML through unchanged, but it must
first parse it to find where the block ends: Python-Markdown's html_block
preprocessor and MkDocs' anchor finder each run Python's html.parser over it,
which was two thirds of a build. The templates know where their blocks begin
and end, so they mark them (the ``island`` filter, between two HTML comments),
and ``IslandExtension`` (a Python-Markdown extension: ``kb.adapters.islands`` in
mkdocs.yml) stores each marked block as raw HTML before any parser sees it.

The page is the same either way: without the extension, Markdown parses the
blocks and passes them through, the comments included, and the sanitiser
(kb.publish.sanitize) removes comments. tests/test_islands.py converts every page both
ways and compares the cleaned HTML.

Markdown no longer sees the ``id`` attributes inside islands: ``anchor_ids``
lists them, for whatever checks links to anchors (kb_hooks adds them to
MkDocs' list of a page's anchors).
"""
from __future__ import annotations

import html
import re

import markupsafe

OPEN = "<!--kb-island-->"
CLOSE = "<!--/kb-island-->"
_ID = re.compile(' id="([^"]*)"')  # as the templates write it (a literal prefix: a fast search)


def island(block) -> markupsafe.Markup:
    """Jinja2 filter: mark a rendered block of HTML (already escaped) as an island.
    The block must start with a block-level tag and stand at the top level of the page.
    Islands inside it (a map in the explorer) become part of it."""
    text = str(block).strip()
    if OPEN in text:
        text = text.replace(f"\n{OPEN}\n", "\n").replace(f"\n{CLOSE}\n", "\n")
    return markupsafe.Markup(f"\n{OPEN}\n{text}\n{CLOSE}\n")


def neutralise(markdown: str) -> str:
    """A content file's body cannot open or close an island: its markers become plain comments."""
    if "kb-island" not in markdown:
        return markdown
    return markdown.replace(OPEN, "<!-- kb-island -->").replace(CLOSE, "<!-- /kb-island -->")


def blocks(lines: list[str]):
    """(start, end) line indexes of each island's markers, in order: the HTML is
    ``lines[start + 1:end]``. Markers are whole lines: list.index finds them without
    reading the text between."""
    pos = 0
    while True:
        try:
            start = lines.index(OPEN, pos)
            end = lines.index(CLOSE, start + 1)
        except ValueError:
            return
        yield start, end
        pos = end + 1


def anchor_ids(markdown: str) -> set[str]:
    """The ``id`` attributes of the islands of a page's Markdown. Most pages have islands
    but no ``id`` anywhere: one search of the text tells, without cutting it into lines."""
    if OPEN not in markdown or ' id="' not in markdown:
        return set()
    lines = markdown.split("\n")
    return {html.unescape(i) for start, end in blocks(lines)
            for line in lines[start + 1:end] if ' id="' in line for i in _ID.findall(line)}
