"""Where each page lives, and relative links between pages (directory URLs)."""
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
