"""Discovery pages: search, catalogues with facets and maps, charts (no MkDocs import).

kb.render.pages calls ``template_globals`` when it sets up its Jinja environment and
``generate`` to add these pages. Facets are computed here, once, from the graph:
every catalogue row carries its facet values as data attributes, so the full
list stays readable without JavaScript and overrides/assets/javascripts/
kb-explorer.js filters it in the browser.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import sitemap
from ..render import charts as charts
from ..render import geo as geo
from ..graph.collation import sort_key

SEARCH, EXPLORE_COOPERATIONS = sitemap.SEARCH, sitemap.EXPLORE_COOPERATIONS
EXPLORE_RECOMMENDATIONS, FIGURES = sitemap.EXPLORE_RECOMMENDATIONS, sitemap.FIGURES
EXPLORE = sitemap.EXPLORE
NO_YEAR = "non-precisee"
# The explorer of cases lists its first PAGE_SIZE rows in its HTML (without JavaScript, the
# rest on plain numbered pages); kb-explorer.js loads every row from ROWS_FILE, after them.
PAGE_SIZE = 50
ROWS_FILE = sitemap.EXPLORER_ROWS

# (facet name, vocabulary) in the order the catalogue shows them
COOPERATION_FACETS = ("themes", "fonctions", "echanges", "finalites", "portages", "regions", "types_territoire",
                      "tailles", "profils", "statuts", "annee")
RECOMMENDATION_FACETS = ("audiences", "axes")


@dataclass(frozen=True)
class FacetValue:
    id: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: tuple[FacetValue, ...]


def year_value(coop) -> str:
    return str(coop.annee) if coop.annee is not None else NO_YEAR


def record_facets(record, names) -> dict[str, list[str]]:
    """Facet name -> values of one case or recommendation."""
    out = {}
    for name in names:
        out[name] = [year_value(record)] if name == "annee" else list(record.terms(name))
    return out


def facets(graph, names, records) -> list[Facet]:
    """Every facet with each value's count over ``records``; values nobody uses are left out."""
    result = []
    for name in names:
        counts: dict[str, int] = {}
        for record in records:
            for value in record_facets(record, (name,))[name]:
                counts[value] = counts.get(value, 0) + 1
        if name == "annee":
            years = sorted((v for v in counts if v != NO_YEAR), reverse=True)
            values = [FacetValue(y, y, counts[y]) for y in years]
            if NO_YEAR in counts:
                values.append(FacetValue(NO_YEAR, "Non précisée", counts[NO_YEAR]))
            result.append(Facet(name, "Année de début", tuple(values)))
            continue
        vocabulary = graph.vocabularies[name]
        # the most used values first, then in French alphabetical order
        values = sorted((FacetValue(tid, term.label, counts[tid]) for tid, term in vocabulary.terms.items()
                         if tid in counts), key=lambda v: (-v.count, sort_key(v.label), v.id))
        if values:  # a facet no record has (nothing exchanged yet) shows no empty box
            result.append(Facet(name, vocabulary.label, tuple(values)))
    return result


def departement_name(graph, code: str | None) -> str:
    if not code:
        return ""
    dep = graph.content.data.departements.get(code)
    return dep.name if dep else code


