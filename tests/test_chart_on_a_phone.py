"""Issue 21: on a phone, the chart by year of « En chiffres » never scrolls sideways."""
from __future__ import annotations

from conftest import FIXTURES, load
from kb.graph.build import build_graph
from kb.render import charts

PHONE_TEXT_COLUMN = 288  # the article's width on a 320 px screen (Material's padding)


def years(n: int) -> charts.Chart:
    return charts.Chart("annees", "Coopérations par année", "", "vertical",
                        [charts.Bar(str(2000 + k), k % 4) for k in range(n)])


def test_a_few_years_are_columns_that_fit_a_320_px_screen():
    for n in range(1, 10):
        chart = charts.layout_years(years(n))
        assert chart.orientation == "vertical" and chart.width <= PHONE_TEXT_COLUMN, n
        assert all(b.width >= 20 for b in chart.bars)  # room for a year's label at 12 px


def test_many_years_become_rows_that_fit_a_320_px_screen():
    for n in (10, 15, 30):
        chart = charts.layout_years(years(n))
        assert chart.orientation == "horizontal" and chart.width <= PHONE_TEXT_COLUMN, n
        assert len({b.y for b in chart.bars}) == n and chart.height >= n * charts.ROW


def test_the_year_chart_of_the_site_fits_a_phone():
    chart = next(c for c in charts.cooperation_charts(build_graph(load(FIXTURES))) if c.id == "annees")
    assert chart.width <= PHONE_TEXT_COLUMN
