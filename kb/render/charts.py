"""Charts drawn at build time (pure Python): counts of cases and their SVG geometry.

Each chart is a ``Chart``: the figures (label, count, link target) and the
geometry of its bars, which templates/_charts.html turns into SVG plus the table
of the same figures (the text alternative).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..graph.collation import sort_key

WIDTH = 460.0
PHONE_WIDTH = 288.0  # the text column of a 320 px screen: a chart this wide never scrolls on a phone
ROW = 22.0  # height of one horizontal bar row
LABEL_WIDTH = 205.0
VALUE_SPACE = 40.0
COLUMN_HEIGHT = 180.0
MAX_COLUMN_STEP = 56.0  # a few years do not make huge columns
MIN_COLUMN_STEP = 32.0  # room for a year at 12 px: more years than fit PHONE_WIDTH become rows


@dataclass
class Bar:
    label: str
    value: int
    term: str | None = None  # term id (link to its page), None for years
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


@dataclass
class Chart:
    id: str
    title: str
    description: str
    orientation: str  # "horizontal" (one row per term) or "vertical" (one column per year)
    bars: list[Bar]
    width: float = WIDTH
    height: float = 0.0
    stacked: bool = False  # horizontal: each label on its own line above its bar (long labels)
    vocab: str | None = None  # vocabulary whose term pages the labels link to
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def term_counts(graph, vocab: str, keep_empty: bool = True) -> list[Bar]:
    """One bar per term of a vocabulary: the number of cases using it; most used first."""
    vocabulary = graph.vocabularies[vocab]
    ideas = set(graph.ideas)  # workshop ideas are not counted as cases
    bars = [Bar(vocabulary.terms[tid].label, len([i for i in ids if i not in ideas]), tid)
            for tid, ids in graph.terms_of(vocab)]
    if not keep_empty:
        bars = [b for b in bars if b.value]
    return sorted(bars, key=lambda b: (-b.value, sort_key(b.label)))


def year_counts(graph) -> tuple[list[Bar], int]:
    """One bar per year from the first to the last known year (gaps included), and the
    number of cases without a year."""
    years: dict[int, int] = {}
    unknown = 0
    for coop in graph.cooperations.values():
        if coop.statut == "idee":  # workshop ideas are not counted as cases
            continue
        if coop.annee is None:
            unknown += 1
        else:
            years[int(coop.annee)] = years.get(int(coop.annee), 0) + 1
    if not years:
        return [], unknown
    return [Bar(str(y), years.get(y, 0)) for y in range(min(years), max(years) + 1)], unknown


def layout_horizontal(chart: Chart) -> Chart:
    top = 4.0
    # labels as wide as the longest one needs at 12 px (about 6.7 px a character): the chart
    # fits a phone's screen without being scaled down
    label_width = min(LABEL_WIDTH, 12 + 6.7 * max((len(b.label) for b in chart.bars), default=0))
    # labels too long to sit beside their bars on a phone go on their own line, above them
    chart.stacked = label_width > PHONE_WIDTH - 100
    chart.width = PHONE_WIDTH
    label_space = 0.0 if chart.stacked else label_width
    row = ROW + 16 if chart.stacked else ROW
    scale_width = chart.width - label_space - VALUE_SPACE
    biggest = max((b.value for b in chart.bars), default=0) or 1
    for k, bar in enumerate(chart.bars):
        bar.x = round(label_space, 1)
        bar.y = top + k * row + (row - ROW)
        bar.height = ROW - 6
        bar.width = round(scale_width * bar.value / biggest, 1)
    chart.height = top * 2 + row * len(chart.bars)
    return chart


def layout_vertical(chart: Chart) -> Chart:
    top, bottom = 18.0, 22.0
    n = max(len(chart.bars), 1)
    step = max(min(PHONE_WIDTH / n, MAX_COLUMN_STEP), MIN_COLUMN_STEP)
    biggest = max((b.value for b in chart.bars), default=0) or 1
    for k, bar in enumerate(chart.bars):
        bar.height = round(COLUMN_HEIGHT * bar.value / biggest, 1)
        bar.width = round(step * 0.7, 1)
        bar.x = round(k * step + step * 0.15, 1)
        bar.y = round(top + COLUMN_HEIGHT - bar.height, 1)
    chart.height = top + COLUMN_HEIGHT + bottom
    chart.width = max(round(step * n, 1), 160.0)
    return chart


def layout_years(chart: Chart) -> Chart:
    """One column per year while they fit a phone's text column; beyond, one row per year
    (a chart never scrolls sideways at 320 px)."""
    if len(chart.bars) * MIN_COLUMN_STEP > PHONE_WIDTH:
        chart.orientation = "horizontal"
        return layout_horizontal(chart)
    chart.orientation = "vertical"
    return layout_vertical(chart)


def cooperation_charts(graph) -> list[Chart]:
    """The charts of the "En chiffres" page, in page order."""
    several = "Une coopération peut relever de plusieurs {}, elle est alors comptée pour chacun."
    charts = []
    for vocab, chart_id, title, keep_empty in (
            ("themes", "themes", "Coopérations par thème", True),
            ("fonctions", "fonctions", "Coopérations par fonction d'habitabilité", True),
            ("finalites", "finalites", "Coopérations par finalité", True),
            ("regions", "regions", "Coopérations par région", False)):
        plural = graph.vocabularies[vocab].plural.lower()
        chart = Chart(chart_id, title, graph.vocabularies[vocab].description, "horizontal",
                      term_counts(graph, vocab, keep_empty), vocab=vocab)
        chart.notes.append(several.format(plural) if vocab != "regions" else
                           "Une coopération entre territoires de plusieurs régions est comptée pour chacune. "
                           "Seules les régions qui ont au moins une coopération figurent ici.")
        charts.append(layout_horizontal(chart))
    bars, unknown = year_counts(graph)
    chart = Chart("annees", "Coopérations par année de début", "L'année où la coopération a commencé.",
                  "vertical", bars)
    if unknown:
        chart.notes.append(f"{unknown} coopération{'s' if unknown > 1 else ''} sans année connue "
                           f"n'{'y figurent' if unknown > 1 else 'y figure'} pas.")
    charts.append(layout_years(chart))
    return charts
