"""« Ma commune »: the static index that lets a reader find the cooperations concerning
any French commune (kb-commune.js reads it in the browser).

Files (under ``ma-commune/`` of the built site):
- ``index.json``: the shards (prefix -> file) and the version of the data;
- ``n-<prefix>.json``: the communes whose normalised name starts with ``prefix``
  (current names, and former communes' names leading to today's commune), largest
  first, as "name|code|EPCI SIREN"; prefixes are split until each shard is under
  ``MAX_SHARD`` bytes, so a lookup transfers a few tens of kilobytes;
- ``liens.json``: for each official code that leads somewhere (a commune, an EPCI, a
  département, a région), the cooperations it leads to, each with the French path
  (« via CC Poher Communauté, membre du Pays du Centre Ouest Bretagne »), plus the
  cooperations' titles and pages, and each département's région.

Invariants: the name normalisation is the same here and in kb-commune.js
(kb.content.cog.normalise: no accents, lower case, words split on anything else,
« saint » written « st »); paths follow official memberships only
(kb.graph.territories.Memberships); files are deterministic (sorted, compact JSON).
"""
from __future__ import annotations

import json
from functools import lru_cache

from ..content import cog as COG
from ..graph import territories as T
from .. import sitemap as urls

FOLDER = urls.MA_COMMUNE_FOLDER
MAX_SHARD = 48_000  # bytes of one shard file
MIN_PREFIX = 2


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _entries(cog: COG.Cog) -> list[tuple[str, str, int]]:
    """(normalised name, "name|code|siren", population) of every commune and former commune."""
    out = []
    for c in cog.communes.values():
        out.append((COG.normalise(c.nom), f"{c.nom}|{c.code}|{c.epci or ''}", c.population))
    for _, nom, current in cog.anciennes:
        c = cog.communes.get(current)
        if c is not None:
            out.append((COG.normalise(nom), f"{nom} ({c.nom})|{c.code}|{c.epci or ''}", 0))
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
    """The cooperations each official code leads to, with their paths."""
    cog = COG.load()
    memberships = T.Memberships(graph)
    keys: dict[str, COG.Entity] = {}
    for t in graph.territories.values():
        entity = t.official
        if entity is not None:
            keys[f"{entity.kind}:{entity.code}"] = entity
        for m in t.membres:
            e = cog.get(str(m))
            if e is not None:
                keys[f"{e.kind}:{e.code}"] = e
    by: dict[str, list] = {}
    for entity in keys.values():
        # a commune's own row: itself and groupings listing it; its EPCI, département and
        # région have rows of their own, which the reader adds
        concerns = [c for c in memberships.concerns_of_entity(entity)
                    if not c.via.startswith("via ")] if entity.kind == "commune" else \
            [c for c in memberships.concerns_of_entity(entity) if not c.via.startswith("via l")]
        rows = []
        for c in concerns:
            via = c.via
            if entity.kind == "epci":
                via = f"via {entity.nom}" + (f", {via}" if via else "")
            elif entity.kind == "departement":
                via = f"via le département : {entity.nom}"
            elif entity.kind == "region":
                via = f"via la région : {entity.nom}"
            rows.append([c.cooperation, via])
        if rows:
            by[{"commune": "c", "epci": "e", "departement": "d", "region": "r"}[entity.kind] + entity.code] = rows
    used = sorted({cid for rows in by.values() for cid, _ in rows})
    return {
        "by": by,
        "coops": {cid: [graph.cooperations[cid].titre, _page(urls.cooperation(cid))] for cid in used},
        "regions": {code: dep.region for code, dep in cog.departements.items()},
    }


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
    out[f"{FOLDER}/index.json"] = _dump({"shards": manifest, "source": cog.source["package"]})
    return out


def files(graph) -> dict[str, bytes]:
    """site path -> bytes of every « ma commune » file."""
    return {**_name_files(), f"{FOLDER}/liens.json": _dump(links(graph))}


def paths(graph) -> list[str]:
    return sorted([*_name_files(), f"{FOLDER}/liens.json"])
