"""The content model: which fields each kind of file has, and its JSON Schema.

The schema is built from this field list and the vocabularies; the same schema
validates every file (kb.content.validate) and is published for editors and re-users
(/schema/*.json). Add a field here and both follow.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..content.vocab import Vocabulary, load_departements, load_vocabularies

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PARTIAL_DATE = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
YEAR = r"^(?:19|20)[0-9]{2}$"
URL = r"^https?://[^\s<>\"]+$"
OFFICIAL_CODE = r"^(?:[0-9]{9}|[0-9][0-9AB][0-9]{3}|[0-9]{2}|2[AB]|97[0-9])$"

KINDS = ("cooperation", "recommandation", "document", "page", "reference")
KIND_LABELS = {"cooperation": "coopération", "recommandation": "recommandation",
               "document": "document source", "page": "page éditoriale",
               "reference": "référence externe"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, term, terms, date, partial_date, year, url, ref, refs, texts, object, objects, code, departement
    help: str
    required: bool = False
    vocab: str | None = None
    target: str | None = None  # kind referenced by ref/refs
    max_length: int | None = None
    min_items: int = 0
    fields: tuple["Field", ...] = field(default=())
    label: str = ""

    @property
    def is_list(self) -> bool:
        return self.type in ("terms", "refs", "texts", "objects")


PARTNER = (
    Field("nom", "text", "Nom usuel du partenaire. Pour une commune, une intercommunalité, un département "
          "ou une région, le nom officiel vient du code : « nom » est facultatif et sert à garder le nom "
          "employé par la source.", max_length=150, label="Nom"),
    Field("type", "term", "Nature du partenaire : territoire officiel, groupement, acteur (organisation) "
          "ou « ensemble » pour un groupe décrit sans être nommé.", required=True, vocab="types_territoire",
          label="Type"),
    Field("code", "code", "Obligatoire pour une commune, une intercommunalité, un département ou une région : "
          "code INSEE (commune : 5 caractères ; département : \"29\", \"2A\", \"974\" ; région : \"53\") "
          "ou SIREN de l'intercommunalité (9 chiffres). Trouvez-le avec "
          "python -m kb.content.cog chercher \"nom\".", label="Code officiel"),
    Field("membres", "texts", "Pour un groupement (PETR, pays, PNR, syndicat mixte) : SIREN des "
          "intercommunalités ou codes INSEE des communes membres, s'ils sont connus.", label="Membres"),
    Field("region", "term", "Région administrative (déduite du code s'il est donné).", vocab="regions",
          label="Région"),
    Field("departement", "departement", "Code du département, entre guillemets : \"29\", \"2A\", \"974\" "
          "(déduit du code ou des membres s'ils sont donnés).", label="Département"),
)

SOURCE = (
    Field("document", "ref", "Identifiant d'un document de content/sources/.", target="document",
          label="Document de la base"),
    Field("reference", "ref", "Identifiant d'une référence externe de data/references.yml.",
          target="reference", label="Référence externe"),
    Field("section", "text", "Partie du document où se trouve l'information.", max_length=300,
          label="Section"),
    Field("titre", "text", "Titre de la source externe.", max_length=300, label="Titre"),
    Field("editeur", "text", "Organisme qui publie la source.", max_length=200, label="Éditeur"),
    Field("date", "partial_date", "Date de la source : AAAA, AAAA-MM ou AAAA-MM-JJ.", label="Date"),
    Field("url", "url", "Lien public, en http ou https.", label="Lien"),
)

_COMMON_END = (
    Field("date_ajout", "date", "Date d'ajout de la fiche (AAAA-MM-JJ).", required=True,
          label="Date d'ajout"),
    Field("date_revue", "date", "Date de la dernière relecture (AAAA-MM-JJ).", label="Dernière revue"),
)

MODEL: dict[str, tuple[Field, ...]] = {
    "cooperation": (
        Field("titre", "text", "Nom de la coopération.", required=True, max_length=150, label="Titre"),
        Field("resume", "text", "Une phrase de 300 caractères au plus.", required=True, max_length=300,
              label="Résumé"),
        Field("territoires", "objects", "Les partenaires (au moins deux).", required=True, min_items=2,
              fields=PARTNER, label="Territoires partenaires"),
        Field("themes", "terms", "Sujets de l'alliance.", required=True, min_items=1, vocab="themes"),
        Field("finalites", "terms", "Objectifs poursuivis.", vocab="finalites"),
        Field("portages", "terms", "Forme qui porte la coopération.", vocab="portages"),
        Field("temporalite", "term", "Horizon de temps.", vocab="temporalites"),
        Field("intensite", "term", "Force du lien.", vocab="intensites"),
        Field("fonctions", "terms", "Fonctions d'habitabilité concernées.", vocab="fonctions"),
        Field("leviers", "terms", "Leviers mobilisés.", vocab="leviers"),
        Field("annee", "year", "Année de signature ou de démarrage, si la source la donne.", label="Année"),
        Field("statut", "term", "État d'avancement.", required=True, vocab="statuts"),
        *_COMMON_END,
        Field("sources", "objects", "Au moins une source.", required=True, min_items=1, fields=SOURCE,
              label="Sources"),
        Field("recommandations", "refs", "Recommandations que la coopération illustre.",
              target="recommandation", label="Recommandations illustrées"),
    ),
    "recommandation": (
        Field("titre", "text", "Intitulé de la recommandation.", required=True, max_length=150,
              label="Titre"),
        Field("resume", "text", "Une phrase de 300 caractères au plus.", required=True, max_length=300,
              label="Résumé"),
        Field("audiences", "terms", "À qui s'adresse la recommandation.", required=True, min_items=1,
              vocab="audiences"),
        Field("axe", "term", "Axe de la recommandation.", required=True, vocab="axes"),
        Field("arreter", "text", "Ce qu'il faut arrêter (toujours avec « commencer »).", max_length=200,
              label="Ce qu'il faut arrêter"),
        Field("commencer", "text", "Ce qu'il faut commencer (toujours avec « arreter »).", max_length=200,
              label="Ce qu'il faut commencer"),
        Field("sources", "objects", "Au moins une source.", required=True, min_items=1, fields=SOURCE,
              label="Sources"),
        Field("cooperations", "refs", "Coopérations qui illustrent la recommandation.",
              target="cooperation", label="Coopérations"),
        *_COMMON_END,
    ),
    "document": (
        Field("titre", "text", "Titre du document.", required=True, max_length=300, label="Titre"),
        Field("editeur", "text", "Organisme qui publie le document.", required=True, max_length=300,
              label="Éditeur"),
        Field("date", "partial_date", "Date du document : AAAA, AAAA-MM ou AAAA-MM-JJ.", label="Date"),
        Field("url", "url", "Lien public vers le document.", label="Lien"),
        Field("resume", "text", "Ce que couvre le document, en une ou deux phrases.", max_length=600,
              label="Résumé"),
        Field("chiffres_cles", "texts", "Chiffres clés, une phrase courte chacun.", label="Chiffres clés"),
        Field("references", "refs", "Références externes que le document recommande (« pour aller plus "
              "loin »), identifiants de data/references.yml.", target="reference", label="Pour aller plus loin"),
    ),
    # An external publication, cited by id from any file (data/references.yml).
    "reference": (
        Field("titre", "text", "Titre de la publication.", required=True, max_length=300, label="Titre"),
        Field("editeur", "text", "Organisme ou auteur qui la publie.", required=True, max_length=300,
              label="Éditeur"),
        Field("date", "partial_date", "Date : AAAA, AAAA-MM ou AAAA-MM-JJ.", label="Date"),
        Field("url", "url", "Lien public, en http ou https.", required=True, label="Lien"),
    ),
    "page": (
        Field("titre", "text", "Titre de la page.", required=True, max_length=150, label="Titre"),
        Field("description", "text", "Description courte pour les moteurs de recherche.", max_length=300,
              label="Description"),
    ),
}

# Requirements across fields, beyond each field on its own.
TOGETHER = {"recommandation": [("arreter", "commencer")]}


def field_label(f: Field, vocabularies: dict[str, Vocabulary]) -> str:
    if f.label:
        return f.label
    if f.vocab:
        vocab = vocabularies[f.vocab]
        return vocab.plural if f.is_list else vocab.label
    return f.name


def _schema_of(f: Field, vocabularies: dict[str, Vocabulary]) -> dict:
    title = field_label(f, vocabularies)
    if f.type == "text":
        s = {"type": "string", "minLength": 1}
        if f.max_length:
            s["maxLength"] = f.max_length
    elif f.type in ("term", "terms"):
        vocab = vocabularies[f.vocab]
        item = {"type": "string", "enum": list(vocab.terms),
                "x-labels": {t.id: t.label for t in vocab.terms.values()}}
        s = item if f.type == "term" else {"type": "array", "items": item, "uniqueItems": True}
    elif f.type == "date":
        s = {"type": "string", "pattern": DATE, "format": "date"}
    elif f.type == "partial_date":
        s = {"type": "string", "pattern": PARTIAL_DATE}
    elif f.type == "year":
        s = {"type": ["string", "integer"], "pattern": YEAR, "minimum": 1900, "maximum": 2099}
    elif f.type == "url":
        s = {"type": "string", "pattern": URL, "format": "uri"}
    elif f.type == "departement":
        s = {"type": "string", "enum": list(load_departements())}
    elif f.type == "code":
        s = {"type": ["string", "integer"], "pattern": OFFICIAL_CODE}
    elif f.type == "ref":
        s = {"type": "string", "pattern": SLUG}
    elif f.type == "refs":
        s = {"type": "array", "items": {"type": "string", "pattern": SLUG}, "uniqueItems": True}
    elif f.type == "texts":
        s = {"type": "array", "items": {"type": "string", "minLength": 1}}
    elif f.type == "objects":
        s = {"type": "array", "items": object_schema(f.fields, vocabularies)}
    else:  # pragma: no cover - programming error
        raise ValueError(f.type)
    if f.is_list and f.min_items:
        s["minItems"] = f.min_items
    return {"title": title, "description": f.help, **s}


def object_schema(fields: tuple[Field, ...], vocabularies: dict[str, Vocabulary],
                  together: list[tuple[str, str]] = ()) -> dict:
    schema = {
        "type": "object",
        "properties": {f.name: _schema_of(f, vocabularies) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }
    if together:
        schema["dependentRequired"] = {a: [b] for pair in together for a, b in (pair, pair[::-1])}
    return schema


def json_schema(kind: str, vocabularies: dict[str, Vocabulary] | None = None,
                base_url: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of the front matter of one kind of file."""
    vocabularies = vocabularies or load_vocabularies()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url}schema/{kind}.json",
        "title": f"En-tête d'une fiche « {KIND_LABELS[kind]} »",
        "description": "Généré à partir de data/vocabulaires.yml ; ne pas modifier à la main.",
        **object_schema(MODEL[kind], vocabularies, TOGETHER.get(kind, [])),
    }
    if kind in ("cooperation", "recommandation"):
        # a source is a document of the base, a known external reference, or a titled reference
        schema["properties"]["sources"]["items"]["anyOf"] = [
            {"required": ["document"]}, {"required": ["reference"]}, {"required": ["titre", "editeur"]}]
    return schema


def references_schema(vocabularies: dict[str, Vocabulary] | None = None, base_url: str = "") -> dict:
    """Schema of data/references.yml: identifier -> reference."""
    vocabularies = vocabularies or load_vocabularies()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url}schema/references.json",
        "title": "Références externes citées par les fiches",
        "type": "object",
        "propertyNames": {"pattern": SLUG},
        "additionalProperties": object_schema(MODEL["reference"], vocabularies),
    }
