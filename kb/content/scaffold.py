"""Skeletons of new content files (``make nouvelle-cooperation TITRE="…"``).

A skeleton has its title, a unique identifier taken from the title and today's
date_ajout. Every other required value is left empty, so ``make check`` refuses
the file until a person fills it in; optional fields are listed as comments with
their allowed values, taken from the vocabularies (never a hand-kept copy).
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from slugify import slugify

from ..content import fields as F
from ..content.vocab import load_vocabularies

FOLDERS = {"cooperation": "cooperations", "recommandation": "recommandations"}
MAX_ID_LENGTH = 80


class ScaffoldError(ValueError):
    """A skeleton cannot be written; the message is for the contributor, in French."""


def identifier(title: str) -> str:
    """The file identifier of a title: 'Contrat Ville A – Pays B' -> 'contrat-ville-a-pays-b'."""
    return slugify(title, max_length=MAX_ID_LENGTH, word_boundary=True, save_order=True,
                   backend="text-unidecode")  # the same identifier wherever Unidecode is installed


def _quote(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar: nothing in the title can break out of it.
    return json.dumps(text, ensure_ascii=False)


def _allowed(vocab_name: str) -> str:
    return ", ".join(load_vocabularies()[vocab_name].terms)


def _field(kind: str, name: str) -> F.Field:
    return next(f for f in F.MODEL[kind] if f.name == name)


def _cooperation(title: str, today: str) -> str:
    v = _allowed
    max_title = _field("cooperation", "titre").max_length
    max_resume = _field("cooperation", "resume").max_length
    return f"""---
# Guide : CONTRIBUTING.md. Remplissez chaque valeur vide "" ou [], puis lancez « make check ».
titre: {_quote(title)}
# Une seule phrase ({max_resume} caractères au plus) : qui coopère, et pourquoi.
resume: ""
territoires:  # au moins deux partenaires
  # type : {v("types_territoire")}
  # region (facultatif) : {v("regions")}
  # commune, intercommunalité, département, région : code officiel obligatoire (INSEE ou SIREN),
  #   trouvé avec « .venv/bin/python -m kb.content.cog chercher "nom" » ; nom facultatif
  # groupement (PETR, PNR, syndicat) : membres (codes) ou departement ("29", "2A", "974"…)
  # acteur (association, SEM, entreprise…) : nom ; ensemble (groupe non nommé) : nom
  - nom: ""
    type: ""
  - nom: ""
    type: ""
# themes (au moins un) : {v("themes")}
themes: []
# statut : {v("statuts")}
statut: ""
# Champs facultatifs : retirez le « # » devant ceux que les sources permettent de remplir.
# finalites : {v("finalites")}
# finalites: []
# portages : {v("portages")}
# portages: []
# temporalite : {v("temporalites")}
# temporalite: ""
# intensite : {v("intensites")}
# intensite: ""
# fonctions : {v("fonctions")}
# fonctions: []
# leviers : {v("leviers")}
# leviers: []
# annee: 2020
# recommandations: [identifiant-d-une-recommandation]
date_ajout: {today}
# Au moins une source : soit « document » (un fichier de content/sources/) et « section »,
# soit « titre », « editeur », « date » (AAAA, AAAA-MM ou AAAA-MM-JJ) et « url ».
sources:
  - titre: ""
    editeur: ""
---

Le texte libre, en Markdown et avec vos propres mots : le contexte, ce que fait la
coopération, ce qu'elle change, ce qui reste à faire. Le titre ({max_title} caractères
au plus) est déjà rempli.
"""


def _recommendation(title: str, today: str) -> str:
    v = _allowed
    max_resume = _field("recommandation", "resume").max_length
    return f"""---
# Guide : CONTRIBUTING.md. Remplissez chaque valeur vide "" ou [], puis lancez « make check ».
titre: {_quote(title)}
# Une seule phrase ({max_resume} caractères au plus).
resume: ""
# audiences (au moins une) : {v("audiences")}
audiences: []
# axe : {v("axes")}
axe: ""
# Facultatif, mais toujours ensemble : ce qu'il faut arrêter / ce qu'il faut commencer.
# arreter: ""
# commencer: ""
# cooperations: [identifiant-d-une-cooperation]
date_ajout: {today}
# Au moins une source : soit « document » (un fichier de content/sources/) et « section »,
# soit « titre », « editeur », « date » (AAAA, AAAA-MM ou AAAA-MM-JJ) et « url ».
sources:
  - titre: ""
    editeur: ""
---

Le texte libre, avec vos propres mots : ce qu'il faut faire, pourquoi, comment commencer.
"""


TEMPLATES = {"cooperation": _cooperation, "recommandation": _recommendation}


def skeleton(kind: str, title: str, today: date | None = None) -> str:
    """The text of a new file of ``kind`` titled ``title``."""
    return TEMPLATES[kind](title, (today or date.today()).isoformat())


def scaffold(kind: str, title: str, content_dir: Path, today: date | None = None) -> Path:
    """Write the skeleton of a new cooperation or recommendation; return its path.

    Raises ScaffoldError (French message) for an empty or too long title, or an
    identifier already taken.
    """
    if kind not in TEMPLATES:
        raise ScaffoldError(f"type de fiche inconnu « {kind} » : cooperation ou recommandation")
    title = " ".join(str(title or "").split())
    label = F.KIND_LABELS[kind]
    if not title:
        raise ScaffoldError(f"donnez le titre de la {label} : "
                            f"make nouvelle-{kind} TITRE=\"Titre de la fiche\"")
    max_length = _field(kind, "titre").max_length
    if max_length and len(title) > max_length:
        raise ScaffoldError(f"titre trop long : {len(title)} caractères, {max_length} au plus")
    ident = identifier(title)
    if not ident:
        raise ScaffoldError(f"le titre « {title} » ne donne aucun identifiant : utilisez des lettres ou "
                            "des chiffres")
    if ident == "index":
        raise ScaffoldError("« index » est réservé à une page générée : choisissez un titre plus précis")
    folder = Path(content_dir) / FOLDERS[kind]
    path = folder / f"{ident}.md"
    if path.exists():
        raise ScaffoldError(f"l'identifiant « {ident} » est déjà pris par {path.as_posix()} : "
                            "choisissez un titre plus précis, ou complétez la fiche existante")
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as out:
        out.write(skeleton(kind, title, today))
    return path
