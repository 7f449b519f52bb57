"""Server-drawn SVG charts of the process figures, in the style of observer/dashboard/charts.py:
every text escaped, presentation attributes only (safe under the strict CSP), a <title> per
mark, and the table beside each chart as its accessible version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup, escape

from observer.dashboard.charts import (
    AXIS_STROKE,
    BAR_FILL,
    FONT,
    INK,
    LABEL_WIDTH,
    MUTED,
    ROW,
    VALUE_GAP,
    _open_svg,
    _truncate,
)

BAR_AREA = 200
SERIES_COLOURS = (
    "#1d5a8c",
    "#b5542c",
    "#2f7d32",
    "#7b3f98",
    "#a07800",
    "#00727a",
    "#5b6670",
    "#c2185b",
)


def share_chart(chart_id: str, title: str, items: Sequence[tuple[str, float, str]]) -> Markup:
    """Bars of shares (0-100), each labelled with the text given (share and count, already
    formatted in the reader's language)."""
    items = list(items)
    width = LABEL_WIDTH + BAR_AREA + 120
    height = max(1, len(items)) * ROW + 10
    parts = _open_svg(chart_id, title, width, height)
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
    )
    for index, (label, value, text) in enumerate(items):
        top = 5 + index * ROW
        bar = round(BAR_AREA * max(0.0, min(100.0, value or 0)) / 100, 1)
        middle = top + ROW / 2 + FONT / 3
        parts.append(f"<g><title>{escape(str(label))}: {escape(text)}</title>")
        parts.append(
            f'<text x="{LABEL_WIDTH - VALUE_GAP}" y="{middle}" text-anchor="end" '
            f'fill="{INK}">{escape(_truncate(str(label), 24))}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{top + 3}" width="{bar}" height="{ROW - 6}" '
            f'fill="{BAR_FILL}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + VALUE_GAP}" y="{middle}" fill="{INK}">'
            f"{escape(text)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece went through escape()


def time_curves(
    chart_id: str,
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[datetime, float, str]]]],
    peak: float | None = None,
) -> Markup:
    """One line per (name, points) over a shared time axis; each point titled with its text."""
    points = [p for _name, values in series for p in values]
    left, right, top, plot_height, bottom = 44, 150, 10, 220, 30
    plot_width = 560
    width, height = left + plot_width + right, top + plot_height + bottom
    parts = _open_svg(chart_id, title, width, height)
    base = top + plot_height
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{left + plot_width}" y2="{base}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{AXIS_STROKE}" '
        f'stroke-width="1"/>'
    )
    if not points:
        parts.append("</svg>")
        return Markup("".join(parts))  # noqa: S704 - nothing but fixed markup
    first = min(p[0] for p in points)
    last = max(p[0] for p in points)
    span = (last - first).total_seconds() or 1.0
    top_value = peak or max(p[1] for p in points) or 1.0

    def x_of(moment: datetime) -> float:
        offset = (moment - first).total_seconds() / span if last != first else 0.5
        return round(left + plot_width * offset, 1)

    def y_of(value: float) -> float:
        return round(base - plot_height * min(value, top_value) / top_value, 1)

    parts.append(
        f'<text x="{left - 4}" y="{top + FONT}" text-anchor="end" fill="{MUTED}">'
        f"{escape(_format_axis(top_value))}</text>"
        f'<text x="{left - 4}" y="{base}" text-anchor="end" fill="{MUTED}">0</text>'
    )
    for moment in sorted({p[0] for p in points})[:: max(1, len({p[0] for p in points}) // 6)]:
        parts.append(
            f'<text x="{x_of(moment)}" y="{base + 14}" text-anchor="middle" font-size="10" '
            f'fill="{MUTED}">{escape(moment.strftime("%m-%d %H:%M"))}</text>'
        )
    for index, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        ordered = sorted(values, key=lambda p: p[0])
        path = " ".join(f"{x_of(m)},{y_of(v)}" for m, v, _t in ordered)
        parts.append(f"<g><title>{escape(name)}</title>")
        if len(ordered) > 1:
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for moment, value, text in ordered:
            parts.append(
                f'<circle cx="{x_of(moment)}" cy="{y_of(value)}" r="3" fill="{colour}">'
                f"<title>{escape(name)}, {escape(moment.strftime('%Y-%m-%d %H:%M'))}: "
                f"{escape(text)}</title></circle>"
            )
        legend_y = top + FONT + index * (FONT + 4)
        parts.append(
            f'<rect x="{left + plot_width + 10}" y="{legend_y - FONT + 2}" width="10" '
            f'height="10" fill="{colour}"/><text x="{left + plot_width + 24}" y="{legend_y}" '
            f'fill="{INK}">{escape(_truncate(name, 22))}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece went through escape()


def _format_axis(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
