"""The field type registry: every type the model uses gives a schema, a Decap widget,
an open-data column and a French hint, and a new type is one registration."""
from __future__ import annotations

import pytest

from kb.content import fieldtypes as T
from kb.content.fields import MODEL, Field
from kb.publish import decap

from conftest import DATA

VOCABS = DATA.vocabularies


def _all_fields():
    def walk(fields):
        for f in fields:
            yield f
            yield from walk(f.fields)
    for kind, fields in MODEL.items():
        yield from ((kind, f) for f in walk(fields))


@pytest.mark.parametrize("kind,f", list(_all_fields()), ids=lambda x: getattr(x, "name", x))
def test_every_model_field_type_is_registered_and_complete(kind, f):
    ftype = T.get(f.type)
    assert ftype.hint, f"no French hint for {f.type}"
    schema = ftype.schema(f, DATA)
    assert "type" in schema or "enum" in schema
    assert decap.widget(f, DATA)["widget"]
    for flat in (False, True):
        column = ftype.column(f, DATA, flat)
        assert column is None or column.type in ("string", "integer", "number", "date", "array", "object")


def test_unknown_type_is_refused_with_its_name():
    with pytest.raises(ValueError, match="montant-inconnu"):
        Field("x", "montant-inconnu", "aide").is_list


def test_a_new_type_is_one_registration():
    ftype = T.register(T.FieldType(
        "essai-code", lambda f, v: {"type": "string", "pattern": "^[0-9]{3}$"},
        lambda f, v, ctx: {"widget": "string"}, lambda f, v, flat: T.Column("string"),
        hint="trois chiffres attendus"))
    try:
        f = Field("numero", "essai-code", "Un numéro.")
        assert decap.widget(f, DATA) == {"label": "numero", "name": "numero", "hint": "Un numéro.",
                                           "required": False, "widget": "string"}
        assert f.hint == "trois chiffres attendus"
        from kb.content.fields import object_schema
        assert object_schema((f,), DATA)["properties"]["numero"]["pattern"] == "^[0-9]{3}$"
    finally:
        T.REGISTRY.pop(ftype.name)


def test_contributing_gives_the_hint_of_every_type_the_model_uses():
    from conftest import ROOT

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    used = {f.type for _, f in _all_fields()}
    missing = sorted(t for t in used if T.get(t).hint not in guide)
    assert missing == [], f"CONTRIBUTING.md lacks the hint of: {missing}"
