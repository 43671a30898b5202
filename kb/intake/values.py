"""The answers of an issue form turned into front-matter values (kb.intake.issue_body gives
the answers; kb.publish.issue_form says which field each element asks for, and in which
order the values of a line come).

Every value stays text, as the reader of content files reads it (kb.content.reader); what
cannot be read is reported as a note in French, and anything doubtful is left for
``make check`` to judge, with its own messages. Nothing here decides a file path.
"""
from __future__ import annotations

import re

from ..content import cog as COG
from ..content import fields as F
from ..content.validate import normalise as simplify
from ..content.vocab import ProjectData
from ..publish.issue_form import COLUMNS, SEPARATOR

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_TRAILING_ID = re.compile(r"\(([^()]*)\)\s*$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class Notes(list):
    """French notes about what could not be read, for the contributor."""

    def add(self, label: str, message: str) -> None:
        self.append(f"{label} : {message}")


def field(name: str) -> F.Field:
    return next(f for f in F.MODEL["cooperation"] if f.name == name)


def one_line(value: str | None) -> str | None:
    """An input's value: spaces tidied (a line feed is left for the check to refuse)."""
    if value is None:
        return None
    return value.strip() or None


def choices(value: str | None, item: dict) -> list[str]:
    """The identifiers picked in a drop-down (« Énergie (energie), Santé (sante) »)."""
    if value is None:
        return []
    options = {opt: (_TRAILING_ID.search(opt).group(1) if _TRAILING_ID.search(opt) else opt)
               for opt in item["attributes"]["options"]}
    picked, rest = [], value.strip()
    while rest:  # options may hold « , »: match whole options first
        option = next((o for o in sorted(options, key=len, reverse=True)
                       if rest == o or rest.startswith(o + ", ")), None)
        if option is None:
            head, _, rest = rest.partition(", ")
            found = _TRAILING_ID.search(head)
            picked.append((found.group(1) if found else head).strip())
        else:
            picked.append(options[option])
            rest = rest[len(option) + 2:] if len(rest) > len(option) else ""
    return list(dict.fromkeys(p for p in picked if p))


def lines(value: str | None) -> list[str]:
    """Non-empty lines of a text area, list bullets (« - », « 1. ») removed."""
    out = []
    for line in (value or "").split("\n"):
        line = _BULLET.sub("", line).strip()
        if line:
            out.append(line)
    return out


def rows(name: str, value: str | None, label: str, notes: Notes) -> list[dict]:
    """The items of field ``name``: one per line, values separated by « ; » in COLUMNS order."""
    columns = COLUMNS[name]
    out = []
    for number, line in enumerate(lines(value), start=1):
        cells = [c.strip() for c in line.split(SEPARATOR)]
        if len(cells) > len(columns):
            notes.add(label, f"ligne {number} : {len(cells)} valeurs séparées par « {SEPARATOR} », "
                             f"{len(columns)} au plus ({' ; '.join(columns)}) ; la ligne est ignorée")
            continue
        out.append({col: cell for col, cell in zip(columns, cells) if cell})
    return out


def _euros(text: str) -> str:
    """« 150 000 € » -> « 150000 » (anything else is left for the check)."""
    bare = _SPACES.sub("", text)
    bare = re.sub(r"(?i)(€|euros?|eur)$", "", bare)
    return bare if re.fullmatch(r"[0-9]+", bare) else text


def _number(text: str) -> str:
    bare = _SPACES.sub("", text)
    return bare if re.fullmatch(r"-?[0-9]+(?:[.,][0-9]+)?", bare) else text


def _code(text: str) -> str:
    return _SPACES.sub("", text).upper()


def partners(value: str | None, label: str, data: ProjectData, notes: Notes) -> list[dict]:
    """Partners: a type given by its label or identifier; without a type, the type of the
    official code; a département « Finistère (29) » read as « 29 »."""
    vocab = data.vocabularies["types_territoire"]
    by_name = {}
    for term in vocab.terms.values():
        by_name[simplify(term.id)] = term.id
        by_name[simplify(term.label)] = term.id
    out = []
    for item in rows("territoires", value, label, notes):
        if "code" in item:
            item["code"] = _code(item["code"])
        if "type" in item:
            found = _TRAILING_ID.search(item["type"])
            raw = found.group(1) if found else item["type"]
            item["type"] = by_name.get(simplify(raw), raw)
        elif "code" in item:
            entity = COG.load().get(item["code"])
            if entity is not None:
                item["type"] = entity.type
        if "departement" in item:
            found = _TRAILING_ID.search(item["departement"])
            item["departement"] = (found.group(1) if found else item["departement"]).strip().upper()
        out.append({k: item[k] for k in ("nom", "type", "code", "departement") if k in item})
    return out


def sources(value: str | None, label: str, documents: set[str], references: set[str],
            notes: Notes) -> list[dict]:
    """Sources: « titre ; éditeur ; date ; lien ; section », or the identifier of a document of
    content/sources/ (or a reference of data/references.yml) followed by a section."""
    out = []
    for item in rows("sources", value, label, notes):
        first = item.get("titre", "")
        if first in documents or first in references:
            rest = [item[c] for c in ("editeur", "date", "url", "section") if c in item]
            source = {"document" if first in documents else "reference": first}
            if rest:
                source["section"] = " ; ".join(rest)
            out.append(source)
        else:
            out.append(item)
    return out


def term(text: str, vocab) -> str:
    """A vocabulary term given by its identifier, its label or « Label (identifiant) »."""
    found = _TRAILING_ID.search(text)
    raw = found.group(1) if found else text
    by_name = {}
    for t in vocab.terms.values():
        by_name[simplify(t.id)] = t.id
        by_name[simplify(t.label)] = t.id
    return by_name.get(simplify(raw), raw)


def reciprocities(value: str | None, label: str, data: ProjectData, notes: Notes) -> list[dict]:
    """« partenaire ; sens ; nature ; description ; source »: sens « apporte » or « reçoit »."""
    items = rows("reciprocites", value, label, notes)
    for item in items:
        if "sens" in item:
            item["sens"] = simplify(item["sens"]) or item["sens"]
        if "nature" in item:
            item["nature"] = term(item["nature"], data.vocabularies["echanges"])
    return items


def facts(name: str, value: str | None, label: str, notes: Notes):
    """porteur (one object), financements, resultats, documents (lists of objects)."""
    items = rows(name, value, label, notes)
    for item in items:
        if "montant" in item:
            item["montant"] = _euros(item["montant"])
        if "valeur" in item:
            item["valeur"] = _number(item["valeur"])
    if field(name).type == "object":
        if len(items) > 1:
            notes.add(label, "une seule ligne est attendue ; seule la première est gardée")
        return items[0] if items else None
    return items
