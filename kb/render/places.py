"""What the templates know about territories and actors (official identity, memberships,
population, small maps), as Jinja2 globals.

Invariants: every name shown comes from content/ or data/ and is escaped by the
templates (autoescape); numbers are written the French way (narrow no-break space
between thousands); a described partner (type « ensemble ») has no page.
"""
from __future__ import annotations

from ..content import cog as COG
from ..content import identity
from ..content import likeness
from ..content.identity import format_population
from ..graph import territories as T
from ..graph import tracking
from . import geo

TYPE_WORDS = {  # « une communauté de communes » : the type in words, with its article
    "commune": "une commune", "metropole": "une métropole", "communaute-urbaine": "une communauté urbaine",
    "communaute-d-agglomeration": "une communauté d'agglomération",
    "communaute-de-communes": "une communauté de communes", "departement": "un département",
    "region": "une région", "petr-pays": "un pôle d'équilibre territorial et rural (PETR) ou pays",
    "pole-metropolitain": "un pôle métropolitain", "parc-naturel-regional": "un parc naturel régional",
    "syndicat-mixte": "un syndicat mixte", "territoire-de-projet": "un territoire de projet",
    "sem": "une société d'économie mixte", "association": "une association",
    "etat": "un service ou une agence de l'État", "etablissement-public": "un établissement public",
    "agence-urbanisme": "une agence d'urbanisme", "entreprise": "une entreprise",
}
BAND_WORDS = {"moins-de-10000": "de moins de 10\u202f000 habitants", "10000-50000": "de 10\u202f000 à 50\u202f000 habitants",
              "50000-200000": "de 50\u202f000 à 200\u202f000 habitants", "plus-de-200000": "de plus de 200\u202f000 habitants"}
# population bands of the partners (facet « taille »)
BANDS = (("moins-de-10000", "Moins de 10 000 habitants", 0, 10_000),
         ("10000-50000", "De 10 000 à 50 000 habitants", 10_000, 50_000),
         ("50000-200000", "De 50 000 à 200 000 habitants (villes moyennes)", 50_000, 200_000),
         ("plus-de-200000", "Plus de 200 000 habitants", 200_000, None))


def band(population: int | None) -> str | None:
    if population is None:
        return None
    for ident, _, low, high in BANDS:
        if population >= low and (high is None or population < high):
            return ident
    return None  # pragma: no cover


def description(t) -> str:
    """The page description (search engines, social cards) of a territory or actor page."""
    entity = t.official
    if entity is not None:
        return (f"{t.nom}, {TYPE_WORDS.get(t.type, t.type)} de {format_population(entity.population)} habitants : "
                "ses coopérations pour la transition écologique.")
    return f"Les coopérations de {t.nom}."


class Places:
    """Template helper, one per graph."""

    def __init__(self, graph, node_modules=None):
        self.graph = graph
        self.node_modules = node_modules  # the map packages (Settings.node_modules_dir), for small_map
        self._memberships = None
        self.population_year = COG.POPULATION_YEAR
        self.cog = COG.load()

    @property
    def memberships(self) -> T.Memberships:
        if self._memberships is None:
            with tracking.shared(self.graph):  # kept for every page: read by every page (a live preview)
                self._memberships = T.Memberships(self.graph)
        return self._memberships

    def territories(self):
        return [t for t in self.graph.territories.values() if not t.is_actor]

    def actors(self):
        return [t for t in self.graph.territories.values() if t.is_actor]

    def type_words(self, t) -> str:
        return TYPE_WORDS.get(t.type, "")

    def population(self, t) -> str | None:
        n = T.population_of(t)
        return format_population(n) if n else None

    def departements(self, t) -> list:
        return [self.cog.departements[d] for d in T.departements_of(t) if d in self.cog.departements]

    def region(self, t):
        entity = t.official
        code = entity.region if entity is not None else T.region_code(t.region, self.graph.content.data)
        return self.cog.regions.get(code or "")

    def members(self, t) -> list:
        """Member communes of an EPCI; member EPCI or communes of a grouping (entities)."""
        entity = t.official
        if entity is not None and entity.kind == "epci":
            return sorted((self.cog.communes[c] for c in entity.members if c in self.cog.communes),
                          key=lambda e: (-e.population, e.nom))
        return T.member_entities(t.membres)

    def entity(self, code):
        return self.cog.get(str(code))

    def name(self, entity) -> str:
        """An official entity's name for readers (an EPCI's legal form spelled out)."""
        return COG.spelled_out(entity.nom) if entity.kind == "epci" else entity.nom

    def partner_of(self, entity):
        """The page-bearing partner of the graph coded as this entity, if any."""
        for t in self.memberships._coded(entity):
            return t
        return None

    def groupings(self, t) -> list:
        return self.memberships.groupings(t)

    def through(self, t) -> list[T.Concern]:
        return self.memberships.concerns_of(t)

    def comparable(self, t, limit: int = 5) -> list[tuple[str, str]]:
        """« Des territoires comparables qui coopèrent » for an EPCI (or a commune, through its
        EPCI): (cooperation id, reason in words) of cases one of whose partners is an EPCI of the
        same kind and population band, those sharing also its urban–rural profile and its kind
        of neighbour métropole first (kb.content.likeness); the territory's own cases left out."""
        entity = t.official
        if entity is not None and entity.kind == "commune":
            entity = self.cog.epci.get(entity.epci or "")
        if entity is None or entity.kind != "epci":
            return []
        band = identity.size_band(entity.population)
        mine = likeness.traits(self.cog, entity)
        own = set(t.cooperations)
        like = "comme elle" if t.official.kind == "epci" else f"comme son intercommunalité ({self.name(entity)})"
        found: dict[str, tuple[int, str]] = {}
        for other in self.graph.territories.values():
            e = other.official
            if e is None or e.kind != "epci" or e.code == entity.code or e.type != entity.type \
                    or identity.size_band(e.population) != band:
                continue
            shared = likeness.shared_words(mine, likeness.traits(self.cog, e))
            words = ", ".join([f"même type d'intercommunalité ({TYPE_WORDS.get(e.type, '')})",
                               f"même tranche de population ({BAND_WORDS.get(band, '')})", *shared])
            why = f"{other.nom} : {like}, {words}"
            for cid in other.cooperations:
                if cid not in own and (cid not in found or found[cid][0] < len(shared)):
                    found[cid] = (len(shared), why)
        order = {cid: n for n, cid in enumerate(self.graph.cooperations)}
        ranked = sorted(found.items(), key=lambda kv: (-kv[1][0], order[kv[0]]))[:limit]
        return [(cid, why) for cid, (_, why) in ranked]

    def comparable_rule(self) -> str:
        return likeness.RULE

    def small_map(self, t):
        return geo.build_map([t], [], self.node_modules, crop=True, labels=True, min_side=120.0)

    def format(self, n: int) -> str:
        return format_population(n)


def template_globals(env, graph, node_modules) -> None:
    env.globals["places"] = Places(graph, node_modules)
