"""Generated pages (stage 4): every page of the site as Markdown, from the graph.

Each page is rendered from a Jinja2 template of templates/ with autoescape on,
so every string that comes from a content file is HTML-escaped. The result is
plain Markdown with a small generated front matter, ready for MkDocs or any
other generator.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import jinja2
import markupsafe

from ..render import discovery as discovery
from ..publish import opendata as exports
from ..render import freshness as freshness
from ..render import islands as islands
from ..render import places as places
from ..graph import tracking as tracking
from ..render import sitemap as urls
from ..graph.build import Graph
from ..content.model import Cooperation, Page, Recommendation, SourceDocument

TEMPLATES = Path(__file__).resolve().parent / "templates"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


class GeneratedPage:
    """One page of the site: its path, title and description, and its Markdown,
    rendered on first use (``markdown``). Generating the list of pages is cheap;
    rendering them can then happen where and when it is needed (kb.build.offload).

    For the live preview (kb.build.preview), ``inputs`` holds what the page is
    rendered from besides the graph, and ``reads`` (once rendered with tracking)
    the keys of the graph it read (kb.graph.tracking)."""

    __slots__ = ("path", "title", "description", "in_nav", "record", "inputs", "reads", "_markdown",
                 "_render")

    def __init__(self, path: str, title: str, markdown: str | None = None, description: str = "",
                 in_nav: bool = False, render=None, record=None, inputs=None):
        self.path = path  # source path in the site, e.g. "themes/mobilite.md"
        self.title = title  # plain text (not escaped)
        self.description = description
        self.in_nav = in_nav
        self.record = record  # the content record whose page this is (its body is shown only here)
        self.inputs = inputs
        self.reads: frozenset | None = None
        self._markdown = markdown
        self._render = render

    def reuse(self, markdown: str, reads: frozenset | None = None) -> None:
        """Take ``markdown``, rendered earlier from the same inputs, instead of rendering."""
        self._markdown, self._render, self.reads = markdown, None, reads

    @property
    def markdown(self) -> str:
        if self._markdown is None:
            self._markdown, self._render = self._render(), None
        return self._markdown

    def __repr__(self) -> str:
        return f"GeneratedPage({self.path!r})"


def french_date(iso: str | None) -> str:
    """'2026-11-22' -> '22 novembre 2026'; '2019-06' -> 'juin 2019'; '2019' -> '2019'."""
    if not iso:
        return ""
    parts = str(iso).split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{'1er' if day == 1 else day} {month} {parts[0]}"


def front_matter(title: str, description: str = "") -> str:
    """Generated front matter. Material prints title and description without
    escaping, so they are escaped here, once; JSON is valid YAML and cannot be
    broken out of."""
    meta = {"title": html.escape(title, quote=True)}
    if description:
        meta["description"] = html.escape(description, quote=True)
    return "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()) + "\n---\n\n"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, so that a live
    preview rebuilding the site does not compile them again (Jinja2 checks each
    template's source against its checksum: an edited template is recompiled)."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


class Renderer:
    """Renders pages from ``graph``. ``track``: note what each page reads from the graph
    (``GeneratedPage.reads``, for the live preview: kb.graph.tracking)."""

    def __init__(self, graph: Graph, templates: Path | None = None, today=None, track: bool = False,
                 rows: dict | None = None):
        self.reads = tracking.Reads() if track else None
        if track:
            graph = tracking.tracked(graph, self.reads)
        self.graph = graph
        # reference day of the build (SOURCE_DATE_EPOCH): "revue il y a 8 mois", "à actualiser"
        self.fresh = freshness.Freshness(today or freshness.build_date())
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates or TEMPLATES)),  # TEMPLATES read now: tests set it
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=COMPILED_TEMPLATES,
        )
        self.env.filters["date_fr"] = french_date
        # The body of a content file is Markdown: it is rendered by the site
        # generator and the resulting HTML is sanitised (kb.publish.sanitize), not escaped.
        self.env.filters["markdown_body"] = lambda text: markupsafe.Markup(islands.neutralise(text))
        # large generated HTML blocks skip the Markdown parser (kb.render.islands)
        self.env.filters["island"] = islands.island
        self.env.globals.update(urls=urls, vocab=graph.vocabularies, graph=graph, fresh=self.fresh)
        discovery.template_globals(self.env, graph)  # maps, facets, search/explorer/chart pages
        places.template_globals(self.env, graph)  # territories: official identity, memberships
        # A case's row in a table of cases is the same on every page that links to it the
        # same way: render it once per (case, link) and reuse it (term pages list thousands).
        # ``rows`` may come from an earlier Renderer with the same templates, vocabularies and
        # date (kb.build.preview): a row is reused while its case is the very same record.
        self._rows: dict[tuple, tuple[object, markupsafe.Markup]] = {} if rows is None else rows
        self.env.globals["coop_row"] = self.coop_row
        self.env.globals["explorer_row"] = self.explorer_row
        self.env.globals["drawn"] = self.drawn

    def _row(self, cid: str, href: str, facet_names=()) -> markupsafe.Markup:
        coop = self.graph.cooperations[cid]  # looked up every time: a tracked page reads it
        key = (cid, href, facet_names)
        known = self._rows.get(key)
        if known is not None and known[0] is coop:
            return known[1]
        extra = self.env.get_template("_facets.html").module.data_attrs(coop, facet_names) if facet_names else ""
        row = markupsafe.Markup(self.env.get_template("_macros.html").module.coop_row_markup(
            coop, href, cid if facet_names else None, extra))
        self._rows[key] = (coop, row)
        return row

    def drawn(self, key: str, data, macro, *args) -> markupsafe.Markup:
        """``macro(data, *args)``, kept with the rows while ``data`` is equal (a map drawn
        from the same positions is the same). ``key`` names the drawing, once in the site."""
        known = self._rows.get(("drawn", key))
        if known is not None and known[0] == data:
            return known[1]
        markup = markupsafe.Markup(macro(data, *args))
        self._rows[("drawn", key)] = (data, markup)
        return markup

    def coop_row(self, cid: str, href: str) -> markupsafe.Markup:
        """A case's row in coop_table."""
        return self._row(cid, href)

    def explorer_row(self, cid: str, href: str, facet_names) -> markupsafe.Markup:
        """A case's row in the explorer: with its id and its facet values."""
        return self._row(cid, href, tuple(facet_names))

    def render(self, template: str, path: str, title: str, description: str = "",
               in_nav: bool = False, record=None, **context) -> GeneratedPage:
        def url(target: str, anchor: str = "") -> str:
            return urls.relative_url(target, path, anchor)

        def asset(name: str) -> str:
            return urls.asset_url(name, path)

        page = GeneratedPage(path, title, description=description, in_nav=in_nav, record=record,
                             inputs=(template, title, description, in_nav, context))

        def markdown() -> str:
            if self.reads is None:
                body = self.env.get_template(template).render(url=url, asset=asset, title=title, **context)
            else:
                with self.reads.page() as seen:
                    body = self.env.get_template(template).render(url=url, asset=asset, title=title, **context)
                page.reads = frozenset(seen)
            return front_matter(title, description) + body

        page._render = markdown
        return page


