"""Open-data column of each field type, for kb.publish.opendata (JSON and CSV files).

``COLUMNS[type](f, data, flat)`` gives the ``Column`` of field ``f`` (``flat``: in a
CSV file, lists joined by « ; »), or None when the field has no column of its own in
that format; kb.publish.opendata adds its name, title and description."""
from __future__ import annotations

from dataclasses import dataclass, field, fields as dc_fields, is_dataclass
from typing import Any, Callable

from . import entry
from ...content.fieldtypes import LIST_SEPARATOR, NUMBER, SLUG_LIST, YEAR_OR_DATE


@dataclass(frozen=True)
class Column:
    """What a field becomes in an open-data table.

    ``flatten`` turns the record's value into the cell (None: the value as it is);
    ``note`` is appended to the column's description; ``count``: the CSV has a column
    ``nombre_<field>`` with the number of items instead of the items."""

    type: str  # Table Schema type: string, integer, number, date, array, object
    flatten: Callable[[Any], Any] | None = None
    constraints: dict = field(default_factory=dict)
    note: str = ""
    count: bool = False


def _string(f, v, flat) -> Column:
    return Column("string")


def _join(values) -> str | None:
    return LIST_SEPARATOR.join(values) or None


def _id_list(f, v, flat):
    if not flat:
        return Column("array")
    return Column("string", flatten=_join, constraints={"pattern": SLUG_LIST},
                  note=" Identifiants séparés par « ; ».")


def _clean(value):
    """A record (or a list of them) as plain JSON values, empty fields left out."""
    if is_dataclass(value):
        pairs = ((x.name, getattr(value, x.name)) for x in dc_fields(value))
        return {k: _clean(x) for k, x in pairs if x is not None and x != "" and x != [] and x != ()}
    if isinstance(value, (list, tuple)):
        return [_clean(x) for x in value]
    return value


def _objects(f, v, flat):
    if not flat:
        return Column("array", flatten=_clean)
    return Column("integer", flatten=len, constraints={"minimum": 0}, count=True)


def _object(f, v, flat):
    if not flat:
        return Column("object", flatten=_clean)
    first = f.fields[0].name
    return Column("string", flatten=lambda value: getattr(value, first, None) if value else None,
                  note=f" Dans le fichier CSV : seulement « {first} » ; le détail est dans le fichier JSON.")


COLUMNS: dict[str, Callable[[Any, Any, bool], Column | None]] = {
    "text": lambda f, v, flat: Column("string", constraints={"maxLength": f.max_length} if f.max_length else {}),
    "term": lambda f, v, flat: Column("string", constraints={"enum": list(v.vocabularies[f.vocab].terms)}),
    "terms": _id_list,
    "date": lambda f, v, flat: Column("date"),
    "partial_date": _string,
    "year": lambda f, v, flat: Column("integer"),
    "year_or_date": lambda f, v, flat: Column("string", constraints={"pattern": YEAR_OR_DATE}),
    "euros": lambda f, v, flat: Column("integer", constraints={"minimum": 0}),
    "number": lambda f, v, flat: Column("string", constraints={"pattern": NUMBER}),
    "url": _string,
    "code": _string,
    "departement": _string,
    "ref": _string,
    "refs": _id_list,
    "origin": _string,
    "source_id": _string,
    "choice": lambda f, v, flat: Column("string", constraints={"enum": list(f.choices)}),
    "texts": lambda f, v, flat: None if flat else Column("array"),
    "objects": _objects,
    "object": _object,
}


def column_of(f, data, flat: bool) -> Column | None:
    make = entry(COLUMNS, f.type, "open-data column", "kb.publish.formats.opendata_columns.COLUMNS")
    return make(f, data, flat)