def explorer_pages(graph) -> int:
    """How many plain pages the list of cases takes (the first one is the explorer itself)."""
    return max(1, -(-len(graph.cooperations) // PAGE_SIZE))


def explorer_page(number: int) -> str:
    return sitemap.numbered(EXPLORE_COOPERATIONS, number)


def explorer_rows(graph, fresh) -> dict:
    """Every case as the explorer shows it (title order), for kb-explorer.js: a case's link is
    ``href`` + its id + "/", relative to the explorer's page. Plain data: the script writes it
    with textContent, never as HTML."""
    from .. import sitemap as urls

    vocab = graph.vocabularies
    rows = []
    for cid, c in graph.cooperations.items():
        facets_of = record_facets(c, COOPERATION_FACETS)
        # names and labels as lists: each string is a value as typed, never text put together
        rows.append([cid, c.titre, [p.nom for p in c.territoires],
                     [vocab["themes"].label_of(t) for t in c.themes], c.annee or "", c.statut,
                     int(fresh.is_stale(c))] + [" ".join(facets_of[name]) for name in COOPERATION_FACETS])
    base = urls.relative_url(urls.COOPERATIONS, EXPLORE_COOPERATIONS)
    return {"href": base, "statuts": {t: term.label for t, term in vocab["statuts"].terms.items()},
            "columns": ["id", "titre", "territoires", "themes", "annee", "statut", "a_actualiser"],
            "facets": list(COOPERATION_FACETS), "rows": rows}


def explorer_files(graph, today) -> dict[str, bytes]:
    """The explorer's rows file: site path -> bytes."""
    import json

    from .freshness import Freshness

    data = explorer_rows(graph, Freshness(today))
    return {ROWS_FILE: json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}


def template_globals(env, graph, node_modules) -> None:
    """What the templates of these pages (and the case page's small map) need; ``node_modules``:
    where the map packages are installed (Settings.node_modules_dir), read (and checked) now, so
    that a missing or modified file stops the build before any page is drawn."""
    geo.load_basemaps(node_modules)
    env.globals.update(
        case_map=lambda coop: geo.case_map(graph, coop, node_modules),
        catalogue_map=lambda ids=None: geo.catalogue_map(graph, node_modules, ids),
        departement_name=lambda code: departement_name(graph, code),
        record_facets=record_facets,
        explorer_page=explorer_page,
        explorer_facets=COOPERATION_FACETS,
        discovery_urls={"search": SEARCH, "cooperations": EXPLORE_COOPERATIONS,
                        "recommendations": EXPLORE_RECOMMENDATIONS, "figures": FIGURES},
    )


def generate(renderer) -> list:
    """The discovery pages, rendered by kb.render.pages.Renderer."""
    graph = renderer.graph
    coops = list(graph.cooperations.values())
    recos = list(graph.recommendations.values())
    ids = list(graph.cooperations)
    paged = [renderer.render("explore_page.md", explorer_page(n), f"Toutes les coopérations, page {n}",
                             "La liste des coopérations, page par page.", page_number=n,
                             page_count=explorer_pages(graph),
                             page_ids=ids[(n - 1) * PAGE_SIZE:n * PAGE_SIZE])
             for n in range(2, explorer_pages(graph) + 1)]
    lazy_map = explorer_pages(graph) > 1  # at scale the map (megabytes of SVG) is a page of its own
    if lazy_map:
        paged.append(renderer.render("explore_map.md", sitemap.EXPLORE_COOPERATIONS_MAP, "Carte des coopérations",
                                     "Les territoires de toutes les coopérations, sur une carte."))
    return paged + [
        renderer.render("search.md", SEARCH, "Rechercher",
                        "Recherche en texte intégral dans les coopérations, recommandations et territoires.",
                        in_nav=True),
        renderer.render("explore_cooperations.md", EXPLORE_COOPERATIONS, "Explorer les coopérations",
                        "Filtrer les coopérations par thème, fonction, finalité, portage, région, type de "
                        "territoire, statut et année, sur une carte.", in_nav=True,
                        facets=facets(graph, COOPERATION_FACETS, coops), facet_names=COOPERATION_FACETS,
                        page_ids=list(graph.cooperations)[:PAGE_SIZE], page_number=1,
                        page_count=explorer_pages(graph), rows_file=ROWS_FILE,
                        map_page=sitemap.EXPLORE_COOPERATIONS_MAP if lazy_map else None),
        renderer.render("explore_recommendations.md", EXPLORE_RECOMMENDATIONS, "Explorer les recommandations",
                        "Filtrer les recommandations par public et par axe.", in_nav=True,
                        facets=facets(graph, RECOMMENDATION_FACETS, recos),
                        facet_names=RECOMMENDATION_FACETS),
        renderer.render("explore.md", EXPLORE, "Explorer",
                        "Explorer les coopérations et les recommandations avec des filtres."),
        renderer.render("chiffres.md", FIGURES, "En chiffres",
                        "Les coopérations par thème, fonction, finalité, région et année.", in_nav=True,
                        charts=charts.cooperation_charts(graph)),
    ]
