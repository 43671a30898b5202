"""The content model: which fields each kind of file has, declared once.

Everything about a field derives from its ``Field`` here: the JSON Schema that
validates every file (kb.content.validate) and is published for editors and re-users
(/schema/*.json), the attributes of the typed records (kb.content.model builds its
record classes from this model), the Decap editor, the open-data columns and the
issue form. What a field's type means is in kb.content.fieldtypes (schema, hint, value
type) and, per published format, in kb.publish.formats.

Add a field: one ``Field(...)`` in the tuple of its kind (or of its object), plus a
line in the page template where it is shown (CONTRIBUTING.md, « Ajouter un champ »).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..content import fieldtypes as T
from ..content.fieldtypes import (DATE, OFFICIAL_CODE, PARTIAL_DATE, SLUG, URL, YEAR,  # noqa: F401
                                  YEAR_OR_DATE)
from ..content.vocab import ProjectData, Vocabulary
from .. import sitemap

KINDS = ("cooperation", "recommandation", "document", "page", "reference")
KIND_LABELS = {"cooperation": "coopération", "recommandation": "recommandation",
               "document": "document source", "page": "page éditoriale",
               "reference": "référence externe"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a type of the registry kb.content.fieldtypes: text, term, terms, date, url, objects…
    help: str
    required: bool = False
    vocab: str | None = None
    target: str | None = None  # kind referenced by ref/refs
    max_length: int | None = None
    min_items: int = 0
    fields: tuple["Field", ...] = field(default=())
    label: str = ""
    choices: tuple[str, ...] = ()  # allowed values of a "choice" field
    needs: tuple[tuple[str, str], ...] = ()  # in an object: (a, b) when sub-field a needs b
    # offered to contributors (the /admin/ editor); False: a field the checks refuse with their
    # own message (read only to say where the value belongs now)
    offered: bool = True

    @property
    def is_list(self) -> bool:
        return T.get(self.type).is_list

    @property
    def hint(self) -> str:
        """What a value must look like, in French (from its type)."""
        return T.get(self.type).hint


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
          "make chercher NOM=\"nom\".", label="Code officiel"),
    Field("membres", "texts", "Ne se remplit plus dans une fiche : les membres d'un groupement (PETR, "
          "pays, PNR, syndicat mixte) se déclarent une seule fois, pour toutes les fiches, dans "
          "data/groupements.yml, avec leur provenance.", label="Membres", offered=False),
    Field("region", "term", "Région administrative (déduite du code s'il est donné).", vocab="regions",
          label="Région"),
    Field("departement", "departement", "Code du département, entre guillemets : \"29\", \"2A\", \"974\" "
          "(déduit du code ou des membres s'ils sont donnés).", label="Département"),
)

# Where a partner comes from when no source of the fiche names it (issue 15): a probable
# partner is kept only with its reason, and shown as such on the site, maps and open data.
PARTNER_PROVENANCE = (
    Field("origine", "origin", "À remplir seulement si aucune source de la fiche ne nomme ce partenaire : "
          "« a-confirmer » (partenaire probable) ou « redaction » (choix de la rédaction), ou "
          "l'identifiant de la source qui le nomme. Absent : les sources de la fiche le nomment.",
          label="Origine"),
    Field("motif", "text", "Pourquoi ce partenaire figure sans être nommé par une source (obligatoire "
          "avec « origine ») : par exemple « déduit de l'adresse du lien cité ».", max_length=300,
          label="Motif"),
)
PARTNER = PARTNER + PARTNER_PROVENANCE + (
    Field("nom_usuel", "choice", "« oui » quand « nom » est un nom d'usage voulu qui est aussi le nom "
          "officiel d'un autre territoire (sinon, un tel nom est refusé : il contredit le code).",
          choices=("oui",), label="Appellation d'usage voulue"),
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

# The fields a fiche can flag as a judgement of the editors rather than a fact of a source.
JUDGED = {
    "cooperation": ("themes", "finalites", "portages", "temporalite", "intensite", "fonctions",
                    "leviers", "statut", "annee", "debut", "fin",
                    "porteur", "resultats", "facteurs_de_reussite", "obstacles"),
    "recommandation": ("audiences", "axe", "paire", "texte"),  # paire: « arreter » / « commencer »; texte: the body
}


def origin_fields(kind: str) -> tuple[Field, ...]:
    """The sub-fields of ``origines`` (the fields that may be flagged depend on the kind)."""
    return (
        Field("champ", "choice", "Le champ concerné" + (" (« paire » : la paire arrêter / commencer)."
                                                         if kind == "recommandation" else "."),
              required=True, choices=JUDGED[kind], label="Champ"),
        Field("valeurs", "refs", "Seulement certaines valeurs du champ (ses identifiants) ; absent : "
              "tout le champ.", label="Valeurs concernées"),
        Field("origine", "origin", "« redaction » (choix de la rédaction), « a-confirmer », ou "
              "l'identifiant de la source qui l'énonce.", required=True, label="Origine"),
        Field("motif", "text", "Ce qui fonde ce choix, ou pourquoi il reste à confirmer.",
              max_length=300, label="Motif"),
    )


def _origins(kind: str) -> Field:
    return Field(
        "origines", "objects", "Les valeurs qu'aucune source n'énonce : classement ou ajout de la "
        "rédaction, ou fait à confirmer. Une entrée par champ concerné ; les valeurs non signalées "
        "viennent des sources.", label="Origine des valeurs", fields=origin_fields(kind))


# Facts that élus and funders look for (issue 15, section 4): all optional, filled only from a source.
_SOURCE_ID_HELP = "Identifiant de la source qui donne ce fait (document de content/sources/ ou référence)."
HOLDER = (
    Field("organisation", "text", "Nom de l'organisation.", required=True, max_length=200, label="Organisation"),
    Field("site", "url", "Site web de l'organisation.", label="Site web"),
)
FUNDING = (
    Field("financeur", "text", "Organisme qui finance.", required=True, max_length=200, label="Financeur"),
    Field("programme", "text", "Programme ou dispositif.", max_length=200, label="Programme"),
    Field("montant", "euros", "Montant en euros, nombre entier.", label="Montant (euros)"),
    Field("annee", "year", "Année du financement.", label="Année"),
    Field("source", "source_id", _SOURCE_ID_HELP, label="Source"),
)
RESULT = (
    Field("indicateur", "text", "Ce qui est mesuré.", required=True, max_length=200, label="Indicateur"),
    Field("valeur", "number", "La valeur mesurée (un nombre).", required=True, label="Valeur"),
    Field("unite", "text", "Unité de la valeur.", max_length=60, label="Unité"),
    Field("annee", "year", "Année de la mesure.", label="Année"),
    Field("source", "source_id", _SOURCE_ID_HELP, label="Source"),
)
SIGNED_DOCUMENT = (
    Field("titre", "text", "Titre du document.", required=True, max_length=300, label="Titre"),
    Field("date", "partial_date", "Date : AAAA, AAAA-MM ou AAAA-MM-JJ.", label="Date"),
    Field("url", "url", "Lien public vers le document.", label="Lien"),
    Field("reference", "ref", "Ou l'identifiant de la référence de data/references.yml qui "
          "donne son lien (un lien à un seul endroit).", target="reference", label="Référence externe"),
    Field("origine", "origin", "À remplir si un élément (la date, par exemple) n'est lu "
          "que dans l'adresse du lien : « a-confirmer ».", label="Origine"),
)
# What each partner brings to the cooperation or receives from it (issue 21, item 4): only what a
# source says, each entry with the source that says it.
RECIPROCITY = (
    Field("partenaire", "text", "Le partenaire concerné, nommé comme dans « territoires » : son nom, ou "
          "son code officiel pour un territoire donné par son code.", required=True, max_length=150,
          label="Partenaire"),
    Field("sens", "choice", "« apporte » : ce que le partenaire apporte aux autres ; « recoit » : ce qu'il "
          "en reçoit.", required=True, choices=("apporte", "recoit"), label="Sens"),
    Field("nature", "term", "Ce qui est échangé.", required=True, vocab="echanges", label="Nature"),
    Field("description", "text", "Ce qui est apporté ou reçu, en une phrase et avec vos mots.", required=True,
          max_length=300, label="Description"),
    Field("source", "source_id", "Identifiant de la source qui le dit (document de content/sources/ ou "
          "référence) : obligatoire, rien ne s'écrit ici sans source.", required=True, label="Source"),
)
FACTS = (
    Field("porteur", "object", "L'organisation qui porte la coopération, et son site (jamais de données "
          "personnelles).", label="Porteur", fields=HOLDER),
    Field("financements", "objects", "Qui a financé, combien, par quel programme.", label="Financements",
          fields=FUNDING),
    Field("resultats", "objects", "Résultats mesurés : indicateur, valeur, unité, année.",
          label="Résultats", fields=RESULT),
    Field("facteurs_de_reussite", "texts", "Ce qui a fait réussir la coopération, selon les sources ; une "
          "phrase courte chacun.", label="Facteurs de réussite"),
    Field("obstacles", "texts", "Difficultés rencontrées, selon les sources ; une phrase courte chacune.",
          label="Obstacles"),
    Field("documents", "objects", "Documents officiels : contrat signé, délibération, charte.",
          label="Documents signés", fields=SIGNED_DOCUMENT),
    Field("reciprocites", "objects", "Ce que chaque partenaire apporte ou reçoit, seulement quand une source "
          "le dit : une entrée par apport.", label="Ce que chacun apporte", fields=RECIPROCITY),
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
              fields=PARTNER, label="Territoires partenaires", needs=(("origine", "motif"),)),
        Field("themes", "terms", "Sujets de l'alliance.", required=True, min_items=1, vocab="themes"),
        Field("finalites", "terms", "Objectifs poursuivis.", vocab="finalites"),
        Field("portages", "terms", "Forme qui porte la coopération.", vocab="portages"),
        Field("temporalite", "term", "Horizon de temps.", vocab="temporalites"),
        Field("intensite", "term", "Force du lien.", vocab="intensites"),
        Field("fonctions", "terms", "Fonctions d'habitabilité concernées.", vocab="fonctions"),
        Field("leviers", "terms", "Leviers mobilisés.", vocab="leviers"),
        Field("annee", "year", "Année de signature ou de démarrage, si la source la donne.", label="Année"),
        Field("debut", "year_or_date", "Début de la coopération (AAAA, AAAA-MM ou AAAA-MM-JJ), si la source "
              "le donne.", label="Début"),
        Field("fin", "year_or_date", "Fin de la coopération ou du programme, si la source la donne.",
              label="Fin"),
        Field("statut", "term", "État d'avancement.", required=True, vocab="statuts"),
        *_COMMON_END,
        Field("sources", "objects", "Au moins une source.", required=True, min_items=1, fields=SOURCE,
              label="Sources"),
        Field("recommandations", "refs", "Recommandations que la coopération illustre.",
              target="recommandation", label="Recommandations illustrées"),
        *FACTS,
        _origins("cooperation"),
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
        _origins("recommandation"),
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
        Field("origine", "origin", "« a-confirmer » quand le titre ou la date n'est lu que dans l'adresse du "
              "lien, pas dans le document ni dans une source.", label="Origine"),
        Field("motif", "text", "Ce qui est déduit de l'adresse (obligatoire avec « origine »).", max_length=300,
              label="Motif"),
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


def _schema_of(f: Field, data: ProjectData) -> dict:
    s = T.get(f.type).schema(f, data, lambda obj: object_schema(obj.fields, data, needs=obj.needs))
    if f.is_list and f.min_items:
        s["minItems"] = f.min_items
    return {"title": field_label(f, data.vocabularies), "description": f.help, **s}


def object_schema(fields: tuple[Field, ...], data: ProjectData,
                  together: list[tuple[str, str]] = (), needs: tuple[tuple[str, str], ...] = ()) -> dict:
    """``together``: pairs of fields given both or neither; ``needs``: (a, b), a needs b."""
    schema = {
        "type": "object",
        "properties": {f.name: _schema_of(f, data) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }
    if together or needs:
        schema["dependentRequired"] = {a: [b] for pair in together for a, b in (pair, pair[::-1])}
        schema["dependentRequired"].update({a: [b] for a, b in needs})
    return schema


def json_schema(kind: str, data: ProjectData, base_url: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of the front matter of one kind of file."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url}{sitemap.schema_file(kind)}",
        "title": f"En-tête d'une fiche « {KIND_LABELS[kind]} »",
        "description": "Généré à partir de data/vocabulaires.yml ; ne pas modifier à la main.",
        **object_schema(MODEL[kind], data, TOGETHER.get(kind, [])),
    }
    if kind in ("cooperation", "recommandation"):
        # a source is a document of the base, a known external reference, or a titled reference
        schema["properties"]["sources"]["items"]["anyOf"] = [
            {"required": ["document"]}, {"required": ["reference"]}, {"required": ["titre", "editeur"]}]
    return schema


def references_schema(data: ProjectData, base_url: str = "") -> dict:
    """Schema of data/references.yml: identifier -> reference."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url}{sitemap.schema_file('references')}",
        "title": "Références externes citées par les fiches",
        "type": "object",
        "propertyNames": {"pattern": SLUG},
        "additionalProperties": object_schema(MODEL["reference"], data, needs=(("origine", "motif"),)),
    }
