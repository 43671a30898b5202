"""Field types: one registry that says, for each type of front-matter field, everything
the rest of the project derives from it.

Each ``FieldType`` gives:

- ``schema(f, data)``: the JSON Schema of a value (kb.content.fields builds the
  schema of a whole file from it; kb.content.validate checks files with that schema);
- ``widget(f, data, ctx)``: the Decap CMS widget keys (kb.publish.decap);
- ``column(f, data, flat)``: the open-data column (kb.publish.opendata): its
  Table Schema type, how a value is flattened into a CSV cell, its constraints, or
  ``None`` when the field has no column of its own in that format;
- ``hint``: the French sentence that says what a value must look like (validation
  messages, issue form, CONTRIBUTING.md);
- ``form``: the element of the GitHub issue form that asks for it (``form_item``):
  a drop-down list for vocabulary terms, a one-line input, or a free text area;
- ``is_list``: whether a value is a YAML list.

Invariants: every type named by a ``Field`` of kb.content.fields is registered here (an
unknown type fails when the schema is built, never silently); the functions are pure
and depend only on the field, the project's data (kb.content.vocab.ProjectData:
vocabularies and départements) and, for widgets, the ``ctx`` the
caller passes (Decap collections, recursion into sub-fields). A new type (an official
code, an amount in euros…) is one ``register`` call: schema, widget, column and hint
together. This module imports nothing from the publish stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..content.vocab import ProjectData

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PARTIAL_DATE = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
YEAR = r"^(?:19|20)[0-9]{2}$"
YEAR_OR_DATE = r"^(?:19|20)[0-9]{2}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
URL = r"^https?://[^\s<>\"]+$"
OFFICIAL_CODE = r"^(?:[0-9]{9}|[0-9][0-9AB][0-9]{3}|[0-9]{2}|2[AB]|97[0-9])$"
EUROS = r"^[0-9]{1,12}$"
NUMBER = r"^-?[0-9]{1,15}(?:[.,][0-9]{1,6})?$"
SLUG_LIST = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:;[a-z0-9]+(?:-[a-z0-9]+)*)*$"
LIST_SEPARATOR = ";"

# Values of an ``origin`` field besides the identifier of a source.
EDITORS = "redaction"
TO_CONFIRM = "a-confirmer"
ORIGIN_LABELS = {EDITORS: "choix de la rédaction", TO_CONFIRM: "à confirmer"}


@dataclass(frozen=True)
class Column:
    """What a field becomes in an open-data table (kb.publish.opendata adds title and name).

    ``flatten`` turns the record's value into the cell (None: the value as it is);
    ``note`` is appended to the column's description; ``count``: the CSV has a column
    ``nombre_<field>`` with the number of items instead of the items."""

    type: str  # Table Schema type: string, integer, number, date, array, object
    flatten: Callable[[Any], Any] | None = None
    constraints: dict = field(default_factory=dict)
    note: str = ""
    count: bool = False


@dataclass(frozen=True)
class WidgetContext:
    """What a Decap widget needs from its caller: the widget of a sub-field (recursion)
    and the Decap collection of a kind of file (None when the kind has none)."""

    widget: Callable[[Any], dict]
    collection_of: Callable[[str], str | None]
    label_of: Callable[[Any], str]


@dataclass(frozen=True)
class FieldType:
    name: str
    schema: Callable[[Any, dict], dict]
    widget: Callable[[Any, dict, WidgetContext], dict]
    column: Callable[[Any, dict, bool], Column | None]
    hint: str = ""
    is_list: bool = False
    form: str = "input"  # GitHub issue form element: dropdown, input or textarea


REGISTRY: dict[str, FieldType] = {}


def register(ftype: FieldType) -> FieldType:
    REGISTRY[ftype.name] = ftype
    return ftype


def get(name: str) -> FieldType:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown field type {name!r}: register it in kb.content.fieldtypes") from None


def hint(name: str) -> str:
    ftype = REGISTRY.get(name)
    return ftype.hint if ftype else ""


def form_item(f, data: ProjectData, label: str, required: bool | None = None) -> dict:
    """The GitHub issue form element (kb.publish.issue_form) that asks for field ``f``."""
    ftype = get(f.type)
    required = f.required if required is None else required
    if ftype.form == "dropdown":
        vocab = data.vocabularies[f.vocab]
        return {"type": "dropdown", "id": f.name, "attributes": {
            "label": label,
            "description": f.help + (" Plusieurs choix possibles." if f.is_list else ""),
            "multiple": f.is_list,
            "options": [f"{t.label} ({t.id})" for t in vocab.terms.values()]},
            "validations": {"required": required}}
    description = f.help
    if f.fields:
        description += (" Un élément par ligne : " if ftype.is_list else " Précisez : ") + \
            ", ".join(sub.name for sub in f.fields) + "."
    elif ftype.hint:
        description += f" Forme : {ftype.hint}."
    return {"type": ftype.form, "id": f.name, "attributes": {"label": label, "description": description},
            "validations": {"required": required}}


# --- helpers -------------------------------------------------------------------

def _string(_f=None, _v=None, _flat=None) -> Column:
    return Column("string")


def _pattern_widget(pattern: str, message: str):
    return lambda f, v, ctx: {"widget": "string", "pattern": [pattern, message]}


def _join(values) -> str | None:
    return LIST_SEPARATOR.join(values) or None


def _length_pattern(max_length: int) -> list[str]:
    return [f"^[\\s\\S]{{1,{max_length}}}$", f"{max_length} caractères au plus"]


def _term_item(f, data) -> dict:
    vocab = data.vocabularies[f.vocab]
    return {"type": "string", "enum": list(vocab.terms),
            "x-labels": {t.id: t.label for t in vocab.terms.values()}}


def _options(vocab) -> list[dict]:
    return [{"label": t.label, "value": t.id} for t in vocab.terms.values()]


def _object_schema(f, data) -> dict:
    from ..content.fields import object_schema  # the schema of sub-fields, type by type

    return object_schema(f.fields, data, needs=f.needs)


# --- text ------------------------------------------------------------------------

def _text_schema(f, v):
    s = {"type": "string", "minLength": 1}
    if f.max_length:
        s["maxLength"] = f.max_length
    return s


def _text_widget(f, v, ctx):
    out = {"widget": "text" if (f.max_length or 0) > 150 else "string"}
    if f.max_length:
        out["pattern"] = _length_pattern(f.max_length)
    return out


def _text_column(f, v, flat):
    return Column("string", constraints={"maxLength": f.max_length} if f.max_length else {})


register(FieldType("text", _text_schema, _text_widget, _text_column, hint="un texte est attendu"))


# --- vocabulary terms --------------------------------------------------------------

register(FieldType(
    "term", _term_item,
    lambda f, v, ctx: {"widget": "select", "options": _options(v.vocabularies[f.vocab])},
    lambda f, v, flat: Column("string", constraints={"enum": list(v.vocabularies[f.vocab].terms)}),
    hint="un terme du vocabulaire est attendu", form="dropdown"))


def _terms_widget(f, v, ctx):
    out = {"widget": "select", "options": _options(v.vocabularies[f.vocab]), "multiple": True}
    if f.min_items:
        out["min"] = f.min_items
    return out


def _id_list_column(f, v, flat):
    if not flat:
        return Column("array")
    return Column("string", flatten=_join, constraints={"pattern": SLUG_LIST},
                  note=" Identifiants séparés par « ; ».")


register(FieldType(
    "terms", lambda f, v: {"type": "array", "items": _term_item(f, v), "uniqueItems": True},
    _terms_widget, _id_list_column,
    hint="une liste de termes du vocabulaire est attendue, par exemple [terme-1, terme-2]",
    is_list=True, form="dropdown"))


# --- dates, years, numbers -----------------------------------------------------------

DATE_FORMAT = "YYYY-MM-DD"


def _date_widget(f, v, ctx):
    out = {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT,
           "time_format": False, "picker_utc": True}
    if f.required:  # a new file is dated today; an optional date stays absent (never "")
        out["default"] = "{{now}}"
    return out


register(FieldType(
    "date", lambda f, v: {"type": "string", "pattern": DATE, "format": "date"},
    _date_widget, lambda f, v, flat: Column("date"),
    hint="date attendue au format AAAA-MM-JJ, par exemple 2026-11-22"))

register(FieldType(
    "partial_date", lambda f, v: {"type": "string", "pattern": PARTIAL_DATE},
    _pattern_widget(PARTIAL_DATE, "AAAA, AAAA-MM ou AAAA-MM-JJ"), _string,
    hint="date attendue au format AAAA, AAAA-MM ou AAAA-MM-JJ"))

register(FieldType(
    "year", lambda f, v: {"type": ["string", "integer"], "pattern": YEAR, "minimum": 1900, "maximum": 2099},
    lambda f, v, ctx: {"widget": "number", "value_type": "int", "min": 1900, "max": 2099},
    lambda f, v, flat: Column("integer"),
    hint="année attendue sur quatre chiffres, par exemple 2018"))

register(FieldType(
    "year_or_date", lambda f, v: {"type": ["string", "integer"], "pattern": YEAR_OR_DATE},
    _pattern_widget(YEAR_OR_DATE, "AAAA, AAAA-MM ou AAAA-MM-JJ (année de 1900 à 2099)"),
    lambda f, v, flat: Column("string", constraints={"pattern": YEAR_OR_DATE}),
    hint="année ou date attendue : AAAA, AAAA-MM ou AAAA-MM-JJ, par exemple 2016 ou 2020-01"))

register(FieldType(
    "euros", lambda f, v: {"type": ["string", "integer"], "pattern": EUROS, "minimum": 0},
    lambda f, v, ctx: {"widget": "number", "value_type": "int", "min": 0},
    lambda f, v, flat: Column("integer", constraints={"minimum": 0}),
    hint="montant attendu en euros, nombre entier sans espace ni symbole, par exemple 150000"))

register(FieldType(
    "number", lambda f, v: {"type": ["string", "integer", "number"], "pattern": NUMBER},
    _pattern_widget(NUMBER, "nombre, par exemple 919 ou 12,5"),
    lambda f, v, flat: Column("string", constraints={"pattern": NUMBER}),
    hint="nombre attendu, chiffres seulement, par exemple 919 ou 12,5 (l'unité va dans « unite »)"))


# --- links and codes -----------------------------------------------------------------

register(FieldType(
    "url", lambda f, v: {"type": "string", "pattern": URL, "format": "uri"},
    _pattern_widget(URL, "lien commençant par http:// ou https://"), _string,
    hint="lien attendu commençant par http:// ou https:// (les liens javascript:, data: "
         "ou sans protocole sont refusés)"))

register(FieldType(
    "code", lambda f, v: {"type": ["string", "integer"], "pattern": OFFICIAL_CODE},
    _pattern_widget(OFFICIAL_CODE, "code INSEE (commune : 5 caractères ; département : 29, 2A, 974 ; "
                                   "région : 53) ou SIREN (9 chiffres)"), _string,
    hint="code INSEE (commune : 5 caractères ; département : « 29 », « 2A », « 974 » ; région : « 53 ») "
         "ou SIREN d'intercommunalité (9 chiffres) attendu"))

register(FieldType(
    "departement", lambda f, v: {"type": "string", "enum": list(v.departements)},
    lambda f, v, ctx: {"widget": "select", "options": [{"label": f"{code} – {d.name}", "value": code}
                                                        for code, d in v.departements.items()]},
    _string, hint="code de département attendu, entre guillemets : \"29\", \"2A\", \"974\""))


# --- references to other files --------------------------------------------------------

_SLUG_HINT = "identifiant attendu : minuscules sans accent, chiffres et tirets"


def _slug_item() -> dict:  # a new dict each time: a shared one becomes a YAML alias in config.yml
    return {"widget": "string", "pattern": [SLUG, "identifiant : minuscules sans accent, chiffres et tirets"]}



def _ref_widget(f, v, ctx):
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


register(FieldType("ref", lambda f, v: {"type": "string", "pattern": SLUG}, _ref_widget, _string,
                   hint=_SLUG_HINT))
register(FieldType(
    "refs", lambda f, v: {"type": "array", "items": {"type": "string", "pattern": SLUG}, "uniqueItems": True},
    _ref_widget, _id_list_column, hint=_SLUG_HINT, is_list=True))

# Where a fact comes from: the identifier of a source (a document of content/sources/ or a
# reference of data/references.yml), « redaction » (the editors' own classification) or
# « a-confirmer » (probable, not stated by any source). The identifier is checked against
# the content by kb.content.validate.check_links.
register(FieldType(
    "origin", lambda f, v: {"type": "string", "pattern": SLUG},
    lambda f, v, ctx: {"widget": "string", "pattern": [SLUG, "identifiant d'une source, redaction ou a-confirmer"]},
    _string,
    hint="origine attendue : l'identifiant d'une source (document de content/sources/ ou référence "
         "de data/references.yml), « redaction » ou « a-confirmer »"))

# The identifier of a source only (a document of content/sources/ or a reference of
# data/references.yml), checked against the content like ``origin``.
register(FieldType(
    "source_id", lambda f, v: {"type": "string", "pattern": SLUG},
    lambda f, v, ctx: {"widget": "string", "pattern": [SLUG, "identifiant d'une source"]},
    _string,
    hint="identifiant attendu d'un document de content/sources/ ou d'une référence de "
         "data/references.yml"))


def _choice_schema(f, v):
    return {"type": "string", "enum": list(f.choices)}


register(FieldType(
    "choice", _choice_schema,
    lambda f, v, ctx: {"widget": "select", "options": list(f.choices)},
    lambda f, v, flat: Column("string", constraints={"enum": list(f.choices)}),
    hint="une des valeurs permises est attendue"))


# --- lists and objects ------------------------------------------------------------------

register(FieldType(
    "texts", lambda f, v: {"type": "array", "items": {"type": "string", "minLength": 1}},
    lambda f, v, ctx: {"widget": "list", "field": {"label": ctx.label_of(f), "name": "texte", "widget": "string"}},
    lambda f, v, flat: None if flat else Column("array"),
    hint="une liste de phrases est attendue, une par ligne commençant par « - »", is_list=True,
    form="textarea"))


def _objects_widget(f, v, ctx):
    out = {"widget": "list", "fields": [ctx.widget(sub) for sub in f.fields]}
    if f.min_items:
        out["min"] = f.min_items
    out["summary"] = "{{fields.%s}}" % f.fields[0].name
    return out


def _clean(value):
    from dataclasses import fields as dc_fields, is_dataclass

    if is_dataclass(value):
        pairs = ((x.name, getattr(value, x.name)) for x in dc_fields(value))
        return {k: _clean(x) for k, x in pairs if x is not None and x != "" and x != [] and x != ()}
    if isinstance(value, (list, tuple)):
        return [_clean(x) for x in value]
    return value


def _objects_column(f, v, flat):
    if not flat:
        return Column("array", flatten=_clean)
    return Column("integer", flatten=len, constraints={"minimum": 0}, count=True)


register(FieldType(
    "objects", lambda f, v: {"type": "array", "items": _object_schema(f, v)},
    _objects_widget, _objects_column,
    hint="une liste est attendue, chaque élément commençant par « - »", is_list=True, form="textarea"))


def _object_widget(f, v, ctx):
    subs = [ctx.widget(sub) for sub in f.fields]
    if not f.required:
        # Decap checks an optional object's required sub-fields even when the object is left
        # empty, and then refuses to save; `make check` still requires them when it is given.
        subs = [{**sub, "required": False} for sub in subs]
    return {"widget": "object", "fields": subs, "summary": "{{fields.%s}}" % f.fields[0].name}


def _object_column(f, v, flat):
    if not flat:
        return Column("object", flatten=_clean)
    first = f.fields[0].name
    return Column("string", flatten=lambda value: getattr(value, first, None) if value else None,
                  note=f" Dans le fichier CSV : seulement « {first} » ; le détail est dans le fichier JSON.")


register(FieldType("object", _object_schema, _object_widget, _object_column,
                   hint="une liste de champs « nom: valeur » est attendue", form="textarea"))
