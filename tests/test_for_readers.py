"""What a reader sees on the built fixture site (issue 14): French alphabetical order,
honest dates and plurals, ways to take part, the French 404 page, words explained."""
from __future__ import annotations

import pytest

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
