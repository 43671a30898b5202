"""The site map: every path the build writes, decided here and nowhere else.

Pages are named by their source path ("cooperations/x.md", as a site generator
reads it); files by their path in the built site ("donnees/cooperations.csv").
Every stage asks this module: the checks that keep a content file off a generated
path (kb.content.inventory: ``generated_path_at``), the pages generated
(kb.render), the files published (kb.publish), the search index (kb.search), the
adapters. It imports nothing of the project, so any stage may use it (it stands
outside the layers of the import-linter contract). Relative links between pages
are computed here too (directory URLs).
"""
from __future__ import annotations

import posixpath
from functools import lru_cache


@lru_cache(maxsize=None)
def page_url(src_path: str) -> str:
    """URL of a page from its source path, as MkDocs does with use_directory_urls."""
    stem = src_path[:-3] if src_path.endswith(".md") else src_path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@lru_cache(maxsize=None)
def _parts(url: str) -> tuple[str, ...]:
    return tuple(url.strip("/").split("/")) if url.strip("/") else ()


def relative_url(target_src: str, from_src: str, anchor: str = "") -> str:
    """Link from the page ``from_src`` to the page ``target_src`` (both source paths).

    Directory URLs only, so plain string work (what posixpath.relpath would give,
    several times faster: generated pages hold tens of thousands of links)."""
    target, here = _parts(page_url(target_src)), _parts(page_url(from_src))
    common = 0
    for a, b in zip(target, here):
        if a != b:
            break
        common += 1
    rel = "../" * (len(here) - common) + "".join(part + "/" for part in target[common:])
    return (rel or "./") + (f"#{anchor}" if anchor else "")


def asset_url(asset: str, from_src: str) -> str:
    """Link from a page to a file of the built site (``asset`` relative to the site root)."""
    here = page_url(from_src)
    return posixpath.relpath("/" + asset, "/" + here) if here else asset


# Source paths of the pages every part of the site links to.
HOME = "index.md"
COOPERATIONS = "cooperations/index.md"
RECOMMENDATIONS = "recommandations/index.md"
DOCUMENTS = "sources/index.md"
TERRITORIES = "territoires/index.md"
ACTORS = "acteurs/index.md"
STOP_START = "arreter-commencer.md"
VOCABULARIES = "vocabulaires.md"
METHODS = "methode/index.md"
CONTRIBUTE = "contribuer.md"
GLOSSARY = "glossaire.md"
LEGAL = "mentions-legales.md"
ACCESSIBILITY = "accessibilite.md"


def cooperation(cid: str) -> str:
    return f"cooperations/{cid}.md"


def recommendation(rid: str) -> str:
    return f"recommandations/{rid}.md"


def document(did: str) -> str:
    return f"sources/{did}.md"


def territory(key: str) -> str:
    return f"territoires/{key}.md"


def actor(key: str) -> str:
    return f"acteurs/{key}.md"


def partner(t) -> str | None:
    """Page of a partner: a territory's, an actor's; None for a described partner (no page)."""
    category = getattr(t, "category", "territoire")
    if category == "ensemble":
        return None
    return actor(t.key) if category == "acteur" else territory(t.key)


def vocabulary(vocab_path: str) -> str:
    return f"{vocab_path}/index.md"


def term(vocab_path: str, term_id: str) -> str:
    return f"{vocab_path}/{term_id}.md"


# Discovery pages (kb.render.discovery) and listings.
SEARCH = "rechercher.md"
EXPLORE_COOPERATIONS = "explorer/cooperations.md"
EXPLORE_COOPERATIONS_MAP = "explorer/cooperations/carte.md"  # the explorer's map at scale (kb.render.discovery)
EXPLORE_RECOMMENDATIONS = "explorer/recommandations.md"
EXPLORE = "explorer/index.md"
EXPLORER_ROWS = "explorer/cooperations.json"  # every row of the explorer of cases, loaded by its script
FIGURES = "chiffres.md"
STALE = "a-actualiser.md"  # the maintainers' listing of cases to review (kb.render.freshness)

# Published files (kb.publish): folders and names in the built site.
OPEN_DATA_FOLDER = "donnees"
OPEN_DATA_PAGE = f"{OPEN_DATA_FOLDER}/index.md"
SCHEMA_FOLDER = "schema"
EDITOR_FOLDER = "admin"
SEARCH_BUNDLE = "pagefind"
SEARCH_EQUIVALENCES = f"{SEARCH_BUNDLE}/kb-equivalences.json"  # kb.search.equivalences
MA_COMMUNE_FOLDER = "ma-commune"  # the split index of every commune (kb.render.ma_commune)


