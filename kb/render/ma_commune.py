"""« Ma commune »: the static index that lets a reader find the cooperations concerning
any French commune (kb-commune.js reads it in the browser).

Files (under ``ma-commune/`` of the built site):
- ``index.json``: the shards (prefix -> file), the départements (name, région) and régions
  (name), the version of the data, the name of the answer files (``liens``) and how many
  nearest and comparable cooperations are shown (``montres``);
- ``n-<prefix>.json``: the communes whose folded name starts with ``prefix`` (current
  names, and former communes' names leading to today's commune), largest first, as
  "name|code|EPCI SIREN|population|lat|lon|today's name (a former commune)|EPCI signature"
  (kind, band, urban–rural profile, neighbour métropole: ``signature``);
  prefixes are split until each shard is under ``MAX_SHARD`` bytes, so a lookup transfers
  a few tens of kilobytes;
- ``liens/<département>.json`` (kb.sitemap.ma_commune_links; the manifest gives the pattern,
  ``liens``): the layered answer for the communes of one département, the only answer file
  a lookup reads. ``by``: for each official code of the département that leads somewhere
  (its communes; every EPCI with a commune in it, so an EPCI over several départements is in
  each; the département; its région), the cooperations it leads to, each with the French
  path: a commune (partner itself, or member of a grouping), an EPCI (partner, or member of a
  grouping), a département or a région that is itself a partner (shown « à l'échelle du
  département / de la région »); ``in``: the cooperations with a partner in the département
  and in its région; ``pts``: where the cooperations are (for « les plus proches », in km),
  only in a département whose département and région have none, and only the cooperations
  that can be among the ``NEAREST`` nearest of one of its communes; ``cmp``: EPCI partners
  with their signature (« des territoires comparables qui coopèrent »: same kind and band as
  the commune's EPCI, ranked by the other two criteria shared, each said in words), only of
  the cooperations one of its communes can be shown (the first ``COMPARABLE`` of its ranking
  that are not a direct answer); ``regle``: the editors' rule in words (with ``cmp``); the
  titles and pages of the cooperations named in the file. ``answers`` cuts ``links`` (the
  table for all of France, which ``coverage`` also reads) so: kb-commune.js gives the same
  answer from the file of a commune's département as from the whole table.

Sizes measured (scripts/bench.py ``generate_content`` at 5,000 cases, and tests/test_ma_commune.py
at 5,000 cases over real communes, EPCI, groupings, départements and régions): the one table
for all of France was 1.0 Mio (190 Ko compressed), read whole by every lookup; the answers of a
département are at most 130 to 165 Ko as written and 25 to 26 Ko compressed (gzip level 6, as a
server sends JSON), a lookup (manifest, one shard, one département) 47 Ko compressed. They grow
with the cooperations of the département's région; kb.publish.budget holds each file to 32 Kio
compressed.

Invariants: the name folding is the same here and in kb-commune.js (kb.content.cog.normalise,
checked by both test suites on tests/fixtures/folding.json); paths follow official
memberships only (kb.graph.territories.Memberships); files are deterministic (sorted,
compact JSON).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

from ..content import cog as COG
from ..content import identity
from ..content import likeness
from ..graph import territories as T
from ..graph.build import official_name
from .. import sitemap as urls

FOLDER = urls.MA_COMMUNE_FOLDER
MAX_SHARD = 48_000  # bytes of one shard file
MIN_PREFIX = 2
NEAREST = 3  # cooperations shown as « les plus proches » (kb-commune.js reads it from index.json)
COMPARABLE = 5  # cooperations shown as « des territoires comparables » (idem)
EARTH_KM = 6371.0  # mean radius, as kb-commune.js


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


# an EPCI's kind and population band in two characters (« comparable territories »)
EPCI_LETTERS = {"metropole": "M", "communaute-urbaine": "U", "communaute-d-agglomeration": "A",
                "communaute-de-communes": "C"}


def signature(entity) -> str:
    """« C1R2 »: a communauté de communes of 10,000 to 50,000 inhabitants (bands of
    kb.content.identity.SIZE_BANDS, by index), of rural profile, neighbour of a métropole of
    more than 500,000 inhabitants (kb.content.likeness: profile letter U/I/R, neighbour
    class 0/1/2)."""
    if entity is None or entity.kind != "epci":
        return ""
    return _signature(entity.code)


@lru_cache(maxsize=None)
def _signature(code: str) -> str:
    cog = COG.load()
    entity = cog.epci[code]
    band = identity.size_band(entity.population)
    index = [b[0] for b in identity.SIZE_BANDS].index(band) if band else 0
    return EPCI_LETTERS.get(entity.type, "") + str(index) + likeness.traits(cog, entity)


def _entries(cog: COG.Cog) -> list[tuple[str, str, int]]:
    """(folded name, "name|code|siren|population|lat|lon|today's name|EPCI signature", population)
    of every commune and former commune (today's name: a former commune's only)."""
    out = []
    for c in cog.communes.values():
        sig = signature(cog.epci.get(c.epci or ""))
        out.append((COG.normalise(c.nom), f"{c.nom}|{c.code}|{c.epci or ''}|{c.population}|{c.lat:.2f}|{c.lon:.2f}"
                    + (f"||{sig}" if sig else ""), c.population))
    for _, nom, current in cog.anciennes:
        c = cog.communes.get(current)
        if c is not None and COG.normalise(nom) != COG.normalise(c.nom):
            sig = signature(cog.epci.get(c.epci or ""))
            out.append((COG.normalise(nom), f"{nom}|{c.code}|{c.epci or ''}|{c.population}|{c.lat:.2f}|"
                        f"{c.lon:.2f}|{c.nom}" + (f"|{sig}" if sig else ""), 0))
    return out


def _shards(entries) -> dict[str, list]:
    """prefix -> entries, each shard small enough; a shard's prefix is never a prefix of
    another shard's (the reader picks the one shard matching what is typed)."""
    todo = [(MIN_PREFIX, entries)]
    out: dict[str, list] = {}
    while todo:
        length, group = todo.pop()
        by_prefix: dict[str, list] = {}
        for e in group:
            by_prefix.setdefault(e[0][:length], []).append(e)
        for prefix, items in by_prefix.items():
            size = sum(len(i[1].encode("utf-8")) + 3 for i in items)
            if size > MAX_SHARD and any(len(i[0]) > length for i in items):
                exact = [i for i in items if len(i[0]) <= length]
                longer = [i for i in items if len(i[0]) > length]
                if exact:  # names equal to the prefix itself stay findable
                    out.setdefault(prefix + "$", []).extend(exact)
                todo.append((length + 1, longer))
            else:
                out[prefix] = items
    return out


