"""Generated pages (stage 4): every page of the site as Markdown, from the graph.

Each page is rendered from a Jinja2 template of templates/ with autoescape on,
so every string that comes from a content file is HTML-escaped. The result is
plain Markdown with a small generated front matter, ready for MkDocs or any
other generator.
"""
from __future__ import annotations

import html
import importlib.resources
import json
from datetime import date
from pathlib import Path

import jinja2
import markupsafe

from .. import sitemap as urls
from . import discovery, freshness, islands, participate, places
from .body import mark_body
from ..graph.build import Graph
from ..graph.collation import sorted_by
from ..content.model import Cooperation, Page, Recommendation, SourceDocument

TEMPLATES_PACKAGE = ("kb.render", "templates")  # package data: found in any kind of install


def templates_folder() -> Path:
    """The folder of the page templates (TEMPLATES_PACKAGE), for a live preview's digest."""
    return Path(str(importlib.resources.files(TEMPLATES_PACKAGE[0]) / TEMPLATES_PACKAGE[1]))
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


class GeneratedPage:
    """One page of the site: its path, title and description, and its Markdown: a small
    generated front matter (``front_matter``, known when the page is listed) and a body
    rendered from a template on first use (``body``), or given by whoever rendered it
    elsewhere (``provide``, kb.assemble.ahead). Listing the pages is cheap; a site generator
    renders each page when it reads it."""

    __slots__ = ("path", "title", "description", "in_nav", "record", "inputs", "reads", "_body", "_render")

    def __init__(self, path: str, title: str, description: str = "", in_nav: bool = False, render=None,
                 record=None, inputs: tuple = ()):
        self.path = path  # source path in the site, e.g. "themes/mobilite.md"
        self.title = title  # plain text (not escaped)
        self.description = description
        self.in_nav = in_nav
        self.record = record  # the content record whose page this is (its body is shown only here)
        self.inputs = inputs  # template and values it is rendered with (compared by a live preview)
        # what the body read from a tracked graph (kb.graph.tracking), once rendered; None: not tracked
        self.reads: frozenset | None = None
        self._body: str | None = None
        self._render = render  # () -> the body

    @property
    def front_matter(self) -> str:
        return front_matter(self.title, self.description)

    @property
    def body(self) -> str:
        if self._body is None:
            self._body, self._render = self._render(), None
        return self._body

    def provide(self, body: str, reads: frozenset | None = None) -> None:
        """The body, rendered elsewhere from the same graph and template (a pool process), or
        by an earlier build from equal inputs and reads (a live preview: kb.assemble.reuse)."""
        self._body, self._render, self.reads = body, None, reads

    @property
    def rendered(self) -> bool:
        return self._body is not None

    @property
    def markdown(self) -> str:
        """The whole page as a Markdown file: front matter, then body."""
        return self.front_matter + self.body

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


def french_euros(amount) -> str:
    """150000 -> '150 000 €' (thin no-break spaces, as French typography writes amounts)."""
    return f"{int(amount):,}".replace(",", "\u202f") + "\u00a0€"


LONG_LIST = 100  # cases a page lists at most (the others on numbered pages): pages stay light


def count(n: int, one: str, many: str) -> str:
    """'1 coopération', '3 coopérations', '0 coopération' (French: 0 and 1 take the singular)."""
    return f"{n} {one if n < 2 else many}"


def front_matter(title: str, description: str = "") -> str:
    """Generated front matter. Material prints title and description without
    escaping, so they are escaped here, once; JSON is valid YAML and cannot be
    broken out of."""
    meta = {"title": html.escape(title, quote=True)}
    if description:
        meta["description"] = html.escape(description, quote=True)
    return "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()) + "\n---\n\n"


