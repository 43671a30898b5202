"""Search equivalences (data/recherche-equivalences.yml): the words readers type -> the words
the sources and the fiches use for the same thing (« cantine » -> « restauration collective »).

Published beside the Pagefind index as JSON; the « Rechercher » page (kb-search.js) also
searches the equivalents of every expression of a query that it finds there, and says so.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

FILE = "recherche-equivalences.yml"


def load(data_dir: Path) -> dict[str, list[str]]:
    """The equivalences, in the file's order; a malformed entry stops with a French message."""
    path = Path(data_dir) / FILE
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"data/{FILE} : une liste « expression: [équivalences] » est attendue")
    out = {}
    for key, values in raw.items():
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise ValueError(f"data/{FILE} : « {key} » : une liste non vide d'expressions est attendue")
        out[str(key).strip()] = [v.strip() for v in values]
    return out


def to_json(table: dict[str, list[str]]) -> str:
    return json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n"
