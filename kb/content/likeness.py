"""What makes two intercommunalités comparable (« Des territoires comparables qui coopèrent »),
computed from the official geography (kb.content.cog) at build time, with no network.

The editors' rules (the official data carries neither areas nor INSEE's density grid, so the
profile is read from the populations of the member communes):
- urban–rural profile of an EPCI: the share of its population living in member communes of
  at least 2 000 inhabitants (INSEE's historical threshold of an urban commune,
  « unité urbaine » definition, populations légales of kb.content.cog.POPULATION_YEAR):
  80 % or more « urbain », less than 50 % « rural », in between « intermédiaire ». A
  commune nouvelle counts as its communes déléguées (kb.content.cog ``anciennes``), its
  population shared equally among them: otherwise merging rural villages into one commune of
  20 000 inhabitants (Mauges Communauté) would make an urban territory of them;
- neighbour métropole: the nearest other EPCI of type métropole whose centre
  (population-weighted, kb.content.cog) is within ``NEIGHBOUR_KM`` of the EPCI's centre,
  by size class: more than ``BIG_METROPOLE`` inhabitants, or fewer; none within that
  distance is a class of its own (« sans métropole à moins de 60 km »).

A commune is compared through its EPCI (a commune without one has no profile).

Invariants: the words here (PROFILE_WORDS, NEIGHBOUR_WORDS) are the ones kb-commune.js
prints for the same signature letters; the traits depend on the geography only, computed
once per loaded Cog.
"""
from __future__ import annotations

import math
from functools import lru_cache

URBAN_COMMUNE = 2_000  # inhabitants: INSEE's historical threshold of an urban commune
URBAN_SHARE = 0.8
RURAL_SHARE = 0.5
NEIGHBOUR_KM = 60.0
BIG_METROPOLE = 500_000

PROFILE_LETTERS = {"urbain": "U", "intermediaire": "I", "rural": "R"}
PROFILE_WORDS = {"U": "profil urbain", "I": "profil intermédiaire (entre urbain et rural)", "R": "profil rural"}
NEIGHBOUR_WORDS = {"0": "sans métropole à moins de 60\u202fkm",
                   "1": "voisine d'une métropole de moins de 500\u202f000 habitants",
                   "2": "voisine d'une métropole de plus de 500\u202f000 habitants"}
RULE = ("Règle de la rédaction : le profil urbain ou rural d'une intercommunalité se lit dans la part de "
        "sa population vivant dans des communes d'au moins 2\u202f000 habitants (80\u202f% ou plus : urbain ; "
        "moins de 50\u202f% : rural ; entre les deux : intermédiaire ; une commune nouvelle compte "
        "comme ses communes déléguées, sa population répartie également entre elles) ; la métropole voisine est la plus "
        "proche à moins de 60\u202fkm (d'un centre à l'autre). Calcul sur le Code officiel géographique "
        "et les populations légales.")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _parts(cog) -> dict[str, int]:
    """commune code -> how many communes déléguées it counts (1 for a commune never merged)."""
    out: dict[str, int] = {}
    for _, _, current in cog.anciennes:
        out[current] = out.get(current, 0) + 1
    return out


def profile(cog, epci, parts: dict[str, int] | None = None) -> str:
    """« U », « I » or « R » (see the module's rule) of an EPCI entity."""
    parts = _parts(cog) if parts is None else parts
    pops = []
    for code in epci.members:
        c = cog.communes.get(code)
        if c is not None:
            n = max(1, parts.get(code, 1))
            pops.extend([c.population / n] * n)
    total = sum(pops)
    if not total:
        return "R"
    share = sum(p for p in pops if p >= URBAN_COMMUNE) / total
    return "U" if share >= URBAN_SHARE else "R" if share < RURAL_SHARE else "I"


def neighbour(cog, epci) -> tuple[str, object | None]:
    """(« 0 », « 1 » or « 2 », the métropole or None): the nearest other métropole within
    NEIGHBOUR_KM and its size class."""
    best = None
    for m in cog.epci.values():
        if m.type != "metropole" or m.code == epci.code:
            continue
        d = km(epci.lat, epci.lon, m.lat, m.lon)
        if d <= NEIGHBOUR_KM and (best is None or d < best[0]):
            best = (d, m)
    if best is None:
        return "0", None
    return ("2" if best[1].population > BIG_METROPOLE else "1"), best[1]


def traits(cog, epci) -> str:
    """Two characters: profile letter and neighbour class (« R2 »)."""
    return _traits(cog)[epci.code]


@lru_cache(maxsize=1)
def _traits(cog) -> dict[str, str]:
    """EPCI SIREN -> traits, computed once per loaded geography (kb.content.cog.load is cached)."""
    parts = _parts(cog)
    return {e.code: profile(cog, e, parts) + neighbour(cog, e)[0] for e in cog.epci.values()}


def shared_words(mine: str, theirs: str) -> list[str]:
    """The criteria beyond type and band two trait strings share, in words."""
    out = []
    if len(mine) >= 1 and len(theirs) >= 1 and mine[0] == theirs[0]:
        out.append(PROFILE_WORDS[mine[0]])
    if len(mine) >= 2 and len(theirs) >= 2 and mine[1] == theirs[1]:
        out.append(NEIGHBOUR_WORDS[mine[1]])
    return out
