"""What a reader sees on the built fixture site (issue 14): French alphabetical order,
honest dates and plurals, ways to take part, the French 404 page, words explained."""
from __future__ import annotations

import pytest

from conftest import ROOT, FIXTURES, load
from kb.graph.build import build_graph

GRAPH = build_graph(load(FIXTURES))

from kb.graph.collation import sort_key, sorted_by


def test_french_collation_ignores_case_accents_and_punctuation():
    words = ["Forêt", "Énergie", "Eau", "La Rochelle", "L'Albigeois", "Lac", "« Cartes sur table »",
             "Conseil", "Alliance", "Deux projets", "Agence", "lac"]
    assert sorted_by(words) == ["Agence", "Alliance", "« Cartes sur table »", "Conseil", "Deux projets",
                                "Eau", "Énergie", "Forêt", "lac", "Lac", "L'Albigeois", "La Rochelle"]
    assert sort_key("Énergie") < sort_key("energies")


def test_catalogue_is_in_french_alphabetical_order(fixture_site):
    for url in ("cooperations/", "explorer/cooperations/"):
        rows = fixture_site.main(url).select("table.kb-coops tbody tr")
        titles = [row.select_one("a").get_text(strip=True) for row in rows]
        assert len(titles) == 4
        assert titles == sorted(titles, key=sort_key), url


# --- Every built page -------------------------------------------------------------------

def built_pages(site):
    for path in sorted(site.root.rglob("*.html")):
        rel = path.relative_to(site.root).as_posix()
        if not rel.startswith(("pagefind/", "admin/")):
            yield rel, path.read_text(encoding="utf-8")


def test_no_hedged_plural_nor_frozen_relative_date_in_any_page(fixture_site):
    from bs4 import BeautifulSoup

    for rel, html in built_pages(fixture_site):
        soup = BeautifulSoup(html, "lxml")
        assert "(s)" not in soup.get_text(" "), rel
        # generated dates (the bodies of the fiches are the authors' words)
        for part in soup.select(".kb-freshness, .kb-stale, table, .kb-meta"):
            text = part.get_text(" ")
            assert "il y a " not in text and "aujourd" not in text, rel


def test_no_file_or_folder_name_on_public_pages(fixture_site):
    from bs4 import BeautifulSoup

    for rel, html in built_pages(fixture_site):
        main = BeautifulSoup(html, "lxml").select_one("article")
        if main is None or rel.startswith("donnees/"):  # the open data page names its downloads
            continue
        text = main.get_text(" ")
        for word in ("content/", "data/", ".yml", "CONTRIBUTING.md", "date_revue"):
            assert word not in text, (rel, word)


REPO = "https://github.com/a-configurer/cooperations-territoriales"


def test_every_proposez_la_is_a_link_to_the_issue_form(fixture_site):
    found = 0
    for rid in GRAPH.recommendations:
        main = fixture_site.main(f"recommandations/{rid}/")
        for a in main.find_all("a", string="Proposez-la"):
            found += 1
            assert a["href"].startswith(REPO + "/issues/new?") and "template=proposer-une-cooperation.yml" in a["href"]
            assert f"recommandations={rid}" in a["href"]  # the form's field, read back by kb.intake
        assert "Proposez-la" not in main.get_text().replace("Proposez-la.", "", found and 1 or 0) or found
    assert found, "the fixtures have a recommendation no case illustrates"


def test_each_fiche_links_to_its_file_and_a_prefilled_issue(fixture_site):
    from urllib.parse import parse_qs, urlparse

    for cid, coop in GRAPH.cooperations.items():
        aside = fixture_site.main(f"cooperations/{cid}/").select_one("aside.kb-take-part")
        links = {a.get_text(strip=True): a["href"] for a in aside.select("a")}
        change = urlparse(links["Proposer une modification"])
        assert f"{change.scheme}://{change.netloc}{change.path}" == f"{REPO}/issues/new"
        assert parse_qs(change.query)["template"] == ["completer-une-fiche.yml"]
        assert parse_qs(change.query)["fiche"] == [cid]  # the form « Compléter une fiche », prefilled
        report = urlparse(links["Signaler une erreur"])
        assert report.path.endswith("/issues/new") and coop.titre in parse_qs(report.query)["title"][0]
        assert f"cooperations/{cid}/" in parse_qs(report.query)["body"][0]