def _page(path: str) -> str:
    """Site-relative URL of a page source path (``cooperations/x.md`` -> ``cooperations/x/``)."""
    return urls.page_url(path)


def links(graph) -> dict:
    """The layered answer: what each official code leads to, where the cooperations are."""
    cog = COG.load()
    by: dict[str, list] = {}

    def add(key, cid, via):
        rows = by.setdefault(key, [])
        if all(r[0] != cid for r in rows):
            rows.append([cid, via])

    for t in graph.territories.values():
        entity = t.official
        if entity is not None:
            letter = {"commune": "c", "epci": "e", "departement": "d", "region": "r"}[entity.kind]
            for cid in t.cooperations:
                via = {"c": "", "e": f"via {official_name(entity)}",
                       "d": f"à l'échelle du département : {entity.nom}",
                       "r": f"à l'échelle de la région : {entity.nom}"}[letter]
                add(letter + entity.code, cid, via)
        for m in t.membres:
            e = cog.get(str(m))
            if e is None:
                continue
            for cid in t.cooperations:
                if e.kind == "epci":
                    add("e" + e.code, cid, f"via {official_name(e)}, {T.member_of(t.nom)}")
                else:
                    add("c" + e.code, cid, T.member_of(t.nom))
    inside: dict[str, set] = {}
    points: dict[str, list] = {}
    for t in graph.territories.values():
        entity = t.official
        if entity is not None and entity.kind == "region":
            deps = ()
            regions = {entity.code}
        else:
            deps = T.departements_of(t)
            regions = {cog.departements[d].region for d in deps if d in cog.departements}
        for d in deps:
            inside.setdefault("d" + d, set()).update(t.cooperations)
        for r in regions:
            inside.setdefault("r" + r, set()).update(t.cooperations)
        where = T.location(t)
        if where is not None and not (entity is not None and entity.kind in ("departement", "region")):
            for cid in t.cooperations:
                point = [round(where.lat, 2), round(where.lon, 2)]
                if point not in points.setdefault(cid, []):
                    points[cid].append(point)
    comparable: dict[str, list] = {}  # cooperation -> [[EPCI partner's name, signature], ...]
    for t in graph.territories.values():
        entity = t.official
        if entity is not None and entity.kind == "epci":
            for cid in t.cooperations:
                comparable.setdefault(cid, []).append([t.nom, signature(entity)])
    order = {cid: n for n, cid in enumerate(graph.cooperations)}  # title order
    used = sorted({cid for rows in by.values() for cid, _ in rows} | {c for s in inside.values() for c in s}
                  | set(points) | set(comparable), key=order.__getitem__)
    return {
        "by": by,
        "in": {k: sorted(v, key=order.__getitem__) for k, v in inside.items()},
        "pts": points,
        "cmp": comparable,
        "regle": likeness.RULE,
        "coops": {cid: [graph.cooperations[cid].titre, _page(urls.cooperation(cid))] for cid in used},
    }


