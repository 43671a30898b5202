"""Field types: what each type of front-matter field means to the content layer.

Each ``FieldType`` gives:

- ``schema(f, data, objects)``: the JSON Schema of a value (kb.content.fields builds the
  schema of a whole file from it; kb.content.validate checks files with that schema and
  kb.publish.schemas publishes it). ``objects(f)`` is the schema of an object made of
  ``f``'s sub-fields (kb.content.fields.object_schema), for the types that hold them;
- ``hint``: the French sentence that says what a value must look like (validation
  messages, issue form, CONTRIBUTING.md);
- ``is_list``: whether a value is a YAML list;
- ``value`` and ``convert``: the Python type of one value in a record (kb.content.model
  builds the record classes from the model with it; None for objects, whose record class
  is made from their sub-fields) and the function that turns the text of the front
  matter into it (a year is read as an ``int``).

What a type becomes in each published format lives with its publisher, one map per
format in kb.publish.formats: Decap widget (``decap_widgets``), open-data column
(``opendata_columns``), issue-form element (``issue_form_elements``);
tests/test_fieldtypes.py checks that every type has an entry in each map.

Invariants: every type named by a ``Field`` of kb.content.fields is registered here (an
unknown type fails when the schema is built, never silently); the functions are pure
and depend only on the field and the project's data (kb.content.vocab.ProjectData:
vocabularies and départements). This module imports nothing from the rest of the model.
"""
from __future__ import annotations

from dataclasses import dataclass
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
DATE_FORMAT = "YYYY-MM-DD"

# Values of an ``origin`` field besides the identifier of a source.
EDITORS = "redaction"
TO_CONFIRM = "a-confirmer"
ORIGIN_LABELS = {EDITORS: "choix de la rédaction", TO_CONFIRM: "à confirmer"}


@dataclass(frozen=True)
class FieldType:
    name: str
    schema: Callable[[Any, ProjectData, Callable[[Any], dict]], dict]
    hint: str = ""
    is_list: bool = False
    value: type | None = str  # one value in a record; None: an object, typed by its sub-fields
    convert: Callable[[Any], Any] | None = None


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


def _term_item(f, data) -> dict:
    vocab = data.vocabularies[f.vocab]
    return {"type": "string", "enum": list(vocab.terms),
            "x-labels": {t.id: t.label for t in vocab.terms.values()}}


def _text_schema(f, v, _objects):
    s = {"type": "string", "minLength": 1}
    if f.max_length:
        s["maxLength"] = f.max_length
    return s


def _slug(f, v, _objects):
    return {"type": "string", "pattern": SLUG}


_SLUG_HINT = "identifiant attendu : minuscules sans accent, chiffres et tirets"

# --- text and vocabulary terms -----------------------------------------------------------

register(FieldType("text", _text_schema, hint="un texte est attendu"))
register(FieldType("term", lambda f, v, _: _term_item(f, v), hint="un terme du vocabulaire est attendu"))
register(FieldType(
    "terms", lambda f, v, _: {"type": "array", "items": _term_item(f, v), "uniqueItems": True},
    hint="une liste de termes du vocabulaire est attendue, par exemple [terme-1, terme-2]", is_list=True))

# --- dates, years, numbers -----------------------------------------------------------------

register(FieldType(
    "date", lambda f, v, _: {"type": "string", "pattern": DATE, "format": "date"},
    hint="date attendue au format AAAA-MM-JJ, par exemple 2026-11-22"))
register(FieldType(
    "partial_date", lambda f, v, _: {"type": "string", "pattern": PARTIAL_DATE},
    hint="date attendue au format AAAA, AAAA-MM ou AAAA-MM-JJ"))
register(FieldType(
    "year", lambda f, v, _: {"type": ["string", "integer"], "pattern": YEAR, "minimum": 1900, "maximum": 2099},
    hint="année attendue sur quatre chiffres, par exemple 2018", value=int, convert=int))
register(FieldType(
    "year_or_date", lambda f, v, _: {"type": ["string", "integer"], "pattern": YEAR_OR_DATE},
    hint="année ou date attendue : AAAA, AAAA-MM ou AAAA-MM-JJ, par exemple 2016 ou 2020-01"))
register(FieldType(
    "euros", lambda f, v, _: {"type": ["string", "integer"], "pattern": EUROS, "minimum": 0},
    hint="montant attendu en euros, nombre entier sans espace ni symbole, par exemple 150000",
    value=int, convert=int))
register(FieldType(
    "number", lambda f, v, _: {"type": ["string", "integer", "number"], "pattern": NUMBER},
    hint="nombre attendu, chiffres seulement, par exemple 919 ou 12,5 (l'unité va dans « unite »)"))

# --- links and codes -------------------------------------------------------------------------

register(FieldType(
    "url", lambda f, v, _: {"type": "string", "pattern": URL, "format": "uri"},
    hint="lien attendu commençant par http:// ou https:// (les liens javascript:, data: "
         "ou sans protocole sont refusés)"))
register(FieldType(
    "code", lambda f, v, _: {"type": ["string", "integer"], "pattern": OFFICIAL_CODE},
    hint="code INSEE (commune : 5 caractères ; département : « 29 », « 2A », « 974 » ; région : « 53 ») "
         "ou SIREN d'intercommunalité (9 chiffres) attendu", convert=str))
register(FieldType(
    "departement", lambda f, v, _: {"type": "string", "enum": list(v.departements)},
    hint="code de département attendu, entre guillemets : \"29\", \"2A\", \"974\""))

# --- references to other files ----------------------------------------------------------------

register(FieldType("ref", _slug, hint=_SLUG_HINT))
register(FieldType(
    "refs", lambda f, v, _: {"type": "array", "items": {"type": "string", "pattern": SLUG}, "uniqueItems": True},
    hint=_SLUG_HINT, is_list=True))

# Where a fact comes from: the identifier of a source (a document of content/sources/ or a
# reference of data/references.yml), « redaction » (the editors' own classification) or
# « a-confirmer » (probable, not stated by any source). The identifier is checked against
# the content by kb.content.validate.check_links.
register(FieldType(
    "origin", _slug,
    hint="origine attendue : l'identifiant d'une source (document de content/sources/ ou référence "
         "de data/references.yml), « redaction » ou « a-confirmer »"))

# The identifier of a source only (a document of content/sources/ or a reference of
# data/references.yml), checked against the content like ``origin``.
register(FieldType(
    "source_id", _slug,
    hint="identifiant attendu d'un document de content/sources/ ou d'une référence de "
         "data/references.yml"))

register(FieldType("choice", lambda f, v, _: {"type": "string", "enum": list(f.choices)},
                   hint="une des valeurs permises est attendue"))

# --- lists and objects -------------------------------------------------------------------------

register(FieldType(
    "texts", lambda f, v, _: {"type": "array", "items": {"type": "string", "minLength": 1}},
    hint="une liste de phrases est attendue, une par ligne commençant par « - »", is_list=True))
register(FieldType(
    "objects", lambda f, v, objects: {"type": "array", "items": objects(f)},
    hint="une liste est attendue, chaque élément commençant par « - »", is_list=True, value=None))
register(FieldType("object", lambda f, v, objects: objects(f),
                   hint="une liste de champs « nom: valeur » est attendue", value=None))
