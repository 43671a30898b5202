"""Territories in the official geography: where each is, what it belongs to, and which
cooperations concern it directly or through a grouping, an EPCI, a département or a région.

Invariants:
- a coded territory is at its official position (kb.content.cog); a grouping at the
  population-weighted centre of its known members, else at the centre of its
  département; an actor with a département at that département's centre; anything
  else has no position (it is listed, never drawn at a guessed place);
- "through" paths only follow official memberships (commune -> EPCI -> groupings whose
  ``membres`` name the EPCI or the commune; commune/EPCI -> département -> région),
  never names.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..content import cog as COG
from ..content.vocab import ProjectData


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    precise: bool  # False: placed at the centre of a département or région, not its own


def region_code(slug: str | None, data: ProjectData) -> str | None:
    """INSEE code of a ``regions`` vocabulary term."""
    return _region_codes(data).get(slug or "")


@lru_cache(maxsize=8)
def _region_codes(data: ProjectData) -> dict[str, str]:
    cog = COG.load()
    out = {}
    for code, dep in data.departements.items():
        entity = cog.departements.get(code)
        if entity is not None:
            out.setdefault(dep.region, entity.region)
    return out


def member_entities(membres) -> list[COG.Entity]:
    cog = COG.load()
    return [e for e in (cog.get(str(m)) for m in membres) if e is not None]


def location(t) -> Location | None:
    """Where a territory (or actor) is drawn; None when it has no place."""
    entity = getattr(t, "official", None)
    if entity is not None:
        return Location(entity.lat, entity.lon, entity.kind != "commune" or entity.precise)
    members = member_entities(getattr(t, "membres", ()) or ())
    if members:
        weights = [max(e.population, 1) for e in members]
        total = sum(weights)
        return Location(round(sum(e.lat * w for e, w in zip(members, weights)) / total, 4),
                        round(sum(e.lon * w for e, w in zip(members, weights)) / total, 4), True)
    cog = COG.load()
    deps = [cog.departements[d] for d in departements_of(t) if d in cog.departements]
    if deps:  # a grouping of unknown composition: between its départements' centres
        return Location(round(sum(d.lat for d in deps) / len(deps), 4),
                        round(sum(d.lon for d in deps) / len(deps), 4), False)
    return None


def departements_of(t) -> tuple[str, ...]:
    """Codes of the départements a territory lies in (by population share for an EPCI)."""
    entity = getattr(t, "official", None)
    if entity is not None:
        return entity.departements
    deps = []
    for e in member_entities(getattr(t, "membres", ()) or ()):
        for d in e.departements:
            if d not in deps:
                deps.append(d)
    grouping = getattr(t, "grouping", None)
    if not deps and grouping is not None:
        deps.extend(grouping.departements)
    if not deps and t.departement:
        deps.append(str(t.departement))
    return tuple(deps)


def population_of(t) -> int | None:
    entity = t.official
    if entity is not None:
        return entity.population
    members = member_entities(getattr(t, "membres", ()) or ())
    return sum(e.population for e in members) or None


@dataclass(frozen=True)
class Concern:
    """A cooperation that concerns a place, and the path from the place to its partner."""

    cooperation: str
    partner: str  # key of the partner of the cooperation
    via: str  # French, « via Poher Communauté, membre du Pays du Centre Ouest Bretagne »; "" when direct


def member_of(name: str) -> str:
    """« membre du Pays de Retz », « membre de la … », « membre de « X » »."""
    first = name.split(" ", 1)[0]
    if first in ("Le",):
        return f"membre du {name[3:]}"
    if first in ("La",):
        return f"membre de la {name[3:]}"
    if first in ("Pays", "PETR", "Parc", "Pôle", "Syndicat", "SEPAL", "Bassin", "Vignoble", "SCoT"):
        return f"membre du {name}"
    return f"membre de « {name} »"


class Memberships:
    """Who belongs to whom, among the partners of the graph (built once per graph)."""

    def __init__(self, graph):
        self.graph = graph
        self.by_code: dict[str, list] = {}  # official code -> territories coded so
        self.groupings_of: dict[str, list] = {}  # member code -> groupings listing it
        for t in graph.territories.values():
            entity = t.official
            if entity is not None:
                self.by_code.setdefault(f"{entity.kind}:{entity.code}", []).append(t)
            for m in t.membres:
                self.groupings_of.setdefault(str(m), []).append(t)

    def _coded(self, entity) -> list:
        return self.by_code.get(f"{entity.kind}:{entity.code}", [])

    def concerns_of_entity(self, entity: COG.Entity) -> list[Concern]:
        """Cooperations concerning an official entity: its own, those of the groupings
        listing it, of its EPCI and the EPCI's groupings (a commune), of its département(s)
        and région; each once (the nearest path wins), in this order."""
        cog = COG.load()
        out: list[Concern] = []
        seen: set[str] = set()

        def add(t, via):
            for cid in t.cooperations:
                if cid not in seen:
                    seen.add(cid)
                    out.append(Concern(cid, t.key, via))

        for t in self._coded(entity):
            add(t, "")
        for g in self.groupings_of.get(entity.code, []):
            add(g, member_of(g.nom))
        epci = cog.epci.get(entity.epci) if entity.kind == "commune" and entity.epci else None
        if epci is not None:
            for t in self._coded(epci):
                add(t, f"via {epci.nom}")
            for g in self.groupings_of.get(epci.code, []):
                add(g, f"via {epci.nom}, {member_of(g.nom)}")
        if entity.kind in ("commune", "epci"):
            for d in entity.departements:
                dep = cog.departements.get(d)
                if dep is not None:
                    for t in self._coded(dep):
                        add(t, f"via le département : {dep.nom}")
        if entity.kind != "region" and entity.region in cog.regions:
            region = cog.regions[entity.region]
            for t in self._coded(region):
                add(t, f"via la région : {region.nom}")
        return out

    def concerns_of(self, t) -> list[Concern]:
        """What a territory page lists besides its own cooperations: those reaching it
        through a grouping, its EPCI, its département or its région."""
        entity = t.official
        if entity is None:
            return []
        own = set(t.cooperations)
        return [c for c in self.concerns_of_entity(entity) if c.via and c.cooperation not in own]

    def groupings(self, t) -> list:
        """Groupings of the graph listing this territory among their members."""
        entity = t.official
        return list(self.groupings_of.get(entity.code, [])) if entity is not None else []
