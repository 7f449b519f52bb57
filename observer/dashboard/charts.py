"""Server-rendered SVG charts: pure functions from (label, value) pairs to SVG markup.

Every piece of text goes through XML escaping, and the markup carries only presentation
attributes (fill, font-size...), never a style attribute or a script, so it is safe inline
under the strict Content-Security-Policy. Each chart names itself for assistive technology
(role="img", <title>, aria-labelledby); the table printed beside it is the accessible version."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, datetime

from markupsafe import Markup, escape

BAR_FILL = "#1d5a8c"
AXIS_STROKE = "#8a96a3"
INK = "#1b1f24"
MUTED = "#5b6670"
FONT = 12
ROW = 22
LABEL_WIDTH = 150
BAR_AREA = 210
VALUE_GAP = 6


def _attr(value) -> str:
    # escape() quotes &, <, >, " and ' so a value is safe inside a double-quoted attribute.
    return str(escape(str(value)))


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open_svg(chart_id: str, title: str, width: int, height: int) -> list[str]:
    title_id = f"{chart_id}-title"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{_attr(chart_id)}" role="img" '
        f'aria-labelledby="{_attr(title_id)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{FONT}">',
        f'<title id="{_attr(title_id)}">{escape(title)}</title>',
    ]


def _two_lines(text: str, limit: int = 22) -> list[str]:
    """A name on at most two lines of `limit` characters, cut with … beyond that."""
    lines = textwrap.wrap(text, limit) or [""]
    if len(lines) > 2:
        lines = [lines[0], _truncate(" ".join(lines[1:]), limit)]
    return lines


def bar_chart(
    chart_id: str, title: str, items: Sequence[tuple], *, label_width: int = LABEL_WIDTH
) -> Markup:
    """Horizontal bars, one per (label, value) or (label, value, fill colour), longest bar
    scaled to the widest value; `label_width` leaves room for longer labels. Labels are names
    (on up to two lines), never bare codes."""
    items = [(item[0], item[1], item[2] if len(item) > 2 else BAR_FILL) for item in items]
    label_chars = round(22 * label_width / LABEL_WIDTH)
    width = label_width + BAR_AREA + 60
    two_lines = any(len(str(label)) > label_chars for label, _, _ in items)
    row_height = ROW + (FONT + 2 if two_lines else 0)
    height = max(1, len(items)) * row_height + 10
    peak = max((value for _, value, _fill in items), default=0) or 1
    parts = _open_svg(chart_id, title, width, height)
    parts.append(
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
    )
    for index, (label, value, fill) in enumerate(items):
        top = 5 + index * row_height
        bar = round(BAR_AREA * value / peak, 1)
        middle = top + row_height / 2 + FONT / 3
        full_label = str(label)
        lines = _two_lines(full_label, label_chars)
        first_line = middle - (FONT / 2 + 1) * (len(lines) - 1)
        parts.append("<g>")
        parts.append(f"<title>{escape(full_label)}: {int(value)}</title>")
        parts.append(
            f'<text x="{label_width - VALUE_GAP}" y="{first_line}" text-anchor="end" '
            f'fill="{INK}">'
            + "".join(
                f'<tspan x="{label_width - VALUE_GAP}" dy="{0 if n == 0 else FONT + 2}">'
                f"{escape(line)}</tspan>"
                for n, line in enumerate(lines)
            )
            + "</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{middle - FONT / 3 - (ROW - 6) / 2}" width="{bar}" '
            f'height="{ROW - 6}" fill="{_attr(fill)}"/>'
        )
        parts.append(
            f'<text x="{label_width + bar + VALUE_GAP}" y="{middle}" fill="{INK}">'
            f"{int(value)}</text>"
        )
        parts.append("</g>")
    if not items:
        parts.append(f'<text x="{label_width + VALUE_GAP}" y="{ROW}" fill="{MUTED}">0</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece went through escape()


def timeline_chart(
    chart_id: str,
    title: str,
    points: Sequence[tuple[date, int]],
    *,
    max_days: int = 400,
    label_day=None,
) -> Markup:
    """Vertical bars per day. Days missing from `points` inside the span count as zero, so
    quiet days show as gaps; a span longer than `max_days` plots only the days given."""
    label_day = label_day or (lambda day: day.strftime("%m-%d"))
    counts = {day: value for day, value in points}
    days = sorted(counts)
    if days and (days[-1] - days[0]).days < max_days:
        first = days[0]
        days = [date.fromordinal(first.toordinal() + n) for n in range((days[-1] - first).days + 1)]
    plot_height = 160
    left, bottom_margin, top_margin = 36, 34, 10
    slot = max(4, min(24, 600 // max(1, len(days))))
    width = left + slot * max(1, len(days)) + 10
    height = top_margin + plot_height + bottom_margin
    peak = max(counts.values(), default=0) or 1
    base = top_margin + plot_height
    parts = _open_svg(chart_id, title, width, height)
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{width - 5}" y2="{base}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
    )
    parts.append(
        f'<text x="{left - 4}" y="{top_margin + FONT}" text-anchor="end" fill="{MUTED}">'
        f"{peak}</text>"
    )
    parts.append(f'<text x="{left - 4}" y="{base}" text-anchor="end" fill="{MUTED}">0</text>')
    label_every = max(1, len(days) // 8)
    for index, day in enumerate(days):
        value = counts.get(day, 0)
        x = left + index * slot
        bar = round(plot_height * value / peak, 1)
        if value:
            parts.append(
                f'<rect x="{x + 1}" y="{round(base - bar, 1)}" width="{max(1, slot - 2)}" '
                f'height="{bar}" fill="{BAR_FILL}"><title>{escape(day.isoformat())}: '
                f"{int(value)}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + slot / 2}" y="{base + 14}" text-anchor="middle" '
                f'font-size="10" fill="{MUTED}">{escape(label_day(day))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece went through escape()


SECOND_FILL = "#c2571a"


def hourly_chart(
    chart_id: str,
    title: str,
    hours: Sequence[tuple[datetime, int, int]],
    series: tuple[str, str],
    *,
    label_hour=None,
) -> Markup:
    """Two bars per hour (e.g. received and decided), a legend naming both series, hours on a
    24-hour clock (`label_hour` formats one; default HH in UTC)."""
    label_hour = label_hour or (lambda moment: moment.strftime("%H"))
    plot_height, left, top_margin, bottom_margin = 140, 34, 26, 30
    # Narrow enough to stay legible on a 360 px phone without scaling the text down.
    slot = max(6, min(14, 336 // max(1, len(hours))))
    width = left + slot * max(1, len(hours)) + 8
    height = top_margin + plot_height + bottom_margin
    peak = max((max(a, b) for _, a, b in hours), default=0) or 1
    base = top_margin + plot_height
    parts = _open_svg(chart_id, title, width, height)
    for index, (name, fill) in enumerate(zip(series, (BAR_FILL, SECOND_FILL), strict=True)):
        x = left + index * 110
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{fill}"/>')
        parts.append(f'<text x="{x + 16}" y="14" fill="{INK}">{escape(name)}</text>')
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{width - 4}" y2="{base}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
    )
    parts.append(
        f'<text x="{left - 4}" y="{top_margin + FONT}" text-anchor="end" fill="{MUTED}">'
        f"{peak}</text>"
    )
    parts.append(f'<text x="{left - 4}" y="{base}" text-anchor="end" fill="{MUTED}">0</text>')
    label_every = max(1, -(-len(hours) // 6))
    bar = max(2, slot // 2 - 1)
    for index, (moment, first, second) in enumerate(hours):
        x = left + index * slot
        label = label_hour(moment)
        for offset, (value, fill, name) in enumerate(
            ((first, BAR_FILL, series[0]), (second, SECOND_FILL, series[1]))
        ):
            tall = round(plot_height * value / peak, 1)
            if value:
                parts.append(
                    f'<rect x="{x + 1 + offset * bar}" y="{round(base - tall, 1)}" '
                    f'width="{bar}" height="{tall}" fill="{fill}"><title>{escape(label)}: '
                    f"{escape(name)} {int(value)}</title></rect>"
                )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + slot / 2}" y="{base + 14}" text-anchor="middle" '
                f'font-size="10" fill="{MUTED}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece went through escape()
