"""The markers around a content file's body in a rendered page.

A page mixes the templates' HTML (trusted, every value escaped by Jinja2) with the
HTML a site generator makes of a content file's Markdown body (untrusted). The
templates' ``markdown_body`` filter puts each body between ``BODY_OPEN`` and
``BODY_CLOSE``; kb.publish.sanitize cuts the page there and cleans the body with
its stricter policy. A body cannot write the markers itself: ``mark_body``
rewrites any look-alike first.
"""
from __future__ import annotations

import re

BODY_OPEN = "<!--kb-body-->"
BODY_CLOSE = "<!--/kb-body-->"
_LOOK_ALIKE = re.compile(r"<!--(\s*/?\s*)kb-body", re.I)


def mark_body(markdown: str) -> str:
    """A content file's Markdown body between the two body markers, each on its own line
    with blank lines around; a marker look-alike inside the body is rewritten first."""
    if "kb-body" in markdown.lower():
        markdown = _LOOK_ALIKE.sub(lambda m: "<!--" + m.group(1) + "kb-corps", markdown)
    return f"\n\n{BODY_OPEN}\n\n{markdown}\n\n{BODY_CLOSE}\n\n"
