"""Charts for statement PDFs (reportlab.graphics; pure)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from observer.statements.document import CountRow

BAR_COLOUR = colors.HexColor("#1d3c6e")
WIDTH = 170 * mm
ROW_HEIGHT = 5.2 * mm
MAX_BARS = 40  # beyond this a chart is unreadable; the table below it has every row


def _nice_max(value: int) -> int:
    """An axis end a little above the largest bar, on a round step."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 5:
            return max(step, ((value + step - 1) // step) * step)
    magnitude = 10 ** (len(str(value)) - 1)
    return ((value + magnitude - 1) // magnitude) * magnitude


def axis_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 8:
            return step
    return max(1, top // 8)


def bar_chart(rows: tuple[CountRow, ...], title: str, font: str) -> Drawing:
    """Horizontal bars, one per row (by key, e.g. the criterion code), largest first."""
    shown = sorted(rows, key=lambda row: (-row.count, row.key))[:MAX_BARS]
    shown.reverse()  # the chart draws the first category at the bottom
    height = len(shown) * ROW_HEIGHT + 22 * mm
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 5 * mm, title, fontName=font, fontSize=10))

    chart = HorizontalBarChart()
    chart.x = 22 * mm
    chart.y = 8 * mm
    chart.width = WIDTH - 30 * mm
    chart.height = len(shown) * ROW_HEIGHT
    chart.data = [[row.count for row in shown]]
    chart.categoryAxis.categoryNames = [row.key for row in shown]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -2
    top = _nice_max(max((row.count for row in shown), default=1))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = axis_step(top)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "%d"
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    return drawing