def coverage(graph) -> dict[str, int]:
    """How the communes of France are answered: reaching a cooperation directly or through
    their EPCI or a grouping; else only through their département, their région, or the
    nearest cooperations (the layers of kb-commune.js, computed from the same table)."""
    cog = COG.load()
    data = links(graph)
    by, inside = data["by"], data["in"]
    counts = {"communes": 0, "directement": 0, "departement": 0, "region": 0, "plus_proches": 0}
    for c in cog.communes.values():
        counts["communes"] += 1
        if by.get("c" + c.code) or (c.epci and by.get("e" + c.epci)):
            counts["directement"] += 1
        elif by.get("d" + c.departement) or inside.get("d" + c.departement):
            counts["departement"] += 1
        elif by.get("r" + c.region) or inside.get("r" + c.region):
            counts["region"] += 1
        elif data["pts"]:
            counts["plus_proches"] += 1
    return counts


def report(graph) -> list[str]:
    """What the build prints: groupings of unknown composition, and how communes are answered."""
    from ..content import groupings as G

    out = []
    named = {t.grouping.id for t in graph.territories.values() if getattr(t, "grouping", None) is not None}
    unknown = [g for g in G.of(graph.content.data).unknown() if g.id in named]
    if unknown:
        out.append(f"Groupements de composition inconnue ({len(unknown)}, {G.SHOWN}) :")
        out.extend(f"  - {g.nom} : {g.motif}" for g in unknown)
    n = coverage(graph)
    out.append(f"Ma commune : {n['directement']} communes sur {n['communes']} atteignent au moins une "
               f"coopération directement ou par leur intercommunalité ou un groupement ; "
               f"{n['departement']} seulement par leur département, {n['region']} par leur région, "
               f"{n['plus_proches']} par les coopérations les plus proches.")
    return [_printable(line) for line in out]


