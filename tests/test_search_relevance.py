"""Search that finds cases first, on the real content and Pagefind's real index, through the
« Rechercher » page in Chromium: the public relevance set (tests/search_relevance.yml), the
fallback when no page holds every word, equivalences, excerpts that never glue words, and
results that say what they are."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import yaml

from kb.infra.localsite import LocalServer
from kb.search import index as search

RELEVANCE = yaml.safe_load((Path(__file__).parent / "search_relevance.yml").read_text(encoding="utf-8"))
KINDS = {"Coopération", "Recommandation", "Territoire", "Acteur", "Document source", "Méthode", "Public", "Page"}


@pytest.fixture(scope="module")
def search_page(content_build, chromium):
    with LocalServer(content_build.site) as server:
        context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.base_url = server.url
        yield page
        context.close()
        assert errors == []


def ask(page, query: str) -> dict:
    page.goto(page.base_url + "rechercher/?q=" + quote(query))
    page.wait_for_function("q => { const r = document.querySelector('[data-kb-search]');"
                           " return r.dataset.kbQuery === q && r.dataset.kbState === 'done'; }", arg=query)
    items = page.locator(".kb-search__result")
    return {
        "status": page.locator("[data-kb-search-status]").inner_text(),
        "urls": [urlparse(a.get_attribute("href")).path.strip("/") for a in page.locator(".kb-search__result > a").all()],
        "kinds": [i.locator(".kb-search__type").inner_text() for i in items.all()],
        "excerpts": [e.inner_text() for e in page.locator(".kb-search__excerpt").all()],
        "missing": [m.inner_text() for m in page.locator(".kb-search__missing").all()],
    }


def typed(page, query: str) -> list[str]:
    """The result addresses after a reader types ``query`` into the search box of the page
    already open (the page and its index stay loaded, as for a reader trying query after query)."""
    page.fill("#kb-search-q", query)
    page.wait_for_function("q => { const r = document.querySelector('[data-kb-search]');"
                           " return r.dataset.kbQuery === q && r.dataset.kbState === 'done'; }", arg=query)
    return [urlparse(a.get_attribute("href")).path.strip("/") for a in page.locator(".kb-search__result > a").all()]


def test_the_relevance_set_passes_at_80_percent(search_page):
    assert len(RELEVANCE) >= 20
    queries = [case["requete"] for case in RELEVANCE]
    assert len(set(queries)) == len(queries)  # each query changes the box: its own results are waited for
    search_page.goto(search_page.base_url + "rechercher/")
    failed = []
    for case in RELEVANCE:
        top = typed(search_page, case["requete"])[:3]
        if not set(case["attendues"]) <= set(top):
            failed.append((case["requete"], top))
    passed = len(RELEVANCE) - len(failed)
    assert passed / len(RELEVANCE) >= 0.8, failed


def test_a_query_whose_words_no_page_holds_together_shows_the_closest_pages(search_page):
    """« télémédecine viande » : no page holds both; the pages that hold one are shown, said as such."""
    answer = ask(search_page, "télémédecine viande")
    assert "Aucune page ne contient tous les mots" in answer["status"] and "(1 sur 2)" in answer["status"]
    assert "cooperations/telemedecine-le-mans-sarthe" in answer["urls"]
    assert "cooperations/label-viande-de-briere" in answer["urls"]
    assert answer["missing"] and all(m.startswith("Ne contient pas") for m in answer["missing"])


def test_equivalences_reach_the_words_of_the_fiches_and_say_so(search_page):
    answer = ask(search_page, "cantine")
    assert "Aucun résultat" not in answer["status"]
    assert "restauration collective" in answer["status"]  # the reader is told the search was widened
    assert any("restauration collective" in e.lower() for e in answer["excerpts"])


def test_each_result_says_what_it_is(search_page):
    answer = ask(search_page, "Brest")
    assert answer["kinds"] and set(answer["kinds"]) <= KINDS
    assert {"Coopération", "Territoire"} <= set(answer["kinds"])


def test_excerpts_never_glue_words_across_elements(search_page):
    answer = ask(search_page, "Finistère")
    assert answer["excerpts"]
    glued = [e for e in answer["excerpts"] if re.search(r"[a-zàâçéèêëîïôûù]Finistère|\)[A-ZÉ]", e)]
    assert glued == []


def test_block_ends_get_a_space_in_the_indexed_copy():
    assert search.spaced("<dt>Département</dt><dd>Finistère (29)</dd>") == \
        "<dt>Département</dt> <dd>Finistère (29)</dd> "
