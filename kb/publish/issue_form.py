"""The GitHub issue forms « Proposer une coopération » and « Compléter une fiche »,
generated from the model.

For people who cannot edit files: the first form asks for every field of a
cooperation, with the vocabularies as drop-down lists (label and identifier); the
second adds facts (dates, porteur, financements, résultats, documents, partners) to
an existing fiche, whose identifier the fiche's own links prefill (``?fiche=…``).
The workflow .github/workflows/ticket.yml turns either issue into a pull request
with ``python -m kb depuis-ticket`` (kb.intake), which reads the issue body by the
labels and the columns (``COLUMNS``) defined here.
Written to .github/ISSUE_TEMPLATE/ by ``python -m kb schemas``; a test checks the
committed copies are up to date and valid for GitHub.
"""
from __future__ import annotations

import yaml

from ..content import fields as F
from .formats.issue_form_elements import form_item
from ..content.vocab import ProjectData

PATH = ".github/ISSUE_TEMPLATE/proposer-une-cooperation.yml"
COMPLETE_PATH = ".github/ISSUE_TEMPLATE/completer-une-fiche.yml"
FICHE_ID = "fiche"  # the completion form's field with the fiche's identifier (prefilled: ?fiche=…)
SEPARATOR = ";"
# Fields asked as one item per line, values separated by « ; » in this order (kb.intake reads
# them the same way). A partner's type may be left out when its official code is given.
COLUMNS = {
    "territoires": ("nom", "type", "code", "departement"),
    "sources": ("titre", "editeur", "date", "url", "section"),
    "porteur": ("organisation", "site"),
    "financements": ("financeur", "programme", "montant", "annee", "source"),
    "resultats": ("indicateur", "valeur", "unite", "annee", "source"),
    "documents": ("titre", "date", "url"),
    "reciprocites": ("partenaire", "sens", "nature", "description", "source"),
}
PLACEHOLDERS = {
    "territoires": "Brest métropole ; metropole ; 242900314\nCarhaix-Plouguer ; commune ; 29024",
    "sources": "Contrat de réciprocité signé ; Adeupa Brest-Bretagne ; 2016 ; https://…",
    "porteur": "Pôle métropolitain Le Mans-Sarthe ; https://…",
    "financements": "Région Bretagne ; Contrat de plan ; 150000 ; 2018",
    "resultats": "Participants aux ateliers ; 919 ; personnes ; 2019",
    "documents": "Contrat de réciprocité signé ; 2016-11 ; https://…",
    "reciprocites": "Brest métropole ; apporte ; Ingénierie (ingenierie) ; Un appui technique aux communes ; "
                    "cartes-sur-table",
}
# Optional facts asked for after the year, each as its type asks (kb.publish.formats.issue_form_elements).
FACT_FIELDS = ("debut", "fin", "porteur", "financements", "resultats", "facteurs_de_reussite", "obstacles",
               "documents", "reciprocites")


def _field(name: str) -> F.Field:
    return next(f for f in F.MODEL["cooperation"] if f.name == name)


def _dropdown(name: str, data: ProjectData, required: bool | None = None) -> dict:
    f = _field(name)
    return form_item(f, data, F.field_label(f, data.vocabularies), required)


def columns_text(name: str) -> str:
    """« Nom ; Type ; Code officiel ; Département » : the labels of a field's columns."""
    subs = {sub.name: sub for sub in _field(name).fields}
    return f" {SEPARATOR} ".join(subs[c].label or c for c in COLUMNS[name])


def allowed_values(name: str, data: ProjectData) -> str:
    """« Sens : apporte, recoit. Nature : energie, … » for the columns that take a term or a choice."""
    subs = {sub.name: sub for sub in _field(name).fields}
    out = []
    for column in COLUMNS[name]:
        sub = subs[column]
        values = list(data.vocabularies[sub.vocab].terms) if sub.vocab else list(sub.choices)
        if values:
            out.append(f" {sub.label or column} : {', '.join(values)}.")
    return "".join(out)


def _lines_item(name: str, data: ProjectData, label: str | None = None, lead: str | None = None,
                required: bool = False) -> dict:
    """A text area asking for a field as lines of values separated by « ; » (kb.intake reads it)."""
    f = _field(name)
    one = "Une seule ligne" if f.type == "object" else "Un élément par ligne"
    description = (f"{lead or f.help} {one}, les valeurs dans cet ordre, séparées par « {SEPARATOR} » "
                   f"(laissez vide une valeur inconnue) : {columns_text(name)}.{allowed_values(name, data)}")
    return {"type": "textarea", "id": name, "attributes": {
        "label": label or F.field_label(f, data.vocabularies), "description": description,
        "placeholder": PLACEHOLDERS[name]}, "validations": {"required": required}}


def _fact_item(name: str, data: ProjectData) -> dict:
    if name in COLUMNS:
        return _lines_item(name, data)
    f = _field(name)
    return form_item(f, data, F.field_label(f, data.vocabularies), required=False)


def _partners_item(data: ProjectData, label: str, lead: str, required: bool) -> dict:
    return _lines_item("territoires", data, label=label, required=required, lead=(
        f"{lead} Le code officiel (code INSEE d'une commune, SIREN d'une intercommunalité) : s'il est "
        "donné, le type peut rester vide ; s'il vous manque, laissez-le vide, le commentaire de "
        "vérification proposera le code trouvé d'après le nom."))


def _sources_item(data: ProjectData, label: str, lead: str) -> dict:
    return _lines_item("sources", data, label=label, required=True, lead=(
        f"{lead} Pour un document déjà dans la base, son identifiant suffit."))


