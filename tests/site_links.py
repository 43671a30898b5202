"""Broken links and anchors of a built site, found by crawling its files.

What LinkChecker does over HTTP with its AnchorCheck plugin (which fetches and parses
a page again for every distinct #anchor pointing at it: a minute on the real content),
done on the files, each page parsed once: from the home page, every URL of every
attribute that names one (LinkChecker's own table of tags and attributes, srcset,
style url(), meta refresh, url() in stylesheets) is resolved like a browser, the file
it names must exist and not be empty, a #anchor must be the id of an element of the
target page (or the name of one of its <a>), and every internal page reached is read
in turn. Links to other hosts are not followed (no network in tests).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.html

# linkcheck.htmlutil.linkparse.LinkTags (LinkChecker 10), without the tags HTML5 dropped
LINK_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "audio": ("src",), "blockquote": ("cite",), "body": ("background",),
    "button": ("formaction",), "del": ("cite",), "embed": ("src",), "form": ("action",),
    "iframe": ("src", "longdesc"), "img": ("src", "longdesc", "usemap", "srcset"),
    "input": ("src", "usemap", "formaction"), "ins": ("cite",), "link": ("href",), "meta": ("content", "href"),
    "object": ("data", "usemap"), "q": ("cite",), "script": ("src",), "source": ("src", "srcset"),
    "table": ("background",), "td": ("background",), "th": ("background",), "tr": ("background",),
    "track": ("src",), "video": ("src", "poster"),
}
CSS_URL = re.compile(r"""url\(\s*('[^']+'|"[^"]+"|[^)\s]+)\s*\)""")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
REFRESH = re.compile(r"(?i)^\d+;\s*url=(.+)$")
ORIGIN = "http://site.invalid"  # the site's own address while resolving: any other is a foreign host


@dataclass(frozen=True)
class Problem:
    url: str  # as written in the page, resolved against it
    parent: str  # the page (or stylesheet) that names it
    line: int | None
    reason: str

    def __str__(self):
        return f"{self.url} (depuis {self.parent}, ligne {self.line}) : {self.reason}"


def _urls_of(tag: str, attributes, text: str | None):
    """The URLs an element names, as LinkChecker finds them."""
    for name in LINK_ATTRIBUTES.get(tag, ()):
        value = attributes.get(name)
        if value is None:
            continue
        if tag == "meta":
            if name == "content" and attributes.get("http-equiv", "").lower() == "refresh":
                match = REFRESH.match(value)
                if match:
                    yield match.group(1)
            elif name == "href" and attributes.get("rel", "").lower() in ("icon", "shortcut icon"):
                yield value
        elif tag == "form" and attributes.get("method", "").lower() == "post":
            continue
        elif name == "srcset":
            yield from (candidate.split()[0] for candidate in value.split(",") if candidate.strip())
        else:
            yield value
    style = attributes.get("style")
    if style:
        yield from _css_urls(style)


def _css_urls(text: str):
    for match in CSS_URL.finditer(CSS_COMMENT.sub("", text)):
        yield match.group(1).strip("'\"")


class SiteLinks:
    """``SiteLinks(site).check()``: the problems found, ``.checked`` the distinct URLs checked
    and ``.pages`` the HTML files reached."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.anchors: dict[Path, set[str]] = {}
        self.checked: set[str] = set()
        self.pages: set[Path] = set()
        self.problems: list[Problem] = []

    def _file(self, url: str) -> tuple[Path | None, str]:
        """The file a URL of the site names, as a static server answers it (a folder: its
        index.html, at the folder's address with its final /), and that address."""
        parts = urlsplit(url)
        path = unquote(parts.path) or "/"
        target = self.root / posixpath.normpath(path).lstrip("/")
        if target.is_dir():
            if not path.endswith("/"):  # the server redirects to the folder's address
                url = parts._replace(path=parts.path + "/").geturl()
            target = target / "index.html"
        elif path.endswith("/"):
            return None, url
        return (target if target.is_file() else None), url

    def _read(self, target: Path, url: str) -> list[tuple[str, int | None]]:
        """Parse a page or stylesheet once: its anchors, and the URLs it names (absolute)."""
        found = []
        if target.suffix == ".css":
            for value in _css_urls(target.read_text(encoding="utf-8", errors="replace")):
                found.append((urljoin(url, value.strip()), None))
            return found
        tree = lxml.html.fromstring(target.read_text(encoding="utf-8", errors="replace"))  # the site is UTF-8
        base = url
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue  # comments, processing instructions
            if element.tag == "base" and element.get("href") is not None and base == url:
                base = urljoin(url, element.get("href").strip())
            for value in _urls_of(element.tag, element.attrib, None):
                found.append((urljoin(base, value.strip()), element.sourceline))
        ids = {unquote(v) for v in tree.xpath("//@id")} | {unquote(v) for v in tree.xpath("//a/@name")}
        self.anchors[target] = ids
        return found

    def check(self) -> list[Problem]:
        start = ORIGIN + "/"
        queue = [(start, "(départ)", None)]
        seen_pages: set[Path] = set()
        while queue:
            url, parent, line = queue.pop()
            if url in self.checked:
                continue
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
                continue  # another host, mailto:, data:, javascript:… not followed
            self.checked.add(url)
            target, address = self._file(url)
            if address != url:  # LinkChecker warns about the redirection too
                self.problems.append(Problem(address, parent, line, "dossier sans / final (redirection)"))
                url = address
            if target is None:
                self.problems.append(Problem(url, parent, line, "absent"))
                continue
            if target.stat().st_size == 0:
                self.problems.append(Problem(url, parent, line, "fichier vide"))
                continue
            if target.suffix not in (".html", ".htm", ".css"):
                continue
            page, fragment = urldefrag(url)
            if target not in seen_pages:
                seen_pages.add(target)
                if target.suffix != ".css":
                    self.pages.add(target)
                queue.extend((found, page, found_line) for found, found_line in reversed(self._read(target, page)))
            if fragment and target.suffix != ".css" and unquote(fragment) not in self.anchors[target]:
                self.problems.append(Problem(url, parent, line, f"ancre « {unquote(fragment)} » absente"))
        return self.problems
