"""Open data (/donnees/): the graph as JSON and CSV files with a Frictionless data package.

Pure functions from the graph to file contents; no MkDocs here. Columns follow
the content model (kb.content.fields.MODEL) in its order, rows are sorted by
identifier, and identifiers are the file names of the content: stable from one
build to the next. Licence: Licence Ouverte 2.0 (etalab-2.0).

Files:
  cooperations.json / recommandations.json  every front-matter field, links complete
                                            (not the free text: its raw Markdown may hold HTML
                                            that only the site's sanitiser makes safe)
  cooperations.csv / recommandations.csv    one row per file, lists joined by ";"
  territoires.csv                           one row per territory, with its cooperations
  datapackage.json                          Frictionless descriptor, one Table Schema per file
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any, Callable

from ..content import cog as COG
from ..content import fields as F
from ..content import fieldtypes as T
from .formats.opendata_columns import column_of
from ..graph import territories as TERR
from .. import sitemap as urls
from . import projets, spreadsheets
from ..graph.build import Graph

FOLDER = urls.OPEN_DATA_FOLDER
LIST_SEPARATOR = T.LIST_SEPARATOR
LICENSE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
SLUG_LIST = T.SLUG_LIST
PAGE_DESCRIPTION = ("Adresse de la page de la fiche sur le site (relative à la racine du site quand "
                    "son adresse publique n'est pas configurée).")


@dataclass(frozen=True)
class Column:
    """One column of a table: its Table Schema field and how to get its value."""

    name: str
    type: str  # Table Schema type: string, integer, date, array, object
    title: str
    description: str
    get: Callable[[Any], Any]
    constraints: dict = dataclasses.field(default_factory=dict)
    spec: dict | None = None  # the Table Schema field as given (a derived table's), instead of the above

    def schema(self) -> dict:
        if self.spec is not None:
            return dict(self.spec)
        out = {"name": self.name, "type": self.type, "title": self.title, "description": self.description}
        if self.type == "date":
            out["format"] = "%Y-%m-%d"
        if self.constraints:
            out["constraints"] = dict(self.constraints)
        return out


@dataclass(frozen=True)
class Resource:
    name: str  # Frictionless resource name, e.g. "cooperations-csv"
    path: str  # relative to /donnees/
    format: str  # csv or json
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str
    rows: Callable[[Graph, str], list]  # (graph, base_url) -> records
    delimiter: str = ","  # CSV: between cells (« ; » in the French spreadsheets)
    bom: bool = False  # CSV: starts with a UTF-8 byte order mark
    cell: Callable[[Any], Any] | None = None  # CSV: a value as the file writes it (before neutralisation)

    @property
    def mediatype(self) -> str:
        return "text/csv" if self.format == "csv" else "application/json"


def page_address(src_path: str, base_url: str = "") -> str:
    path = urls.page_url(src_path)
    return (base_url.rstrip("/") + "/" + path) if base_url else path


def _field_columns(kind: str, graph: Graph, flat: bool) -> list[Column]:
    """Columns of the model's fields for ``kind``; ``flat`` for CSV (lists joined by ';').
    Each field's column comes from its type (kb.publish.formats.opendata_columns)."""
    vocabularies = graph.vocabularies
    columns = []
    links = {("cooperation", "recommandations"): graph.recos_of,
             ("recommandation", "cooperations"): graph.coops_of}
    for f in F.MODEL[kind]:
        title = F.field_label(f, vocabularies)
        description = f.help
        getter = (lambda r, name=f.name: getattr(r, name, None))
        if (kind, f.name) in links:
            index = links[(kind, f.name)]
            getter = (lambda r, index=index: sorted(index.get(r.id, [])))
            description += " Liens complets : y compris ceux déclarés dans l'autre fiche."
        if flat and kind == "cooperation" and f.name == "territoires":
            columns.append(Column(
                f.name, "string", title,
                "Clés des territoires et acteurs partenaires (colonne « cle » de territoires.csv), séparées "
                "par « ; » ; les ensembles de partenaires décrits sans être nommés n'y figurent pas. Vide "
                "quand la fiche ne décrit que de tels ensembles (« les communes rurales voisines ») : ils sont "
                "dans le fichier JSON.",
                lambda r: LIST_SEPARATOR.join(p.key for p in r.territoires if p.category != "ensemble"),
                {"pattern": SLUG_LIST}))
            continue
        if flat and f.name == "origines":
            columns.append(Column(
                f.name, "string", title,
                "Les valeurs qu'aucune source n'énonce, séparées par « ; » : « champ:origine », ou "
                "« champ/valeur:origine » pour une seule valeur du champ ; l'origine est « redaction » "
                "(classement de la rédaction), « a-confirmer » ou l'identifiant d'une source. Vide quand les sources "
                "énoncent toutes les valeurs.",
                lambda r: _origins_cell(r.origines)))
            continue
        spec = column_of(f, graph.content.data, flat)
        if spec is None:
            continue
        if spec.flatten is not None:
            getter = (lambda r, g=getter, flatten=spec.flatten: flatten(g(r)))
        if spec.count:
            columns.append(Column(f"nombre_{f.name}", spec.type, f"Nombre : {title.lower()}",
                                  f"Nombre d'éléments de « {f.name} » (le détail est dans le fichier JSON), "
                                  "0 quand il n'y en a pas.",
                                  getter, {"required": True, **spec.constraints}))
            continue
        constraints = dict(spec.constraints)
        if f.required or spec.type == "array":  # a JSON list is always written, empty or not
            constraints["required"] = True
        if spec.type == "array" and f.min_items:
            constraints["minLength"] = f.min_items
        if "maxLength" in constraints:  # after "required", as the files have always written it
            constraints["maxLength"] = constraints.pop("maxLength")
        description += spec.note + _empty_note(f, spec.type, flat)
        columns.append(Column(f.name, spec.type, title, description, getter, constraints))
    return columns


