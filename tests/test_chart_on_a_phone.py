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


def test_every_chart_of_the_figures_page_fits_a_320_px_screen():
    """Issue 21 (and the rule for every page): no chart of « En chiffres » scrolls sideways at
    320 px; labels too long to sit beside their bars go above them."""
    for chart in charts.cooperation_charts(build_graph(load(FIXTURES))):
        assert chart.width <= PHONE_TEXT_COLUMN, chart.id
        for bar in chart.bars:
            if chart.orientation == "vertical":
                assert bar.x + bar.width <= chart.width + 0.1, (chart.id, bar.label)
                continue
            assert bar.x + bar.width + charts.VALUE_SPACE <= chart.width + 0.1, (chart.id, bar.label)
            if not chart.stacked:
                assert 12 + 6.7 * len(bar.label) <= bar.x + 0.1, (chart.id, bar.label)  # the label fits left


def test_long_labels_are_stacked_above_their_bars():
    chart = charts.layout_horizontal(charts.Chart("finalites", "t", "", "horizontal", [
        charts.Bar("Accélérer la transition écologique", 5), charts.Bar("Mettre en réseau", 2)]))
    assert chart.stacked and chart.width <= PHONE_TEXT_COLUMN
    assert all(b.x == 0 and b.y >= 16 for b in chart.bars)
    assert chart.bars[1].y - chart.bars[0].y >= charts.ROW + 16  # a line for the label, then the bar
