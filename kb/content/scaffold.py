"""Skeletons of new content files (``make nouvelle-cooperation TITRE="…"``).

A skeleton has its title, a unique identifier taken from the title and today's
date_ajout. Every other required value is left empty, so ``make check`` refuses
the file until a person fills it in; optional fields are listed as comments with
their allowed values, taken from the model and the vocabularies (never a hand-kept
copy). The file is written by python-frontmatter with the safe handler of
kb.content.reader, so whatever the title holds, it reads back as that title.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from slugify import slugify

from ..content import fields as F
from ..content.reader import dumps
from ..content.vocab import ProjectData

FOLDERS = {"cooperation": "cooperations", "recommandation": "recommandations"}
MAX_ID_LENGTH = 80


class ScaffoldError(ValueError):
    """A skeleton cannot be written; the message is for the contributor, in French."""


def identifier(title: str) -> str:
    """The file identifier of a title: 'Contrat Ville A – Pays B' -> 'contrat-ville-a-pays-b'."""
    return slugify(title, max_length=MAX_ID_LENGTH, word_boundary=True, save_order=True,
                   backend="text-unidecode")  # the same identifier wherever Unidecode is installed


def _allowed(data: ProjectData):
    """vocabulary name -> its term ids, comma-separated (the comments of a skeleton)."""
    return lambda vocab_name: ", ".join(data.vocabularies[vocab_name].terms)


def _field(kind: str, name: str) -> F.Field:
    return next(f for f in F.MODEL[kind] if f.name == name)


def _example(f: F.Field) -> list[str]:
    """Commented-out YAML lines that show the shape of an optional field's value."""
    if f.type in ("term", "choice"):
        return [f'{f.name}: ""']
    if f.type == "terms":
        return [f"{f.name}: []"]
    if f.type == "refs":
        return [f"{f.name}: [identifiant-d-une-{f.target}]"]
    if f.type == "year":
        return [f"{f.name}: 2020"]
    if f.type == "year_or_date":
        return [f"{f.name}: 2020-01"]
    if f.type == "texts":
        return [f"{f.name}:", '  - ""']
    if f.type in ("objects", "object"):
        subs = [sub for sub in f.fields if sub.required] or list(f.fields[:1])
        lead = "  - " if f.type == "objects" else "  "
        return [f"{f.name}:"] + [f"{lead if i == 0 else '    ' if f.type == 'objects' else '  '}"
                                 f'{sub.name}: ""' for i, sub in enumerate(subs)]
    return [f'{f.name}: ""']


def _optional_notes(kind: str, skip: tuple[str, ...], v) -> list[str]:
    """Comment lines for every optional field of ``kind`` (from the model, never a copy):
    what it holds or its allowed values, then its shape, commented out."""
    lines = ["Champs facultatifs : retirez le « # » devant ceux que les sources permettent de remplir."]
    for f in F.MODEL[kind]:
        if f.required or f.name in skip:
            continue
        if f.vocab:
            lines.append(f"{f.name} : {v(f.vocab)}")
        else:
            subs = f" ({', '.join(sub.name for sub in f.fields)})" if f.fields else ""
            lines.append(f"{f.name}{subs} : {f.help}")
        lines += _example(f)
    return lines


SOURCE_NOTE = ["Au moins une source : soit « document » (un fichier de content/sources/) et « section »,",
               "soit « titre », « editeur », « date » (AAAA, AAAA-MM ou AAAA-MM-JJ) et « url »."]
GUIDE_NOTE = ['Guide : CONTRIBUTING.md. Remplissez chaque valeur vide "" ou [], puis lancez « make check ».']


def _cooperation(title: str, today: str, v) -> str:
    max_title = _field("cooperation", "titre").max_length
    max_resume = _field("cooperation", "resume").max_length
    empty_partner = {"nom": "", "type": ""}
    metadata = {"titre": title, "resume": "", "territoires": [empty_partner, dict(empty_partner)],
                "themes": [], "statut": "", "date_ajout": today, "sources": [{"titre": "", "editeur": ""}]}
    notes = {
        "titre": GUIDE_NOTE,
        "resume": [f"Une seule phrase ({max_resume} caractères au plus) : qui coopère, et pourquoi."],
        "themes": [f"themes (au moins un) : {v('themes')}"],
        "statut": [f"statut : {v('statuts')}"],
        "date_ajout": _optional_notes("cooperation", skip=("date_revue",), v=v),
        "sources": SOURCE_NOTE,
    }
    inside = {"territoires": [
        f"type : {v('types_territoire')}",
        f"region (facultatif) : {v('regions')}",
        "commune, intercommunalité, département, région : code officiel obligatoire (INSEE ou SIREN), "
        'trouvé avec « make chercher NOM="nom" » ; nom facultatif',
        'groupement (PETR, PNR, syndicat) : membres (codes) ou departement ("29", "2A", "974"…)',
        "acteur (association, SEM, entreprise…) : nom ; ensemble (groupe non nommé) : nom",
        "origine (facultatif) : a-confirmer pour un partenaire qu'aucune source ne nomme, avec son « motif »",
    ]}
    body = (f"Le texte libre, en Markdown et avec vos propres mots : le contexte, ce que fait la\n"
            f"coopération, ce qu'elle change, ce qui reste à faire. Le titre ({max_title} caractères\n"
            f"au plus) est déjà rempli.")
    return dumps(metadata, body, notes=notes, inline={"territoires": "au moins deux partenaires"},
                 inside=inside)


def _recommendation(title: str, today: str, v) -> str:
    max_resume = _field("recommandation", "resume").max_length
    metadata = {"titre": title, "resume": "", "audiences": [], "axe": "", "date_ajout": today,
                "sources": [{"titre": "", "editeur": ""}]}
    notes = {
        "titre": GUIDE_NOTE,
        "resume": [f"Une seule phrase ({max_resume} caractères au plus)."],
        "audiences": [f"audiences (au moins une) : {v('audiences')}"],
        "axe": [f"axe : {v('axes')}"],
        "date_ajout": ["Facultatif, mais toujours ensemble : ce qu'il faut arrêter / ce qu'il faut commencer.",
                       'arreter: ""', 'commencer: ""']
        + _optional_notes("recommandation", skip=("arreter", "commencer", "date_revue"), v=v)[1:],
        "sources": SOURCE_NOTE,
    }
    body = "Le texte libre, avec vos propres mots : ce qu'il faut faire, pourquoi, comment commencer."
    return dumps(metadata, body, notes=notes)


TEMPLATES = {"cooperation": _cooperation, "recommandation": _recommendation}


def skeleton(kind: str, title: str, data: ProjectData, today: date | None = None) -> str:
    """The text of a new file of ``kind`` titled ``title``."""
    return TEMPLATES[kind](title, (today or date.today()).isoformat(), _allowed(data))


def scaffold(kind: str, title: str, content_dir: Path, data: ProjectData, today: date | None = None) -> Path:
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
        out.write(skeleton(kind, title, data, today))
    return path
