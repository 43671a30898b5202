"""How fresh a case is: build date, "revue il y a 8 mois", the "à actualiser" mark.

The reference "today" makes builds reproducible: it is the build date of the
settings (kb.infra.settings: SOURCE_DATE_EPOCH, else the last commit's date). A case is "à actualiser" when its last review (date_revue,
or date_ajout if it was never reviewed) is STALE_MONTHS months old or more.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STALE_MONTHS = 12
from ..sitemap import STALE as PAGE  # the maintainers' listing


def parse_date(iso: str | date) -> date:
    return iso if isinstance(iso, date) else date.fromisoformat(str(iso))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when end is not later)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def ago(iso: str | date, today: date) -> str:
    """'aujourd'hui', 'hier', 'il y a 12 jours', 'il y a 8 mois', 'il y a 1 an et 2 mois'."""
    day = parse_date(iso)
    days = (today - day).days
    if days <= 0:
        return "aujourd'hui"
    if days == 1:
        return "hier"
    months = months_between(day, today)
    if months == 0:
        return f"il y a {days} jours"
    if months < 12:
        return f"il y a {months} mois"
    years, rest = divmod(months, 12)
    text = f"il y a {years} an{'s' if years > 1 else ''}"
    return text + (f" et {rest} mois" if rest else "")


def last_review(record) -> str:
    """ISO date of the last look at a record: its review date, else its addition date."""
    return record.date_revue or record.date_ajout


@dataclass(frozen=True)
class Freshness:
    """Freshness helpers bound to one reference day (exposed to the templates as ``fresh``)."""

    today: date
    page: str = PAGE

    def ago(self, iso: str | date) -> str:
        return ago(iso, self.today)

    def months_since_review(self, record) -> int:
        return months_between(parse_date(last_review(record)), self.today)

    def is_stale(self, record) -> bool:
        return self.months_since_review(record) >= STALE_MONTHS

    def stale(self, records) -> list:
        """Records to review, the longest unreviewed first (ties by id, stable)."""
        return sorted((r for r in records if self.is_stale(r)), key=lambda r: (last_review(r), r.kind, r.id))


def generate(renderer) -> list:
    """The maintainers' listing of the records to review (``renderer``: a kb.render.pages.Renderer)."""
    graph = renderer.graph
    records = list(graph.cooperations.values()) + list(graph.recommendations.values())
    return [renderer.render("stale.md", PAGE, "Fiches à actualiser",
                            f"Les fiches qui n'ont pas été relues depuis {STALE_MONTHS} mois ou plus.",
                            stale=renderer.fresh.stale(records), months=STALE_MONTHS)]