def _empty_note(f, column_type: str, flat: bool) -> str:
    """What an empty cell of a model field's column means: the schema says exactly what may be
    empty (a required field never is: ``required`` in its constraints)."""
    if f.required:
        return ""
    if column_type == "array":
        return " Liste vide quand la fiche n'en donne pas."
    if flat:
        return " Vide quand la fiche ne le renseigne pas."
    return " null quand la fiche ne le renseigne pas."


def _origins_cell(origins) -> str | None:
    cells = []
    for o in origins:
        for value in (o.valeurs or [None]):
            cells.append(f"{o.champ}{'/' + value if value else ''}:{o.origine}")
    return LIST_SEPARATOR.join(cells) or None


def _id_columns(kind_label: str, page_of, base_url: str) -> list[Column]:
    """Identifier and page address columns (``page_of``: kb.sitemap.cooperation or .recommendation)."""
    return [
        Column("id", "string", "Identifiant", f"Identifiant stable de la {kind_label} (nom de son fichier).",
               lambda r: r.id, {"required": True, "unique": True, "pattern": F.SLUG}),
        Column("page", "string", "Page", PAGE_DESCRIPTION,
               lambda r: page_address(page_of(r.id), base_url), {"required": True}),
    ]


def cooperation_columns(graph: Graph, flat: bool, base_url: str = "") -> tuple[Column, ...]:
    cols = _id_columns("coopération", urls.cooperation, base_url) + _field_columns("cooperation", graph, flat)
    if flat:
        cols.append(Column("regions", "string", "Régions", "Régions des partenaires, séparées par « ; ». Vide quand aucun partenaire n'a de région "
                           "connue.",
                           lambda r: LIST_SEPARATOR.join(r.terms("regions")) or None,
                           {"pattern": SLUG_LIST}))
        cols.append(Column("partenaires_probables", "string", "Partenaires probables",
                           "Clés des partenaires qu'aucune source de la fiche ne nomme (« partenaire probable », "
                           "origine « a-confirmer » ; le motif est dans le fichier JSON), séparées par « ; ». Vide quand "
                           "les sources nomment tous les partenaires.",
                           lambda r: LIST_SEPARATOR.join(p.key for p in r.territoires if p.probable) or None,
                           {"pattern": SLUG_LIST}))
        cols.append(Column("departements", "string", "Départements",
                           "Codes des départements des partenaires, séparés par « ; ». Vide quand aucun partenaire n'a "
                           "de département connu.",
                           lambda r: LIST_SEPARATOR.join(sorted({p.departement for p in r.territoires
                                                                 if p.departement})) or None))
        cols.append(Column("codes_officiels", "string", "Codes officiels",
                           "Codes officiels des partenaires (code Insee d'une commune, d'un département ou d'une "
                           "région, SIREN d'une intercommunalité), séparés par « ; ». Vide quand aucun partenaire n'a de "
                           "code officiel (groupements, acteurs, ensembles).",
                           lambda r: LIST_SEPARATOR.join(p.code for p in r.territoires if p.code) or None,
                           {"pattern": r"^[0-9AB]+(?:;[0-9AB]+)*$"}))
        cols.append(Column("echanges", "string", "Ce qui est échangé",
                           "Ce que les partenaires apportent ou reçoivent, selon les sources (vocabulaire « Ce qui "
                           "est échangé ») : identifiants séparés par « ; » ; qui apporte quoi est dans le fichier JSON "
                           "(« reciprocites »). Vide quand aucune source ne dit ce que chacun apporte.",
                           lambda r: LIST_SEPARATOR.join(r.terms("echanges")) or None, {"pattern": SLUG_LIST}))
    return tuple(cols)


