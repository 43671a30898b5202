"""The cooperations in the State's « Projets de collectivités » schema (/donnees/projets-territoire.csv
and /donnees/collectivites.csv).

The schema (Table Schema, Licence Ouverte) is shared by the State's services that follow
collectivities' transition projects; a copy is vendored in kb/publish/reference/ (its ORIGINE.md
says from where). Each cooperation is one row of « projets », each of its coded partners that is a
commune, an EPCI, a département or a région one row of « collectivités ». Columns, types and
constraints are the schema's own, read from the copy.

Identifiers are stable: UUID version 5 (RFC 4122, name-based) of « cooperation/<fiche identifier> »
for a project and of « collectivite/<kind>/<official code> » for a collectivity, in the namespace
NAMESPACE (itself uuid5(NAMESPACE_URL, "cooperations-territoriales/schema-projets")).

What maps to what (the base's vocabularies -> phase, programme, the 50 levers) is data, the
editors' choice: data/leviers-sgpe.yml. What the base does not know (budget, SIRET, referent,
M57 competences, the other services' identifiers, a commune's SIREN) stays empty, never guessed.
"""
from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass
from importlib import resources
from functools import lru_cache
from pathlib import Path

import yaml

from ..graph.build import Graph

# package data (pyproject.toml), found in any kind of install
SCHEMA_DIR = Path(str(resources.files("kb.publish") / "reference" / "schema-projet-collectivites-transition-ecologique"))
PROJECTS_SCHEMA = SCHEMA_DIR / "projets-territoire" / "schema.json"
COLLECTIVITIES_SCHEMA = SCHEMA_DIR / "collectivites" / "schema.json"
LEVERS_FILE = SCHEMA_DIR / "reference-data" / "50_leviers_SGPE_03_2025.csv"
MAPPING_FILE = "leviers-sgpe.yml"  # in data/
NAMESPACE = uuid.UUID("fa78a528-c4a7-5c67-b41f-421920d4df46")
HOMEPAGE = "https://github.com/betagouv/schema-projet-collectivites-transition-ecologique"
KIND_TYPES = {"commune": "Commune", "epci": "EPCI", "departement": "Département", "region": "Région"}


def project_id(fiche_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"cooperation/{fiche_id}"))


def collectivity_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"collectivite/{kind}/{code}"))


@lru_cache(maxsize=4)
def schema_fields(path: Path) -> tuple[dict, ...]:
    return tuple(json.loads(Path(path).read_text(encoding="utf-8"))["fields"])


@lru_cache(maxsize=1)
def levers() -> tuple[str, ...]:
    """The 50 levers of the référentiel, in its order."""
    with LEVERS_FILE.open(encoding="utf-8", newline="") as f:
        return tuple(row["levier"] for row in csv.DictReader(f))


@dataclass(frozen=True)
class Mapping:
    themes: dict
    fiches: dict
    phases: dict
    programmes: dict


def mapping(data_dir: Path) -> Mapping:
    """data/leviers-sgpe.yml, checked: every lever is one of the référentiel's 50."""
    path = Path(data_dir) / MAPPING_FILE
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    raw = raw or {}
    known = set(levers())
    for group in ("themes", "fiches"):
        for key, names in (raw.get(group) or {}).items():
            unknown = [n for n in names or () if n not in known]
            if unknown:
                raise ValueError(f"data/{MAPPING_FILE}: {group}: {key}: levier inconnu du référentiel des 50 "
                                 f"leviers : {', '.join(repr(n) for n in unknown)}")
    return Mapping({str(k): tuple(v or ()) for k, v in (raw.get("themes") or {}).items()},
                   {str(k): tuple(v or ()) for k, v in (raw.get("fiches") or {}).items()},
                   {str(k): dict(v) for k, v in (raw.get("phases") or {}).items()},
                   {str(k): str(v) for k, v in (raw.get("programmes") or {}).items()})


def _levers_of(coop, m: Mapping) -> list[str]:
    if coop.id in m.fiches:
        chosen = set(m.fiches[coop.id])
    else:
        chosen = {name for theme in coop.themes for name in m.themes.get(theme, ())}
    return [name for name in levers() if name in chosen]  # the référentiel's order


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _collectivity(partner):
    """(kind, entity) of a partner that is a commune, an EPCI, a département or a région."""
    if partner.probable:  # no source names it: not exported as a fact
        return None
    entity = partner.official if partner.code else None
    return (entity.kind, entity) if entity is not None and entity.kind in KIND_TYPES else None


def _array(values) -> str | None:
    """A Table Schema array in a CSV cell: JSON text; empty list: empty cell."""
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":")) if values else None


def project_rows(graph: Graph) -> list[dict]:
    m = mapping(graph.content.data.data_dir)
    rows = []
    for coop in sorted(graph.cooperations.values(), key=lambda r: r.id):
        phase = m.phases.get(coop.statut, {})
        programme = next((m.programmes[p] for p in m.programmes if p in coop.portages), None)
        collectivities = []
        for partner in coop.territoires:
            found = _collectivity(partner)
            if found and collectivity_id(found[0], found[1].code) not in collectivities:
                collectivities.append(collectivity_id(found[0], found[1].code))
        rows.append({
            "id": project_id(coop.id),
            "createdAt": _timestamp(coop.date_ajout),
            "updatedAt": _timestamp(coop.date_revue or coop.date_ajout),
            "nom": coop.titre,
            "description": coop.resume,
            "dateDebutPrevisionnelle": coop.debut,
            "phase": phase.get("phase") or None,
            "phaseStatut": phase.get("statut") or None,
            "programme": programme,
            "leviers": _array(_levers_of(coop, m)),
            "collectiviteIds": _array(collectivities),
        })
    return rows


