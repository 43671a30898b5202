"""Typed records: what a content file becomes once validated.

The records' fields are not declared here: each record class takes its fields from the
content model (kb.content.fields), through ``@record(fields)``, which makes it a
dataclass whose attributes are the model's fields, typed by their field type
(kb.content.fieldtypes: a year is an ``int``, a list of terms a ``list[str]``, a list
of objects a list of the record class of its sub-fields). The classes here only add
behaviour. ``typed`` turns a validated front matter into the values of those records.
A record class of sub-fields that no class below declares (a new list of objects) is
made by ``item_type`` from the model alone.

Provenance (issue 15): a value no source states carries its origin — ``Partner.origine``
for a partner, ``origines`` (``Origin``) for a fiche's judgements — so that every page,
map and export can tell a source's fact from the editors' view. Absent means: stated
by the fiche's sources.
"""
from __future__ import annotations

import dataclasses
from dataclasses import InitVar, dataclass
from functools import lru_cache

from slugify import slugify

from . import fieldtypes as T
from . import fields as F

# names of an object's sub-fields -> its record class (filled by ``record``, at import)
_ITEM_TYPES: dict[tuple[str, ...], type] = {}


def _names(fields) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


def item_type(f: F.Field) -> type:
    """The record class of one item of an ``object(s)`` field: the class declared with its
    sub-fields, else one made from them (kept in this module, so that records pickle)."""
    key = _names(f.fields)
    cls = _ITEM_TYPES.get(key)
    if cls is None:
        name = "".join(part.capitalize() for part in f.name.split("_")) + "Item"
        cls = record(f.fields, frozen=True)(type(name, (), {"__module__": __name__, "__qualname__": name}))
        globals()[name] = cls
    return cls


def _annotation(f: F.Field, frozen: bool):
    ftype = T.get(f.type)
    one = item_type(f) if ftype.value is None else ftype.value
    if ftype.is_list:
        return tuple[one, ...] if frozen else list[one]
    return one if f.required else one | None


def _default(f: F.Field, frozen: bool):
    ftype = T.get(f.type)
    if ftype.is_list:
        return () if frozen else dataclasses.field(default_factory=list)
    return "" if f.required and ftype.value is str else None


def record(fields: tuple[F.Field, ...], frozen: bool = False):
    """Class decorator: the class becomes a keyword-only dataclass whose fields are
    ``fields`` (after those of its bases), typed by their field type. In a frozen class
    (an item of a list), lists are tuples: the item stays hashable."""
    def make(cls):
        annotations = dict(cls.__dict__.get("__annotations__", {}))
        for f in fields:
            annotations[f.name] = _annotation(f, frozen)
            setattr(cls, f.name, _default(f, frozen))
        cls.__annotations__ = annotations
        cls = dataclass(frozen=frozen, kw_only=True)(cls)
        if frozen:
            _ITEM_TYPES.setdefault(_names(fields), cls)
        return cls
    return make


def _value(f: F.Field, value, frozen: bool):
    ftype = T.get(f.type)
    if f.fields:
        cls = item_type(f)
        extra = getattr(cls, "INIT_ONLY", ())  # arguments of the record that are not fields

        def make(item):
            if not isinstance(item, dict):
                return item
            return cls(**typed_fields(f.fields, item, True),
                       **{k: item[k] for k in extra if item.get(k) is not None})
    else:
        make = ftype.convert or (lambda item: item)
    if ftype.is_list:
        items = [make(item) for item in value]
        return tuple(items) if frozen else items
    return make(value)


def typed_fields(fields, data: dict, frozen: bool = False) -> dict:
    """The values of ``data`` (a checked front matter, or an object of it) for a record of
    ``fields``: empty values left out, each value of its field's type."""
    out = {}
    for f in fields:
        value = data.get(f.name)
        if value is not None:
            out[f.name] = _value(f, value, frozen)
    return out


def typed(kind: str, data: dict) -> dict:
    """The values of a checked front matter of ``kind``, as its record class takes them
    (a year as an int, partners, sources and facts as records)."""
    return typed_fields(F.MODEL[kind], data)


@lru_cache(maxsize=None)
def territory_key(name: str) -> str:
    """One territory, one key: the same name typed with other accents or case is the same place.

    Cached: every page that shows a partner asks for its key, and slugify is slow. The
    transliteration is named: with the default ("auto"), slugify would first try to import
    Unidecode for every name (a failed import, not remembered, each time) and would give
    other keys wherever Unidecode happens to be installed."""
    return slugify(name, backend="text-unidecode")


@record(F.PARTNER, frozen=True)
class Partner:
    """A partner of a cooperation (``origine``: "a-confirmer" when no source names it)."""

    # identifier in data/groupements.yml (given by identity.resolve): not a field of the fiche,
    # an argument of the record only (INIT_ONLY: ``typed`` passes it through)
    groupement: InitVar[str | None] = None
    INIT_ONLY = ("groupement",)

    def __post_init__(self, groupement=None):
        # computed with the record (where files are read in parallel, on both cores) and kept
        # with it; not a field: exports and comparisons see the fields only.
        # A coded territory is known by its official name (a commune: with its code, since
        # communes share names), whatever usual name a file gives it.
        official = self.official
        object.__setattr__(self, "_groupement", groupement)
        if groupement:  # a grouping is known by its entry in data/groupements.yml
            key = groupement
        elif official is None:
            key = territory_key(self.nom)
        elif official.kind == "commune":
            key = territory_key(f"{official.nom} {official.code}")
        else:
            key = territory_key(official.nom)
        object.__setattr__(self, "_key", key)

    @property
    def official(self):
        """The official entity (kb.content.cog.Entity) of a coded territory, else None."""
        if not self.code:
            return None
        from .identity import entity_of  # the official geography is read on first use

        return entity_of(self.code, self.type)

    @property
    def category(self) -> str:
        """territoire, groupement, acteur or ensemble (kb.content.identity)."""
        from .identity import category

        return category(self.type)

    @property
    def key(self) -> str:
        return self._key

    @property
    def grouping_id(self) -> str | None:
        """Identifier of a grouping partner in data/groupements.yml, else None."""
        return self._groupement

    @property
    def probable(self) -> bool:
        """A partner that no source of the fiche names (maps draw it apart, never as fact)."""
        return self.origine == "a-confirmer"


