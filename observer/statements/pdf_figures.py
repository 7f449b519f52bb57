"""Frozen figures as reportlab flowables (pure): tables that never leave their header or their
last row alone on a page, bar charts labelled with names, case examples, inline numbers."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from observer.statements.figures import tr
from observer.statements.labels import label
from observer.statements.suppression import SMALL, WITHHELD

FONT_BOLD = "ObserverSans-Bold"  # registered by pdf.register_fonts
ACCENT = colors.HexColor("#1d3c6e")
SHADE = colors.HexColor("#eef1f6")
STRIPE = colors.HexColor("#f8f9fb")
CONTENT_WIDTH = 170 * mm
MAX_BARS = 40  # beyond this a chart is unreadable; the table has every row
KEEP_WHOLE_ROWS = 15


def number(value: int | float, language: str) -> str:
    return format_decimal(value, locale=language)


def table_cell(value: Any, column: dict[str, Any], language: str) -> str:
    """A `table` cell: labels in the language, numbers in its format, shares as percent."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, int | float):
        if column.get("format") == "percent":
            return f"{format_decimal(round(value, 1), format='#,##0.0', locale=language)} %"
        return number(value, language)
    return tr(value, language)


def cell_value(row: dict[str, Any], language: str, threshold: int) -> str:
    if row.get("suppressed") == SMALL:
        return label(language, "fewer_than", n=threshold)
    if row.get("suppressed") == WITHHELD or row.get("count") is None:
        return label(language, "withheld")
    return number(row["count"], language)


def inline_text(data: dict[str, Any], language: str) -> str:
    """A `number` or `text` figure in a sentence."""
    if data.get("kind") == "text":
        return tr(data.get("text"), language)
    if data.get("value") is None:
        return label(language, "fewer_than", n=data.get("suppression_threshold", 3))
    return number(data["value"], language)


