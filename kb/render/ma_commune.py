"""« Ma commune »: the static index that lets a reader find the cooperations concerning
any French commune (kb-commune.js reads it in the browser).

Files (under ``ma-commune/`` of the built site):
- ``index.json``: the shards (prefix -> file), the départements (name, région) and régions
  (name), and the version of the data;
- ``n-<prefix>.json``: the communes whose folded name starts with ``prefix`` (current
  names, and former communes' names leading to today's commune), largest first, as
  "name|code|EPCI SIREN|population|lat|lon|today's name (a former commune)|EPCI signature"
  (kind, band, urban–rural profile, neighbour métropole: ``signature``);
  prefixes are split until each shard is under ``MAX_SHARD`` bytes, so a lookup transfers
  a few tens of kilobytes;
- ``liens.json``: the layered answer. ``by``: for each official code that leads somewhere,
  the cooperations it leads to, each with the French path: a commune (partner itself, or
  member of a grouping), an EPCI (partner, or member of a grouping), a département or a
  région that is itself a partner (shown « à l'échelle du département / de la région »);
  ``in``: the cooperations with a partner in each département and région; ``pts``: where
  each cooperation's partners are (for « les plus proches », in km); ``cmp``: each
  cooperation's EPCI partners with their signature (« des territoires comparables qui
  coopèrent »: same kind and band as the commune's EPCI, ranked by the other two criteria
  shared, each said in words); ``regle``: the editors' rule in words; the
  cooperations' titles and pages.

Invariants: the name folding is the same here and in kb-commune.js (kb.content.cog.normalise,
checked by both test suites on tests/fixtures/folding.json); paths follow official
memberships only (kb.graph.territories.Memberships); files are deterministic (sorted,
compact JSON).
"""
from __future__ import annotations

import json
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
        "deps": {code: [d.nom, d.region] for code, d in cog.departements.items()},
        "regs": {code: r.nom for code, r in cog.regions.items()}})
    return out


def files(graph) -> dict[str, bytes]:
    """site path -> bytes of every « ma commune » file."""
    return {**_name_files(), f"{FOLDER}/liens.json": _dump(links(graph))}


def paths(graph) -> list[str]:
    return sorted([*_name_files(), f"{FOLDER}/liens.json"])
