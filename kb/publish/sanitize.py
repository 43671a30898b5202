"""Sanitise the HTML of every rendered page (defence in depth).

Content files are untrusted. Their front matter is escaped by the templates;
their Markdown body may contain raw HTML, which Python-Markdown passes through.
After rendering, each page's HTML goes through nh3 (ammonia) with an allow-list
that keeps what Markdown, Material and our own generated SVG need, and nothing
that runs: no <script>, no on*= attribute, no javascript: or data: URL, and no
image loaded from another host.

Two policies: a page's HTML is made of the templates' HTML (trusted, values
escaped by Jinja2) and of the HTML Markdown made from a content file's body
(untrusted). ``mark_body`` (the templates' ``markdown_body`` filter) puts the
body between two HTML comments, ``BODY_OPEN`` and ``BODY_CLOSE``, each alone on
its line, which Python-Markdown passes through; the body itself cannot write
them (``mark_body`` rewrites any look-alike in it). ``sanitize_html`` cuts the
page at the markers and cleans each part on its own:

- template parts: the templates' own allow-list, with only the ``data-``
  attributes the site's scripts read (``TEMPLATE_DATA_PREFIXES``) and the form
  controls of the catalogue's facets;
- the body part, stricter: no ``data-`` attribute at all (``BODY_DATA_PREFIXES``
  is empty: Markdown writes none and no script of the site reads one from a
  body, so a body could only use them to spoof search metadata, such as
  ``data-pagefind-*``, or the theme's ``data-md-*``), no form control (input,
  label, fieldset…: a body could draw a fake form or dialog), and no ``id`` or
  ``class`` value that mimics the theme, the search or the site's scripts
  (``md-…``, ``kb-…``, ``pagefind…``, ``__…``): such an id is removed, such a
  class name dropped from the list.

A body's footnotes, which Python-Markdown moves to the end of the page, are cleaned
as body too (``FOOTNOTES``). Fail-safe: a body that swallows its closing marker (an unclosed code fence
turns it into text) makes the rest of the page a body part: stricter, never
looser. Pagefind's ``data-pagefind-*`` attributes are added to the built pages
by kb.search.index after sanitising, never through here: no policy lets one pass.
"""
from __future__ import annotations

import re

import nh3

from ..render.body import BODY_CLOSE, BODY_OPEN, mark_body  # noqa: F401 - the markers templates write

_TEXT = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul", "var", "nav", "section", "aside",
}
_FORM = {"label", "input", "fieldset", "legend"}  # the catalogue's facets (templates only)
_SVG = {"svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect", "text",
        "tspan", "title", "desc"}
_GENERIC = {"id", "class", "title", "lang", "dir", "role", "hidden", "aria-label", "aria-labelledby",
            "aria-describedby", "aria-hidden", "aria-live", "aria-current", "aria-sort",
            "aria-expanded", "aria-controls", "tabindex"}
_SVG_ATTRS = {"viewBox", "width", "height", "xmlns", "focusable", "preserveAspectRatio", "d", "fill",
              "stroke", "stroke-width", "stroke-linecap", "stroke-dasharray", "opacity", "transform",
              "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "points", "text-anchor",
              "dominant-baseline", "font-size", "font-weight", "vector-effect"}
_ATTRIBUTES = {
    "*": _GENERIC,
    "a": {"href", "rel", "hreflang", "download", "type"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "scope", "align", "style", "abbr"},
    "col": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
    **{tag: _SVG_ATTRS for tag in _SVG},
}
_FORM_ATTRIBUTES = {"input": {"type", "checked", "disabled", "name", "value",
                              # « ma commune » combobox (kb-commune.js, ARIA 1.2 combobox pattern)
                              "aria-autocomplete", "aria-activedescendant", "autocomplete", "spellcheck",
                              "placeholder"},
                    "label": {"for"}}

# The data- attributes the templates write and the site's scripts read (kb-explorer.js,
# kb-sort.js, kb-search.js): prefixes, as nh3 matches them. None of them is Pagefind's or
# Material's (data-pagefind-*, data-md-*).
TEMPLATE_DATA_PREFIXES = frozenset({"data-kb-", "data-sort", "data-titre", "data-id", "data-coop", "data-ajout",
                                    "data-annee", "data-dep", "data-f-", "data-facet", "data-chart",
                                    "data-champ", "data-valeur", "data-origine",  # provenance marks
                                    "data-label",  # a table cell's column name, shown on phone cards
                                    "data-region", "data-key"})  # map markers (kb-map.js)