def shown_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows worth printing: districts without cases are left out unless hidden (suppressed)."""
    if not data.get("small_areas"):
        return list(data["rows"])
    return [row for row in data["rows"] if row.get("count") or row.get("suppressed")]


class KeepTailTable(Table):
    """A table that moves on rather than leave its header, or its last row (the total), alone:
    a split must keep at least two body rows on each side."""

    MIN_ROWS = 2

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        header = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        body = len(heights) - header
        if body < 2 * self.MIN_ROWS:
            return []
        height = availHeight
        while True:
            parts = super().split(availWidth, height)
            if len(parts) < 2:
                return parts
            first_body = len(parts[0]._cellvalues) - header
            rest_body = len(parts[1]._cellvalues) - header
            if first_body < self.MIN_ROWS:
                return []
            if rest_body >= self.MIN_ROWS:
                return parts
            height -= heights[header + first_body - 1]


def _note_marks(rows: list[dict[str, Any]], notes: list[str]) -> list[str]:
    marks = []
    for row in rows:
        note = (row.get("note") or "").strip()
        if not note:
            marks.append("")
            continue
        if note not in notes:
            notes.append(note)
        marks.append(str(notes.index(note) + 1))
    return marks


def counts_table(data: dict[str, Any], language: str, styles) -> list:
    """Labels wrap (paragraphs); codes and numbers are plain cells, right-aligned, which keeps
    long tables cheap to lay out."""
    threshold = data.get("suppression_threshold", 3)
    rows = shown_rows(data)
    cell = styles["cell"]
    with_key = bool(data.get("key_column"))
    lead = [tr(data["key_column"], language)] if with_key else []
    header = [*lead, tr(data["dimension"], language), tr(data["unit"], language)]
    notes: list[str] = []
    marks = _note_marks(rows, notes)
    body: list[list[Any]] = []
    style = [
        ("FONT", (0, 0), (-1, -1), styles["font"], 9),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
        ("FONT", (0, -1), (-1, -1), FONT_BOLD, 9),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
        ("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT),
        ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    group = None
    groups = {g["key"]: g for g in data.get("groups", ())}
    for row, mark in zip(rows, marks, strict=True):
        if groups and row.get("group") != group:
            group = row.get("group")
            subtotal = groups.get(group, {})
            body.append(
                ([""] if with_key else [])
                + [tr(row.get("group_label"), language), cell_value(subtotal, language, threshold)]
            )
            line = len(body)
            style += [
                ("BACKGROUND", (0, line), (-1, line), STRIPE),
                ("FONT", (0, line), (-1, line), FONT_BOLD, 9),
            ]
        text = escape(tr(row["label"], language))
        if mark:
            text += f"<super>{mark}</super>"
        if groups:
            text = "&nbsp;&nbsp;&nbsp;" + text
        body.append(
            ([str(row.get("key", ""))] if with_key else [])
            + [Paragraph(text, cell), cell_value(row, language, threshold)]
        )
    total = ([""] if with_key else []) + [
        tr(data["total_label"], language),
        number(data["total"], language),
    ]
    widths = [CONTENT_WIDTH - 30 * mm, 30 * mm]
    if with_key:
        widths = [20 * mm, CONTENT_WIDTH - 50 * mm, 30 * mm]
    table = KeepTailTable([header, *body, total], colWidths=widths, repeatRows=1, style=style)
    title = tr(data["title"], language)
    story: list = [Paragraph(escape(title), styles["caption"])] if title else []
    story.append(table)
    if any(row.get("suppressed") for row in rows):
        story.append(
            Paragraph(escape(label(language, "suppression_note", n=threshold)), styles["note"])
        )
    for number_, note in enumerate(notes, start=1):
        story.append(Paragraph(f"<super>{number_}</super> {escape(note)}", styles["note"]))
    if len(rows) <= KEEP_WHOLE_ROWS:  # short tables move whole, their notes with them
        story = [KeepTogether(story)]
    story.append(Spacer(1, 3 * mm))
    return story


def _wrap(text: str, font: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while stringWidth(lines[-1] + "…", font, size) > width and " " in lines[-1]:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += "…"
    return lines


def bar_chart(data: dict[str, Any], language: str, font: str) -> Drawing:
    """Horizontal bars in the figure's own order, labelled with names (wrapped, 7.5 pt)."""
    threshold = data.get("suppression_threshold", 3)
    rows = shown_rows(data)[:MAX_BARS]
    size, label_width, gap = 7.5, 62 * mm, 3 * mm
    wrapped = [_wrap(tr(row["label"], language), font, size, label_width) for row in rows]
    heights = [max(5.2 * mm, len(lines) * size * 1.2 + 2.4 * mm) for lines in wrapped]
    title_height = 1 * mm  # the caption is a paragraph above the drawing
    height = sum(heights) + title_height + 2 * mm
    drawing = Drawing(CONTENT_WIDTH, height)
    bar_left = label_width + gap
    bar_room = CONTENT_WIDTH - bar_left - 22 * mm
    top = max((row["count"] or 0 for row in rows), default=0) or 1
    y = height - title_height
    for row, lines, row_height in zip(rows, wrapped, heights, strict=True):
        y -= row_height
        middle = y + row_height / 2
        first = middle + (len(lines) - 1) * size * 0.6 - size * 0.35
        for index, line in enumerate(lines):
            drawing.add(
                String(
                    label_width,
                    first - index * size * 1.2,
                    line,
                    fontName=font,
                    fontSize=size,
                    textAnchor="end",
                )
            )
        value = cell_value(row, language, threshold)
        width = bar_room * (row["count"] or 0) / top
        if width > 0:
            drawing.add(
                Rect(
                    bar_left, middle - 1.6 * mm, width, 3.2 * mm, fillColor=ACCENT, strokeColor=None
                )
            )
        drawing.add(
            String(
                bar_left + width + 1.5 * mm,
                middle - size * 0.35,
                value,
                fontName=font,
                fontSize=size,
                fillColor=colors.black,
            )
        )
    return drawing


CELL_PADDING = 14  # reportlab's default 6 pt on each side, and a little slack


def _column_widths(columns, header, rows, style) -> list[float]:
    """Numeric columns as wide as their widest value and the longest word of their heading (a
    heading never breaks inside a word, "Appoint-ed"); text columns share what is left."""

    def width(text: str) -> float:
        return stringWidth(text, style.fontName, style.fontSize) + CELL_PADDING

    numeric = {}
    for i, column in enumerate(columns):
        if column.get("numeric"):
            words = header[i].text.split() or [""]
            values = [row[i].text.replace("&nbsp;", " ") for row in rows]
            numeric[i] = max(max(map(width, words + values)), 14 * mm)
    text_columns = [i for i in range(len(columns)) if i not in numeric]
    left = CONTENT_WIDTH - sum(numeric.values())
    if not text_columns or left < 0.3 * CONTENT_WIDTH:  # too many numbers: share proportionally
        weights = [1.0 if column.get("numeric") else 2.6 for column in columns]
        return [CONTENT_WIDTH * weight / sum(weights) for weight in weights]
    return [numeric[i] if i in numeric else left / len(text_columns) for i in range(len(columns))]


