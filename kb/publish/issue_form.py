"""The GitHub issue form "Proposer une coopération", generated from the model.

For people who cannot edit files: the form asks for every field of a
cooperation, with the vocabularies as drop-down lists (label and identifier),
so a maintainer can turn an issue into a file with ``make nouvelle-cooperation``.
Written to .github/ISSUE_TEMPLATE/ by ``python -m kb schemas``; a test checks the
committed copy is up to date and valid for GitHub.
"""
from __future__ import annotations

import yaml

from ..content import fields as F
from .formats.issue_form_elements import form_item
from ..content.vocab import ProjectData

PATH = ".github/ISSUE_TEMPLATE/proposer-une-cooperation.yml"
# Optional facts asked for after the year, each as its type asks (kb.publish.formats.issue_form_elements).
FACT_FIELDS = ("debut", "fin", "porteur", "financements", "resultats", "facteurs_de_reussite", "obstacles",
               "documents", "reciprocites")


def _field(name: str) -> F.Field:
    return next(f for f in F.MODEL["cooperation"] if f.name == name)


def _dropdown(name: str, data: ProjectData, required: bool | None = None) -> dict:
    f = _field(name)
    return form_item(f, data, F.field_label(f, data.vocabularies), required)


def issue_form(data: ProjectData) -> dict:
    v = data.vocabularies
    types = ", ".join(f"{t.id}" for t in v["types_territoire"].terms.values())
    titre, resume = _field("titre"), _field("resume")
    return {
        "name": "Proposer une coopération",
        "description": "Décrire une coopération entre territoires sans modifier de fichier : "
                       "une personne de l'équipe en fera une fiche.",
        "title": "[Coopération] ",
        "labels": ["proposition", "cooperation"],
        "body": [
            {"type": "markdown", "attributes": {"value": (
                "Merci ! Chaque information doit venir d'une source que vous citez plus bas, et être "
                "écrite avec vos propres mots, sur un ton neutre. Laissez vide ce que les sources ne "
                "disent pas : rien ne doit être deviné. Le guide CONTRIBUTING.md du dépôt décrit "
                "chaque champ.")}},
            {"type": "input", "id": "titre", "attributes": {
                "label": "Titre", "description": f"{titre.help} {titre.max_length} caractères au plus.",
                "placeholder": "Contrat de réciprocité Ville A – Pays B"},
             "validations": {"required": True}},
            {"type": "textarea", "id": "resume", "attributes": {
                "label": "Résumé", "description": f"Une seule phrase, {resume.max_length} caractères au "
                                                  "plus : qui coopère, et pourquoi."},
             "validations": {"required": True}},
            {"type": "textarea", "id": "territoires", "attributes": {
                "label": "Territoires partenaires",
                "description": ("Au moins deux. Un partenaire par ligne : nom officiel, type, département "
                                f"(et SIREN s'il est connu). Types : {types}."),
                "placeholder": "Brest métropole, metropole, 29\nPays du Centre Ouest Bretagne, petr-pays, 29"},
             "validations": {"required": True}},
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
            *[form_item(_field(name), data, F.field_label(_field(name), v), required=False)
              for name in FACT_FIELDS],
            {"type": "textarea", "id": "sources", "attributes": {
                "label": "Sources",
                "description": "Au moins une : titre, éditeur, date, section concernée et lien public.",
                "placeholder": "Contrat de réciprocité signé, Adeupa Brest-Bretagne, 2016, https://…"},
             "validations": {"required": True}},
            {"type": "textarea", "id": "texte", "attributes": {
                "label": "Description",
                "description": ("Le contexte, ce que fait la coopération, ce qu'elle change, ce qui reste à "
                                "faire. Avec vos propres mots (une courte citation attribuée reste possible).")},
             "validations": {"required": True}},
            {"type": "checkboxes", "id": "engagements", "attributes": {
                "label": "Règles d'écriture",
                "options": [
                    {"label": "J'ai écrit avec mes propres mots, sans recopier les documents.", "required": True},
                    {"label": "Chaque fait vient d'une source citée ; rien n'est inventé.", "required": True},
                    {"label": "Le ton est neutre et descriptif.", "required": True},
                ]}},
        ],
    }


def issue_form_yaml(data: ProjectData) -> str:
    return ("# Généré par kb/issue_form.py (python -m kb schemas) : ne pas modifier à la main.\n"
            + yaml.safe_dump(issue_form(data), allow_unicode=True, sort_keys=False, width=100))
