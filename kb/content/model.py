"""Typed records: what a content file becomes once validated."""
from __future__ import annotations

from dataclasses import dataclass, field
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
    membres: tuple[str, ...] = ()

    def __post_init__(self):
        # computed with the record (where files are read in parallel, on both cores) and kept
        # with it; not a field: exports and comparisons see the fields only.
        # A coded territory is known by its official name (a commune: with its code, since
        # communes share names), whatever usual name a file gives it.
        official = self.official
        if official is None:
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


@dataclass(frozen=True)
class Reference:
    """An external publication (data/references.yml)."""

    id: str
    titre: str
    editeur: str
    url: str
    date: str | None = None


@dataclass(frozen=True)
class SourceRef:
    document: str | None = None
    reference: str | None = None
    section: str | None = None
    titre: str | None = None
    editeur: str | None = None
    date: str | None = None
    url: str | None = None


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
class Cooperation(Record):
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
    statut: str = ""
    date_ajout: str = ""
    date_revue: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    recommandations: list[str] = field(default_factory=list)

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
class Recommendation(Record):
    resume: str = ""
    audiences: list[str] = field(default_factory=list)
    axe: str = ""
    arreter: str | None = None
    commencer: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    cooperations: list[str] = field(default_factory=list)
    date_ajout: str = ""
    date_revue: str | None = None

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