def _reads_better_transposed(columns, rows) -> bool:
    """A table of many measures over a few subjects (the candidate pipeline: two elections, ten
    figures) reads as a list of measures, one column per subject, instead of ten cramped ones."""
    return len(columns) > 7 and 0 < len(rows) <= 4 and not columns[0].get("numeric")


def _transposed(header, rows, numeric, cell):
    subjects = [row[0] for row in rows]
    new_header = [Paragraph("", cell)] + [Paragraph(subject.text, numeric) for subject in subjects]
    new_rows = [
        [Paragraph(header[i].text, cell)] + [row[i] for row in rows] for i in range(1, len(header))
    ]
    first = CONTENT_WIDTH * 0.46
    rest = (CONTENT_WIDTH - first) / len(subjects)
    return new_header, new_rows, [first] + [rest] * len(subjects)


def generic_table(data: dict[str, Any], language: str, styles) -> list:
    if not data["rows"]:  # e.g. no agreed conclusion yet for the stage: nothing to show
        return []
    columns = data["columns"]
    cell = styles["cell"]
    if len(columns) > 6 and not _reads_better_transposed(columns, data["rows"]):  # smaller type
        cell = ParagraphStyle("cell_small", parent=cell, fontSize=7.5, leading=9)
    numeric = ParagraphStyle("cell_small_num", parent=cell, alignment=2)
    header = [
        Paragraph(escape(tr(c["label"], language)), numeric if c.get("numeric") else cell)
        for c in columns
    ]
    rows = []
    for row in data["rows"]:
        cells = row.get("cells", row)
        line = []
        for column in columns:
            text = table_cell(cells.get(column["key"]), column, language)
            line.append(Paragraph(escape(text), numeric if column.get("numeric") else cell))
        rows.append(line)
    if _reads_better_transposed(columns, data["rows"]):
        header, rows, widths = _transposed(header, rows, numeric, cell)
    elif "widths" in data:
        widths = [CONTENT_WIDTH * share for share in data["widths"]]
    else:
        widths = _column_widths(columns, header, rows, cell)
    table = KeepTailTable(
        [header, *rows],
        colWidths=widths,
        repeatRows=1,
        style=[
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
        ],
    )
    story: list = [Paragraph(escape(tr(data["title"], language)), styles["caption"]), table]
    if data.get("source"):
        story.append(
            Paragraph(
                escape(label(language, "source") + ": " + tr(data["source"], language)),
                styles["note"],
            )
        )
    story.append(Spacer(1, 3 * mm))
    return story


def case_list(data: dict[str, Any], language: str, styles) -> list:
    if not data["items"]:  # a chapter whose stage had no case picked shows nothing
        return []
    story: list = [Paragraph(escape(tr(data["title"], language)), styles["caption"])]
    for item in data["items"]:
        meta = " · ".join(
            [tr(item["stage"], language), tr(item["place"], language), tr(item["when"], language)]
        )
        story.append(
            KeepTogether(
                [
                    Paragraph(
                        f"<b>{escape(label(language, 'case_n', n=item['number']))}</b> "
                        f"<font size='8.5' color='#555555'>{escape(meta)}</font>",
                        styles["body_tight"],
                    ),
                    Paragraph(escape(tr(item["wording"], language)), styles["case"]),
                ]
            )
        )
    return story


def figure_flowables(data: dict[str, Any], display: str, language: str, styles) -> list:
    kind = data.get("kind")
    if kind == "counts":
        if display == "chart":
            if not data["rows"]:
                return counts_table(data, language, styles)
            caption = Paragraph(escape(tr(data["title"], language)), styles["caption"])
            chart = bar_chart(data, language, styles["font"])
            return [KeepTogether([caption, chart]), Spacer(1, 3 * mm)]
        return counts_table(data, language, styles)
    if kind == "table":
        return generic_table(data, language, styles)
    if kind == "cases":
        return case_list(data, language, styles)
    if kind == "number":
        return [
            Paragraph(
                escape(f"{tr(data['title'], language)}: {inline_text(data, language)}"),
                styles["body"],
            )
        ]
    return []
