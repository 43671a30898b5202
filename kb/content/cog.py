"""The official geography: communes, EPCI, départements, régions (kb/content/cog.json.gz).

The data file is extracted by scripts/extract_cog.py from the Code officiel
géographique published by Etalab (npm @etalab/decoupage-administratif, Licence
Ouverte) and GeoNames coordinates (CC BY). This module reads it once and answers:
what is the entity of this official code, where is it, what is its name, which
codes have a name close to this one.

Invariants:
- a code is looked up with the kind it names: 9 digits = EPCI (SIREN), 5 characters =
  commune (INSEE), 2-3 characters = département or région (INSEE; "53" is both a
  département and a région code, so the caller says which);
- every commune has a position: its own (GeoNames) or, for the smallest, the
  population-weighted centre of its EPCI's located communes, else the mean position of
  its département's communes (``precise`` is False then); an EPCI is at the
  population-weighted centre of its communes, a département or région at the
  mean position of its communes (a geographic centre, not the prefecture).

- an EPCI of an earlier edition whose SIREN is no longer in force (``Cog.former_epci``)
  is not an entity: it is history, named with the current EPCI that hold its former
  communes (``former_epci_text``), a fact derived from the two editions, never a guess.

Command line, for contributors: ``python -m kb.content.cog chercher "Carhaix"``.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

# package data (pyproject.toml), extracted by scripts/extract_cog.py: found in any kind of install
DATA_FILE = resources.files("kb.content").joinpath("cog.json.gz")
POPULATION_YEAR = 2023  # populations légales 2023, in force on 1 January 2026 (package 6.0.0)
EPCI_TYPES = {"METRO": "metropole", "MET69": "metropole", "CU": "communaute-urbaine",
              "CA": "communaute-d-agglomeration", "CC": "communaute-de-communes"}
KIND_OF_TYPE = {"commune": "commune", "departement": "departement", "region": "region",
                **{t: "epci" for t in EPCI_TYPES.values()}}
KIND_LABELS = {"commune": "commune", "epci": "intercommunalité", "departement": "département",
               "region": "région"}


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


@lru_cache(maxsize=1 << 16)  # a pure function of its text; a build folds the same names thousands of times
def normalise(text: str) -> str:
    """The name folding, defined once (kb-commune.js ``fold`` does the same, both checked on
    tests/fixtures/folding.json): accents dropped, lower case, œ æ ß spelled out, anything
    else than a-z and 0-9 a word break, « saint »/« sainte » as « st »/« ste »:
    « Saint-Dié-des-Vosges », « st die » and « ST-DIÉ » compare alike; « L'Haÿ » and
    « L’Haÿ » too."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", str(text)) if not unicodedata.category(ch).startswith("M"))
    text = re.sub(r"[^a-z0-9]+", " ", text.lower().translate(_LIGATURES)).strip()
    text = re.sub(r"\bsainte\b", "ste", text)
    return re.sub(r"\bsaint\b", "st", text)


# the legal forms the official EPCI names abbreviate, spelled out for readers
EPCI_FORMS = {"CC": "Communauté de communes", "CA": "Communauté d'agglomération", "CU": "Communauté urbaine"}
_FORM = re.compile(r"^(CC|CA|CU) ")


def spelled_out(name: str) -> str:
    """« CA du Grand Narbonne » -> « Communauté d'agglomération du Grand Narbonne »."""
    return _FORM.sub(lambda m: EPCI_FORMS[m.group(1)] + " ", name, count=1)


