"""Python-Markdown extension that stores generated HTML blocks ("islands") as raw HTML.

The markers and the rules of an island are in kb.render.islands; this module is
the Markdown side only (``kb.adapters.islands`` in mkdocs.yml). Without it, the
page is the same, only slower to build (tests/test_islands.py).
"""
from __future__ import annotations

from markdown import Extension
from markdown.preprocessors import Preprocessor

from ..render.islands import blocks

# after whitespace normalisation (30: it removes the delimiters of placeholders, ours included),
# before fenced code (25), MkDocs' anchor finder (21) and html_block (20), which would each scan
# the islands
PRIORITY = 28


class IslandPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out, pos = [], 0
        for start, end in blocks(lines):
            out.extend(lines[pos:start])
            out.extend(("", self.md.htmlStash.store("\n".join(lines[start + 1:end])), ""))
            pos = end + 1
        if not pos:
            return lines
        out.extend(lines[pos:])
        return out


class IslandExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(IslandPreprocessor(md), "kb_islands", PRIORITY)


def makeExtension(**kwargs) -> IslandExtension:  # noqa: N802 - Python-Markdown's entry point
    return IslandExtension(**kwargs)