def test_footer_links_legal_notice_accessibility_and_contributing(fixture_site):
    for url in ("", "cooperations/", f"cooperations/{next(iter(GRAPH.cooperations))}/"):
        footer = fixture_site.soup(url).select_one("footer .kb-footer-links")
        texts = [a.get_text(strip=True) for a in footer.select("a")]
        assert "Mentions légales" in texts and "Contribuer" in texts
        assert any(t.startswith("Accessibilité") for t in texts)
    legal = fixture_site.main("mentions-legales/").get_text(" ")
    for part in ("Éditeur", "Directeur ou directrice de la publication", "Hébergement", "Contact", "GitHub Pages"):
        assert part in legal
    contribute = fixture_site.main("contribuer/")
    hrefs = [a["href"] for a in contribute.select("a[href]")]
    assert f"{REPO}/blob/main/CONTRIBUTING.md" in hrefs
    assert any(h.endswith("admin/") for h in hrefs)
    assert any(h.startswith(REPO + "/issues/new") for h in hrefs)


def test_sources_are_grouped_by_document(fixture_site):
    for cid, coop in GRAPH.cooperations.items():
        items = fixture_site.main(f"cooperations/{cid}/").select("ul.kb-sources > li")
        documents = {s.document or s.reference or s.titre for s in coop.sources}
        assert len(items) == len(documents), cid


def test_source_groups_list_each_document_once_with_its_sections():
    from kb.content.model import SourceRef

    doc = next(iter(GRAPH.content.documents))
    sources = [SourceRef(document=doc, section="A"), SourceRef(titre="Article", editeur="Journal"),
               SourceRef(document=doc, section="B"), SourceRef(document=doc, section="A"),
               SourceRef(titre="Article", editeur="Journal", url="https://exemple.fr/a")]
    groups = GRAPH.source_groups(sources)
    assert [(first.document or first.titre, [(d.section, d.url) for d in details]) for first, details in groups] == [
        (doc, [("A", None), ("B", None)]), ("Article", [(None, "https://exemple.fr/a")])]


def test_facet_values_by_count_then_label(fixture_site):
    main = fixture_site.main("explorer/cooperations/")
    for fieldset in main.select("fieldset.kb-facet"):
        if fieldset["data-facet"] == "annee":
            continue
        values = [(int(li.select_one("[data-kb-count]").get_text().strip("()")),
                   li.label.get_text(" ", strip=True).rsplit(" (", 1)[0]) for li in fieldset.select("li")]
        assert values == sorted(values, key=lambda v: (-v[0], sort_key(v[1]))), fieldset["data-facet"]
    assert main.select_one('a[href="#kb-resultats"]') and main.select_one("#kb-resultats")


def test_explorer_has_an_index_page(fixture_site):
    links = [a["href"] for a in fixture_site.main("explorer/").select("a[href]")]
    assert "cooperations/" in links and "recommandations/" in links


def test_explorer_and_search_share_one_module_without_window_globals(fixture_site):
    import re

    scripts = fixture_site.root / "assets" / "javascripts"
    for name in ("kb-explorer.js", "kb-search.js", "kb-page.js"):
        source = (scripts / name).read_text(encoding="utf-8")
        assert re.search(r'^import \{[^}]+\}\s+from "\./kb-common\.js";$', source, re.M), name
        assert not re.search(r"window\.kb\w*\s*=", source) and "window.kbFold" not in source, name
    common = (scripts / "kb-common.js").read_text(encoding="utf-8")
    for helper in ("fold", "debounce", "latest", "readUrlState", "writeUrlState", "pagefind"):
        assert re.search(rf"^export (function|const) {helper}\b", common, re.M), helper
    tags = {s["src"].rsplit("/", 1)[-1]: s.get("type") for s in fixture_site.soup("").select("script[src]")
            if "/javascripts/kb-" in s["src"]}
    assert tags["kb-explorer.js"] == tags["kb-search.js"] == tags["kb-page.js"] == "module"


