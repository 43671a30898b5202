"""Markdown attribute lists limited to safe ids, and safe heading ids (Python-Markdown).

Python-Markdown's ``attr_list`` lets a text set any attribute on an element:
``## Titre {#x" onmouseover="alert(1)}`` gives the heading the id ``x"`` and an
``onmouseover`` attribute. The sanitiser cleans the article, but the theme prints
heading ids outside it, unescaped (table of contents, skip link): a stored script.

``SafeAttrListExtension`` (``kb.adapters.attrs`` in mkdocs.yml, in place of
``attr_list``) reads the same syntax and applies only one thing: an id that is a
safe slug (``SAFE_ID``: lower-case ASCII letters and digits, joined by single hyphens
or underscores) and
does not mimic the theme or the site's scripts (``RESERVED_PREFIXES``). Every
other attribute (classes, ``key=value``, ``data-toc-label``…) is dropped, and the
syntax itself is removed from the text. The page templates only use ``{ #id }``
on headings, with ids that are identifiers of the content model.

``slugify`` is the table of contents' id maker (set on toc by the extension): it gives
the same kind of safe slug for headings without an explicit id, so that every id
the theme prints outside the article comes from this module.

Invariant: every heading id in a built page, hence in its table of contents and
skip link, matches SAFE_ID (or SAFE_ID plus toc's ``_N`` suffix for duplicates).
"""
from __future__ import annotations

import re

from markdown import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.extensions.toc import slugify as toc_slugify
from markdown.treeprocessors import Treeprocessor

SAFE_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MAX_ID_LENGTH = 80
# ids and classes of Material (md-…, __drawer…), of Pagefind and of the site's own scripts (kb-…)
RESERVED_PREFIXES = ("md-", "kb-", "pagefind", "__", "mdx-", "fn-", "fnref-")


def safe_id(value: str | None) -> bool:
    """Whether ``value`` may be an element id set from content."""
    return bool(value) and len(value) <= MAX_ID_LENGTH and bool(SAFE_ID.match(value)) and \
        not value.startswith(RESERVED_PREFIXES)


def slugify(value: str, separator: str = "-") -> str:
    """A heading's text as a safe id: Python-Markdown's own slug (so that existing anchors
    keep working), with runs of hyphens and underscores reduced to one and trimmed;
    "section" when nothing is left; prefixed with "s-" when it would look like a reserved id."""
    slug = toc_slugify(value, separator).lower()
    slug = re.sub(r"[^a-z0-9_-]+", "", slug)
    slug = re.sub(r"[-_]*([-_])[-_]*", r"\1", slug).strip("-_")[:MAX_ID_LENGTH].strip("-_") or "section"
    return slug if safe_id(slug) else f"s-{slug}"


class SafeAttrListTreeprocessor(AttrListTreeprocessor):
    def assign_attrs(self, elem, attrs_string: str, *, strict: bool = False) -> str:
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder
        for key, value in attrs:
            if key == "id" and safe_id(value):
                elem.set("id", value)
        return remainder


class SafeSlugTreeprocessor(Treeprocessor):
    """Gives the table of contents (toc, which runs next) this module's ``slugify``: set here
    rather than in mkdocs.yml, whose plain YAML cannot name a Python function portably."""

    def run(self, doc) -> None:
        if "toc" in self.md.treeprocessors:
            self.md.treeprocessors["toc"].slugify = slugify


class SafeAttrListExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(SafeAttrListTreeprocessor(md), "attr_list", 8)
        # after attribute lists (8), before the table of contents (5)
        md.treeprocessors.register(SafeSlugTreeprocessor(md), "kb_safe_slugify", 6)
        md.registerExtension(self)


def makeExtension(**kwargs) -> SafeAttrListExtension:  # noqa: N802 - Python-Markdown's entry point
    return SafeAttrListExtension(**kwargs)