def ma_commune_links(departement: str) -> str:
    """The layered answer of « Ma commune » for the communes of one département (kb.render.ma_commune):
    '29' -> 'ma-commune/liens/29.json'."""
    return f"{MA_COMMUNE_FOLDER}/liens/{departement}.json"


MEDIA_FOLDER = "medias"  # the one folder of content/ whose files (images) are published as they are
# Feeds live at the site root: Material's JavaScript fetches "sitemap.xml" next to the
# target of every <link rel="alternate"> (meant for language versions), and only the
# root has one; a feed in a folder would cost a 404 on every page view.
FEED_PREFIX = "flux-"


def schema_file(kind: str) -> str:
    """The JSON Schema of one kind of file in the built site: 'cooperation' -> 'schema/cooperation.json'."""
    return f"{SCHEMA_FOLDER}/{kind}.json"


def feed(name: str, kind: str) -> str:
    """'nouveautes', 'rss' -> 'flux-nouveautes-rss.xml'."""
    return f"{FEED_PREFIX}{name}-{kind}.xml"


# every page announces them (overrides/main.html reads them from config.extra.flux, set by the
# adapter and by the export)
FEEDS = {"new_rss": feed("nouveautes", "rss"), "new_atom": feed("nouveautes", "atom"),
         "revised_rss": feed("revisions", "rss"), "revised_atom": feed("revisions", "atom")}

NOT_FOUND = "404.md"  # the theme's 404.html
NOT_FOUND_FILE = "404.html"  # what the theme writes for it (at the site root, not a directory URL)


def numbered(first: str, number: int) -> str:
    """Source path of page ``number`` of a long list whose first page is ``first``:
    'cooperations/index.md', 3 -> 'cooperations/page-3.md'; 'themes/energie.md', 2 ->
    'themes/energie/page-2.md'; page 1 is ``first`` itself."""
    if number == 1:
        return first
    folder = first[: -len("index.md")] if first.endswith("/index.md") else first[: -len(".md")] + "/"
    return f"{folder}page-{number}.md"


# Content files that may not exist: their path is a generated page's (the checks say so).
RESERVED_SOURCES = frozenset({HOME, COOPERATIONS, RECOMMENDATIONS, DOCUMENTS})

# --- Paths that only the build writes ----------------------------------------------
# A content file may not land on them: it would replace (or be replaced by) a generated
# page, the theme's assets or a generated file. kb.content.inventory refuses such files;
# tests/test_security.py checks that every page the generator writes is covered here.
# Folders written whole by the build or the theme: theme assets (overrides/assets and
# Material's), Pagefind's bundle, open data, editor, schemas, territory and explorer pages.
GENERATED_FOLDERS = ("assets", SEARCH_BUNDLE, "search", OPEN_DATA_FOLDER, EDITOR_FOLDER, SCHEMA_FOLDER,
                     "territoires", "acteurs", "explorer", MA_COMMUNE_FOLDER)
GENERATED_PAGES = (HOME, COOPERATIONS, RECOMMENDATIONS, DOCUMENTS, TERRITORIES, STOP_START,
                   VOCABULARIES, METHODS, SEARCH, FIGURES, STALE, NOT_FOUND, CONTRIBUTE, GLOSSARY, LEGAL,
                   ACTORS, EXPLORE)
# generated files at the root of the site (feeds; sitemap: MkDocs)
GENERATED_ROOT_FILES = (f"{FEED_PREFIX}*.xml", "sitemap.xml", "sitemap.xml.gz", NOT_FOUND_FILE, "index.html")


def generated_path_at(src_path: str, vocabulary_folders=()) -> str | None:
    """The generated page or folder that the content file ``src_path`` (relative to content/)
    would land on, or None. Compared by URL, case-insensitively (``Cooperations.md`` and
    ``cooperations/index.md`` are one page on a case-insensitive disk)."""
    url = page_url(src_path).casefold() if src_path.endswith(".md") else src_path.casefold()
    first = url.split("/", 1)[0]
    for folder in (*GENERATED_FOLDERS, *vocabulary_folders):
        if first == folder.casefold():
            return f"{folder}/"
    for page in GENERATED_PAGES:
        if url == page_url(page).casefold():
            return page
    return None
