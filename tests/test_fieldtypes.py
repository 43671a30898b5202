"""Field types and the one model: each type's JSON Schema, Decap widget, open-data column and
issue-form element, stated value by value; every type has an entry in every format's map;
the record classes are made from the model's fields, so a new field is one declaration."""
from __future__ import annotations

import ast
import pickle
import typing
from pathlib import Path

import pytest

from kb.content import fieldtypes as T
from kb.content import fields as F
from kb.content import model as M
from kb.content.fields import MODEL, Field
from kb.content.vocab import ProjectData
from kb.publish import decap
from kb.publish.formats import decap_widgets, issue_form_elements, opendata_columns

ROOT = Path(__file__).resolve().parent.parent

VOCABULARIES = """\
couleurs:
  label: Couleur
  pluriel: Couleurs
  chemin: couleurs
  description: Des couleurs.
  termes:
    rouge: {label: Rouge, definition: "Le rouge."}
    vert: {label: Vert, definition: "Le vert."}
"""
DEPARTEMENTS = """\
"29": {nom: Finistère, region: bretagne}
"2A": {nom: Corse-du-Sud, region: corse}
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> ProjectData:
    """Two colours and two départements: small enough to write every expected value."""
    folder = tmp_path_factory.mktemp("data")
    (folder / "vocabulaires.yml").write_text(VOCABULARIES, encoding="utf-8")
    (folder / "departements.yml").write_text(DEPARTEMENTS, encoding="utf-8")
    return ProjectData.at(folder)


SUB = (Field("nom", "text", "Nom.", required=True, max_length=10, label="Nom"),
       Field("annee", "year", "Année.", label="Année"))
SUB_SCHEMA = {"type": "object",
              "properties": {"nom": {"title": "Nom", "description": "Nom.", "type": "string", "minLength": 1,
                                     "maxLength": 10},
                             "annee": {"title": "Année", "description": "Année.", "type": ["string", "integer"],
                                       "pattern": "^(?:19|20)[0-9]{2}$", "minimum": 1900, "maximum": 2099}},
              "required": ["nom"], "additionalProperties": False}
SUB_WIDGETS = [{"label": "Nom", "name": "nom", "hint": "Nom.", "widget": "string",
                "pattern": ["^[\\s\\S]{1,10}$", "10 caractères au plus"]},
               {"label": "Année", "name": "annee", "hint": "Année.", "required": False, "widget": "number",
                "value_type": "int", "min": 1900, "max": 2099}]
COLOUR_OPTIONS = [{"label": "Rouge", "value": "rouge"}, {"label": "Vert", "value": "vert"}]
COLOUR_ENUM = {"type": "string", "enum": ["rouge", "vert"], "x-labels": {"rouge": "Rouge", "vert": "Vert"}}
SLUG = "^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_LIST = "^[a-z0-9]+(?:-[a-z0-9]+)*(?:;[a-z0-9]+(?:-[a-z0-9]+)*)*$"
IDS_NOTE = " Identifiants séparés par « ; »."

# type -> (field, JSON Schema of its value, Decap widget keys besides label/name/hint/required,
#          open-data column in JSON as (type, constraints, note), the same in CSV (None: no column),
#          issue-form element)
CASES = {
    "text": (Field("titre", "text", "Le titre.", required=True, max_length=150, label="Titre"),
             {"type": "string", "minLength": 1, "maxLength": 150},
             {"widget": "string", "pattern": ["^[\\s\\S]{1,150}$", "150 caractères au plus"]},
             ("string", {"maxLength": 150}, ""), ("string", {"maxLength": 150}, ""), "input"),
    "term": (Field("couleur", "term", "Une couleur.", vocab="couleurs"), COLOUR_ENUM,
             {"widget": "select", "options": COLOUR_OPTIONS},
             ("string", {"enum": ["rouge", "vert"]}, ""), ("string", {"enum": ["rouge", "vert"]}, ""), "dropdown"),
    "terms": (Field("teintes", "terms", "Des couleurs.", required=True, min_items=1, vocab="couleurs"),
              {"type": "array", "items": COLOUR_ENUM, "uniqueItems": True, "minItems": 1},
              {"widget": "select", "options": COLOUR_OPTIONS, "multiple": True, "min": 1},
              ("array", {}, ""), ("string", {"pattern": SLUG_LIST}, IDS_NOTE), "dropdown"),
    "date": (Field("date_ajout", "date", "Date d'ajout.", required=True, label="Date d'ajout"),
             {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"},
             {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
              "picker_utc": True, "default": "{{now}}"},
             ("date", {}, ""), ("date", {}, ""), "input"),
    "partial_date": (Field("date", "partial_date", "Date.", label="Date"),
                     {"type": "string", "pattern": "^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"},
                     {"widget": "string", "pattern": ["^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$",
                                                      "AAAA, AAAA-MM ou AAAA-MM-JJ"]},
                     ("string", {}, ""), ("string", {}, ""), "input"),
    "year": (Field("annee", "year", "Année.", label="Année"),
             {"type": ["string", "integer"], "pattern": "^(?:19|20)[0-9]{2}$", "minimum": 1900, "maximum": 2099},
             {"widget": "number", "value_type": "int", "min": 1900, "max": 2099},
             ("integer", {}, ""), ("integer", {}, ""), "input"),
    "year_or_date": (Field("debut", "year_or_date", "Début.", label="Début"),
                     {"type": ["string", "integer"], "pattern": "^(?:19|20)[0-9]{2}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"},
                     {"widget": "string", "pattern": ["^(?:19|20)[0-9]{2}(?:-[0-9]{2}(?:-[0-9]{2})?)?$",
                                                      "AAAA, AAAA-MM ou AAAA-MM-JJ (année de 1900 à 2099)"]},
                     ("string", {"pattern": "^(?:19|20)[0-9]{2}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"}, ""),
                     ("string", {"pattern": "^(?:19|20)[0-9]{2}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"}, ""), "input"),
    "euros": (Field("montant", "euros", "Montant.", label="Montant"),
              {"type": ["string", "integer"], "pattern": "^[0-9]{1,12}$", "minimum": 0},
              {"widget": "number", "value_type": "int", "min": 0},
              ("integer", {"minimum": 0}, ""), ("integer", {"minimum": 0}, ""), "input"),
    "number": (Field("valeur", "number", "Valeur.", label="Valeur"),
               {"type": ["string", "integer", "number"], "pattern": "^-?[0-9]{1,15}(?:[.,][0-9]{1,6})?$"},
               {"widget": "string", "pattern": ["^-?[0-9]{1,15}(?:[.,][0-9]{1,6})?$",
                                                "nombre, par exemple 919 ou 12,5"]},
               ("string", {"pattern": "^-?[0-9]{1,15}(?:[.,][0-9]{1,6})?$"}, ""),
               ("string", {"pattern": "^-?[0-9]{1,15}(?:[.,][0-9]{1,6})?$"}, ""), "input"),
    "url": (Field("url", "url", "Lien.", label="Lien"),
            {"type": "string", "pattern": "^https?://[^\\s<>\\\"]+$", "format": "uri"},
            {"widget": "string", "pattern": ["^https?://[^\\s<>\\\"]+$", "lien commençant par http:// ou https://"]},
            ("string", {}, ""), ("string", {}, ""), "input"),
    "code": (Field("code", "code", "Code.", label="Code"),
             {"type": ["string", "integer"], "pattern": "^(?:[0-9]{9}|[0-9][0-9AB][0-9]{3}|[0-9]{2}|2[AB]|97[0-9])$"},
             # Decap's text input inside kb-admin.js's widget, which shows the official name of the code typed
             {"widget": "kb-official-code", "pattern": ["^(?:[0-9]{9}|[0-9][0-9AB][0-9]{3}|[0-9]{2}|2[AB]|97[0-9])$",
                                              "code INSEE (commune : 5 caractères ; département : 29, 2A, 974 ; "
                                              "région : 53) ou SIREN (9 chiffres)"]},
             ("string", {}, ""), ("string", {}, ""), "input"),
    "departement": (Field("departement", "departement", "Département.", label="Département"),
                    {"type": "string", "enum": ["29", "2A"]},
                    {"widget": "select", "options": [{"label": "29 – Finistère", "value": "29"},
                                                     {"label": "2A – Corse-du-Sud", "value": "2A"}]},
                    ("string", {}, ""), ("string", {}, ""), "input"),
    "ref": (Field("document", "ref", "Un document.", target="document", label="Document"),
            {"type": "string", "pattern": SLUG},
            {"widget": "relation", "collection": "sources", "value_field": "{{slug}}",
             "search_fields": ["titre"], "display_fields": ["titre"]},
            ("string", {}, ""), ("string", {}, ""), "input"),
    "refs": (Field("references", "refs", "Des références.", target="reference", label="Références"),
             {"type": "array", "items": {"type": "string", "pattern": SLUG}, "uniqueItems": True},
             {"widget": "list", "field": {"label": "Références", "name": "id", "widget": "string",
                                          "pattern": [SLUG, "identifiant : minuscules sans accent, chiffres et tirets"]}},
             ("array", {}, ""), ("string", {"pattern": SLUG_LIST}, IDS_NOTE), "input"),
    "origin": (Field("origine", "origin", "Origine.", label="Origine"),
               {"type": "string", "pattern": SLUG},
               {"widget": "string", "pattern": [SLUG, "identifiant d'une source, redaction ou a-confirmer"]},
               ("string", {}, ""), ("string", {}, ""), "input"),
    "source_id": (Field("source", "source_id", "Source.", label="Source"),
                  {"type": "string", "pattern": SLUG},
                  {"widget": "string", "pattern": [SLUG, "identifiant d'une source"]},
                  ("string", {}, ""), ("string", {}, ""), "input"),
    "choice": (Field("champ", "choice", "Le champ.", required=True, choices=("themes", "annee"), label="Champ"),
               {"type": "string", "enum": ["themes", "annee"]},
               {"widget": "select", "options": ["themes", "annee"]},
               ("string", {"enum": ["themes", "annee"]}, ""), ("string", {"enum": ["themes", "annee"]}, ""), "input"),
    "texts": (Field("obstacles", "texts", "Des phrases.", label="Obstacles"),
              {"type": "array", "items": {"type": "string", "minLength": 1}},
              {"widget": "list", "field": {"label": "Obstacles", "name": "texte", "widget": "string"}},
              ("array", {}, ""), None, "textarea"),
    "objects": (Field("elements", "objects", "Des éléments.", min_items=1, fields=SUB, label="Éléments"),
                {"type": "array", "items": SUB_SCHEMA, "minItems": 1},
                {"widget": "list", "fields": SUB_WIDGETS, "min": 1, "summary": "{{fields.nom}}"},
                ("array", {}, ""), ("integer", {"minimum": 0}, ""), "textarea"),
    "object": (Field("porteur", "object", "Un élément.", fields=SUB, label="Porteur"), SUB_SCHEMA,
               {"widget": "object", "fields": [{**w, "required": False} for w in SUB_WIDGETS],
                "summary": "{{fields.nom}}"},
               ("object", {}, ""),
               ("string", {}, " Dans le fichier CSV : seulement « nom » ; le détail est dans le fichier JSON."),
               "textarea"),
}


def test_every_field_type_has_an_entry_in_every_format_map():
    types = set(T.REGISTRY)
    assert types == set(CASES), "a type without its expected values in this file"
    assert set(decap_widgets.WIDGETS) == types
    assert set(opendata_columns.COLUMNS) == types
    assert set(issue_form_elements.ELEMENTS) == types
    used = {f.type for _, f in _all_fields()}
    assert used <= types


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_type_states_its_schema_widget_column_and_form_element(name, data):
    f, schema, widget, json_column, csv_column, element = CASES[name]
    assert F.object_schema((f,), data)["properties"][f.name] == \
        {"title": F.field_label(f, data.vocabularies), "description": f.help, **schema}
    base = {"label": F.field_label(f, data.vocabularies), "name": f.name, "hint": f.help}
    assert decap.widget(f, data) == {**base, **({} if f.required else {"required": False}), **widget}
    for flat, expected in ((False, json_column), (True, csv_column)):
        column = opendata_columns.column_of(f, data, flat)
        got = None if column is None else (column.type, column.constraints, column.note)
        assert got == expected, (name, flat)
    assert issue_form_elements.form_item(f, data, "Libellé")["type"] == element


def test_csv_cells_of_lists_and_objects(data):
    terms = opendata_columns.column_of(CASES["terms"][0], data, True)
    assert terms.flatten(["rouge", "vert"]) == "rouge;vert" and terms.flatten([]) is None
    objects = opendata_columns.column_of(CASES["objects"][0], data, True)
    assert objects.count and objects.flatten([M.Funding(financeur="A"), M.Funding(financeur="B")]) == 2
    porteur = next(f for f in MODEL["cooperation"] if f.name == "porteur")
    one = opendata_columns.column_of(porteur, data, True)
    assert one.flatten(M.Holder(organisation="Adeupa", site="https://adeupa.fr")) == "Adeupa"
    assert one.flatten(None) is None
    as_json = opendata_columns.column_of(CASES["objects"][0], data, False)
    assert as_json.flatten([M.Funding(financeur="Région", montant=150000, programme="")]) == \
        [{"financeur": "Région", "montant": 150000}]


def test_issue_form_elements_say_what_to_type(data):
    assert issue_form_elements.form_item(CASES["terms"][0], data, "Couleurs") == {
        "type": "dropdown", "id": "teintes",
        "attributes": {"label": "Couleurs", "description": "Des couleurs. Plusieurs choix possibles.",
                       "multiple": True, "options": ["Rouge (rouge)", "Vert (vert)"]},
        "validations": {"required": True}}
    assert issue_form_elements.form_item(CASES["year"][0], data, "Année", required=False) == {
        "type": "input", "id": "annee",
        "attributes": {"label": "Année", "description": "Année. Forme : année attendue sur quatre chiffres, "
                                                        "par exemple 2018."},
        "validations": {"required": False}}
    assert issue_form_elements.form_item(CASES["objects"][0], data, "Éléments")["attributes"]["description"] == \
        "Des éléments. Un élément par ligne : nom, annee."


def test_unknown_type_is_refused_with_its_name(data):
    with pytest.raises(ValueError, match="montant-inconnu"):
        Field("x", "montant-inconnu", "aide").is_list
    with pytest.raises(ValueError, match="montant-inconnu.*decap_widgets"):
        decap.widget(Field("x", "montant-inconnu", "aide"), data)


def test_fieldtypes_does_not_import_the_model():
    """No import cycle, not even inside a function: the model imports the registry only."""
    tree = ast.parse((ROOT / "kb" / "content" / "fieldtypes.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert not {m for m in imported if m and (m.endswith("fields") or m.endswith("model"))}


# --- the record classes come from the model ---------------------------------------------------

def test_records_have_exactly_the_model_fields_typed_by_their_field_type():
    hints = typing.get_type_hints(M.Cooperation)
    assert [n for n in M.Cooperation.__dataclass_fields__ if n not in ("kind", "id", "path", "body", "body_line")] \
        == [f.name for f in MODEL["cooperation"]]
    assert hints["annee"] == int | None
    assert hints["statut"] is str
    assert hints["themes"] == list[str]
    assert hints["territoires"] == list[M.Partner]
    assert hints["porteur"] == M.Holder | None
    assert hints["financements"] == list[M.Funding]
    assert typing.get_type_hints(M.Funding)["montant"] == int | None
    assert typing.get_type_hints(M.Partner)["membres"] == tuple[str, ...]
    assert [n for n in M.Reference.__dataclass_fields__] == ["id", "titre", "editeur", "date", "url", "origine",
                                                              "motif"]


def test_typed_reads_years_and_amounts_as_numbers_and_objects_as_records():
    values = M.typed("cooperation", {
        "annee": "2018", "themes": ["energie"],
        "financements": [{"financeur": "Région Bretagne", "montant": "150000", "annee": "2019"}],
        "porteur": {"organisation": "Adeupa"},
        "origines": [{"champ": "themes", "valeurs": ["energie"], "origine": "redaction"}]})
    assert values == {
        "annee": 2018, "themes": ["energie"],
        "financements": [M.Funding(financeur="Région Bretagne", montant=150000, annee=2019)],
        "porteur": M.Holder(organisation="Adeupa"),
        "origines": [M.Origin(champ="themes", valeurs=("energie",), origine="redaction")]}


def test_a_new_field_is_one_declaration():
    """A field added to the model is an attribute of its record, typed, with no other change."""
    fields = MODEL["page"] + (Field("auteurs", "texts", "Qui a écrit la page."),
                              Field("annee", "year", "Année."))

    @M.record(fields)
    class NewPage(M.Record):
        pass

    page = NewPage(kind="page", id="a", path="a.md", body="", titre="A",
                   **M.typed_fields(fields, {"auteurs": ["Adeupa"], "annee": "2020"}))
    assert (page.auteurs, page.annee, page.description) == (["Adeupa"], 2020, None)


def test_a_new_list_of_objects_gets_its_record_class():
    f = Field("partenariats_essai", "objects", "Essai.", fields=(Field("qui", "text", "Qui.", required=True),))
    cls = M.item_type(f)
    item = M.typed_fields((f,), {"partenariats_essai": [{"qui": "Brest"}]})["partenariats_essai"][0]
    assert type(item) is cls and cls.__name__ == "PartenariatsEssaiItem" and item.qui == "Brest"
    assert pickle.loads(pickle.dumps(item)) == item  # records travel to the build's worker processes


def _all_fields():
    def walk(fields):
        for f in fields:
            yield f
            yield from walk(f.fields)
    for kind, fields in MODEL.items():
        yield from ((kind, f) for f in walk(fields))


def test_contributing_gives_the_hint_of_every_type_the_model_uses():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    used = {f.type for _, f in _all_fields()}
    missing = sorted(t for t in used if T.get(t).hint not in guide)
    assert missing == [], f"CONTRIBUTING.md lacks the hint of: {missing}"
