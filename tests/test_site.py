"""The generated site, built for real from the fixture content, checked page by page."""
from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import DATA, FIXTURES, load
from kb import sitemap as urls
from kb.graph.build import build_graph

CONTENT = load(FIXTURES)
GRAPH = build_graph(CONTENT)
VOCABS = DATA.vocabularies


def url_of(src: str) -> str:
    return urls.page_url(src)


def links(fragment) -> list[str]:
    return [a["href"] for a in fragment.select("a[href]")]


def resolve(page_url: str, href: str) -> str:
    """Site-relative URL a relative link points to."""
    path = urlparse(href).path
    return posixpath.normpath(posixpath.join("/" + page_url, path)).lstrip("/") + ("/" if path.endswith("/") else "")


def test_strict_build_without_warnings(fixture_site):
    assert fixture_site.warnings == []


def test_content_folder_is_left_untouched(fixture_site):
    generated = {"index.md", "cooperations/index.md", "themes/index.md", "territoires/index.md"}
    assert not any((FIXTURES / g).exists() for g in generated)


def test_site_is_french_without_google_fonts(fixture_site):
    html = fixture_site.html("")
    assert '<html lang="fr"' in html
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_home_page_counts_and_entry_points(fixture_site):
    main = fixture_site.main("")
    counts = {li.get_text(" ", strip=True) for li in main.select(".kb-counts li")}
    ideas = sum(1 for c in CONTENT.cooperations.values() if c.statut == "idee")
    assert f"{len(CONTENT.cooperations) - ideas} coopérations" in counts  # workshop ideas apart
    assert f"{ideas} idée d'atelier" in counts
    assert f"{len(CONTENT.recommendations)} recommandations" in counts
    assert f"{len(GRAPH.territories)} territoires" in counts
    targets = {resolve("", h) for h in links(main)}
    for audience in VOCABS["audiences"].terms:  # every audience page one click away
        assert url_of(urls.term("publics", audience)) in targets


def test_catalogue_lists_every_cooperation(fixture_site):
    main = fixture_site.main("cooperations/")
    rows = main.select("table.kb-coops tbody tr")  # the cases, then the workshop ideas
    assert len(rows) == len(CONTENT.cooperations)
    for cid, coop in CONTENT.cooperations.items():
        row = next(r for r in rows if r.select_one("a").get_text() == coop.titre)
        assert resolve("cooperations/", row.select_one("a")["href"]) == url_of(urls.cooperation(cid))
        assert all(p.nom in row.get_text() for p in coop.territoires)
        assert str(coop.annee or "—") in row.get_text()


def test_recommendation_catalogue_groups_by_axe(fixture_site):
    main = fixture_site.main("recommandations/")
    for rid, reco in CONTENT.recommendations.items():
        heading = main.find("h2", id=reco.axe)
        assert heading is not None
        section_links = heading.find_next("ul").select("a")
        assert reco.titre in [a.get_text() for a in section_links]


@pytest.mark.parametrize("vocab", ["themes", "finalites", "portages", "fonctions", "leviers", "temporalites",
                                   "intensites", "statuts", "regions", "types_territoire", "audiences", "axes"])
def test_every_term_has_a_page_and_the_index_counts(fixture_site, vocab):
    v = VOCABS[vocab]
    index = fixture_site.main(f"{v.path}/")
    rows = index.select("table.kb-terms tbody tr")
    assert len(rows) == len(v.terms)
    for term in v.terms.values():
        ids = GRAPH.by_term[vocab].get(term.id, [])
        row = next(r for r in rows if r.select_one("a").get_text() == term.label)
        assert row.select("td")[-1].get_text().startswith(f"{len(ids)} ")
        page = fixture_site.main(f"{v.path}/{term.id}/")
        assert term.definition in page.get_text()
        listed = {resolve(f"{v.path}/{term.id}/", h) for h in links(page)}
        for rid in ids:
            target = urls.recommendation(rid) if vocab in ("audiences", "axes") else urls.cooperation(rid)
            assert url_of(target) in listed


def test_one_page_per_territory_even_when_names_differ_in_case(fixture_site):
    names = [p.nom for c in CONTENT.cooperations.values() for p in c.territoires]
    assert "Brest métropole" in names and "Brest Métropole" in names  # written two ways in the fixtures
    rows = fixture_site.main("territoires/").select("table.kb-territories tbody tr")
    assert len(rows) == len(GRAPH.territories) == len({urls.territory(p.key) for c in CONTENT.cooperations.values()
                                                       for p in c.territoires})
    brest = GRAPH.territories["brest-metropole"]
    page = fixture_site.main("territoires/brest-metropole/")
    listed = {resolve("territoires/brest-metropole/", h) for h in links(page)}
    assert len(brest.cooperations) == 2
    for cid in brest.cooperations:
        assert url_of(urls.cooperation(cid)) in listed
    for partner in GRAPH.partners_of["brest-metropole"]:
        assert url_of(urls.territory(partner)) in listed


