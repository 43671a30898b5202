"""Abbreviations (``*[SIGLE]: forme``) that apply to the body that defines them, and only there.

Python-Markdown's ``abbr`` extension applies a definition to the whole page: one written in
a content file's body would dress the page's own title, headings and template text (the
« Sources » heading of every case, for instance). Here the same extension wraps only the
text between the body markers (kb.render.body), found as the raw HTML placeholders they
become; a page without markers is a body of its own (the exported project converts each
body alone, with the stock ``abbr``: kb.adapters.export).
"""
from __future__ import annotations

import re

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ..render.body import BODY_CLOSE, BODY_OPEN


class BodyAbbrTreeprocessor(AbbrTreeprocessor):
    def _marker(self, el) -> str | None:
        if el.tag != "p" or len(el) or not el.text:
            return None
        match = HTML_PLACEHOLDER_RE.fullmatch(el.text.strip())
        blocks = self.md.htmlStash.rawHtmlBlocks
        if not match or int(match.group(1)) >= len(blocks):
            return None
        block = str(blocks[int(match.group(1))]).strip()
        return block if block in (BODY_OPEN, BODY_CLOSE) else None

    def _has_marker(self, el) -> bool:
        return any(self._marker(child) for child in el.iter())

    def _visit(self, parent, inside: bool) -> bool:
        """Wrap the abbreviations of the children of ``parent`` that are inside a body."""
        for child in list(parent):
            marker = self._marker(child)
            if marker:
                inside = marker == BODY_OPEN
            elif inside:
                self.iter_element(child, parent)
            else:
                inside = self._visit(child, inside)
        return inside

    def run(self, root):
        if not self.abbrs:
            return
        names = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b")
        if self._has_marker(root):
            self._visit(root, False)
        else:
            self.iter_element(root)


class BodyAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(BodyAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's name
    return BodyAbbrExtension(**kwargs)