def recommendation_columns(graph: Graph, flat: bool, base_url: str = "") -> tuple[Column, ...]:
    cols = _id_columns("recommandation", urls.recommendation, base_url) + \
        _field_columns("recommandation", graph, flat)
    return tuple(cols)


def territory_columns(graph: Graph, base_url: str = "") -> tuple[Column, ...]:
    vocab = graph.vocabularies
    return (
        Column("cle", "string", "Clé", "Identifiant stable du territoire, tiré de son nom.",
               lambda t: t.key, {"required": True, "unique": True, "pattern": F.SLUG}),
        Column("nom", "string", "Nom", "Nom du territoire, tel qu'écrit dans les fiches.",
               lambda t: t.nom, {"required": True}),
        Column("type", "string", "Type", "Nature du territoire (vocabulaire « Types de territoire »).",
               lambda t: t.type, {"required": True, "enum": list(vocab["types_territoire"].terms)}),
        Column("region", "string", "Région", "Région administrative (vocabulaire « Régions »). Vide pour un acteur ou un territoire sans région "
               "connue.",
               lambda t: t.region, {"enum": list(vocab["regions"].terms)}),
        Column("departement", "string", "Département", "Code du département. Vide quand le territoire n'en a pas (région, groupement sur "
               "plusieurs départements, acteur national).", lambda t: t.departement),
        Column("categorie", "string", "Catégorie",
               "territoire (commune, intercommunalité, département, région), groupement (pays, PETR, parc, "
               "syndicat) ou acteur (organisation).",
               lambda t: t.category, {"required": True, "enum": ["territoire", "groupement", "acteur"]}),
        Column("code", "string", "Code officiel",
               "Code Insee (commune, département, région) ou SIREN (intercommunalité), pour joindre les données "
               "publiques. Vide pour un groupement sans code, un acteur ou un ensemble.", lambda t: t.code,
               {"pattern": F.OFFICIAL_CODE}),
        Column("nom_officiel", "string", "Nom officiel", "Nom au Code officiel géographique (Etalab). Vide sans code officiel.",
               lambda t: t.official.nom if t.official else None),
        Column("population", "integer", "Population",
               "Population municipale (Insee, millésime de la colonne annee_population) ; pour un groupement, "
               "somme de ses membres connus. Vide quand elle n'est pas connue (acteur, groupement sans membre "
               "codé).", lambda t: TERR.population_of(t), {"minimum": 0}),
        Column("annee_population", "integer", "Année de la population", "Millésime de la population. Vide avec la population.",
               lambda t: COG.POPULATION_YEAR if TERR.population_of(t) else None),
        Column("departements", "string", "Départements",
               "Codes des départements du territoire, séparés par « ; ». Vide quand ils ne sont pas connus.",
               lambda t: LIST_SEPARATOR.join(TERR.departements_of(t)) or None),
        Column("membres", "string", "Membres",
               "Codes officiels des membres d'un groupement, séparés par « ; ». Vide hors groupement, ou quand "
               "ses membres ne sont pas donnés.",
               lambda t: LIST_SEPARATOR.join(t.membres) or None),
        Column("latitude", "number", "Latitude",
               "Latitude (WGS 84) : la commune, le centre pondéré par la population des communes d'une "
               "intercommunalité ou d'un groupement, le centre d'un département ou d'une région. Vide pour un "
               "acteur (une organisation n'est pas un lieu) ou un territoire sans position connue.",
               lambda t: _where(t, "lat"), {"minimum": -90, "maximum": 90}),
        Column("longitude", "number", "Longitude", "Longitude (WGS 84), voir latitude ; vide avec elle.",
               lambda t: _where(t, "lon"), {"minimum": -180, "maximum": 180}),
        Column("cooperations", "string", "Coopérations",
               "Identifiants des coopérations dont le territoire est partenaire, séparés par « ; ».",
               lambda t: LIST_SEPARATOR.join(sorted(t.cooperations)),
               {"required": True, "pattern": SLUG_LIST}),
        Column("nombre_cooperations", "integer", "Nombre de coopérations",
               "Nombre de coopérations dont le territoire est partenaire.",
               lambda t: len(t.cooperations), {"required": True, "minimum": 1}),
        Column("page", "string", "Page", PAGE_DESCRIPTION,
               lambda t: page_address(urls.partner(t), base_url), {"required": True}),
    )


