"""Frozen figures on web pages: statement text as blocks for the templates, and bar charts
drawn on the server as SVG (no script, no style attribute: the page's CSP allows neither)."""

from __future__ import annotations

import textwrap
from typing import Any

from markupsafe import Markup, escape

from observer.statements.figures import INLINE_KINDS, tr
from observer.statements.pdf_figures import cell_value, inline_text, shown_rows
from observer.statements.placeholders import Placeholder, text_blocks

CHART_WIDTH = 340  # viewBox units, about 1:1 on a 360 px phone; the SVG scales to its column
LABEL_CHARS = 40
MAX_BARS = 40


def blocks(text: str, figures: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """[{"kind": "p"|"ul", "lines": [Markup]}, {"kind": "figure", "data", "display"}]."""

    def is_block(placeholder: Placeholder) -> bool:
        data = figures.get(placeholder.key)
        return (
            data is not None
            and data.get("kind") not in INLINE_KINDS
            and placeholder.display != "number"
        )

    def line(pieces) -> Markup:
        out = Markup("")
        for piece in pieces:
            if isinstance(piece, Placeholder):
                data = figures.get(piece.key)
                if data is not None and data.get("kind") in INLINE_KINDS:
                    out += Markup('<span class="figure-number">%s</span>') % inline_text(
                        data, language
                    )
                else:
                    out += escape(piece.source)
            else:
                out += escape(piece)
        return out

    out: list[dict[str, Any]] = []
    for block in text_blocks(text, is_block):
        if block.kind == "figure":
            out.append(
                {
                    "kind": "figure",
                    "data": figures[block.figure.key],
                    "display": block.figure.display or "table",
                }
            )
        else:
            out.append({"kind": block.kind, "lines": [line(pieces) for pieces in block.lines]})
    return out


def svg_bar_chart(data: dict[str, Any], language: str) -> Markup:
    """One row per figure row: its name above, the bar and the value below."""
    threshold = data.get("suppression_threshold", 3)
    rows = shown_rows(data)[:MAX_BARS]
    top = max((row["count"] or 0 for row in rows), default=0) or 1
    parts: list[Markup] = []
    y = 4
    room = CHART_WIDTH - 70
    for row in rows:
        for text_line in textwrap.wrap(tr(row["label"], language), LABEL_CHARS) or [""]:
            y += 16
            parts.append(
                Markup('<text x="0" y="%d" font-size="14" fill="#1b1f24">%s</text>')
                % (y, text_line)
            )
        width = round(room * (row["count"] or 0) / top, 1)
        y += 5
        if width:
            parts.append(
                Markup('<rect x="0" y="%d" width="%s" height="12" fill="#1d3c6e"></rect>')
                % (y, width)
            )
        parts.append(
            Markup('<text x="%s" y="%d" font-size="12" fill="#1b1f24">%s</text>')
            % (width + 5, y + 10, cell_value(row, language, threshold))
        )
        y += 18
    title = tr(data.get("title"), language)
    return Markup(
        '<svg class="figure-chart" viewBox="0 0 %d %d" role="img" aria-label="%s" '
        'xmlns="http://www.w3.org/2000/svg">%s</svg>'
    ) % (CHART_WIDTH, y + 4, title, Markup("").join(parts))
