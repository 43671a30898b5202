"""Freshness of the cases: added / reviewed "il y a …", the "à actualiser" badge and listing,
and a reference day that makes builds reproducible (SOURCE_DATE_EPOCH)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bs4 import BeautifulSoup

from conftest import FIXTURES, NODE_MODULES, ROOT, load
from kb.render import freshness
from kb.render.pages import french_date
from kb.render.freshness import Freshness, ago, last_review, months_between
from kb.infra.settings import Settings
from kb.graph.build import build_graph
from kb.render.pages import generate_pages

CONTENT = load(FIXTURES)
GRAPH = build_graph(CONTENT)
RECORDS = list(GRAPH.cooperations.values()) + list(GRAPH.recommendations.values())


def epoch(day: date) -> str:
    return str(int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc).timestamp()))


def build_date(environ=None) -> date:
    """The build date the settings take from an environment (the real one by default)."""
    return Settings.from_environment(ROOT, environ).build_date


def test_build_date_comes_from_source_date_epoch(tmp_path):
    assert build_date({"SOURCE_DATE_EPOCH": epoch(date(2027, 3, 4))}) == date(2027, 3, 4)
    # empty, invalid or 0 (the Makefile's value outside a git clone): the real date
    for env in ({"SOURCE_DATE_EPOCH": "abc"}, {"SOURCE_DATE_EPOCH": "0"}):
        assert build_date(env) == date.today()
    # unset: the last commit's date (here, outside a clone: the real date)
    assert Settings.from_environment(tmp_path, {}).build_date == date.today()


def test_relative_dates_in_french():
    today = date(2026, 11, 22)
    assert ago("2026-11-22", today) == "aujourd'hui"
    assert ago("2026-11-23", today) == "aujourd'hui"  # a date after the build day is not "in the future"
    assert ago("2026-11-21", today) == "hier"
    assert ago("2026-11-02", today) == "il y a 20 jours"
    assert ago("2026-03-22", today) == "il y a 8 mois"
    assert ago("2026-03-23", today) == "il y a 7 mois"
    assert ago("2025-11-22", today) == "il y a 1 an"
    assert ago("2024-09-01", today) == "il y a 2 ans et 2 mois"
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 0


def test_stale_after_twelve_months_without_review():
    today = date(2026, 11, 22)
    fresh = Freshness(today)

    class R:  # a record: date_revue wins over date_ajout
        kind, id = "cooperation", "x"

        def __init__(self, ajout, revue=None):
            self.date_ajout, self.date_revue = ajout, revue

    assert not fresh.is_stale(R("2025-11-23"))
    assert fresh.is_stale(R("2025-11-22"))
    assert not fresh.is_stale(R("2020-01-01", "2026-01-01"))
    assert fresh.is_stale(R("2020-01-01", "2025-10-01"))


def _reference_day() -> date:
    """A build day from the fixture data: 200 days after the newest addition or review, so
    that recent cases are fresh and the one reviewed years ago is stale."""
    days = sorted(date.fromisoformat(last_review(r)) for r in RECORDS)
    return days[-1] + timedelta(days=200)


def test_case_pages_show_freshness_and_badge_for_a_given_build_day():
    today = _reference_day()
    fresh = Freshness(today)
    stale = {r.id for r in GRAPH.cooperations.values() if fresh.is_stale(r)}
    assert stale and stale != set(GRAPH.cooperations), "fixtures need stale and fresh cases"
    pages = {p.path: p for p in generate_pages(GRAPH, today=today, node_modules=NODE_MODULES)}
    for cid, coop in GRAPH.cooperations.items():
        soup = BeautifulSoup(pages[f"cooperations/{cid}.md"].markdown, "lxml")
        card = soup.select_one("dd.kb-freshness")
        line = card.get_text(" ", strip=True)
        # absolute dates on the page; "il y a…" is computed by the browser (issue 14)
        assert f"ajoutée le {french_date(coop.date_ajout)}" in line
        assert (f"revue le {french_date(coop.date_revue)}" if coop.date_revue else "pas encore revue") in line
        assert "il y a" not in line and "aujourd'hui" not in line
        assert card.select_one("time[data-kb-ago]")["datetime"] == (coop.date_revue or coop.date_ajout)
        # the badge in the card and the notice above it (not those of related cases)
        assert bool(soup.select("dd.kb-freshness .kb-badge--stale")) == (cid in stale), cid
        assert bool(soup.select("p.kb-stale .kb-badge--stale")) == (cid in stale), cid
    listing = BeautifulSoup(pages[freshness.PAGE].markdown, "lxml")
    listed = [tr["data-id"] for tr in listing.select("table.kb-stale tbody tr")]
    assert listed == [r.id for r in fresh.stale(RECORDS)]
    assert set(listed) >= stale


def test_built_site_uses_the_build_day(fixture_site):
    """The fixture site was built with today's environment (SOURCE_DATE_EPOCH under make)."""
    fresh = Freshness(build_date())
    stale = fresh.stale(RECORDS)
    assert stale, "the fixtures include a case last reviewed years ago"
    for coop in GRAPH.cooperations.values():
        main = fixture_site.main(f"cooperations/{coop.id}/")
        has_badge = bool(main.select("dd.kb-freshness .kb-badge--stale"))
        assert bool(main.select("p.kb-stale")) == has_badge
        assert has_badge == fresh.is_stale(coop), coop.id
        if has_badge:
            link = main.select_one("dd.kb-freshness a.kb-badge--stale")
            assert link["href"].endswith("a-actualiser/")
    listing = fixture_site.main("a-actualiser/")
    assert [tr["data-id"] for tr in listing.select("table.kb-stale tbody tr")] == [r.id for r in stale]
    catalogue = fixture_site.main("cooperations/")
    badges = catalogue.select("table.kb-coops td .kb-badge--stale")
    assert len(badges) == len([c for c in GRAPH.cooperations.values() if fresh.is_stale(c)])