def collectivity_rows(graph: Graph) -> list[dict]:
    found: dict[str, dict] = {}
    for coop in graph.cooperations.values():
        for partner in coop.territoires:
            hit = _collectivity(partner)
            if hit is None:
                continue
            kind, entity = hit
            uid = collectivity_id(kind, entity.code)
            updated = coop.date_revue or coop.date_ajout
            row = found.get(uid)
            if row is None:
                found[uid] = {
                    "id": uid, "nom": entity.nom, "type": KIND_TYPES[kind],
                    "codeInsee": entity.code if kind == "commune" else None,
                    "codeDepartements": _array(entity.departements),
                    "codeRegions": _array([entity.region] if entity.region else []),
                    "codeEpci": entity.code if kind == "epci" else entity.epci if kind == "commune" else None,
                    "siren": entity.code if kind == "epci" else None,
                    "createdAt": coop.date_ajout, "updatedAt": updated,
                }
            else:
                row["createdAt"] = min(row["createdAt"], coop.date_ajout)
                row["updatedAt"] = max(row["updatedAt"], updated)
    out = sorted(found.values(), key=lambda r: (r["nom"], r["id"]))
    for row in out:
        row["createdAt"], row["updatedAt"] = _timestamp(row["createdAt"]), _timestamp(row["updatedAt"])
    return out


# What each column of the two tables holds, said on the « Données ouvertes » page.
EMPTY = "Vide : la base ne le connaît pas."
PROJECT_MAP = {
    "id": "UUID version 5 de « cooperation/ » suivi de l'identifiant de la fiche (espace de noms "
          f"{NAMESPACE}) : stable d'une construction à l'autre.",
    "createdAt": "Date d'ajout de la fiche (date_ajout), à minuit UTC.",
    "updatedAt": "Date de la dernière relecture (date_revue), sinon date d'ajout, à minuit UTC.",
    "nom": "Titre de la fiche (titre).",
    "description": "Résumé de la fiche (resume), jamais vide.",
    "budgetPrevisionnel": EMPTY,
    "dateDebutPrevisionnelle": "Début de la coopération (debut), tel que la source le donne (AAAA, AAAA-MM ou "
                               "AAAA-MM-JJ) ; vide quand aucune source ne le donne.",
    "phase": "Statut de la fiche : idée → Idée, en projet → Étude, en cours ou achevée → Opération "
             "(choix de la rédaction, data/leviers-sgpe.yml) ; jamais vide.",
    "phaseStatut": "Statut de la fiche : en projet ou en cours → En cours, achevée → Terminé ; vide pour une "
                   "idée (choix de la rédaction).",
    "programme": "Portage de la fiche quand c'est un dispositif : contrat de réciprocité, contrat de transition "
                 "écologique, projet alimentaire territorial ; vide sinon.",
    "porteurCodeSiret": EMPTY, "porteurReferentEmail": EMPTY + " (jamais de données personnelles)",
    "porteurReferentTelephone": EMPTY, "porteurReferentPrenom": EMPTY, "porteurReferentNom": EMPTY,
    "porteurReferentFonction": EMPTY, "competences": EMPTY + " (nomenclature M57)",
    "leviers": "Leviers du référentiel des 50 leviers de la planification écologique, déduits des thèmes de la "
               "fiche (ou choisis pour elle) : choix de la rédaction, voir la table de correspondance "
               "ci-dessous. Vide quand aucun levier ne décrit la coopération sans hésiter.",
    "mecId": EMPTY, "tetId": EMPTY, "recocoId": EMPTY,
    "collectiviteIds": "Identifiants (colonne id de collectivites.csv) des partenaires qui sont une commune, "
                       "une intercommunalité, un département ou une région, avec leur code officiel ; vide "
                       "quand la coopération n'en a pas (groupements, acteurs).",
}
COLLECTIVITY_MAP = {
    "id": "UUID version 5 de « collectivite/ », de la nature (commune, epci, departement, region) et du code "
          f"officiel (espace de noms {NAMESPACE}).",
    "nom": "Nom au Code officiel géographique (Etalab).",
    "type": "Commune, EPCI, Département ou Région, selon le code officiel du partenaire.",
    "codeInsee": "Code Insee de la commune ; vide pour les autres.",
    "codeDepartements": "Codes des départements (Code officiel géographique), jamais vide.",
    "codeRegions": "Code Insee de la région, jamais vide.",
    "codeEpci": "SIREN de l'intercommunalité, ou de celle de la commune ; vide pour un département ou une région.",
    "siren": "SIREN d'une intercommunalité ; vide pour les autres (la base ne le connaît pas).",
    "createdAt": "Date d'ajout de la première fiche où le partenaire figure, à minuit UTC.",
    "updatedAt": "Date de relecture ou d'ajout la plus récente de ses fiches, à minuit UTC.",
}


def lever_table(graph: Graph) -> list[tuple[str, str, tuple[str, ...]]]:
    """(« Thème » or « Fiche », its label or title, levers) for the data page: the mapping as
    the editors chose it."""
    m = mapping(graph.content.data.data_dir)
    themes = graph.vocabularies["themes"]
    out = [("Thème", themes.label_of(t), names) for t, names in m.themes.items()]
    out += [("Fiche", graph.cooperations[f].titre if f in graph.cooperations else f, names)
            for f, names in m.fiches.items()]
    return out
