"""Decap CMS widget of each field type, for kb.publish.decap (the editor at /admin/).

``WIDGETS[type](f, data, ctx)`` gives the widget keys of field ``f``; ``ctx`` is what a
widget needs from its caller: the widget of a sub-field (recursion), the Decap collection
of a kind of file, the label of a field."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import entry
from ...content.fieldtypes import DATE_FORMAT, NUMBER, OFFICIAL_CODE, PARTIAL_DATE, SLUG, URL, YEAR_OR_DATE


# the official code: Decap's text input with the official name of the code typed shown under it
# (a widget of the editor's own, registered by kb-admin.js under this name)
CODE_WIDGET = "kb-official-code"


@dataclass(frozen=True)
class WidgetContext:
    widget: Callable[[Any], dict]
    collection_of: Callable[[str], str | None]
    label_of: Callable[[Any], str]


def _pattern(pattern: str, message: str):
    return lambda f, v, ctx: {"widget": "string", "pattern": [pattern, message]}


def _length_pattern(max_length: int) -> list[str]:
    return [f"^[\\s\\S]{{1,{max_length}}}$", f"{max_length} caractères au plus"]


def _options(vocab) -> list[dict]:
    return [{"label": t.label, "value": t.id} for t in vocab.terms.values()]


def _text(f, v, ctx):
    out = {"widget": "text" if (f.max_length or 0) > 150 else "string"}
    if f.max_length:
        out["pattern"] = _length_pattern(f.max_length)
    return out


def _terms(f, v, ctx):
    out = {"widget": "select", "options": _options(v.vocabularies[f.vocab]), "multiple": True}
    if f.min_items:
        out["min"] = f.min_items
    return out


def _date(f, v, ctx):
    out = {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT,
           "time_format": False, "picker_utc": True}
    if f.required:  # a new file is dated today; an optional date stays absent (never "")
        out["default"] = "{{now}}"
    return out


def _slug_item() -> dict:  # a new dict each time: a shared one becomes a YAML alias in config.yml
    return {"widget": "string", "pattern": [SLUG, "identifiant : minuscules sans accent, chiffres et tirets"]}


def _ref(f, v, ctx):
    collection = ctx.collection_of(f.target)
    if collection:
        out = {"widget": "relation", "collection": collection, "value_field": "{{slug}}",
               "search_fields": ["titre"], "display_fields": ["titre"]}
        if f.type == "refs":
            out["multiple"] = True
        return out
    if f.type == "ref":
        return _slug_item()
    return {"widget": "list", "field": {"label": ctx.label_of(f), "name": "id", **_slug_item()}}


def _objects(f, v, ctx):
    out = {"widget": "list", "fields": [ctx.widget(sub) for sub in f.fields if sub.offered]}
    if f.min_items:
        out["min"] = f.min_items
    out["summary"] = "{{fields.%s}}" % f.fields[0].name
    return out


def _object(f, v, ctx):
    subs = [ctx.widget(sub) for sub in f.fields if sub.offered]
    if not f.required:
        # Decap checks an optional object's required sub-fields even when the object is left
        # empty, and then refuses to save; `make check` still requires them when it is given.
        subs = [{**sub, "required": False} for sub in subs]
    return {"widget": "object", "fields": subs, "summary": "{{fields.%s}}" % f.fields[0].name}


WIDGETS: dict[str, Callable[[Any, Any, WidgetContext], dict]] = {
    "text": _text,
    "term": lambda f, v, ctx: {"widget": "select", "options": _options(v.vocabularies[f.vocab])},
    "terms": _terms,
    "date": _date,
    "partial_date": _pattern(PARTIAL_DATE, "AAAA, AAAA-MM ou AAAA-MM-JJ"),
    "year": lambda f, v, ctx: {"widget": "number", "value_type": "int", "min": 1900, "max": 2099},
    "year_or_date": _pattern(YEAR_OR_DATE, "AAAA, AAAA-MM ou AAAA-MM-JJ (année de 1900 à 2099)"),
    "euros": lambda f, v, ctx: {"widget": "number", "value_type": "int", "min": 0},
    "number": _pattern(NUMBER, "nombre, par exemple 919 ou 12,5"),
    "url": _pattern(URL, "lien commençant par http:// ou https://"),
    "code": lambda f, v, ctx: {**_pattern(OFFICIAL_CODE, "code INSEE (commune : 5 caractères ; département : 29, "
                                                       "2A, 974 ; région : 53) ou SIREN (9 chiffres)")(f, v, ctx),
                               "widget": CODE_WIDGET},
    "departement": lambda f, v, ctx: {"widget": "select", "options": [
        {"label": f"{code} – {d.name}", "value": code} for code, d in v.departements.items()]},
    "ref": _ref,
    "refs": _ref,
    "origin": _pattern(SLUG, "identifiant d'une source, redaction ou a-confirmer"),
    "source_id": _pattern(SLUG, "identifiant d'une source"),
    "choice": lambda f, v, ctx: {"widget": "select", "options": list(f.choices)},
    "texts": lambda f, v, ctx: {"widget": "list", "field": {"label": ctx.label_of(f), "name": "texte",
                                                           "widget": "string"}},
    "objects": _objects,
    "object": _object,
}


def widget_of(f, data, ctx: WidgetContext) -> dict:
    make = entry(WIDGETS, f.type, "Decap widget", "kb.publish.formats.decap_widgets.WIDGETS")
    return make(f, data, ctx)