def departement_of_commune(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


@dataclass(frozen=True)
class Entity:
    kind: str  # commune, epci, departement, region
    code: str
    nom: str
    type: str  # term of the types_territoire vocabulary
    population: int
    region: str  # INSEE code of the région
    departements: tuple[str, ...]  # by population share, largest first
    lat: float
    lon: float
    precise: bool = True  # own coordinates (communes); False: placed at its EPCI or département
    epci: str | None = None  # SIREN of a commune's EPCI
    members: tuple[str, ...] = field(default=())  # communes of an EPCI

    @property
    def departement(self) -> str | None:
        return self.departements[0] if self.departements else None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def official_url(self) -> str:
        """The official record: INSEE's page of the commune, département or région; the
        BANATIC record of an EPCI."""
        if self.kind == "epci":
            return f"https://www.banatic.interieur.gouv.fr/intercommunalite/{self.code}"
        level = {"commune": "COM", "departement": "DEP", "region": "REG"}[self.kind]
        return f"https://www.insee.fr/fr/metadonnees/geographie/{_INSEE_PATH[level]}/{self.code}"


_INSEE_PATH = {"COM": "commune", "DEP": "departement", "REG": "region"}


@dataclass(frozen=True)
class FormerEpci:
    """An EPCI of an earlier edition whose SIREN is no longer in force."""
    code: str  # its SIREN
    nom: str  # its official name in that edition
    type: str  # term of the types_territoire vocabulary
    edition: str  # year of the edition (the EPCI in force on 1 January)
    communes: int  # how many member communes it had then
    successors: tuple[tuple[str, int], ...]  # (SIREN of a current EPCI, how many of them it holds)


class Cog:
    @cached_property
    def name_index(self) -> list:
        return _name_index(self)

    @cached_property
    def by_name(self) -> dict[str, tuple["Entity", ...]]:
        """Entities by their normalised official name (today's names only): the exact lookup a
        check makes for every partner of every build, where ``search`` ranks 35,000 names."""
        found: dict[str, list] = {}
        for entity in self.entities():
            found.setdefault(normalise(entity.nom), []).append(entity)
        return {key: tuple(entities) for key, entities in found.items()}

    def __init__(self, raw: dict):
        self.source = raw["source"]
        self.regions: dict[str, Entity] = {}
        self.departements: dict[str, Entity] = {}
        self.epci: dict[str, Entity] = {}
        self.communes: dict[str, Entity] = {}
        dep_region = {code: region for code, _, region in raw["departements"]}
        epci_rows = raw["epci"]
        members: dict[int, list] = {}
        points_of_dep: dict[str, list] = {}
        for row in raw["communes"]:
            code = row[0]
            members.setdefault(row[3], []).append(row)
            if len(row) > 4:
                points_of_dep.setdefault(departement_of_commune(code), []).append((row[4] / 1e4, row[5] / 1e4))
        dep_centre = {d: _mean(points) for d, points in points_of_dep.items()}
        region_points: dict[str, list] = {}
        for d, points in points_of_dep.items():
            region_points.setdefault(dep_region.get(d), []).extend(points)

        epci_centre = {}
        for index, rows in members.items():
            located = [r for r in rows if len(r) > 4]
            if index >= 0 and located:
                epci_centre[index] = _mean([(r[4] / 1e4, r[5] / 1e4) for r in located],
                                           [max(r[2], 1) for r in located])
        for index, rows in members.items():
            for row in rows:
                code, nom, population = row[0], row[1], row[2]
                dep = departement_of_commune(code)
                if len(row) > 4:
                    point, precise = (row[4] / 1e4, row[5] / 1e4), True
                else:
                    point, precise = epci_centre.get(index) or dep_centre.get(dep) or (0.0, 0.0), False
                self.communes[code] = Entity(
                    "commune", code, nom, "commune", population, dep_region.get(dep, ""), (dep,),
                    round(point[0], 4), round(point[1], 4), precise,
                    epci_rows[index][0] if index >= 0 else None)
        for index, (siren, nom, nature, population) in enumerate(epci_rows):
            rows = members.get(index, [])
            share: dict[str, int] = {}
            for r in rows:
                share[departement_of_commune(r[0])] = share.get(departement_of_commune(r[0]), 0) + r[2]
            deps = tuple(sorted(share, key=lambda d: (-share[d], d)))
            lat, lon = epci_centre.get(index) or dep_centre.get(deps[0] if deps else "", (0.0, 0.0))
            self.epci[siren] = Entity("epci", siren, nom, EPCI_TYPES[nature], population,
                                      dep_region.get(deps[0], "") if deps else "", deps,
                                      round(lat, 4), round(lon, 4),
                                      members=tuple(sorted(r[0] for r in rows)))
        population_of_dep: dict[str, int] = {}
        for c in self.communes.values():
            population_of_dep[c.departement] = population_of_dep.get(c.departement, 0) + c.population
        for code, nom, region in raw["departements"]:
            lat, lon = dep_centre.get(code, (0.0, 0.0))
            self.departements[code] = Entity("departement", code, nom, "departement",
                                             population_of_dep.get(code, 0), region, (code,),
                                             round(lat, 4), round(lon, 4))
        for code, nom in raw["regions"]:
            deps = tuple(d for d, r in dep_region.items() if r == code)
            lat, lon = _mean(region_points.get(code, [])) or (0.0, 0.0)
            self.regions[code] = Entity("region", code, nom, "region",
                                        sum(population_of_dep.get(d, 0) for d in deps), code, deps,
                                        round(lat, 4), round(lon, 4))
        self.anciennes = [(code, nom, current) for code, nom, current in raw["anciennes"]]
        self.former_epci: dict[str, FormerEpci] = {
            siren: FormerEpci(siren, nom, EPCI_TYPES[nature], edition, count,
                              tuple((s, n) for s, n in successors if s in self.epci))
            for siren, nom, nature, edition, count, successors in raw.get("epci_anciens", [])}
        # EPCI in force renamed since an earlier edition: SIREN -> ((former name, edition), ...)
        self.former_names: dict[str, tuple[tuple[str, str], ...]] = {}
        for siren, nom, edition in raw.get("epci_noms_anciens", []):
            if siren in self.epci:
                self.former_names[siren] = self.former_names.get(siren, ()) + ((nom, edition),)

    def get(self, code, kind: str | None = None) -> Entity | None:
        """The entity of an official code; ``kind`` (commune, epci, departement, region)
        tells a département from a région of the same code."""
        code = str(code).strip().upper()
        if kind is None:
            kind = "epci" if len(code) == 9 else "commune" if len(code) == 5 else "departement"
        return {"commune": self.communes, "epci": self.epci, "departement": self.departements,
                "region": self.regions}[kind].get(code)

    def entities(self):
        yield from self.regions.values()
        yield from self.departements.values()
        yield from self.epci.values()
        yield from self.communes.values()

    def search(self, text: str, kind: str | None = None, limit: int = 8) -> list[Entity]:
        """Entities whose name matches ``text`` (accent-, case- and hyphen-insensitive):
        exact names first, then names starting with it, then names containing all its
        words, then close spellings; larger populations first within each group."""
        wanted = normalise(text)
        if not wanted:
            return []
        words = wanted.split()
        index = self.name_index
        ranked = []
        for key, entity in index:
            if kind and entity.kind != kind:
                continue
            rank = _rank({key}, key, wanted, words)
            if rank is not None:
                ranked.append((rank, -entity.population, entity.nom, entity.code, entity))
        if not ranked:
            import difflib

            keys = {k for k, e in index if not kind or e.kind == kind}
            close = set(difflib.get_close_matches(wanted, keys, n=limit, cutoff=0.75))
            ranked = [(3, -e.population, e.nom, e.code, e) for k, e in index if k in close
                      and (not kind or e.kind == kind)]
        ranked.sort(key=lambda r: r[:4])
        out, seen = [], set()
        for *_, entity in ranked:
            if (entity.kind, entity.code) not in seen:
                seen.add((entity.kind, entity.code))
                out.append(entity)
        return out[:limit]


    def search_former(self, text: str, limit: int = 8) -> list[FormerEpci]:
        """EPCI of earlier editions whose name matches ``text`` (as ``search`` does, without
        close spellings), larger ones first."""
        wanted = normalise(text)
        if not wanted:
            return []
        words = wanted.split()
        ranked = []
        for former in self.former_epci.values():
            key = normalise(former.nom)
            rank = _rank({key, _EPCI_PREFIX.sub("", key)}, key, wanted, words,
                         also=_EPCI_PREFIX.sub("", wanted))
            if rank is not None:
                ranked.append((rank, -former.communes, former.nom, former.code, former))
        return [r[-1] for r in sorted(ranked, key=lambda r: r[:4])][:limit]

    def suggest(self, name: str, kind: str | None = None, limit: int = 3) -> list[Entity]:
        """Entities a contributor may have meant by ``name``: by name; for an
        intercommunalité, also without « Communauté de communes de… », then the
        intercommunalités of the communes named in it (an EPCI renamed or merged keeps
        its communes: « Monts de Lacaune » leads to the EPCI of Lacaune)."""
        found = self.search(name, kind=kind, limit=limit)
        if found or kind not in (None, "epci"):
            return found
        short = _EPCI_PREFIX.sub("", normalise(name))
        found = self.search(short, kind="epci", limit=limit) if short else []
        if found:
            return found
        out = []
        for word in short.split():
            if len(word) < 4 or word in _COMMON_WORDS:
                continue
            for entity in self.search(word, kind="commune", limit=50):
                if normalise(entity.nom) == word and entity.epci and self.epci[entity.epci] not in out:
                    out.append(self.epci[entity.epci])
        return out[:limit]


def _rank(keys: set, key: str, wanted: str, words: list, also: str | None = None) -> int | None:
    """How a name matches a search (``keys``: its folded forms; ``key``: the one whose words
    count): 0 the same, 1 starting with it, 2 containing all its words, None not at all."""
    if wanted in keys or (also is not None and also in keys):
        return 0
    if any(k.startswith(wanted) for k in keys):
        return 1
    if all(re.search(rf"\b{re.escape(w)}", key) for w in words):
        return 2
    return None


_COMMON_WORDS = {"pays", "monts", "mont", "montagne", "vallee", "communes", "communaute", "agglomeration",
                 "metropole", "grand", "haut", "haute", "bassin", "terres", "val", "plaine", "cote", "coeur"}


def _mean(points, weights=None):
    if not points:
        return None
    weights = weights or [1] * len(points)
    total = sum(weights)
    return (sum(p[0] * w for p, w in zip(points, weights)) / total,
            sum(p[1] * w for p, w in zip(points, weights)) / total)


# words an EPCI's official name starts with, dropped for matching (« CC Poher Communauté »)
_EPCI_PREFIX = re.compile(r"^(?:cc|ca|cu|communaute (?:de communes|d agglomeration|urbaine)) (?:de la |de l |de |du |des |d )?")


def _name_index(cog: "Cog") -> list:
    """(normalised name, entity) of every entity, former commune names included (built once per
    Cog: ``Cog.name_index``)."""
    index = []
    for entity in cog.entities():
        key = normalise(entity.nom)
        index.append((key, entity))
        if entity.kind == "epci":
            short = _EPCI_PREFIX.sub("", key)
            if short != key:
                index.append((short, entity))
    for code, nom, current in cog.anciennes:
        entity = cog.communes.get(current)
        if entity is not None:
            index.append((normalise(nom), entity))
    for siren, names in cog.former_names.items():  # an EPCI renamed since: its former name too
        for nom, _ in names:
            entity = cog.epci[siren]
            if _short(nom) != _short(entity.nom):
                index.append((normalise(nom), entity))
                index.append((_short(nom), entity))
    return index


@lru_cache(maxsize=1)
def load(path: Path = DATA_FILE) -> Cog:
    return Cog(json.loads(gzip.decompress(path.read_bytes())))


def former_epci_text(code, cog: Cog | None = None, *, target: str = "indiquez",
                     name: str | None = None) -> str | None:
    """What became of an EPCI SIREN no longer in force, in French, or None if ``code`` is not
    one: its name in the earlier edition, then the current EPCI holding its former communes
    (how many each when they were split), as derived from the two editions. ``target`` is
    the verb asking for the new code (« indiquez », « remplacez-le par »); ``name``, the name
    the contributor gave, is pointed out when it is today the name of one of the successors."""
    cog = cog or load()
    former = cog.former_epci.get(str(code).strip())
    if former is None:
        return None
    old = cog.source.get("historique", {}).get(former.edition, "")
    current = cog.source["package"].rpartition("@")[2]
    text = (f"« {former.code} » était en {former.edition} le SIREN de l'intercommunalité "
            f"« {spelled_out(former.nom)} » ; ce SIREN n'est plus en vigueur. D'après le découpage "
            f"administratif d'Etalab (éditions {former.edition} et en vigueur : {old} et @{current}), ")
    held = [(cog.epci[s], n) for s, n in former.successors]
    n = former.communes
    communes = f"{'ses' if n > 1 else 'sa'} {n} commune{'s' if n > 1 else ''} de {former.edition}"
    if not held:
        return f"{text}aucune de ses {n} communes de {former.edition} n'est aujourd'hui dans une intercommunalité"
    named = [f"« {spelled_out(e.nom)} » (SIREN {e.code})" for e, _ in held]
    if len(held) == 1 and held[0][1] == n:
        verb = "appartiennent toutes" if n > 1 else "appartient"
        return f"{text}{communes} {verb} aujourd'hui à {named[0]} : {target} ce code"
    parts = [f"{label}, {k} sur {n}" for label, (_, k) in zip(named, held)]
    listing = " ; ".join(parts[:-1]) + f" et {parts[-1]}" if len(parts) > 1 else parts[0]
    rest = n - sum(k for _, k in held)
    # a commune in no EPCI today (an island commune), or one the current edition cannot follow
    outside = f" (et {rest} dans aucune intercommunalité d'aujourd'hui connue)" if rest else ""
    verb = "se répartissent aujourd'hui entre" if len(held) > 1 else "appartiennent aujourd'hui à"
    same = [e for e, _ in held if name and _short(e.nom) == _short(name)]
    hint = (f" ; le nom donné est aujourd'hui celui de « {spelled_out(same[0].nom)} » (SIREN {same[0].code})"
            if len(same) == 1 else "")
    return (f"{text}{communes} {verb} {listing}{outside} : {target} le SIREN de celle qui est "
            f"concernée (de chacune, si toutes le sont){hint}")


def _short(name: str) -> str:
    """An EPCI name folded, without its legal form (« CC », « Communauté de communes de »,
    both in « CC communauté de communes des Hauts-Tolosans »)."""
    key, previous = normalise(name), None
    while key != previous:
        key, previous = _EPCI_PREFIX.sub("", key), key
    return key


def same_epci_name(a: str, b: str) -> bool:
    """Two EPCI names alike once folded and without their legal form: « CC Pays Créçois » and
    « Communauté de communes du Pays Créçois »."""
    return _short(a) == _short(b)


def describe(entity: Entity, cog: Cog | None = None) -> str:
    """One line for a terminal: code, name, kind, département(s), population."""
    cog = cog or load()
    deps = ", ".join(f"{cog.departements[d].nom} ({d})" for d in entity.departements[:3] if d in cog.departements)
    where = f" – {deps}" if deps and entity.kind != "departement" else ""
    population = f"{entity.population:,}".replace(",", "\u202f")
    return f"{entity.code}  {entity.nom} ({entity.kind_label}){where}, {population} habitants"


def describe_former(former: FormerEpci, cog: Cog | None = None) -> str:
    """One line for a terminal: a former EPCI and the current EPCI holding its communes."""
    cog = cog or load()
    held = ", ".join(f"{s} {cog.epci[s].nom} ({n} sur {former.communes})" for s, n in former.successors)
    return (f"{former.code}  {former.nom} (ancienne intercommunalité en {former.edition}, SIREN plus en "
            f"vigueur) – ses communes sont aujourd'hui dans : {held or 'aucune intercommunalité'}")


def _renamed(entity: Entity, words: list[str], cog: Cog) -> str:
    """« , nommée « … » en 2019 » when the words searched are in a former name of this EPCI
    and not in its name of today."""
    if not _has_words(entity.nom, words):
        for nom, edition in cog.former_names.get(entity.code, ()):
            if _has_words(nom, words):
                return f" ; nommée « {nom} » en {edition}"
    return ""


def _has_words(name: str, words: list[str]) -> bool:
    """Each of ``words`` starts a word of ``name`` (folded)."""
    keys = normalise(name).split()
    return all(any(k.startswith(w) for k in keys) for w in words)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "chercher":
        print('Usage : python -m kb.content.cog chercher "nom de commune, d\'intercommunalité, '
              'de département ou de région"')
        return 2
    cog = load()
    found = cog.search(" ".join(argv[1:]), limit=12)
    former = cog.search_former(" ".join(argv[1:]), limit=4)
    if not found and not former:
        print("Aucun territoire officiel ne porte ce nom.")
        return 1
    words = normalise(" ".join(argv[1:])).split()
    lines = [describe(entity, cog) + _renamed(entity, words, cog) for entity in found]
    if former and not any(_has_words(e.nom, words) for e in found):
        # today's names match only by close spelling: the former name first
        lines = [describe_former(f, cog) for f in former] + lines
    else:
        lines += [describe_former(f, cog) for f in former]
    for line in lines:
        # names come from data/: printed without terminal control characters
        print("".join(ch for ch in line if unicodedata.category(ch)[0] != "C"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