def _printable(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


@lru_cache(maxsize=1)
def _name_files() -> dict[str, bytes]:
    """The shards and their manifest: they depend on the official geography only."""
    cog = COG.load()
    out = {}
    manifest = {}
    for prefix, items in sorted(_shards(_entries(cog)).items()):
        items = sorted(items, key=lambda i: (-i[2], i[0], i[1]))
        name = "n-" + prefix.replace(" ", "_").replace("$", "-fin") + ".json"
        manifest[prefix] = name
        out[f"{FOLDER}/{name}"] = _dump([i[1] for i in items])
    out[f"{FOLDER}/index.json"] = _dump({
        "shards": manifest, "source": cog.source["package"],
        "liens": urls.ma_commune_links("{dep}")[len(FOLDER) + 1:], "montres": [NEAREST, COMPARABLE],
        "deps": {code: [d.nom, d.region] for code, d in cog.departements.items()},
        "regs": {code: r.nom for code, r in cog.regions.items()}})
    return out


def _departements(cog) -> list[str]:
    """Every département a commune may be in: one answer file each (the reader asks for its
    commune's, kb-commune.js ``departementOf``)."""
    return sorted(set(cog.departements) | {c.departement for c in cog.communes.values()})


def _departements_of_key(cog, key: str) -> tuple[str, ...]:
    """The départements whose communes read a row of ``by``: a commune's; every département
    of an EPCI's communes; the département; every département of the région."""
    kind, code = key[0], key[1:]
    if kind == "c":
        return (COG.departement_of_commune(code),)
    entity = {"e": cog.epci, "d": cog.departements, "r": cog.regions}[kind].get(code)
    if entity is None:
        return (code,) if kind == "d" else ()
    return entity.departements


def _js_order(keys) -> list[str]:
    """The keys of a JSON object in the order the browser's ``Object.keys`` gives them once the
    file is parsed: array-index keys ("12") first, by value, then the others as written (sorted,
    ``_dump``)."""
    index = {k for k in keys if k.isdigit() and str(int(k)) == k and int(k) < 2**32 - 1}
    return sorted(index, key=int) + sorted(k for k in keys if k not in index)


def _shared(sig: str, mine: str) -> int:
    """How many of the last two criteria (profile, neighbour métropole) a partner's signature
    shares with the commune's EPCI's (kb-commune.js ``shared``)."""
    return sum(len(sig) > i and len(mine) > i and sig[i] == mine[i] and sig[i] in words
               for i, words in ((2, likeness.PROFILE_WORDS), (3, likeness.NEIGHBOUR_WORDS)))


def _by_kind_and_band(comparable: dict) -> dict[str, list]:
    """kind and band (two letters of a signature) -> [(cooperation, its EPCI partners' signatures
    of that kind and band)], in the order the browser reads the cooperations."""
    out: dict[str, list] = {}
    for cid in _js_order(comparable):
        sigs: dict[str, list] = {}
        for _, sig in comparable[cid]:
            sigs.setdefault(sig[:2], []).append(sig)
        for prefix, rows in sigs.items():
            out.setdefault(prefix, []).append((cid, rows))
    return out


def _ranking(candidates: dict, mine: str) -> list[str]:
    """The cooperations offered as comparable to an EPCI of signature ``mine``, best first, as
    kb-commune.js ranks them (before it leaves out the commune's direct answers, which does not
    change the order of the others): an EPCI partner of the same kind and band; more of the
    other two criteria shared first; then the order of the keys."""
    scored = [(-max(_shared(sig, mine) for sig in rows), n, cid)
              for n, (cid, rows) in enumerate(candidates.get(mine[:2], ()))]
    return [cid for *_, cid in sorted(scored)]


def _comparable_needed(candidates: dict, communes, by: dict, cog, cache: dict) -> set[str]:
    """The cooperations that the comparable layer of any of ``communes`` may show: for each
    signature, its ranking down to the ``COMPARABLE``-th cooperation that is not a direct
    answer of the commune."""
    depth: dict[str, int] = {}
    for c in communes:
        mine = signature(cog.epci.get(c.epci or ""))
        if not mine or mine[0] not in EPCI_LETTERS.values():
            continue
        if mine not in cache:
            cache[mine] = _ranking(candidates, mine)
        direct = {r[0] for r in by.get("c" + c.code, ())} | {r[0] for r in by.get("e" + (c.epci or ""), ())}
        n = found = 0
        for cid in cache[mine]:
            n += 1
            found += cid not in direct
            if found == COMPARABLE:
                break
        depth[mine] = max(depth.get(mine, 0), n)
    return {cid for mine, n in depth.items() for cid in cache[mine][:n]}


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    """A point of the globe in space, in km from the Earth's centre: the straight distance
    between two of them orders places as the great-circle distance does (kb-commune.js ``km``),
    is a distance (triangle inequality), and costs no trigonometry."""
    la, lo = math.radians(lat), math.radians(lon)
    return (EARTH_KM * math.cos(la) * math.cos(lo), EARTH_KM * math.cos(la) * math.sin(lo), EARTH_KM * math.sin(la))


def _nearest_needed(places: dict, communes) -> set[str]:
    """The cooperations among the ``NEAREST`` nearest of any of ``communes`` (ties and 1 km of
    margin for rounding included), from ``places`` (cooperation -> its points, ``_unit``) and
    the communes' coordinates as the name files give them. Each commune reads the cooperations
    by their distance to the communes' centre and stops when that distance, less the radius of
    the communes around it, exceeds its ``NEAREST``-th nearest (triangle inequality): a few
    hundred distances per commune, even at 5,000 cases."""
    located = sorted({_unit(float(f"{c.lat:.2f}"), float(f"{c.lon:.2f}")) for c in communes})
    if not located or len(places) <= NEAREST:
        return set(places)
    centre = tuple(sum(p[i] for p in located) / len(located) for i in range(3))
    radius = max(math.dist(centre, p) for p in located)
    far = sorted((min(math.dist(centre, q) for q in pts), cid) for cid, pts in places.items())
    needed: set[str] = set()
    for p in located:
        seen: list[tuple[float, str]] = []
        nearest: list[float] = []  # the NEAREST smallest distances so far
        for d, cid in far:
            if len(nearest) == NEAREST and d - radius > nearest[-1] + 1.0:
                break
            dist = min(math.dist(p, q) for q in places[cid])
            seen.append((dist, cid))
            nearest = sorted([*nearest, dist])[:NEAREST]
        needed.update(cid for dist, cid in seen if dist <= nearest[-1] + 1.0)
    return needed


def answers(graph) -> dict[str, dict]:
    """département code -> the layered answer its communes read (``links`` cut to what they need)."""
    cog = COG.load()
    data = links(graph)
    by, inside, points, comparable, coops = data["by"], data["in"], data["pts"], data["cmp"], data["coops"]
    keys: dict[str, list] = {}
    for key in by:
        for d in _departements_of_key(cog, key):
            keys.setdefault(d, []).append(key)
    communes: dict[str, list] = {}
    for c in cog.communes.values():
        communes.setdefault(c.departement, []).append(c)
    candidates, ranked = _by_kind_and_band(comparable), {}
    places = {cid: [_unit(*p) for p in pts] for cid, pts in points.items() if pts}
    out = {}
    for dep in _departements(cog):
        region = cog.departements[dep].region if dep in cog.departements else ""
        mine = {"by": {k: by[k] for k in keys.get(dep, ())},
                "in": {k: inside[k] for k in ("d" + dep, "r" + region) if k in inside}}
        area = mine["in"] or by.get("d" + dep) or (region and by.get("r" + region))
        # the nearest cooperations are shown only when the département and the région have none
        mine["pts"] = {} if area else {cid: points[cid] for cid in _nearest_needed(places, communes.get(dep, ()))}
        mine["cmp"] = {cid: comparable[cid] for cid in
                       _comparable_needed(candidates, communes.get(dep, ()), by, cog, ranked)}
        if mine["cmp"]:
            mine["regle"] = data["regle"]
        used = ({cid for rows in mine["by"].values() for cid, _ in rows} | {c for v in mine["in"].values() for c in v}
                | set(mine["pts"]) | set(mine["cmp"]))
        mine["coops"] = {cid: coops[cid] for cid in used}
        out[dep] = mine
    return out


def files(graph) -> dict[str, bytes]:
    """site path -> bytes of every « ma commune » file."""
    return {**_name_files(), **{urls.ma_commune_links(dep): _dump(answer) for dep, answer in answers(graph).items()}}


def paths(graph) -> list[str]:
    return sorted([*_name_files(), *(urls.ma_commune_links(dep) for dep in _departements(COG.load()))])