def _where(t, attr: str):
    if t.is_actor:  # an organisation is not a place
        return None
    loc = TERR.location(t)
    return getattr(loc, attr) if loc else None


def resources(graph: Graph, base_url: str = "") -> list[Resource]:
    """Every published table, in a stable order."""
    coops = lambda g, b: sorted(g.cooperations.values(), key=lambda r: r.id)  # noqa: E731 - stable files
    recos = lambda g, b: sorted(g.recommendations.values(), key=lambda r: r.id)  # noqa: E731
    terrs = lambda g, b: sorted(g.territories.values(), key=lambda t: t.key)  # noqa: E731
    canonical = [
        Resource("cooperations-json", "cooperations.json", "json", "Coopérations (JSON)",
                 "Toutes les coopérations, avec tous les champs de leur en-tête, partenaires et sources compris ; "
                 "le texte libre est sur la page de chaque fiche.",
                 cooperation_columns(graph, False, base_url), "id", coops),
        Resource("cooperations-csv", "cooperations.csv", "csv", "Coopérations (CSV)",
                 "Une ligne par coopération ; les listes sont des identifiants séparés par « ; ». " + FORMULA_NOTE,
                 cooperation_columns(graph, True, base_url), "id", coops),
        Resource("recommandations-json", "recommandations.json", "json", "Recommandations (JSON)",
                 "Toutes les recommandations, avec tous les champs de leur en-tête, sources comprises ; le texte "
                 "libre est sur la page de chaque fiche.",
                 recommendation_columns(graph, False, base_url), "id", recos),
        Resource("recommandations-csv", "recommandations.csv", "csv", "Recommandations (CSV)",
                 "Une ligne par recommandation ; les listes sont des identifiants séparés par « ; ». " + FORMULA_NOTE,
                 recommendation_columns(graph, True, base_url), "id", recos),
        Resource("territoires-csv", "territoires.csv", "csv", "Territoires (CSV)",
                 "Une ligne par territoire ou acteur partenaire d'au moins une coopération, avec son code "
                 "officiel, sa population, sa position et ses coopérations. " + FORMULA_NOTE,
                 territory_columns(graph, base_url), "cle", terrs),
    ]
    return canonical + spreadsheets.resources(canonical, graph, FORMULA_NOTE) + state_schema_resources()


