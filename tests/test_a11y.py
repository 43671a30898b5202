"""Accessibility: axe-core in headless Chromium, zero violations at WCAG 2.1 AA.

axe-core is the pinned npm package (package-lock.json, checked by kb.infra.assets), injected by Playwright
into each page of the fixture site: home, catalogue, a case, a term page, a
territory page, an audience page, the map page (found from the home page's
links) and the accessibility declaration, on a desktop and a phone screen.
Every page's footer links to the declaration (RGAA), whose required parts are
checked too.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from conftest import DATA, FIXTURES, NODE_MODULES, load
from kb.infra import assets

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"ordinateur": {"width": 1280, "height": 900}, "téléphone": {"width": 390, "height": 844}}
DECLARATION = "accessibilite/"


def map_page(site) -> str:
    """URL of the page with the catalogue map, found by following the home page's links."""
    soup = site.soup("")
    for a in soup.select("a[href]"):
        href = a["href"]
        if href.startswith(("#", "http", "mailto:")) or href in (".", "./"):
            continue
        path = site.path(href.split("#")[0])
        if path.exists():
            page = site.soup(href.split("#")[0])
            if page.select_one("article figure.kb-map svg, article svg [data-dep]"):
                return href.split("#")[0]
    raise AssertionError("aucune page de carte trouvée depuis l'accueil")


def pages_to_check(site) -> dict[str, str]:
    content = load(FIXTURES)
    case = sorted(content.cooperations.values(), key=lambda c: c.id)[0]

    themes = DATA.vocabularies["themes"]
    return {
        "accueil": "",
        "catalogue": "cooperations/",
        "fiche": f"cooperations/{case.id}/",
        "terme": f"{themes.path}/{case.themes[0]}/",
        "territoire": f"territoires/{case.territoires[0].key}/",
        "public": "publics/elus/",
        "carte": map_page(site),
        "déclaration": DECLARATION,
        "arrêter / commencer": "arreter-commencer/",
        "glossaire": "glossaire/",
        "contribuer": "contribuer/",
        "mentions légales": "mentions-legales/",
        "page introuvable": "404.html",
    }


@pytest.fixture(scope="module")
def axe_source() -> str:
    return assets.read_text(NODE_MODULES, "axe-core", "axe.min.js")


def run_axe(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    assert result["passes"], "axe n'a rien vérifié"
    return result["violations"]


def _describe(violations) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                     f"{[n['target'] for n in v['nodes'][:5]]}" for v in violations)


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_no_wcag_aa_violation(screen, chromium, fixture_site, served_fixture_site, axe_source):
    context = chromium.new_context(locale="fr-FR", viewport=VIEWPORTS[screen])
    page = context.new_page()
    failures = {}
    try:
        for name, url in pages_to_check(fixture_site).items():
            response = page.goto(served_fixture_site.url + url, wait_until="load")
            assert response and response.ok, url
            violations = run_axe(page, axe_source)
            if violations:
                failures[f"{name} ({url})"] = _describe(violations)
    finally:
        context.close()
    assert failures == {}, "\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_axe_finds_violations(chromium, served_fixture_site, axe_source):
    """The check is live: a page with known faults gets violations."""
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(served_fixture_site.url, wait_until="load")
    page.set_content('<html><body><img src="x.png"><a href="#"></a>'
                     '<p style="color:#aaa;background:#fff">texte pâle</p></body></html>')
    ids = {v["id"] for v in run_axe(page, axe_source)}
    context.close()
    assert {"image-alt", "link-name", "color-contrast", "html-has-lang"} <= ids


def test_every_page_links_to_the_accessibility_declaration(fixture_site):
    pages = [p for p in fixture_site.root.rglob("*.html")
             if p.relative_to(fixture_site.root).parts[0] not in ("admin", "pagefind", "assets")]
    assert len(pages) > 20
    missing = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        footer = html.split('<footer class="md-footer"', 1)[-1] if "md-footer" in html else ""
        link = re.search(r'<a href="([^"]*)">Accessibilité : (non|partiellement|totalement) conforme</a>', footer)
        rel = path.relative_to(fixture_site.root).as_posix()
        if not link or urljoin(f"http://site/{rel}", link.group(1)) not in (
                f"http://site/{DECLARATION}", f"http://site/{DECLARATION}index.html"):
            missing.append(rel)
    assert missing == []
    assert fixture_site.path(DECLARATION).exists()


def test_declaration_states_what_the_rgaa_requires(fixture_site):
    article = fixture_site.main(DECLARATION)
    text = article.get_text(" ", strip=True)
    headings = [h.get_text(" ", strip=True) for h in article.select("h2")]
    for required in ("État de conformité", "Résultats des tests", "Contenus non accessibles",
                     "Établissement de cette déclaration", "Retour d'information et contact",
                     "Voies de recours"):
        assert any(h.startswith(required) for h in headings), required
    assert re.search(r"« (non|partiellement|totalement) conforme »", text)
    for fact in ("axe-core", "Chromium", "WCAG 2.1", "Défenseur des droits", "RGAA"):
        assert fact in text, fact
    # the status in the footer is the one stated in the declaration
    status = re.search(r"« ((?:non|partiellement|totalement) conforme) »", text).group(1)
    assert f"Accessibilité : {status}" in fixture_site.html("")
