"""Accept only what will publish (issue 24): checks across files that a single file cannot see.

- ``url_problems``: two content files that would be one page of the site. MkDocs gives
  ``x.md`` and ``x/index.md`` the same address (``x/``), and reads a ``README.md`` as the
  index of its folder: one of them would silently replace the other. Compared
  case-insensitively (``X.md`` and ``x.md`` are one file on the disks of many contributors).
- ``date_problems``: a date of addition (or of review) after the build date: such a fiche
  would stay on top of the feeds and of the home page until that day (``future_date_problems``:
  the same for one file's front matter, used for the files that did not load).

Each gives (shown file, line, field, French message) tuples; kb.content.validate turns
them into its problems.
"""
from __future__ import annotations

from datetime import date, datetime

from .. import sitemap
from .inventory import read_regular
from .messages import quote
from .reader import ReadError, decode, read_text

DATE_FIELDS = (("date_ajout", "date d'ajout"), ("date_revue", "date de revue"))


def url_problems(markdown: list[str], shown) -> list[tuple[str, int, str, str]]:
    """``markdown``: content files (relative to content/); ``shown``: rel -> path shown."""
    out = []
    seen: dict[str, str] = {}
    for rel in sorted(markdown):
        name = rel.rsplit("/", 1)[-1]
        if name.casefold() == "readme.md":
            out.append((shown(rel), 1, "fichier", "un fichier README.md devient la page d'accueil de son "
                        "dossier et prendrait la place d'une autre page : renommez-le"))
            continue
        url = sitemap.page_url(rel).casefold()
        if url in seen:
            out.append((shown(rel), 1, "fichier", f"ce fichier et {quote(shown(seen[url]))} seraient la même "
                        f"page du site (adresse « /{sitemap.page_url(rel)} ») : renommez l'un des deux"))
        else:
            seen[url] = rel
    return out


def _line_of(root, record, name: str) -> int:
    try:
        return read_text(decode(read_regular(root / record.path))).line_of((name,))
    except (ReadError, OSError):
        return 1


def future_date_problems(values, today: date, line_of) -> list[tuple[int, str, str]]:
    """(line, field, message) for the dates of addition and review after ``today`` in
    ``values`` (a mapping: a record's dates, or the front matter of a file that did not load);
    ``line_of(name)``: the line of a field."""
    out = []
    for name, label in DATE_FIELDS:
        value = values.get(name)
        if not value:
            continue
        try:  # a YAML timestamp is a datetime: its day is compared
            when = (value.date() if isinstance(value, datetime) else value) if isinstance(value, date) \
                else date.fromisoformat(value)
        except (TypeError, ValueError):
            continue  # a malformed date has its own message (kb.content.validate)
        if when > today:
            out.append((line_of(name), name,
                        f"{quote(str(value))} : la {label} est dans le futur (la construction est datée du "
                        f"{today.isoformat()}) ; donnez la date du jour où la fiche a été écrite ou relue"))
    return out


def date_problems(content, today: date) -> list[tuple[str, int, str, str]]:
    """Dates of addition and review after ``today`` (the build date) in the records of
    ``content`` (a file that did not load has its dates checked by kb.content.validate)."""
    return [(content.shown(record.path), line, name, message)
            for record in content.records()
            for line, name, message in future_date_problems(
                {name: getattr(record, name, None) for name, _ in DATE_FIELDS}, today,
                lambda name, record=record: _line_of(content.root, record, name))]