def _state_columns(schema_path, mapped: dict) -> tuple[Column, ...]:
    """The columns of a table of the State's schema: its fields as they are, described by what
    the base puts in them (``mapped``)."""
    return tuple(Column(f["name"], f["type"], f.get("title", f["name"]), mapped.get(f["name"], ""),
                        (lambda row, name=f["name"]: row.get(name)), dict(f.get("constraints", {})),
                        spec={**f, "description": (f.get("description", "") + " Dans cet export : "
                                                   + mapped.get(f["name"], "")).strip()})
                 for f in projets.schema_fields(schema_path))


def state_schema_resources() -> list[Resource]:
    """The cooperations and their coded partners in the State's « Projets de collectivités » schema
    (kb.publish.projets)."""
    intro = (f"Au format du schéma de données de l'État « Projets de collectivités » ({projets.HOMEPAGE}, "
             "Licence Ouverte), partagé par les services qui suivent les projets de transition écologique des "
             "collectivités : ")
    return [
        Resource("projets-territoire", "projets-territoire.csv", "csv", "Projets (schéma de l'État)",
                 intro + "une ligne par coopération, table « projets ». Les listes (leviers, collectivités) sont "
                 "des tableaux JSON, comme le schéma le demande. " + FORMULA_NOTE,
                 _state_columns(projets.PROJECTS_SCHEMA, projets.PROJECT_MAP), "id",
                 lambda g, b: projets.project_rows(g)),
        Resource("collectivites", "collectivites.csv", "csv", "Collectivités (schéma de l'État)",
                 intro + "une ligne par commune, intercommunalité, département ou région partenaire d'au moins "
                 "une coopération, avec son code officiel, table « collectivités ». " + FORMULA_NOTE,
                 _state_columns(projets.COLLECTIVITIES_SCHEMA, projets.COLLECTIVITY_MAP), "id",
                 lambda g, b: projets.collectivity_rows(g)),
    ]


# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection):
# such a cell is prefixed with an apostrophe, as OWASP recommends, so that it is shown as
# typed. Said on the "Données ouvertes" page and in each CSV resource's description. JSON
# files are left as they are: no program runs their strings.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_NOTE = ("Une cellule qui commencerait par =, +, -, @, une tabulation ou un retour chariot est "
                "précédée d'une apostrophe (') pour qu'un tableur ne l'exécute pas comme une formule.")


def neutralise_formula(text: str) -> str:
    """A CSV cell's text that no spreadsheet takes for a formula (OWASP: prefix with ')."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value, shape=None) -> str:
    """A cell's text; ``shape``: how the file writes a value (a French spreadsheet's decimal comma)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # a number (a longitude of -4.479) is read as a number, never as a formula
        return str(shape(value) if shape else value)
    return neutralise_formula(str(shape(value) if shape else value))


def table(resource: Resource, graph: Graph, base_url: str = "") -> list[dict]:
    """Rows of a resource as ordered dicts (every column present, None when empty)."""
    out = []
    for record in resource.rows(graph, base_url):
        row = {}
        for col in resource.columns:
            value = col.get(record)
            row[col.name] = None if isinstance(value, str) and not value else value
        out.append(row)
    return out