ENGAGEMENTS = {"type": "checkboxes", "id": "engagements", "attributes": {
    "label": "Règles d'écriture",
    "options": [
        {"label": "J'ai écrit avec mes propres mots, sans recopier les documents.", "required": True},
        {"label": "Chaque fait vient d'une source citée ; rien n'est inventé.", "required": True},
        {"label": "Le ton est neutre et descriptif.", "required": True},
    ]}}


def issue_form(data: ProjectData) -> dict:
    titre, resume = _field("titre"), _field("resume")
    return {
        "name": "Proposer une coopération",
        "description": "Décrire une coopération entre territoires sans modifier de fichier : "
                       "une pull request est préparée automatiquement, puis relue par l'équipe.",
        "title": "[Coopération] ",
        "labels": ["proposition", "cooperation"],
        "body": [
            {"type": "markdown", "attributes": {"value": (
                "Merci ! Chaque information doit venir d'une source que vous citez plus bas, et être "
                "écrite avec vos propres mots, sur un ton neutre. Laissez vide ce que les sources ne "
                "disent pas : rien ne doit être deviné. Une fois le ticket envoyé, une fiche est écrite "
                "automatiquement et proposée en « pull request » ; un commentaire vous dit, en quelques "
                "minutes, ce qui reste à corriger (modifiez alors le ticket : la fiche suit). Le guide "
                "CONTRIBUTING.md du dépôt décrit chaque champ.")}},
            {"type": "input", "id": "titre", "attributes": {
                "label": "Titre", "description": f"{titre.help} {titre.max_length} caractères au plus.",
                "placeholder": "Contrat de réciprocité Ville A – Pays B"},
             "validations": {"required": True}},
            {"type": "textarea", "id": "resume", "attributes": {
                "label": "Résumé", "description": f"Une seule phrase, {resume.max_length} caractères au "
                                                  "plus : qui coopère, et pourquoi."},
             "validations": {"required": True}},
            _partners_item(data, "Territoires partenaires", "Au moins deux.", required=True),
            _dropdown("themes", data),
            _dropdown("statut", data),
            _dropdown("finalites", data),
            _dropdown("portages", data),
            _dropdown("temporalite", data),
            _dropdown("intensite", data),
            _dropdown("fonctions", data),
            _dropdown("leviers", data),
            {"type": "input", "id": "annee", "attributes": {
                "label": "Année", "description": _field("annee").help, "placeholder": "2018"},
             "validations": {"required": False}},
            *[_fact_item(name, data) for name in FACT_FIELDS],
            _sources_item(data, "Sources", "Au moins une : titre, éditeur, date, lien public, section concernée."),
            {"type": "input", "id": "recommandations", "attributes": {
                "label": "Recommandations illustrées",
                "description": ("Déjà rempli si vous venez d'une recommandation du site : ses identifiants, "
                                "séparés par des virgules. Sinon, laissez vide.")},
             "validations": {"required": False}},
            {"type": "textarea", "id": "texte", "attributes": {
                "label": "Description",
                "description": ("Le contexte, ce que fait la coopération, ce qu'elle change, ce qui reste à "
                                "faire. Avec vos propres mots (une courte citation attribuée reste possible).")},
             "validations": {"required": True}},
            ENGAGEMENTS,
        ],
    }


# Facts the completion form adds to an existing fiche (dates replace, lists are extended).
COMPLETE_FIELDS = ("debut", "fin", "porteur", "financements", "resultats", "documents")


def complete_form(data: ProjectData) -> dict:
    """« Compléter une fiche »: facts added to an existing fiche, reached from its links."""
    return {
        "name": "Compléter une fiche",
        "description": "Apporter une information qui manque à une fiche existante (dates, porteur, "
                       "financements, résultats, documents, partenaires), avec sa source.",
        "title": "[Complément] ",
        "labels": ["complement"],
        "body": [
            {"type": "markdown", "attributes": {"value": (
                "Merci ! Remplissez seulement ce que vous savez, avec la source qui le montre : le reste "
                "de la fiche ne change pas. Une pull request est préparée automatiquement, puis relue par "
                "l'équipe ; un commentaire vous dit ce qui reste à corriger.")}},
            {"type": "input", "id": FICHE_ID, "attributes": {
                "label": "Identifiant de la fiche",
                "description": "Déjà rempli si vous venez de la fiche : la fin de son adresse, par exemple "
                               "brest-metropole-centre-ouest-bretagne.",
                "placeholder": "brest-metropole-centre-ouest-bretagne"},
             "validations": {"required": True}},
            *[_fact_item(name, data) for name in COMPLETE_FIELDS],
            _partners_item(data, "Partenaires à ajouter", "Seulement les partenaires qui manquent.",
                           required=False),
            _sources_item(data, "Sources de ces informations", "Au moins une, ajoutée aux sources de la fiche."),
            {"type": "textarea", "id": "remarques", "attributes": {
                "label": "Autre correction",
                "description": "Ce qui est inexact dans la fiche, et la source qui le montre : l'équipe le "
                               "corrigera à la main."},
             "validations": {"required": False}},
            ENGAGEMENTS,
        ],
    }


HEADER = "# Généré par kb/publish/issue_form.py (python -m kb schemas) : ne pas modifier à la main.\n"


def _yaml(form: dict) -> str:
    return HEADER + yaml.safe_dump(form, allow_unicode=True, sort_keys=False, width=100)


def issue_form_yaml(data: ProjectData) -> str:
    return _yaml(issue_form(data))


def forms(data: ProjectData) -> dict[str, dict]:
    """Path in the repository -> issue form, for every form."""
    return {PATH: issue_form(data), COMPLETE_PATH: complete_form(data)}


def form_files(data: ProjectData) -> dict[str, str]:
    """Path in the repository -> YAML text of every issue form (python -m kb schemas)."""
    return {path: _yaml(form) for path, form in forms(data).items()}