def _glossary():
    from kb.render import glossary

    return glossary.load(ROOT / "data" / glossary.FILE)


GLOSSARY = _glossary()


def test_acronyms_are_explained_at_their_first_use_only():
    from kb.render.glossary import explain_first_uses

    entries = GLOSSARY
    assert {"CLER", "PAT", "PLUi", "SCoT", "PETR", "DGS", "EPCI", "SEM", "PCAET", "ALEC", "PNR"} <= {
        e.sigle for e in entries}
    page = ('<h1>Le PAT</h1><p>Un PAT porté par un PETR <code>PAT</code>.</p>'
            '<table><tr><td><a href="../pat/">PAT</a> et le SCoT, PATRIMOINE, SEM-x</td></tr></table>')
    out = explain_first_uses(page, entries)
    assert out.count("<abbr") == 3  # PAT, PETR, SCoT: each once
    assert out.startswith('<h1>Le <abbr title="Projet alimentaire territorial">PAT</abbr></h1>')
    assert "<code>PAT</code>" in out and 'href="../pat/"' in out and "PATRIMOINE" in out
    hostile = (GLOSSARY[0].__class__("X", '"><script>alert(1)</script>'),)
    assert "<script>" not in explain_first_uses("<p>X</p>", hostile)


def test_glossary_page(fixture_site):
    main = fixture_site.main("glossaire/")
    terms = [dt.get_text(strip=True) for dt in main.select("dl.kb-glossary dt")]
    assert terms == [e.sigle for e in GLOSSARY] and "EPCI" in terms
    assert main.select_one("dt abbr[title]") is not None


def test_audience_briefing_opens_with_what_matters_most(fixture_site):
    audience = next(a for a, ids in GRAPH.terms_of("audiences") if ids)
    main = fixture_site.main(f"publics/{audience}/")
    headings = [h.get("id") for h in main.select("h2")]
    assert headings[:2] == ["essentiel", "par-ou-commencer"]
    key = GRAPH.key_recommendations(audience)
    assert 0 < len(key) <= 3
    assert [li.a.get_text() for li in main.select("ul.kb-key-recos > li")] == [
        GRAPH.recommendations[r].titre for r in key]
    # then every recommendation under its axis, with the cases that illustrate it
    for rid in GRAPH.by_term["audiences"][audience]:
        item = next(li for li in main.select("ul.kb-recos > li") if li.a.get_text() == GRAPH.recommendations[rid].titre)
        for cid in GRAPH.coops_of.get(rid, []):
            assert GRAPH.cooperations[cid].titre in item.get_text()


def test_theme_pages_show_the_recommendations_of_their_cases(fixture_site):
    checked = 0
    for theme, ids in GRAPH.terms_of("themes"):
        expected = GRAPH.recommendations_illustrated_by(ids)
        if not ids:
            continue
        main = fixture_site.main(f"themes/{theme}/")
        shown = [li.a.get_text() for li in main.select("ul.kb-recos > li")]
        assert shown == [GRAPH.recommendations[r].titre for r in expected], theme
        checked += bool(expected)
    assert checked


def test_workshop_ideas_are_listed_apart_and_not_counted(fixture_site):
    ideas = [c for c in GRAPH.cooperations.values() if c.statut == "idee"]
    assert ideas
    main = fixture_site.main("cooperations/")
    tables = main.select("table.kb-coops")
    assert len(tables) == 2
    first = [a.get_text() for a in tables[0].select("tbody tr td:first-child a")]
    second = [a.get_text() for a in tables[1].select("tbody tr td:first-child a")]
    assert second == [c.titre for c in ideas] and not set(first) & set(second)
    assert main.select_one("h2#idees") is not None
    assert main.p.get_text().startswith(f"{len(GRAPH.cooperations) - len(ideas)} coopérations")
