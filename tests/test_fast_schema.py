"""The fast schema check (fastjsonschema) never accepts what jsonschema rejects.

kb.content.validate first runs a compiled yes/no check; only a file it rejects goes
through jsonschema for the French messages. If the fast check were laxer, an
invalid file would be accepted: these tests mutate real content files in every
field, many ways, and require the fast check to reject every mutant jsonschema
rejects.
"""
from __future__ import annotations

import copy
from pathlib import Path

import fastjsonschema
import pytest

from kb.content import fields as F
from kb.content.reader import decode, parse_yaml, read_text
from kb.content.validate import FAST_KEYWORDS, FOLDER_KINDS, _fast_check, _validator
from conftest import DATA  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BAD_VALUES = ("", " ", "x" * 2000, "pas-un-terme", "javascript:alert(1)", "2018-02-30", "18",
              "Mobilité", ["a", "a"], [], ["pas-un-terme"], {"cle": "valeur"}, None, "29 ", "2A",
              [{"nom": "A"}], "http://exemple.org/a b")


def _keywords(schema, found: set) -> set:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("properties", "x-labels"):
                for sub in value.values():
                    _keywords(sub, found)
                continue
            found.add(key)
            if key not in ("dependentRequired", "required", "enum"):  # values are data, not schemas
                _keywords(value, found)
    elif isinstance(schema, list):
        for item in schema:
            _keywords(item, found)
    return found


def test_every_schema_keyword_is_one_the_fast_check_understands():
    used = set()
    for kind in F.KINDS:
        _keywords(F.json_schema(kind, DATA), used)
    _keywords(F.references_schema(DATA), used)
    assert used <= FAST_KEYWORDS, f"mot-clé de schéma sans traduction pour fastjsonschema : {used - FAST_KEYWORDS}"


def _paths(data, prefix=()):
    """Every path to a value in ``data`` (dict keys and list indexes)."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _mutants(data):
    for path in _paths(data):
        if not path:
            continue
        *parent_path, last = path
        for value in BAD_VALUES + ("__delete__",):
            mutant = copy.deepcopy(data)
            parent = mutant
            for part in parent_path:
                parent = parent[part]
            if value == "__delete__":
                del parent[last]
            else:
                parent[last] = copy.deepcopy(value)
            yield mutant
        if isinstance(data, dict):
            yield {**copy.deepcopy(data), "champ_inconnu": "x"}


def _samples():
    for folder, kind in FOLDER_KINDS.items():
        files = sorted((ROOT / "content" / folder).glob("*.md"))
        # four real files of each kind, and one that says what its partners bring (« reciprocites »)
        exchanges = [p for p in files if "\nreciprocites:" in p.read_text(encoding="utf-8")][:1]
        for path in files[:4] + [p for p in exchanges if p not in files[:4]]:
            yield kind, path


@pytest.mark.parametrize("kind,path", list(_samples()), ids=lambda v: getattr(v, "name", v))
def test_fast_check_rejects_every_mutant_jsonschema_rejects(kind, path):
    data = read_text(decode(path.read_bytes())).data
    fast, slow = _fast_check(kind, DATA), _validator(kind, DATA)
    fast(data)  # the real file is valid for both
    assert not list(slow.iter_errors(data))
    invalid = 0
    for mutant in _mutants(data):
        if next(slow.iter_errors(mutant), None) is None:
            continue
        invalid += 1
        with pytest.raises(fastjsonschema.JsonSchemaException):
            fast(mutant)
    assert invalid > 50  # the test did exercise the check


def test_fast_check_rejects_invalid_references():
    data = parse_yaml(decode((ROOT / "data" / "references.yml").read_bytes()), {})
    fast, slow = _fast_check("references", DATA), _validator("references", DATA)
    fast(data)
    ident = next(iter(data))
    for mutant in ({ident: {**data[ident], "url": "javascript:alert(1)"}},
                   {ident: {k: v for k, v in data[ident].items() if k != "titre"}},
                   {"Pas Un Identifiant": data[ident]}, {ident: "texte"}):
        assert list(slow.iter_errors(mutant))
        with pytest.raises(fastjsonschema.JsonSchemaException):
            fast(mutant)