# The data- attributes a content body may carry: none (see the module's docstring).
BODY_DATA_PREFIXES: frozenset[str] = frozenset()
# id and class values a body may not use: the theme's (Material: md-…, __drawer…), the
# search's (Pagefind) and the site's scripts' (kb-…)
RESERVED_NAME = re.compile(r"^(?:md-|mdx-|kb-|pagefind|__|data-md|tx-)", re.I)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]{0,99}$")

# An image on another host would make every reader's browser call that host
# (privacy): only images served by the site itself are kept.
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_local_url(value: str) -> bool:
    """Whether a browser resolves ``value`` (an attribute value, entities decoded) on the
    page's own host. Read as the URL standard does: surrounding spaces and control
    characters dropped, tabs and newlines removed anywhere, ``\\`` taken for ``/``."""
    url = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
                                                 "\x1c\x1d\x1e\x1f ")
    url = url.replace("\\", "/")
    return not (url.startswith("//") or _SCHEME.match(url))


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_local_url(value):
        return None
    return value


def _body_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _SAFE_ID.match(value) and not RESERVED_NAME.match(value) else None
    if attribute == "class":
        names = [n for n in value.split() if not RESERVED_NAME.match(n)]
        return " ".join(names) or None
    return _local_images_only(tag, attribute, value)


def sanitize_html(html: str) -> str:
    """HTML with everything that could run removed; safe markup unchanged. The body of a
    content file (between the body markers) is cleaned with the stricter body policy."""
    start = html.find(BODY_OPEN)
    if start < 0:
        return _template(html)
    out = [_template(html[:start])]
    rest = html[start + len(BODY_OPEN):]
    while True:
        end = rest.find(BODY_CLOSE)
        if end < 0:  # the body swallowed its closing marker: the rest is body (stricter)
            out.append(_body(rest))
            break
        out.append(_body(rest[:end]))
        rest = rest[end + len(BODY_CLOSE):]
        start = rest.find(BODY_OPEN)
        if start < 0:
            out.append(_template(rest))
            break
        out.append(_template(rest[:start]))
        rest = rest[start + len(BODY_OPEN):]
    return "".join(out)


# Python-Markdown puts a body's footnotes at the end of the page, after the template's
# HTML: the templates write no footnote, so this block is always a body's.
FOOTNOTES = '<div class="footnote">'


def _cleaner(tags, attributes, data_prefixes, **options) -> nh3.Cleaner:
    """One policy, built once: nh3 builds its allow-lists when a Cleaner is made, not at
    each page (at 5,000 cases, building them for every part of every page cost as much as
    cleaning the pages)."""
    return nh3.Cleaner(
        tags=set(tags),
        attributes={tag: set(names) for tag, names in attributes.items()},
        generic_attribute_prefixes=set(data_prefixes),
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
        **options,
    )


# The three policies (immutable once made). The templates write no image: the filter that
# drops images from other hosts, a Python call for every attribute of the part, is paid only
# by a template part that has one.
_TEMPLATE_POLICY = _cleaner(_TEXT | _FORM | _SVG, {**_ATTRIBUTES, **_FORM_ATTRIBUTES}, TEMPLATE_DATA_PREFIXES)
_TEMPLATE_POLICY_IMAGES = _cleaner(_TEXT | _FORM | _SVG, {**_ATTRIBUTES, **_FORM_ATTRIBUTES},
                                   TEMPLATE_DATA_PREFIXES, attribute_filter=_local_images_only)
_BODY_POLICY = _cleaner(_TEXT | _SVG, _ATTRIBUTES, BODY_DATA_PREFIXES, attribute_filter=_body_filter)


def _template(html: str) -> str:
    notes = html.find(FOOTNOTES)
    if notes >= 0:
        return _template(html[:notes]) + _body(html[notes:])
    return (_TEMPLATE_POLICY_IMAGES if "<img" in html else _TEMPLATE_POLICY).clean(html)


def sanitize_body(html: str) -> str:
    """HTML made from a content body alone, cleaned with the body policy (kb.adapters.export)."""
    return _body(html)


def _body(html: str) -> str:
    if not html.strip():
        return html
    return _BODY_POLICY.clean(html)
