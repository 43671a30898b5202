"""Discovery pages: search, catalogues with facets and maps, charts (no MkDocs import).

kb.render.pages calls ``template_globals`` when it sets up its Jinja environment and
``generate`` to add these pages. Facets are computed here, once, from the graph:
every catalogue row carries its facet values as data attributes, so the full
list stays readable without JavaScript and overrides/assets/javascripts/
kb-explorer.js filters it in the browser.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..render import charts as charts
from ..render import geo as geo
from ..content.vocab import load_departements

SEARCH = "rechercher.md"
EXPLORE_COOPERATIONS = "explorer/cooperations.md"
EXPLORE_RECOMMENDATIONS = "explorer/recommandations.md"
FIGURES = "chiffres.md"
NO_YEAR = "non-precisee"

# (facet name, vocabulary) in the order the catalogue shows them
COOPERATION_FACETS = ("themes", "fonctions", "finalites", "portages", "regions", "types_territoire",
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
        values = [FacetValue(tid, term.label, counts[tid]) for tid, term in vocabulary.terms.items()
                  if tid in counts]
        result.append(Facet(name, vocabulary.label, tuple(values)))
    return result


def departement_name(code: str | None) -> str:
    if not code:
        return ""
    dep = load_departements().get(code)
    return dep.name if dep else code


def template_globals(env, graph) -> None:
    """What the templates of these pages (and the case page's small map) need."""
    env.globals.update(
        case_map=lambda coop: geo.case_map(graph, coop),
        catalogue_map=lambda ids=None: geo.catalogue_map(graph, ids),
        departement_name=departement_name,
        record_facets=record_facets,
        discovery_urls={"search": SEARCH, "cooperations": EXPLORE_COOPERATIONS,
                        "recommendations": EXPLORE_RECOMMENDATIONS, "figures": FIGURES},
    )


def generate(renderer) -> list:
    """The discovery pages, rendered by kb.render.pages.Renderer."""
    graph = renderer.graph
    coops = list(graph.cooperations.values())
    recos = list(graph.recommendations.values())
    return [
        renderer.render("search.md", SEARCH, "Rechercher",
                        "Recherche en texte intégral dans les coopérations, recommandations et territoires.",
                        in_nav=True),
        renderer.render("explore_cooperations.md", EXPLORE_COOPERATIONS, "Explorer les coopérations",
                        "Filtrer les coopérations par thème, fonction, finalité, portage, région, type de "
                        "territoire, statut et année, sur une carte.", in_nav=True,
                        facets=facets(graph, COOPERATION_FACETS, coops), facet_names=COOPERATION_FACETS),
        renderer.render("explore_recommendations.md", EXPLORE_RECOMMENDATIONS, "Explorer les recommandations",
                        "Filtrer les recommandations par public et par axe.", in_nav=True,
                        facets=facets(graph, RECOMMENDATION_FACETS, recos),
                        facet_names=RECOMMENDATION_FACETS),
        renderer.render("chiffres.md", FIGURES, "En chiffres",
                        "Les coopérations par thème, fonction, finalité, région et année.", in_nav=True,
                        charts=charts.cooperation_charts(graph)),
    ]
