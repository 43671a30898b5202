"""Sanitise the HTML of every rendered page (defence in depth).

Content files are untrusted. Their front matter is escaped by the templates;
their Markdown body may contain raw HTML, which Python-Markdown passes through.
After rendering, each page's HTML goes through nh3 (ammonia) with an allow-list
that keeps what Markdown, Material and our own generated SVG need, and nothing
that runs: no <script>, no on*= attribute, no javascript: or data: URL, and no
image loaded from another host.
"""
from __future__ import annotations

import re

import nh3

_TEXT = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul", "var", "nav", "section", "aside", "label", "input", "fieldset", "legend", "output",
}
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
    "input": {"type", "checked", "disabled", "name", "value",
              # « ma commune » combobox (kb-commune.js, ARIA 1.2 combobox pattern)
              "aria-autocomplete", "aria-activedescendant", "autocomplete", "spellcheck", "placeholder"},
    "label": {"for"},
    "blockquote": {"cite"},
    "q": {"cite"},
    **{tag: _SVG_ATTRS for tag in _SVG},
}


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


def sanitize_html(html: str) -> str:
    """HTML with everything that could run removed; safe markup unchanged."""
    clean = _clean(html)
    if "<img" in clean:  # rare: pay for the image filter only then
        clean = _clean(html, attribute_filter=_local_images_only)
    return clean


def _clean(html: str, **options) -> str:
    return nh3.clean(
        html,
        tags=_TEXT | _SVG,
        attributes=_ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
        **options,
    )
