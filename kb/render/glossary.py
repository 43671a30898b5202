"""The glossary of acronyms (data/glossaire.yml), explained where readers meet them.

``load`` reads the data file (its path comes from the build's settings); the
« Glossaire » page lists every entry (templates/glossary.md); ``explain_first_uses``
wraps the first use of each acronym on a page in ``<abbr title="…">``, in the final
HTML of the page (tables of cases included), outside links' attributes, code,
headings' anchors and drawings. The build session applies it to each converted
page, before the page is sanitised (kb.build.session).
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from ..graph.collation import sort_key

FILE = "glossaire.yml"  # in data/
# text inside these elements is left as it is
_SKIP = {"abbr", "code", "pre", "script", "style", "svg", "textarea", "title", "kbd", "samp", "button"}
_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")


@dataclass(frozen=True)
class Entry:
    sigle: str
    forme: str
    definition: str = ""

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.sigle.lower()).strip("-")


def load(path: Path) -> tuple[Entry, ...]:
    """Every entry, in French alphabetical order of the acronym."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return ()
    entries = [Entry(str(k), str(v["forme"]), str(v.get("definition") or "")) for k, v in raw.items()]
    return tuple(sorted(entries, key=lambda e: (sort_key(e.sigle), e.sigle)))


@functools.lru_cache(maxsize=4)
def _matcher(entries: tuple[Entry, ...]):
    if not entries:
        return None
    names = sorted((e.sigle for e in entries), key=len, reverse=True)
    # a whole word: not inside a longer word, a number or an address
    return re.compile(r"(?<![\w/.@-])(" + "|".join(map(re.escape, names)) + r")(?![\w/@-])")


def explain_first_uses(page_html: str, entries: tuple[Entry, ...]) -> str:
    """``page_html`` with the first use of each acronym wrapped in <abbr title="forme">."""
    matcher = _matcher(entries)
    if matcher is None or not matcher.search(page_html):
        return page_html
    titles = {e.sigle: e.forme for e in entries}
    seen: set[str] = set()
    skipping: list[str] = []
    out = []
    for part in _TAG.split(page_html):
        if part.startswith("<"):
            out.append(part)
            match = _NAME.match(part)
            if match and match.group(1).lower() in _SKIP and not part.endswith("/>"):
                name = match.group(1).lower()
                if part.startswith("</"):
                    if name in skipping:
                        del skipping[len(skipping) - 1 - skipping[::-1].index(name)]
                else:
                    skipping.append(name)
            continue
        if skipping or not part or len(seen) == len(titles):
            out.append(part)
            continue

        def wrap(m: re.Match) -> str:
            sigle = m.group(1)
            if sigle in seen:
                return sigle
            seen.add(sigle)
            return f'<abbr title="{html.escape(titles[sigle], quote=True)}">{sigle}</abbr>'

        out.append(matcher.sub(wrap, part))
    return "".join(out)