def test_case_page_card_links_terms_territories_and_recommendations(fixture_site):
    coop = CONTENT.cooperations["brest-centre-bretagne"]
    page_url = url_of(urls.cooperation(coop.id))
    main = fixture_site.main(page_url)
    assert main.find("h1").get_text() == coop.titre  # "&" escaped once, shown as "&"
    card = main.select_one(".kb-card")
    card_links = {resolve(page_url, h) for h in links(card)}
    for partner in coop.territoires:
        assert url_of(urls.territory(partner.key)) in card_links
    for vocab in ("themes", "finalites", "portages", "temporalites", "intensites", "fonctions", "leviers", "statuts"):
        for term in coop.terms(vocab):
            assert url_of(urls.term(VOCABS[vocab].path, term)) in card_links
    assert "15 janvier 2026" in card.get_text() and "1er février 2026" in card.get_text()
    all_links = {resolve(page_url, h) for h in links(main)}
    for rid in GRAPH.recos_of[coop.id]:  # own links and reverse links from recommendations
        assert url_of(urls.recommendation(rid)) in all_links
    assert "financer-le-temps-long" in GRAPH.recos_of[coop.id]  # declared on the recommendation side
    near = main.find("h2", id="cooperations-proches").find_next("table")
    assert [a.get_text() for a in near.select("tbody a")] == [CONTENT.cooperations[c].titre for c in GRAPH.related[coop.id]]
    sources = main.find("h2", id="sources").find_next("ul")
    assert "section « Santé »" in sources.get_text()
    assert "https://example.org/contrat.pdf" in links(sources)


def test_idea_is_labelled(fixture_site):
    main = fixture_site.main("cooperations/peage-positif/")
    assert "idée" in main.select_one(".kb-notice").get_text()


def test_recommendation_page_audiences_pair_and_citing_cases(fixture_site):
    reco = CONTENT.recommendations["financer-le-temps-long"]
    page_url = url_of(urls.recommendation(reco.id))
    main = fixture_site.main(page_url)
    facts = main.select_one(".kb-facts").get_text(" ")
    assert reco.arreter in facts and reco.commencer in facts
    assert all(VOCABS["audiences"].label_of(a) in facts for a in reco.audiences)
    listed = {resolve(page_url, h) for h in links(main)}
    assert GRAPH.coops_of[reco.id]
    for cid in GRAPH.coops_of[reco.id]:
        assert url_of(urls.cooperation(cid)) in listed


def test_stop_start_tables(fixture_site):
    pairs = {(r.arreter, r.commencer) for r in CONTENT.recommendations.values() if r.arreter}
    main = fixture_site.main("arreter-commencer/")
    table = main.select_one("table.kb-stop-start")
    rows = {tuple(td.get_text() for td in tr.select("td")[:2]) for tr in table.select("tbody tr")}
    assert rows == pairs
    for audience in VOCABS["audiences"].terms:
        mine = {(r.arreter, r.commencer) for r in CONTENT.recommendations.values()
                if r.arreter and audience in r.audiences}
        page = fixture_site.main(f"publics/{audience}/")
        table = page.select_one("table.kb-stop-start")
        got = set() if table is None else {tuple(td.get_text() for td in tr.select("td")[:2])
                                           for tr in table.select("tbody tr")}
        assert got == mine


def test_audience_page_groups_by_axe(fixture_site):
    main = fixture_site.main("publics/elus/")
    assert main.find("h1").get_text() == "Pour les élus"
    for rid in GRAPH.by_term["audiences"]["elus"]:
        reco = CONTENT.recommendations[rid]
        assert reco.titre in main.find("h2", id=reco.axe).find_next("ul").get_text()


def test_source_document_page_lists_what_cites_it(fixture_site):
    main = fixture_site.main("sources/rapport-essai/")
    text = main.get_text()
    for kind in ("cooperations", "recommandations"):
        for rid in GRAPH.citing["rapport-essai"][kind]:
            record = CONTENT.cooperations.get(rid) if kind == "cooperations" else CONTENT.recommendations[rid]
            assert record.titre in text
    assert "956 gommettes" in text


def test_nav_stays_small(fixture_site):
    nav_links = fixture_site.soup("").select("nav.md-nav--primary a.md-nav__link")
    titles = {a.get_text(strip=True) for a in nav_links}
    assert not any(c.titre in titles for c in CONTENT.cooperations.values())
    assert len(nav_links) < 25


def test_every_internal_link_resolves(fixture_site):
    broken = []
    for html_file in fixture_site.root.rglob("*.html"):
        page_url = html_file.parent.relative_to(fixture_site.root).as_posix() + "/"
        page_url = "" if page_url == "./" else page_url
        main = fixture_site.soup(page_url).select_one("article") if html_file.name == "index.html" else None
        if main is None:
            continue
        for href in links(main):
            parsed = urlparse(href)
            if parsed.scheme or href.startswith("#"):
                continue
            target = fixture_site.root / resolve(page_url, href)
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append((page_url, href))
    assert broken == []
