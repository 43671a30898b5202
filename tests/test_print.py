"""A case prints as a clean A4 fiche: printed to PDF by headless Chromium, read back with pypdf."""
from __future__ import annotations

import io
import re
from urllib.parse import urljoin

import pytest
import yaml
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, load
from kb.graph.build import build_graph

GRAPH = build_graph(load(FIXTURES))
A4 = (595.3, 841.9)  # points


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _body_marker(coop) -> str:
    """The start of the last line of the case's own text, without Markdown marks."""
    return _squash(re.sub(r"[*_#`>]", "", coop.body.strip().splitlines()[-1]))[:30]


def _nav_labels() -> list[str]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return [next(iter(item)) for item in config["nav"]]


def _case_with_external_source():
    for coop in GRAPH.cooperations.values():
        urls = [s.url for s in coop.sources if s.url]
        if urls and GRAPH.related.get(coop.id):
            return coop, urls
    pytest.fail("the fixtures need a case citing an external URL, with related cases")


@pytest.fixture(scope="module")
def printed(fixture_site, served_fixture_site, chromium):
    coop, urls = _case_with_external_source()
    page = chromium.new_page()
    page.goto(urljoin(served_fixture_site.url, f"cooperations/{coop.id}/"))
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", print_background=False)
    page.close()
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    main_text = fixture_site.main(f"cooperations/{coop.id}/").get_text(" ")
    return coop, urls, reader, text, main_text


def test_pages_are_a4(printed):
    _, _, reader, _, _ = printed
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2


def test_title_partners_and_families_come_first(printed):
    coop, _, _, text, _ = printed
    flat = _squash(text)
    assert flat.startswith(_squash(coop.titre)), flat[:200]
    positions = [flat.find(_squash(p.nom)) for p in coop.territoires]
    assert all(pos > 0 for pos in positions), [p.nom for p in coop.territoires]
    body_start = flat.find(_body_marker(coop))
    themes = [GRAPH.vocabularies["themes"].label_of(t) for t in coop.themes]
    assert all(0 < flat.find(_squash(t)) for t in themes)
    assert max(positions) < body_start


def test_no_navigation_no_search(printed):
    _, _, _, text, main_text = printed
    absent = [label for label in _nav_labels() if label not in main_text]
    assert len(absent) >= 4, absent
    for label in absent:
        assert label not in text, label
    assert "Rechercher" not in text
    assert "Coopérations proches" not in text  # on-screen navigation between cases


def test_link_addresses_are_printed_and_sources_come_last(printed):
    coop, urls, _, text, _ = printed
    flat = _squash(text)
    for url in urls:
        assert _squash(url) in flat, url
    sources_at = flat.rfind("Sources")
    assert sources_at > 0
    after = flat[sources_at:]
    for url in urls:
        assert _squash(url) in after
    assert 0 < flat.find(_body_marker(coop)) < sources_at


def test_print_button_and_what_the_printed_fiche_keeps(served_fixture_site, chromium):
    """« Imprimer cette fiche » opens the browser's print dialog; printed on A4, the fiche keeps
    its partners, its map and its sources, without the on-screen ways to take part."""
    coop = next(c for c in GRAPH.cooperations.values() if c.territoires)
    page = chromium.new_page()
    page.add_init_script("window.print = () => { window.kbPrinted = (window.kbPrinted || 0) + 1; };")
    page.goto(urljoin(served_fixture_site.url, f"cooperations/{coop.id}/"))
    button = page.get_by_role("button", name="Imprimer cette fiche")
    button.click()
    assert page.evaluate("window.kbPrinted") == 1
    page.emulate_media(media="print")
    shown = page.evaluate("""() => {
        const visible = s => [...document.querySelectorAll(s)].some(e => e.getBoundingClientRect().height > 0);
        return {partners: visible('.kb-partners li'), map: visible('figure.kb-map svg'),
                sources: visible('ul.kb-sources li'), button: visible('.kb-print-button'),
                takePart: visible('.kb-take-part')}; }""")
    page.close()
    assert shown == {"partners": True, "map": True, "sources": True, "button": False, "takePart": False}


def test_a_printed_fiche_says_where_and_when_it_comes_from(fixture_site, served_fixture_site, chromium):
    """Issue 21: the sheet carries the site's name, the page's address and the date of the
    version printed; not the on-screen invitation « vous la connaissez ? » nor the address
    of the repository's issue form."""
    coop = next(c for c in GRAPH.cooperations.values() if not (c.porteur and c.financements and c.resultats))
    address = urljoin(served_fixture_site.url, f"cooperations/{coop.id}/")
    assert "vous la connaissez ?" in fixture_site.main(f"cooperations/{coop.id}/").get_text()
    page = chromium.new_page()
    page.goto(address)
    page.wait_for_load_state("networkidle")
    flat = _squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages))
    page.close()
    assert _squash("Coopérations territoriales") in flat
    assert _squash(address) in flat
    assert re.search(r"versiondusitedu[123]?\d(er)?(janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                     r"octobre|novembre|décembre)20\d\d", flat), flat[-400:]
    assert "vouslaconnaissez" not in flat.lower()
    assert "/issues/new" not in flat


def test_the_colophon_is_for_print_only(served_fixture_site, chromium):
    coop = next(iter(GRAPH.cooperations.values()))
    page = chromium.new_page()
    page.goto(urljoin(served_fixture_site.url, f"cooperations/{coop.id}/"))
    assert page.locator(".kb-colophon").is_hidden()
    page.emulate_media(media="print")
    assert page.locator(".kb-colophon").is_visible()
    page.close()
