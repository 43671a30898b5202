"""Typed records: what a content file becomes once validated.

Provenance (issue 15): a value no source states carries its origin — ``Partner.origine``
for a partner, ``origines`` (``Origin``) for a fiche's judgements — so that every page,
map and export can tell a source's fact from the editors' view. Absent means: stated
by the fiche's sources.
"""
from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from functools import lru_cache

from slugify import slugify


@lru_cache(maxsize=None)
def territory_key(name: str) -> str:
    """One territory, one key: the same name typed with other accents or case is the same place.

    Cached: every page that shows a partner asks for its key, and slugify is slow. The
    transliteration is named: with the default ("auto"), slugify would first try to import
    Unidecode for every name (a failed import, not remembered, each time) and would give
    other keys wherever Unidecode happens to be installed."""
    return slugify(name, backend="text-unidecode")


@dataclass(frozen=True)
class Partner:
    nom: str
    type: str
    region: str | None = None
    departement: str | None = None
    code: str | None = None
    origine: str | None = None  # "a-confirmer": no source names it; "redaction": a detail is the editors'
    motif: str | None = None  # why
    membres: tuple[str, ...] = ()
    # identifier in data/groupements.yml (given by identity.resolve): not a field of the fiche
    groupement: InitVar[str | None] = None

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


@dataclass(frozen=True)
class Reference:
    """An external publication (data/references.yml)."""

    id: str
    titre: str
    editeur: str
    url: str
    date: str | None = None
    origine: str | None = None  # "a-confirmer": title or date read from the link's address only
    motif: str | None = None


@dataclass(frozen=True)
class SourceRef:
    document: str | None = None
    reference: str | None = None
    section: str | None = None
    titre: str | None = None
    editeur: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Origin:
    """A value of a fiche that no source states (``champ``, or only some of its ``valeurs``)."""

    champ: str
    origine: str  # "redaction", "a-confirmer" or a source's identifier
    valeurs: list[str] = field(default_factory=list)
    motif: str | None = None

    @property
    def editorial(self) -> bool:
        return self.origine == "redaction"

    @property
    def to_confirm(self) -> bool:
        return self.origine == "a-confirmer"


@dataclass(frozen=True)
class Holder:
    """The organisation that carries a cooperation (no personal data)."""

    organisation: str
    site: str | None = None


@dataclass(frozen=True)
class Funding:
    financeur: str
    programme: str | None = None
    montant: int | None = None  # euros
    annee: int | None = None
    source: str | None = None


@dataclass(frozen=True)
class Result:
    indicateur: str
    valeur: str  # a number as written in the file (919, 12,5)
    unite: str | None = None
    annee: int | None = None
    source: str | None = None


@dataclass(frozen=True)
class SignedDocument:
    titre: str
    date: str | None = None
    url: str | None = None
    reference: str | None = None  # an entry of data/references.yml that gives the link
    origine: str | None = None


# field -> (record type of its items, fields read as integers): what ``typed`` builds.
NESTED = {"porteur": (Holder, ()), "financements": (Funding, ("montant", "annee")),
          "resultats": (Result, ("annee",)), "documents": (SignedDocument, ()),
          "origines": (Origin, ())}


def typed(data: dict) -> dict:
    """The front matter's nested values (checked by the schema) as records, in place."""
    for name, (cls, integers) in NESTED.items():
        value = data.get(name)
        if value is None:
            continue

        def make(item, cls=cls, integers=integers):
            item = {k: v for k, v in item.items() if v is not None}
            for k in integers:
                if k in item:
                    item[k] = int(item[k])
            return cls(**item)

        data[name] = [make(item) for item in value] if isinstance(value, list) else make(value)
    return data


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


@dataclass
class Record:
    """Fields shared by every content file."""

    kind: str
    id: str
    path: str  # relative to the content folder, POSIX
    titre: str
    body: str
    body_line: int = 1


@dataclass
class Cooperation(_Provenance, Record):
    resume: str = ""
    territoires: list[Partner] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    finalites: list[str] = field(default_factory=list)
    portages: list[str] = field(default_factory=list)
    temporalite: str | None = None
    intensite: str | None = None
    fonctions: list[str] = field(default_factory=list)
    leviers: list[str] = field(default_factory=list)
    annee: int | None = None
    debut: str | None = None  # AAAA, AAAA-MM or AAAA-MM-JJ
    fin: str | None = None
    statut: str = ""
    date_ajout: str = ""
    date_revue: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    recommandations: list[str] = field(default_factory=list)
    porteur: Holder | None = None
    financements: list[Funding] = field(default_factory=list)
    resultats: list[Result] = field(default_factory=list)
    facteurs_de_reussite: list[str] = field(default_factory=list)
    obstacles: list[str] = field(default_factory=list)
    documents: list[SignedDocument] = field(default_factory=list)
    origines: list[Origin] = field(default_factory=list)

    # vocabulary name -> attribute, for every family a case is indexed by
    FACETS = {"themes": "themes", "finalites": "finalites", "portages": "portages",
              "temporalites": "temporalite", "intensites": "intensite", "fonctions": "fonctions",
              "leviers": "leviers", "statuts": "statut"}

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
        value = getattr(self, self.FACETS[vocab])
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)


@dataclass
class Recommendation(_Provenance, Record):
    resume: str = ""
    audiences: list[str] = field(default_factory=list)
    axe: str = ""
    arreter: str | None = None
    commencer: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    cooperations: list[str] = field(default_factory=list)
    date_ajout: str = ""
    date_revue: str | None = None
    origines: list[Origin] = field(default_factory=list)

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


@dataclass
class SourceDocument(Record):
    editeur: str = ""
    date: str | None = None
    url: str | None = None
    resume: str | None = None
    chiffres_cles: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


@dataclass
class Page(Record):
    description: str | None = None
