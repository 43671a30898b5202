"""Find executable content in a built site: every file, whatever its format.

Used by tests/test_hostile.py on the site built from tests/fixtures/hostile/,
whose every field and body carries script payloads marked ``kbx``.

A payload "survives" when, in any output file, it could run or load something:
- HTML/XML/SVG (parsed as a browser would, lxml): a <script> that carries a
  payload or loads a foreign file, a dangerous element (iframe, object, embed,
  base, meta refresh, external stylesheet…), an event-handler attribute (on*),
  a URL attribute with a javascript:, vbscript: or data: scheme, a style that
  loads a URL, a <title> holding markup;
- text formats (JSON, CSV, JavaScript, feeds' escaped HTML, search-index
  fragments, gzip-compressed or not): every string that holds markup is parsed
  as an HTML fragment and checked the same way, unless it is exactly the value
  a contributor typed in a front-matter field (data faithfully encoded by the
  format's own escaping: a JSON string, a CSV cell);
- Pagefind fragments hold plain text by contract (see scan_file), decompressed and
  checked for search metadata a body could spoof (check_pagefind_fragment);
- any other (binary) file: the raw bytes must not hold a payload's markup.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html

MARKER = "kbx"
DANGEROUS_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
             "srcset", "cite", "ping", "lowsrc", "dynsrc", "codebase", "manifest", "icon"}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.I)
# control characters and spaces a browser ignores inside a URL scheme
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_RAW_PAYLOAD = re.compile(
    rb"<\s*(?:script|iframe|object|embed|svg|img|math|details|input|base|meta|link|style|form)\b[^>]{0,200}"
    rb"(?:kbx|\bon[a-z]+\s*=)|\bon[a-z]+\s*=\s*['\"]?alert|(?:javascript|vbscript)\s*:\s*(?:alert|msgbox)",
    re.I)


@dataclass(frozen=True)
class Finding:
    file: str
    where: str
    what: str

    def __str__(self):
        return f"{self.file} [{self.where}]: {self.what}"


def _is_local(url: str) -> bool:
    url = url.strip()
    return not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) and not url.startswith("//")


def check_tree(root, file: str, where: str) -> list[Finding]:
    """Findings in a parsed (lxml) HTML or XML tree."""
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            if isinstance(el, lxml.etree._Comment) and MARKER in (el.text or ""):
                # a comment is inert, but content comments should have been stripped
                out.append(Finding(file, where, "commentaire de contenu conservé"))
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        text = "".join(el.itertext()) if tag in ("script", "style", "title") else ""
        if tag == "script":
            src = el.get("src")
            if MARKER in text or (src and (MARKER in src or not _is_local(src))):
                out.append(Finding(file, where, f"<script> venu du contenu : {(src or text)[:80]!r}"))
        elif tag in DANGEROUS_TAGS:
            out.append(Finding(file, where, f"élément <{tag}>"))
        elif tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            out.append(Finding(file, where, "<meta http-equiv=refresh>"))
        elif tag == "link" and not _is_local(el.get("href") or ""):
            out.append(Finding(file, where, f"<link> vers {el.get('href')}"))
        elif tag == "style" and (MARKER in text or re.search(r"@import|url\s*\(", text, re.I)):
            out.append(Finding(file, where, f"<style> venu du contenu : {text[:80]!r}"))
        elif tag == "title" and re.search(r"<\s*/?\s*[a-z]", text, re.I) and MARKER in text:
            # escaped markup shows as text: fine; nothing else may be inside <title>
            if len(el):
                out.append(Finding(file, where, "<title> contient des éléments"))
        for name, value in el.attrib.items():
            full = name.lower()
            name = full.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
            if name.startswith("on"):
                out.append(Finding(file, where, f"attribut {name}= sur <{tag}>: {value[:60]!r}"))
            elif name in URL_ATTRS or name == "srcdoc":
                clean = _URL_NOISE.sub("", value)
                if name == "srcdoc" or BAD_SCHEME.match(clean):
                    out.append(Finding(file, where, f"{name}={value[:60]!r} sur <{tag}>"))
                elif tag in ("img", "video", "audio", "source", "track", "image", "use") and \
                        not _is_local(value) and name in ("src", "srcset", "href", "xlink:href", "poster"):
                    out.append(Finding(file, where, f"ressource externe {value[:60]!r} sur <{tag}>"))
            elif name == "style" and re.search(r"url\s*\(|expression\s*\(|@import", value, re.I):
                out.append(Finding(file, where, f"style chargeant une URL : {value[:60]!r}"))
            elif name == "content" and tag == "meta" and re.search(r"url\s*=\s*javascript", value, re.I):
                out.append(Finding(file, where, "meta content=url=javascript:"))
    return out


# the data- attributes the page templates write (kb.publish.sanitize.TEMPLATE_DATA_PREFIXES)
TEMPLATE_DATA = re.compile(r"^data-(?:kb-|sort|titre$|id$|coop|ajout$|annee$|dep$|f-|facet$|chart$|champ$|valeur$|origine$|label$|region$|key$)")
FORMS = {"form", "select", "textarea", "button", "option", "output"}


def check_spoofing(root, file: str, where: str) -> list[Finding]:
    """Markup that imitates the theme, the search or the site's scripts: any data-pagefind-*
    attribute (Pagefind's are added to a scratch copy, never to the site); inside the
    article, any data- attribute the templates do not write (data-md-*…), md-… classes,
    ids of the theme (md-…, __…, pagefind…), form controls, and inputs or labels that
    carry the marker."""
    out = []
    for el in root.iter():
        if isinstance(el.tag, str):
            out += [Finding(file, where, f"attribut {name} sur <{el.tag}>") for name in el.attrib
                    if name.lower().startswith("data-pagefind")]
    # a page without an article (the 404 page: the theme's template only) has no content part
    articles = [el for el in root.iter() if isinstance(el.tag, str)
                and "md-content__inner" in (el.get("class") or "").split()]
    for article in articles:
        for el in article.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.rsplit("}", 1)[-1].lower()
            for name, value in el.attrib.items():
                name = name.lower()
                if name.startswith("data-") and not name.startswith("data-pagefind") and \
                        not TEMPLATE_DATA.match(name):
                    out.append(Finding(file, where, f"attribut {name} dans l'article, sur <{tag}>"))
                elif name == "class" and any(v.startswith("md-") for v in value.split()) and el is not article:
                    out.append(Finding(file, where, f"classe du thème {value!r} dans l'article, sur <{tag}>"))
                elif name == "id" and re.match(r"^(?:md-|__|pagefind)", value):
                    out.append(Finding(file, where, f"id du thème {value!r} dans l'article, sur <{tag}>"))
            if tag in FORMS or (tag in ("input", "label") and MARKER in " ".join(el.attrib.values())):
                out.append(Finding(file, where, f"contrôle de formulaire <{tag}> dans l'article"))
    return out


def check_fragment(markup: str, file: str, where: str) -> list[Finding]:
    """A string that holds markup, checked as an HTML fragment."""
    try:
        fragments = lxml.html.fragments_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        fragments = []
    out = []
    for frag in fragments:
        if isinstance(frag, str):
            continue
        wrapper = lxml.html.Element("div")
        wrapper.append(frag)
        out += check_tree(wrapper, file, where)
    if not fragments and _RAW_PAYLOAD.search(markup.encode("utf-8", "replace")):
        out.append(Finding(file, where, f"charge brute : {markup[:80]!r}"))
    return out


def _has_markup(s: str) -> bool:
    return bool(re.search(r"<\s*/?\s*[a-z!]|\bon[a-z]+\s*=|javascript:|vbscript:", s, re.I))


def check_strings(strings, file: str, typed: set[str]) -> list[Finding]:
    out = []
    for where, s in strings:
        if not isinstance(s, str) or not _has_markup(s):
            continue
        if s.strip() in typed:
            continue  # a contributor's value, encoded by the format itself (JSON, CSV)
        out += check_fragment(s, file, where)
    return out


def _json_strings(value, path="$"):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_strings(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def _decompress(data: bytes) -> bytes:
    """Undo gzip/zlib layers (sitemap.xml.gz, Pagefind fragments)."""
    for _ in range(3):
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif data[:1] == b"\x78" and len(data) > 2 and (data[0] * 256 + data[1]) % 31 == 0:
            try:
                data = zlib.decompress(data)
            except zlib.error:
                break
        else:
            break
    return data


def check_rss_markup(root, file: str) -> list[Finding]:
    """RSS readers render an item's title and description as HTML: neither may hold any
    element once parsed so (its text must be escaped HTML, which shows as typed)."""
    out = []
    for el in root.iter("title", "description"):
        text = el.text or ""
        if "<" not in text:
            continue
        try:
            fragments = lxml.html.fragments_fromstring(text)
        except (lxml.etree.ParserError, ValueError):
            fragments = []
        if any(not isinstance(f, str) for f in fragments):
            out.append(Finding(file, f"<{el.tag}>", f"balisage rendu par un lecteur de flux : {text[:80]!r}"))
    return out


PAGEFIND_FILTERS = {"type", "coop", "reco"}
PAGEFIND_META = {"title", "image", "image_alt"}


def check_pagefind_fragment(fragment: dict, file: str) -> list[Finding]:
    """A page's search record holds only what the build marks (kb.search.index): a type
    filter, the page's own id, and Pagefind's automatic metadata; nothing a body set with
    data-pagefind-* (a spoofed title, another case's id, a weight)."""
    out = []
    url = str(fragment.get("url", ""))
    own = url.strip("/").rsplit("/", 1)[-1]
    filters = fragment.get("filters") or {}
    for name, values in filters.items():
        if name not in PAGEFIND_FILTERS:
            out.append(Finding(file, "pagefind", f"filtre {name!r} venu du contenu ({url})"))
        elif name in ("coop", "reco") and values != [own]:
            out.append(Finding(file, "pagefind", f"filtre {name}={values!r} pour {url}"))
    for name, value in (fragment.get("meta") or {}).items():
        if name not in PAGEFIND_META or re.search(r"kbx-(?:faux|spoof|note)", str(value)):
            out.append(Finding(file, "pagefind", f"métadonnée {name}={str(value)[:60]!r} venue du contenu"))
    return out


def _xml_text_elements(root):
    for el in root.iter():
        if isinstance(el.tag, str) and el.text and _has_markup(el.text):
            yield f"<{el.tag.rsplit('}', 1)[-1]}>", el.text


def scan_file(path: Path, rel: str, typed: set[str]) -> list[Finding]:
    data = _decompress(path.read_bytes())
    name = path.name.lower()
    for suffix in (".gz",):
        name = name[: -len(suffix)] if name.endswith(suffix) else name
    text = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Pagefind fragments: a signature, then JSON whose strings are plain text by
    # Pagefind's contract (page text, title, headings): Pagefind HTML-escapes them
    # into the excerpts it builds at query time, and the UI shows titles as text
    # (proven in a real browser by tests/test_hostile.py). They are data here.
    if text is not None and text.startswith("pagefind_dcd"):
        try:
            return check_pagefind_fragment(json.loads(text[len("pagefind_dcd"):]), rel)
        except json.JSONDecodeError:
            text = None  # binary index chunk: raw scan below
    if text is None:
        return [Finding(rel, "octets", f"charge brute : {m.group(0)[:80]!r}")
                for m in _RAW_PAYLOAD.finditer(data)]
    if name.endswith((".html", ".htm")):
        root = lxml.html.document_fromstring(text or "<html></html>")
        return check_tree(root, rel, "html") + check_spoofing(root, rel, "html")
    if name.endswith((".xml", ".svg", ".rss", ".atom", ".xsl")):
        try:
            root = lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False, no_network=True))
        except lxml.etree.XMLSyntaxError as exc:
            return [Finding(rel, "xml", f"XML illisible : {exc}")]
        out = check_tree(root, rel, "xml")
        if root.tag == "rss":
            out += check_rss_markup(root, rel)
        # feeds carry escaped HTML in text (RSS description, Atom content type="html")
        return out + check_strings(_xml_text_elements(root), rel, typed)
    if name.endswith((".js", ".mjs", ".css", ".map")) and MARKER not in text:
        return []  # the theme's own code: scanned only if content reached it
    stripped = text.lstrip()
    if name.endswith((".json", ".geojson", ".webmanifest")) or stripped[:1] in ("{", "["):
        try:
            return check_strings(_json_strings(json.loads(text)), rel, typed)
        except json.JSONDecodeError:
            pass
    if name.endswith((".csv", ".tsv")):
        header = text.lstrip("\ufeff").split("\n", 1)[0]  # a French spreadsheet's file: BOM and « ; »
        delimiter = "\t" if name.endswith(".tsv") else (";" if header.count(";") > header.count(",") else ",")
        rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
        cells = [(f"ligne {i + 1}", cell) for i, row in enumerate(rows) for cell in row]
        strings = cells
        if delimiter == ";":  # a French spreadsheet's cell may list several labels, each as typed
            strings = [(where, part) for where, cell in cells for part in cell.split(" ; ")]
        # a spreadsheet runs a cell that starts like a formula (OWASP: CSV injection)
        formulas = [Finding(rel, where, f"cellule lue comme une formule : {cell[:60]!r}")
                    for where, cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")
                    and not re.fullmatch(r"-?[0-9]+(?:[.,][0-9]+)?", cell)]  # a number stays a number
        return formulas + check_strings(strings, rel, typed)
    return [Finding(rel, "texte", f"charge brute : {m.group(0)[:80]!r}")
            for m in _RAW_PAYLOAD.finditer(data)]


def scan_site(site: Path, typed: set[str]) -> list[Finding]:
    findings = []
    for path in sorted(p for p in Path(site).rglob("*") if p.is_file()):
        findings += scan_file(path, path.relative_to(site).as_posix(), typed)
    return findings
