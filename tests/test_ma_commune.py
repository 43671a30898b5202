"""« Ma commune » (kb/render/ma_commune.py + kb-commune.js), on the built fixture site,
in Chromium: any commune, found accent- and hyphen-insensitively, leads to the cases that
concern it with the path; a lookup transfers at most 100 KB; ARIA combobox."""
from __future__ import annotations

import json

import pytest

MAX_BYTES = 100_000


@pytest.fixture
def commune_page(watched_page):
    sizes: dict[str, int] = {}

    def record(response):
        if "/ma-commune/" in response.url:
            sizes[response.url] = len(response.body())

    watched_page.page.on("response", record)
    watched_page.sizes = sizes
    return watched_page


def _type(page, text):
    box = page.get_by_role("combobox", name="Nom de la commune")
    box.fill("")
    box.press_sequentially(text, delay=20)
    return box


def test_carhaix_leads_to_the_brest_cob_contract(commune_page):
    page = commune_page.page
    page.goto(commune_page.url + "/")
    box = _type(page, "Carhaix")
    option = page.get_by_role("option", name="Carhaix-Plouguer (29)")
    option.wait_for(timeout=15000)
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    result = page.locator("[data-kb-commune-result]").first
    link = result.get_by_role("link", name="Contrat de réciprocité Brest & Centre Bretagne")
    link.wait_for(timeout=15000)
    assert "via CC Poher Communauté, membre du Pays du Centre Ouest Bretagne" in result.inner_text()
    assert link.get_attribute("href").endswith("cooperations/brest-centre-bretagne/")
    assert sum(commune_page.sizes.values()) <= MAX_BYTES, commune_page.sizes
    assert commune_page.foreign_requests() == [] and commune_page.console_errors == []


@pytest.mark.parametrize("typed, expected", [("st die", "Saint-Dié-des-Vosges (88)"),
                                             ("SAINT DIE", "Saint-Dié-des-Vosges (88)"),
                                             ("annecy le vieux", "Annecy-le-Vieux (Annecy) (74)")])
def test_names_are_found_without_accents_or_hyphens(commune_page, typed, expected):
    page = commune_page.page
    page.goto(commune_page.url + "/explorer/cooperations/")
    _type(page, typed)
    page.get_by_role("option", name=expected).wait_for(timeout=15000)
    assert sum(commune_page.sizes.values()) <= MAX_BYTES


def test_a_commune_of_a_partner_epci_and_one_concerned_by_nothing(commune_page):
    page = commune_page.page
    page.goto(commune_page.url + "/")
    box = _type(page, "Lacaune")
    page.get_by_role("option", name="Lacaune (81)").wait_for(timeout=15000)
    box.press("Enter")
    result = page.locator("[data-kb-commune-result]").first
    result.get_by_text("via CC du Haut-Languedoc").wait_for(timeout=15000)
    box = _type(page, "Ajaccio")
    page.get_by_role("option", name="Ajaccio (2A)").wait_for(timeout=15000)
    box.press("Enter")
    result.get_by_text("Aucune coopération de la base ne concerne encore Ajaccio").wait_for(timeout=15000)


def test_every_shard_is_small_and_every_commune_is_in_one(fixture_site):
    folder = fixture_site.root / "ma-commune"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    total = 0
    for name in manifest["shards"].values():
        size = (folder / name).stat().st_size
        assert size + (folder / "index.json").stat().st_size + (folder / "liens.json").stat().st_size <= MAX_BYTES
        total += len(json.loads((folder / name).read_text(encoding="utf-8")))
    assert total > 34_000
