"""RSS 2.0 and Atom feeds of new (date_ajout) and revised (date_revue) cases.

Written with xml.etree, which escapes every text and attribute. RSS readers take
an item's <title> and <description> for HTML (RSS 2.0 says nothing, and readers
render them): their text is HTML-escaped once more (``_as_html_text``), so that a
title with "<b>" or "&" is shown as typed and never rendered as markup. Atom says
what its text is (type="text", the default): it is written as plain text.
Characters XML 1.0 forbids cannot reach a feed (the front matter refuses them,
kb.content.hygiene) and are dropped here too, so that a feed always parses. Entry ids are tag: URIs built from the file identifiers,
so they do not depend on where the site is hosted. Links are absolute when the
public address of the site is known (mkdocs.yml site_url, KB_SITE_URL), else
relative to the feed file. No clock is read here: the dates are the cases'.
"""
from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from email.utils import format_datetime

from .. import sitemap as urls
from ..graph.build import Graph

MAX_ENTRIES = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
TAG_AUTHORITY = "cooperations-territoriales,2026"


@dataclass(frozen=True)
class FeedSpec:
    name: str  # "nouveautes" or "revisions"
    date_field: str
    title: str
    description: str

    @property
    def rss_path(self) -> str:
        return urls.feed(self.name, "rss")  # at the site root (kb.sitemap)

    @property
    def atom_path(self) -> str:
        return urls.feed(self.name, "atom")


FEEDS = (
    FeedSpec("nouveautes", "date_ajout", "Nouvelles fiches",
             "Les coopérations et recommandations ajoutées à la base, les plus récentes d'abord."),
    FeedSpec("revisions", "date_revue", "Fiches revues",
             "Les coopérations et recommandations relues et mises à jour, les plus récentes d'abord."),
)
ET.register_namespace("atom", ATOM_NS)  # prefix of atom:link in the RSS feeds
KIND_LABELS = {"cooperation": "Coopération", "recommandation": "Recommandation"}


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    title: str
    summary: str
    day: date
    page: str  # source path of the page, e.g. cooperations/x.md

    def tag(self, feed: str) -> str:
        # a revision is a new entry: its date is part of its id
        return f"tag:{TAG_AUTHORITY}:{feed}/{self.kind}/{self.id}/{self.day.isoformat()}"


def entries(graph: Graph, spec: FeedSpec, limit: int = MAX_ENTRIES) -> list[Entry]:
    """The feed's entries: newest first, then by kind and id (stable)."""
    out = []
    for kind, records, page in (("cooperation", graph.cooperations, urls.cooperation),
                                ("recommandation", graph.recommendations, urls.recommendation)):
        for rid, record in records.items():
            value = getattr(record, spec.date_field, None)
            if value:
                out.append(Entry(kind, rid, record.titre, record.resume, date.fromisoformat(value), page(rid)))
    out.sort(key=lambda e: (-e.day.toordinal(), e.kind, e.id))
    return out[:limit]


def _link(target: str, feed_path: str, base_url: str) -> str:
    """URL of a site path (``target`` relative to the site root) as seen from the feed."""
    if base_url:
        return base_url.rstrip("/") + "/" + target
    return posixpath.relpath("/" + target, "/" + posixpath.dirname(feed_path)) + \
        ("/" if target.endswith("/") or not target else "")


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


# characters XML 1.0 does not allow (C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(parent, tag: str, text: str, **attrib) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    el.text = _NOT_XML.sub("", text)
    return el


def _as_html_text(text: str) -> str:
    """``text`` as the HTML that shows it: what an RSS reader renders is then the text itself."""
    return html.escape(text, quote=False)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def rss(graph: Graph, spec: FeedSpec, site_name: str, base_url: str = "") -> bytes:
    items = entries(graph, spec)
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", _as_html_text(f"{site_name} — {spec.title}"))
    _text(channel, "link", _link("", spec.rss_path, base_url))
    _text(channel, "description", _as_html_text(spec.description))
    _text(channel, "language", "fr")
    if items:
        _text(channel, "lastBuildDate", format_datetime(_moment(items[0].day)))
    ET.SubElement(channel, f"{{{ATOM_NS}}}link", {"href": _link(spec.rss_path, spec.rss_path, base_url),
                                                   "rel": "self", "type": "application/rss+xml"})
    for e in items:
        item = ET.SubElement(channel, "item")
        _text(item, "title", _as_html_text(e.title))
        _text(item, "link", _link(urls.page_url(e.page), spec.rss_path, base_url))
        _text(item, "description", _as_html_text(e.summary))
        _text(item, "category", KIND_LABELS[e.kind])
        _text(item, "guid", e.tag(spec.name), isPermaLink="false")
        _text(item, "pubDate", format_datetime(_moment(e.day)))
    return _serialise(root)


def atom(graph: Graph, spec: FeedSpec, site_name: str, base_url: str = "",
         today: date | None = None) -> bytes:
    """``today`` dates an empty feed (Atom requires <updated>); else the newest entry does."""
    items = entries(graph, spec)
    a = lambda tag: tag  # noqa: E731 - Atom is the default namespace, declared on the root
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "fr"})
    _text(root, a("title"), f"{site_name} — {spec.title}")
    _text(root, a("subtitle"), spec.description)
    _text(root, a("id"), f"tag:{TAG_AUTHORITY}:{spec.name}")
    updated = _moment(items[0].day if items else (today or date.today()))
    _text(root, a("updated"), updated.isoformat())
    ET.SubElement(root, a("link"), {"rel": "self", "type": "application/atom+xml",
                                    "href": _link(spec.atom_path, spec.atom_path, base_url)})
    ET.SubElement(root, a("link"), {"rel": "alternate", "type": "text/html",
                                    "href": _link("", spec.atom_path, base_url)})
    author = ET.SubElement(root, a("author"))
    _text(author, a("name"), site_name)
    for e in items:
        entry = ET.SubElement(root, a("entry"))
        _text(entry, a("title"), e.title)
        _text(entry, a("id"), e.tag(spec.name))
        _text(entry, a("updated"), _moment(e.day).isoformat())
        if spec.date_field == "date_ajout":
            _text(entry, a("published"), _moment(e.day).isoformat())
        ET.SubElement(entry, a("link"), {"rel": "alternate", "type": "text/html",
                                         "href": _link(urls.page_url(e.page), spec.atom_path, base_url)})
        _text(entry, a("summary"), e.summary)
        ET.SubElement(entry, a("category"), {"term": e.kind, "label": KIND_LABELS[e.kind]})
    return _serialise(root)


def paths() -> list[str]:
    """The site paths ``files`` writes."""
    return [path for spec in FEEDS for path in (spec.rss_path, spec.atom_path)]


def files(graph: Graph, site_name: str, base_url: str = "", today: date | None = None) -> dict[str, bytes]:
    """Site path -> bytes of every feed."""
    out = {}
    for spec in FEEDS:
        out[spec.rss_path] = rss(graph, spec, site_name, base_url)
        out[spec.atom_path] = atom(graph, spec, site_name, base_url, today)
    return out

