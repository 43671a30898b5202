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
    "input": {"type", "checked", "disabled", "name", "value"},
    "label": {"for"},
    "blockquote": {"cite"},
    "q": {"cite"},
    **{tag: _SVG_ATTRS for tag in _SVG},
}


# An image on another host would make every reader's browser call that host
# (privacy): only images served by the site itself are kept.
_FOREIGN_IMG = re.compile(r"<img\b[^>]*\bsrc=\"(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and re.match(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)", value.strip()):
        return None
    return value


def sanitize_html(html: str) -> str:
    """HTML with everything that could run removed; safe markup unchanged."""
    clean = _clean(html)
    if "<img" in clean and _FOREIGN_IMG.search(clean):  # rare: pay for the filter only then
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
