"""The real content/ folder: valid, built with --strict and no warning, in our own words."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BuiltSite, ROOT, load
from kb import sitemap as urls
from kb.graph.build import build_graph

CONTENT_DIR = ROOT / "content"
OVERLAP = ROOT.parent / "shared" / "tools" / "source_overlap.py"
CONTENT = load(CONTENT_DIR)


@pytest.fixture(scope="module")
def real_site(content_build) -> BuiltSite:
    """content/ built by `python -m kb build` (MkDocs --strict), once per session (conftest)."""
    return BuiltSite(content_build.site, content_build.warnings)


def test_real_content_is_valid():
    assert [str(p) for p in CONTENT.problems] == []


def test_real_content_builds_strict_without_warnings(real_site):
    assert real_site.warnings == []
    assert len(list((real_site.root / "cooperations").glob("*/index.html"))) == len(CONTENT.cooperations)


@pytest.mark.skipif(not OVERLAP.exists(), reason="../shared/tools/source_overlap.py absent de cette machine")
def test_no_passage_copied_from_the_sources():
    result = subprocess.run([sys.executable, str(OVERLAP), str(CONTENT_DIR)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_case_has_partners_terms_status_and_a_source():
    for coop in CONTENT.cooperations.values():
        assert len(coop.territoires) >= 2 and coop.themes and coop.statut and coop.sources, coop.id


def test_every_recommendation_has_audiences():
    assert all(r.audiences for r in CONTENT.recommendations.values())


def test_stop_start_table_shows_the_pairs_of_the_sources(real_site):
    pairs = {(r.arreter, r.commencer) for r in CONTENT.recommendations.values() if r.arreter}
    from_001 = {(r.arreter, r.commencer) for r in CONTENT.recommendations.values()
                if r.arreter and any(s.document == "passer-a-l-echelle" for s in r.sources)}
    assert len(from_001) >= 5
    table = real_site.main("arreter-commencer/").select_one("table.kb-stop-start")
    rows = {tuple(td.get_text() for td in tr.select("td")[:2]) for tr in table.select("tbody tr")}
    assert rows == pairs


def test_each_source_document_page_lists_what_cites_it(real_site):
    graph = build_graph(CONTENT)
    for did in CONTENT.documents:
        text = real_site.main(urls.page_url(urls.document(did))).get_text()
        cited = graph.citing[did]
        assert cited["cooperations"] or cited["recommandations"], did
        for cid in cited["cooperations"]:
            assert CONTENT.cooperations[cid].titre in text
        for rid in cited["recommandations"]:
            assert CONTENT.recommendations[rid].titre in text


@pytest.mark.parametrize("fragment", ["Brest", "Centre Ouest Bretagne", "Montpellier", "Lacaune", "Toulouse",
                                      "Portes de Gascogne", "Rennes", "Châteaubriant", "Pays de Retz",
                                      "Brière", "Iroise", "Voyage à Nantes", "Pontivy", "Energ'iv", "Mauges",
                                      "Grands Causses", "Albi", "Réolais", "Livradois", "SEPAL", "Narbonn",
                                      "Paris", "Fabrique Prospective"])
def test_cases_named_by_the_issue_exist(fragment):
    assert any(fragment in c.titre or any(fragment in p.nom for p in c.territoires)
               for c in CONTENT.cooperations.values()), fragment


def test_every_cooperation_ends_with_a_takeaway():
    """Issue 23: each fiche's « À retenir » gives the reader something to act on."""
    missing = [c.id for c in CONTENT.cooperations.values() if "\n## À retenir\n" not in f"\n{c.body}\n"]
    assert missing == []


def test_the_first_steps_of_recommendations_are_labelled_as_the_editors_advice(real_site):
    """Issue 23: « Comment commencer » steps are the editors' advice, said once under the heading."""
    with_steps = [r for r in CONTENT.recommendations.values()
                  if any(f"\n{h}\n" in f"\n{r.body}\n" for h in ("## Comment commencer", "## Par où commencer"))]
    assert len(with_steps) >= 40
    for reco in with_steps:
        main = real_site.main(urls.page_url(urls.recommendation(reco.id)))
        heading = next(h for h in main.select("h2") if h.get_text(strip=True).startswith(("Comment commencer", "Par où commencer")))
        label = heading.find_next_sibling()
        assert label.name == "p" and "kb-advice" in label["class"], reco.id
        assert "conseil de la rédaction" in label.get_text() and "documents sources" in label.get_text()
        assert label.find_next_sibling().name in ("ul", "ol", "p"), reco.id  # the steps follow


def test_recommendations_reworded_from_observations_say_so(real_site):
    """Issue 23: the recommendations drawn from sources 002-004 are the editors' reformulation."""
    reworded = {r.id for r in CONTENT.recommendations.values() if r.origin_of("texte")}
    observed = {r.id for r in CONTENT.recommendations.values()
                if not any(s.document == "passer-a-l-echelle" for s in r.sources)}
    assert reworded == observed and len(reworded) == 21
    for reco in CONTENT.recommendations.values():
        notice = real_site.main(urls.page_url(urls.recommendation(reco.id))).select_one(
            'p.kb-origin-notice[data-champ="texte"]')
        assert (notice is not None) == (reco.id in reworded), reco.id
        if notice is not None:
            assert "reformulation de la rédaction" in notice.get_text()


def test_facts_flagged_by_the_editors_show_their_provenance(real_site):
    """Issue 23: porteur, resultats, facteurs_de_reussite, obstacles can carry a provenance flag,
    shown on the page next to the fact like the other flags."""
    flagged = [(c, o) for c in CONTENT.cooperations.values() for o in c.origines
               if o.champ in ("porteur", "resultats", "facteurs_de_reussite", "obstacles")]
    assert {o.champ for _, o in flagged} >= {"facteurs_de_reussite", "obstacles"}
    for coop, o in flagged:
        main = real_site.main(urls.page_url(urls.cooperation(coop.id)))
        shown = main.select_one(f'dl.kb-facts p.kb-origin[data-champ="{o.champ}"]')
        assert shown is not None, (coop.id, o.champ)
        assert o.motif in shown.get_text()
        assert "lecture de la rédaction" in shown.get_text() or o.origine != "redaction"
