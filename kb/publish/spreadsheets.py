"""French spreadsheets (/donnees/*-tableur.csv): the canonical CSV tables as a French
spreadsheet opens them by double-click.

Each file is one canonical CSV table (kb.publish.opendata) with: UTF-8 with a byte order mark
(without it Excel reads the accents as Windows-1252), « ; » between cells (a French Excel or
LibreOffice splits on it, not on the comma), the columns' French titles as headers, and labels
rather than identifiers in the cells: vocabulary labels, territory names, fiche titles,
département names; dates as JJ/MM/AAAA, decimals with a comma. Several values in a cell are
separated by « ; » (a reading aid, not a format: the canonical files are for programs).
The identifier column and official codes stay as they are, so the two files join.

Pure functions on the canonical resources (``dataclasses.replace``): formula neutralisation,
row order and data package description are those of kb.publish.opendata.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Callable

from ..content import fields as F
from ..graph.build import Graph

SUFFIX = "-tableur"
SEPARATOR = " ; "  # between several labels in one cell
DATE_FORMAT = "%d/%m/%Y"
ORIGINS = {"redaction": "classement de la rédaction", "a-confirmer": "à confirmer"}

DESCRIPTION = ("Le même tableau pour un tableur en français (Excel, LibreOffice Calc), qui l'ouvre "
               "correctement d'un double clic : UTF-8 avec BOM, séparateur « ; », titres de colonnes en "
               "français, libellés plutôt qu'identifiants (noms des territoires, titres des fiches, libellés "
               "des vocabulaires), dates JJ/MM/AAAA, décimales avec une virgule ; plusieurs valeurs dans une "
               "cellule sont séparées par « ; ». Pour un programme, préférez le fichier canonique {path}.")


def _split(value) -> list[str]:
    return [v for v in str(value).split(";") if v] if value else []


def _join(labels) -> str | None:
    return SEPARATOR.join(labels) or None


def _labeler(graph: Graph, kind: str, name: str) -> Callable[[Any], Any] | None:
    """How a canonical cell of column ``name`` of a ``kind`` table becomes labels (None: kept)."""
    vocabularies = graph.vocabularies
    departements = graph.content.data.departements
    fields = {f.name: f for f in F.MODEL.get(kind, ())}

    def vocab(vocab_name):
        terms = vocabularies[vocab_name]
        return lambda v: _join(terms.label_of(t) for t in _split(v))

    def titles(records):
        return lambda v: _join(records[i].titre if i in records else i for i in _split(v))

    def territories(v):
        return _join(graph.territories[k].nom if k in graph.territories else k for k in _split(v))

    def dept(v):
        return _join(f"{departements[c].name} ({c})" if c in departements else c for c in _split(v))

    def origins(v):
        out = []
        for cell in _split(v):
            where, _, origin = cell.rpartition(":")
            champ, _, value = where.partition("/")
            label = F.field_label(fields[champ], vocabularies) if champ in fields else champ
            out.append(f"{label}{' (' + value + ')' if value else ''} : {ORIGINS.get(origin, origin)}")
        return _join(out)

    if name in ("territoires", "partenaires_probables") and kind == "cooperation":
        return territories
    if name == "recommandations" and kind == "cooperation":
        return titles(graph.recommendations)
    if name == "cooperations":
        return titles(graph.cooperations)
    if name in ("regions", "region"):
        return vocab("regions")
    if name == "type" and kind == "territoire":
        return vocab("types_territoire")
    if name in ("departements", "departement"):
        return dept
    if name in ("codes_officiels", "membres"):
        return lambda v: _join(_split(v))
    if name == "origines":
        return origins
    field = fields.get(name)
    if field is not None and field.vocab:
        return vocab(field.vocab)
    return None


def _cell(value) -> Any:
    """A value as a French spreadsheet reads it (text is neutralised later, by opendata)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime(DATE_FORMAT)
        except ValueError:
            return value
    return value


def _column(column, kind: str, graph: Graph):
    labeler = _labeler(graph, kind, column.name)
    get = column.get if labeler is None else (lambda r, g=column.get, f=labeler: f(g(r)))
    constraints = {k: v for k, v in column.constraints.items() if k in ("required", "unique", "minimum", "maximum")}
    type_ = column.type
    extra = {}
    if labeler is not None:
        type_ = "string"
    elif type_ == "date":
        extra = {"format": DATE_FORMAT}
    elif type_ == "number":
        extra = {"decimalChar": ","}
    spec = {"name": column.title, "type": type_, "title": column.title, "description": column.description,
            **extra}
    if constraints:
        spec["constraints"] = constraints
    return dataclasses.replace(column, name=column.title, type=type_, get=get, constraints=constraints, spec=spec)


KINDS = {"cooperations-csv": "cooperation", "recommandations-csv": "recommandation",
         "territoires-csv": "territoire"}


def resources(canonical, graph: Graph, note: str = "") -> list:
    """One spreadsheet resource per canonical CSV resource of ``canonical`` (opendata's);
    ``note``: what the descriptions add (the formula neutralisation)."""
    out = []
    for res in canonical:
        kind = KINDS.get(res.name)
        if kind is None:
            continue
        columns = tuple(_column(c, kind, graph) for c in res.columns)
        stem = res.path.rsplit(".", 1)[0]
        out.append(dataclasses.replace(
            res, name=stem + SUFFIX, path=stem + SUFFIX + ".csv", title=res.title.replace("(CSV)", "(tableur)"),
            description=(DESCRIPTION.format(path=res.path) + " " + note).strip(), columns=columns,
            primary_key=next(c.title for c in res.columns if c.name == res.primary_key),
            delimiter=";", bom=True, cell=_cell))
    return out