def record_page(renderer: Renderer, record) -> GeneratedPage:
    graph = renderer.graph
    if isinstance(record, Cooperation):
        return renderer.render("cooperation.md", urls.cooperation(record.id), record.titre, record.resume,
                               record=record, coop=record,
                               territories=[graph.territories.get(p.key) or p for p in record.territoires])
    if isinstance(record, Recommendation):
        return renderer.render("recommendation.md", urls.recommendation(record.id), record.titre,
                               record.resume, record=record, reco=record)
    if isinstance(record, SourceDocument):
        return renderer.render("document.md", urls.document(record.id), record.titre,
                               record.resume or "", record=record, doc=record,
                               citing=graph.citing.get(record.id, {}))
    if isinstance(record, Page):
        return renderer.render("page.md", record.path, record.titre, record.description or "",
                               record=record, page=record)
    raise TypeError(record)  # pragma: no cover


def generate_pages(graph: Graph, today=None, track: bool = False, rows: dict | None = None) -> list[GeneratedPage]:
    """Every page of the site, content pages included, in a stable order. ``track``, ``rows``:
    see Renderer."""
    r = Renderer(graph, today=today, track=track, rows=rows)
    graph = r.graph
    content = graph.content
    pages: list[GeneratedPage] = []
    add = pages.append

    # Cheap pages first: where a helper process renders the pages while the site generator
    # converts them in the same order (kb.build.offload), it gets ahead on these and stays ahead
    # on the large listings that come last.
    for key, territory in graph.territories.items():
        add(r.render("territory.md", urls.partner(territory), territory.nom,
                     places.description(territory), territory=territory))
    for record in content.records():
        add(record_page(r, record))

    add(r.render("home.md", urls.HOME, "Coopérations territoriales pour la transition écologique",
                 "Base de connaissances des coopérations entre territoires pour la transition écologique "
                 "et des recommandations aux élus et aux financeurs.", in_nav=True))
    add(r.render("cooperations.md", urls.COOPERATIONS, "Toutes les coopérations",
                 "Catalogue des coopérations entre territoires.", in_nav=True))
    add(r.render("recommendations.md", urls.RECOMMENDATIONS, "Toutes les recommandations",
                 "Les recommandations, par public et par axe.", in_nav=True))
    add(r.render("documents.md", urls.DOCUMENTS, "Documents sources",
                 "Les documents d'où viennent les fiches.", in_nav=True))
    add(r.render("stop_start.md", urls.STOP_START, "Ce qu'il faut arrêter, ce qu'il faut commencer",
                 "Les changements de pratique recommandés, pour tous les publics.", in_nav=True))
    add(r.render("territories.md", urls.TERRITORIES, "Territoires",
                 "Les territoires partenaires d'au moins une coopération.", in_nav=True))
    add(r.render("actors.md", urls.ACTORS, "Acteurs",
                 "Les organisations partenaires des coopérations : agences, associations, entreprises, "
                 "établissements publics, services de l'État.", in_nav=True))
    add(r.render("vocabularies.md", urls.VOCABULARIES, "Vocabulaires",
                 "Les familles de termes qui décrivent coopérations et recommandations.", in_nav=True))
    methods = [p for p in content.pages.values() if p.path.startswith("methode/")]
    add(r.render("methods.md", urls.METHODS, "Méthodes", "Des méthodes à appliquer sur son territoire.",
                 in_nav=True, methods=sorted(methods, key=lambda p: p.titre.casefold())))

    for name, vocab in graph.vocabularies.items():
        if name not in graph.by_term:
            continue
        add(r.render("vocabulary.md", urls.vocabulary(vocab.path), vocab.plural, vocab.description,
                     vocab_name=name, vocabulary=vocab))
        for term in vocab.terms.values():
            ids = graph.by_term[name].get(term.id, [])
            add(r.render("term.md", urls.term(vocab.path, term.id),
                         term.page_title or f"{vocab.label} : {term.label}",
                         term.definition, vocab_name=name, vocabulary=vocab, term=term, ids=ids,
                         id_set=frozenset(ids)))

    pages.extend(discovery.generate(r))
    pages.extend(exports.generate(r))  # "Données ouvertes"
    pages.extend(freshness.generate(r))  # "Fiches à actualiser"
    return pages