@record(F.MODEL["reference"], frozen=True)
class Reference:
    """An external publication (data/references.yml)."""

    id: str


@record(F.SOURCE, frozen=True)
class SourceRef:
    """One source of a fiche."""


@record(F.origin_fields("cooperation"), frozen=True)
class Origin:
    """A value of a fiche that no source states (``champ``, or only some of its ``valeurs``)."""

    @property
    def editorial(self) -> bool:
        return self.origine == "redaction"

    @property
    def to_confirm(self) -> bool:
        return self.origine == "a-confirmer"


@record(F.HOLDER, frozen=True)
class Holder:
    """The organisation that carries a cooperation (no personal data)."""


@record(F.FUNDING, frozen=True)
class Funding:
    """A funding of a cooperation (``montant`` in euros)."""


@record(F.RESULT, frozen=True)
class Result:
    """A measured result (``valeur``: a number as written in the file, 919 or 12,5)."""


@record(F.SIGNED_DOCUMENT, frozen=True)
class SignedDocument:
    """A signed document: contract, deliberation, charter."""


@record(F.RECIPROCITY, frozen=True)
class Exchange:
    """What one partner brings (``sens`` "apporte") or receives ("recoit"), stated by ``source``."""


def names_partner(name: str, nom: str | None, code: str | None) -> bool:
    """Whether ``name`` (an exchange's ``partenaire``) names the partner called ``nom`` with ``code``:
    its name, whatever the case and accents, or its official code."""
    wanted = territory_key(str(name))
    return bool(wanted) and (wanted == territory_key(nom or "") or str(name).strip() == (code or ""))


class _Provenance:
    """What a fiche says about the origin of its values (mixed into records with ``origines``)."""

    def origin_of(self, champ: str, value: str | None = None) -> Origin | None:
        """The flag covering field ``champ`` (all of it), or its value ``value``."""
        for o in self.origines:
            if o.champ == champ and (not o.valeurs or value in o.valeurs):
                return o
        return None

    def terms_of_field(self, champ: str) -> list[str]:
        """The values of field ``champ`` as strings ([] for « paire » or an empty field)."""
        value = getattr(self, champ, None)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def flagged_values(self, champ: str) -> dict[str, Origin]:
        """Value -> flag, for the values of ``champ`` flagged one by one."""
        return {v: o for o in self.origines if o.champ == champ for v in o.valeurs}


@dataclass(kw_only=True)
class Record:
    """What every content file has besides its front matter."""

    kind: str
    id: str
    path: str  # relative to the content folder, POSIX
    body: str
    body_line: int = 1


@record(F.MODEL["cooperation"])
class Cooperation(_Provenance, Record):
    # vocabulary name -> attribute, for every family a case is indexed by
    FACETS = {"themes": "themes", "finalites": "finalites", "portages": "portages",
              "temporalites": "temporalite", "intensites": "intensite", "fonctions": "fonctions",
              "leviers": "leviers", "statuts": "statut"}

    def exchanges(self) -> list[tuple[Partner, list[Exchange], list[Exchange]]]:
        """(partner, what it brings, what it receives) for every partner the fiche says something of."""
        out = []
        for p in self.territoires:
            mine = [e for e in self.reciprocites if names_partner(e.partenaire, p.nom, p.code)]
            if mine:
                out.append((p, [e for e in mine if e.sens == "apporte"], [e for e in mine if e.sens == "recoit"]))
        return out

    def terms(self, vocab: str) -> list[str]:
        """Terms of one vocabulary, including those derived from the partners."""
        if vocab == "regions":
            return sorted({p.region for p in self.territoires if p.region})
        if vocab == "types_territoire":
            return sorted({p.type for p in self.territoires})
        if vocab in ("tailles", "profils"):  # derived from the official geography (issue 13)
            from . import identity

            if vocab == "profils":
                term = identity.profile(self.territoires)
                return [term] if term else []
            bands = {identity.size_band(identity.partner_population(p)) for p in self.territoires}
            return [t for t, _, _ in identity.SIZE_BANDS if t in bands]
        if vocab == "echanges":  # what the partners bring or receive (issue 21)
            return sorted({e.nature for e in self.reciprocites})
        value = getattr(self, self.FACETS[vocab])
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)


@record(F.MODEL["recommandation"])
class Recommendation(_Provenance, Record):
    @property
    def pair_origin(self) -> Origin | None:
        """The flag of the pair arrêter / commencer, when the editors wrote it."""
        return self.origin_of("paire")

    def terms(self, vocab: str) -> list[str]:
        if vocab == "audiences":
            return list(self.audiences)
        if vocab == "axes":
            return [self.axe]
        return []


@record(F.MODEL["document"])
class SourceDocument(Record):
    """A source document (content/sources/)."""


@record(F.MODEL["page"])
class Page(Record):
    """An editorial page."""