def _row_text(resource: Resource, row: dict, write) -> str:
    return write(row)


def _json_row(row: dict) -> str:
    """The row as json.dumps(rows, indent=2) writes it inside the list."""
    return "  " + json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def _csv_row(columns, delimiter: str = ",", cell=None) -> Callable[[dict], str]:
    def write(row: dict) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(
            [_csv_value(row[c.name], cell) for c in columns])
        return buffer.getvalue()
    return write


def render(resource: Resource, graph: Graph, base_url: str = "") -> str:
    rows = table(resource, graph, base_url)
    if resource.format == "json":
        if not rows:
            return "[]\n"
        return "[\n" + ",\n".join(_row_text(resource, row, _json_row) for row in rows) + "\n]\n"
    buffer = io.StringIO()
    if resource.bom:
        buffer.write("\ufeff")
    csv.writer(buffer, delimiter=resource.delimiter, lineterminator="\r\n").writerow(
        [c.name for c in resource.columns])
    write = _csv_row(resource.columns, resource.delimiter, resource.cell)
    return buffer.getvalue() + "".join(_row_text(resource, row, write) for row in rows)


def datapackage(graph: Graph, contents: dict[str, bytes], site_name: str = "Coopérations territoriales",
                base_url: str = "") -> dict:
    """The Frictionless data package descriptor of the files in ``contents`` (path -> bytes)."""
    described = []
    for res in resources(graph, base_url):
        data = contents[res.path]
        schema = {"fields": [c.schema() for c in res.columns], "primaryKey": [res.primary_key],
                  "missingValues": [""]}
        integrity = {}
        if res.format == "csv":
            # frictionless checks these while it streams a CSV file (it does not for JSON)
            integrity = {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
            if res.delimiter != ",":
                integrity["dialect"] = {"delimiter": res.delimiter}
        described.append({
            "name": res.name,
            "path": res.path,
            "type": "table",
            "scheme": "file",
            "format": res.format,
            "mediatype": res.mediatype,
            "encoding": "utf-8",
            "title": res.title,
            "description": res.description,
            **integrity,
            "licenses": [LICENSE],
            "schema": schema,
        })
    return {
        "name": "cooperations-territoriales",
        "title": f"{site_name} : coopérations et recommandations",
        "description": ("Les coopérations entre territoires pour la transition écologique et les "
                        "recommandations de la base de connaissances, en JSON et CSV."),
        "licenses": [LICENSE],
        "resources": described,
    }


def paths(graph: Graph, base_url: str = "") -> list[str]:
    """The site paths ``files`` writes, without computing the files."""
    return [f"{FOLDER}/{res.path}" for res in resources(graph, base_url)] + [f"{FOLDER}/datapackage.json"]


def files(graph: Graph, base_url: str = "", site_name: str = "Coopérations territoriales") -> dict[str, bytes]:
    """Site path (e.g. 'donnees/cooperations.csv') -> bytes, datapackage.json included."""
    contents = {res.path: render(res, graph, base_url).encode("utf-8") for res in resources(graph, base_url)}
    package = datapackage(graph, contents, site_name, base_url)
    contents["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return {f"{FOLDER}/{name}": data for name, data in contents.items()}


TYPE_LABELS = {"string": "texte", "integer": "nombre entier", "number": "nombre décimal", "date": "date AAAA-MM-JJ",
               "array": "liste", "object": "objet"}


def page_context(graph: Graph) -> dict:
    """What the "Données ouvertes" page describes (kb.render.pages renders it; the build
    session hands this over, so that rendering does not depend on publishing)."""
    res = resources(graph)
    return dict(resources=res, counts={r.name: len(r.rows(graph, "")) for r in res}, license=LICENSE,
                type_labels=TYPE_LABELS, levers=projets.lever_table(graph), schema_names=[f"{kind}.json" for kind in F.KINDS], feeds=urls.FEEDS,
                stale_page=urls.STALE)