class Renderer:
    """Renders pages from ``graph``, with the templates of this package (or ``templates``,
    a folder, in tests). ``body``: how a content file's Markdown body enters a page (as
    Markdown for a site generator to convert, by default). ``node_modules``: where the pinned
    map packages are installed (Settings.node_modules_dir). ``reads``: with a graph seen
    through kb.graph.tracking's views, the ``Reads`` they note into: each page's body then
    keeps what it read (``GeneratedPage.reads``), for a live preview; ``rows``: the rows of
    tables of cases an earlier build of the preview rendered (kb.assemble.reuse)."""

    def __init__(self, graph: Graph, templates: Path | None = None, today=None, body=None,
                 context: dict | None = None, bytecode_cache: jinja2.BytecodeCache | None = None, *,
                 node_modules: Path, reads=None, rows: dict | None = None):
        self.graph = graph
        self.reads = reads  # kb.graph.tracking.Reads of a tracked graph: each page's reads are noted
        # reference day of the build (SOURCE_DATE_EPOCH): "revue il y a 8 mois", "à actualiser"
        self.fresh = freshness.Freshness(today or date.today())  # the build's date (kb.infra.settings)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)) if templates else jinja2.PackageLoader(*TEMPLATES_PACKAGE),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=bytecode_cache,  # compiled templates kept by a live preview (kb.assemble.memo)
            auto_reload=False,  # one environment per build: templates do not change during it (no stat per include)
        )
        self.env.filters["date_fr"] = french_date
        self.env.filters["euros"] = french_euros
        self.env.globals["count"] = count
        self.env.globals["long_list"] = LONG_LIST
        # The body of a content file is Markdown: it is rendered by the site
        # generator and the resulting HTML is sanitised (kb.publish.sanitize), not escaped.
        # The body is marked, so that the sanitiser cleans it with the stricter body policy.
        self.env.filters["markdown_body"] = body or (
            lambda text: markupsafe.Markup(mark_body(islands.neutralise(text))))
        # large generated HTML blocks skip the Markdown parser (kb.render.islands)
        self.env.filters["island"] = islands.island
        # who publishes the site and the repository's links: the build's settings give them
        # (kb.assemble.session); without settings, the placeholders of kb.render.participate
        self.env.globals.update(urls=urls, vocab=graph.vocabularies, graph=graph, fresh=self.fresh,
                                site_info=participate.SiteInfo(), repo_url="")
        self.env.globals.update(context or {})
        discovery.template_globals(self.env, graph, node_modules)  # maps, facets, search/explorer/charts
        places.template_globals(self.env, graph, node_modules)  # territories: official identity, memberships
        # A case's row in a table of cases is the same on every page that links to it the
        # same way: render it once per (case, link) and reuse it (term pages list thousands).
        # A live preview hands over the rows of its previous rebuild (``rows``): a row is kept
        # while its case is the same object (a fiche whose bytes did not change), and shows
        # nothing but the case and what every page shares (vocabularies, build date).
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

        def body() -> str:
            if self.reads is None:
                return self.env.get_template(template).render(url=url, asset=asset, title=title, **context)
            with self.reads.page() as noted:
                text = self.env.get_template(template).render(url=url, asset=asset, title=title, **context)
            page.reads = frozenset(noted)
            return text

        page = GeneratedPage(path, title, description=description, in_nav=in_nav, record=record, render=body,
                             inputs=(template, title, description, in_nav, record, context))
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


def generate_pages(graph: Graph, today=None, open_data: dict | None = None, body=None,
                   context: dict | None = None, templates: Path | None = None,
                   glossary_entries: tuple = (), bytecode_cache=None, *,
                   node_modules: Path, reads=None, rows: dict | None = None) -> list[GeneratedPage]:
    """Every page of the site, content pages included, in a stable order. ``open_data``: the
    description of the open-data files (kb.publish.opendata.page_context); ``body``,
    ``context``, ``templates``, ``node_modules``, ``reads``, ``rows``: see Renderer."""
    r = Renderer(graph, templates=templates, today=today, body=body, context=context, bytecode_cache=bytecode_cache,
                 node_modules=node_modules, reads=reads, rows=rows)
    content = graph.content
    pages: list[GeneratedPage] = []
    add = pages.append

    for key, territory in graph.territories.items():
        add(r.render("territory.md", urls.partner(territory), territory.nom,
                     places.description(territory), territory=territory))
    for record in content.records():
        add(record_page(r, record))

    add(r.render("home.md", urls.HOME, "Coopérations territoriales pour la transition écologique",
                 "Base de connaissances des coopérations entre territoires pour la transition écologique "
                 "et des recommandations aux élus et aux financeurs.", in_nav=True))
    realised = graph.realised
    srcs = [urls.numbered(urls.COOPERATIONS, n) for n in range(1, max(1, -(-len(realised) // LONG_LIST)) + 1)]
    for n, src in enumerate(srcs, start=1):
        add(r.render("cooperations.md", src, "Toutes les coopérations" + (f" (page {n})" if n > 1 else ""),
                     "Catalogue des coopérations entre territoires.", in_nav=n == 1, page_number=n,
                     page_srcs=srcs, page_ids=realised[(n - 1) * LONG_LIST:n * LONG_LIST]))
    add(r.render("recommendations.md", urls.RECOMMENDATIONS, "Toutes les recommandations",
                 "Les recommandations, par public et par axe.", in_nav=True))
    add(r.render("documents.md", urls.DOCUMENTS, "Documents sources",
                 "Les documents d'où viennent les fiches.", in_nav=True))
    add(r.render("stop_start.md", urls.STOP_START, "Ce qu'il faut arrêter, ce qu'il faut commencer",
                 "Les changements de pratique recommandés, pour tous les publics.", in_nav=True))
    add(r.render("glossary.md", urls.GLOSSARY, "Glossaire",
                 "Les sigles et termes techniques employés dans la base, expliqués.", in_nav=True,
                 entries=glossary_entries))
    add(r.render("contribute.md", urls.CONTRIBUTE, "Contribuer",
                 "Proposer une coopération, corriger une fiche, signaler une erreur."))
    add(r.render("legal.md", urls.LEGAL, "Mentions légales",
                 "Éditeur, directeur de la publication, hébergeur et contact du site."))
    add(r.render("territories.md", urls.TERRITORIES, "Territoires",
                 "Les territoires partenaires d'au moins une coopération.", in_nav=True))
    add(r.render("actors.md", urls.ACTORS, "Acteurs",
                 "Les organisations partenaires des coopérations : agences, associations, entreprises, "
                 "établissements publics, services de l'État.", in_nav=True))
    add(r.render("vocabularies.md", urls.VOCABULARIES, "Vocabulaires",
                 "Les familles de termes qui décrivent coopérations et recommandations.", in_nav=True))
    methods = [p for p in content.pages.values() if p.path.startswith("methode/")]
    add(r.render("methods.md", urls.METHODS, "Méthodes", "Des méthodes à appliquer sur son territoire.",
                 in_nav=True, methods=sorted_by(methods, lambda p: p.titre, lambda p: p.path)))

    for name, vocab in graph.vocabularies.items():
        if name not in graph.by_term:
            continue
        add(r.render("vocabulary.md", urls.vocabulary(vocab.path), vocab.plural, vocab.description,
                     vocab_name=name, vocabulary=vocab))
        for term in vocab.terms.values():
            ids = graph.by_term[name].get(term.id, [])
            title = term.page_title or f"{vocab.label} : {term.label}"
            # a long list of cases: LONG_LIST a page, on numbered pages after the term's own
            paged = name not in ("audiences", "axes") and len(ids) > LONG_LIST
            count = -(-len(ids) // LONG_LIST) if paged else 1
            srcs = [urls.numbered(urls.term(vocab.path, term.id), n) for n in range(1, count + 1)]
            for n, src in enumerate(srcs, start=1):
                add(r.render("term.md", src, title if n == 1 else f"{title} (page {n})",
                             term.definition, vocab_name=name, vocabulary=vocab, term=term, ids=ids,
                             id_set=frozenset(ids), page_number=n, page_srcs=srcs,
                             page_ids=ids[(n - 1) * LONG_LIST:n * LONG_LIST] if paged else ids))

    pages.extend(discovery.generate(r))
    if open_data is not None:  # "Données ouvertes": what kb.publish.opendata.page_context describes
        add(r.render("opendata.md", urls.OPEN_DATA_PAGE, "Données ouvertes",
                     "Les coopérations, recommandations et territoires de la base en JSON et CSV, sous "
                     "Licence Ouverte 2.0.", in_nav=True, **open_data))
    pages.extend(freshness.generate(r))  # "Fiches à actualiser"
    return pages
