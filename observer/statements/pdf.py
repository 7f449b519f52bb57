"""Statement PDFs with reportlab platypus. Pure: plain data in (`StatementDocument` or its dict
form), bytes out; no Flask, no database.

Reproducibility: the same document gives byte-identical output in any process. `invariant=1`
fixes the PDF id and timestamps, the creation date shown in the metadata is taken from the data
(publication time, or generation time for drafts), and the embedded DejaVu subsets are named by
their index, so nothing depends on the clock, the process or earlier renders."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from observer.statements.charts import bar_chart
from observer.statements.document import CountRow, StatementDocument
from observer.statements.labels import LANGUAGE_SELF_NAMES, counting_rules, label, language_of
from observer.statements.text import blocks

FONT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fonts")
FONT = "ObserverSans"
FONT_BOLD = "ObserverSans-Bold"
ACCENT = colors.HexColor("#1d3c6e")
RULE = colors.HexColor("#b8c2d1")
SHADE = colors.HexColor("#eef1f6")


def register_fonts() -> None:
    """Register DejaVu Sans once per process (registration is global in reportlab)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT in registered and FONT_BOLD in registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(FONT_DIR, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=6)
    return {
        "body": base,
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=14, bulletIndent=4),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11, spaceAfter=0),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=10,
            spaceAfter=8,
            textColor=ACCENT,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            textColor=ACCENT,
        ),
        "cover_mission": ParagraphStyle(
            "cover_mission",
            parent=base,
            fontSize=12,
            leading=16,
            textColor=ACCENT,
            alignment=TA_CENTER,
        ),
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=22,
            leading=28,
            alignment=TA_CENTER,
            spaceBefore=30,
            spaceAfter=20,
        ),
        "cover_meta": ParagraphStyle(
            "cover_meta", parent=base, fontSize=11, leading=16, alignment=TA_CENTER
        ),
        "banner": ParagraphStyle(
            "banner",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12,
            textColor=colors.darkred,
            alignment=TA_CENTER,
            spaceBefore=20,
        ),
        "toc0": ParagraphStyle("toc0", parent=base, fontSize=10.5, leading=16, leftIndent=0),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=9.5, leading=13, leftIndent=14),
    }


class _StatementTemplate(SimpleDocTemplate):
    """Headings report themselves to the table of contents and the PDF outline."""

    def afterFlowable(self, flowable):
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        text = flowable.getPlainText()
        key = f"h{self.seq.nextf('heading')}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=False)
        self.notify("TOCEntry", (level, text, self.page, key))


def _canvas_class(doc: StatementDocument):
    """A canvas that holds pages back until the end, so each footer can say 'page X of Y'."""
    language = language_of(doc.language)
    stamp = doc.published_at or doc.generated_at
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%S+00'00'")
    banner = label(language, "draft_banner") if doc.is_draft else ""

    class PagedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []
            self.setDateFormatter(lambda *_parts: pdf_date)

        def showPage(self):
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.line(20 * mm, 15 * mm, width - 20 * mm, 15 * mm)
            self.setFont(FONT, 8)
            self.setFillColor(colors.dimgrey)
            self.drawString(20 * mm, 10 * mm, doc.title[:90])
            self.drawRightString(
                width - 20 * mm, 10 * mm, label(language, "page_x_of_y", x=number, y=total)
            )
            if banner:
                self.setFillColor(colors.darkred)
                self.setFont(FONT_BOLD, 9)
                self.drawCentredString(width / 2, self._pagesize[1] - 12 * mm, banner)
            self.restoreState()

    return PagedCanvas


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _paragraphs(text: str, styles: dict[str, ParagraphStyle]) -> list:
    out: list = []
    for kind, lines in blocks(text):
        if kind == "ul":
            out += [Paragraph(_text(item), styles["bullet"], bulletText="•") for item in lines]
        else:
            out.append(Paragraph(_text("\n".join(lines)), styles["body"]))
    return out


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    para = Paragraph(_text(text), style)
    para.toc_level = level
    return para


def _count_table(
    rows: tuple[CountRow, ...], headers: list[str], total_label: str, styles, with_code: bool
) -> Table:
    data: list[list[Any]] = [[Paragraph(_text(h), styles["cell"]) for h in headers]]
    for row in rows:
        cells: list[Any] = [row.key] if with_code else []
        cells += [Paragraph(_text(row.label), styles["cell"]), str(row.count)]
        data.append(cells)
    total = sum(row.count for row in rows)
    data.append(([""] if with_code else []) + [total_label, str(total)])
    widths = [22 * mm, 118 * mm, 22 * mm] if with_code else [140 * mm, 22 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, -1), (-1, -1), FONT_BOLD, 9),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f8f9fb")]),
            ]
        )
    )
    return table


def _cover(doc: StatementDocument, styles) -> list:
    language = language_of(doc.language)
    period = label(
        language,
        "period_value",
        start=format_date(doc.period_start, "long", locale=language),
        end=format_date(doc.period_end, "long", locale=language),
    )
    if doc.published_at is not None:
        when = (
            label(language, "published")
            + ": "
            + format_date(doc.published_at.date(), "long", locale=language)
        )
    else:
        when = (
            label(language, "draft_generated")
            + ": "
            + doc.generated_at.strftime("%Y-%m-%d %H:%M UTC")
        )
    story: list = [
        Spacer(1, 30 * mm),
        Paragraph(_text(doc.mission), styles["cover_mission"]),
        Paragraph(_text(label(language, "subject")), styles["cover_meta"]),
        Paragraph(_text(doc.title), styles["cover_title"]),
        Paragraph(_text(f"{label(language, 'period')}: {period}"), styles["cover_meta"]),
        Paragraph(_text(when), styles["cover_meta"]),
        Paragraph(
            _text(f"{label(language, 'language')}: {LANGUAGE_SELF_NAMES[language]}"),
            styles["cover_meta"],
        ),
    ]
    if doc.stages:
        stages = ", ".join(doc.stages)
        story.append(
            Paragraph(_text(f"{label(language, 'stages_covered')}: {stages}"), styles["cover_meta"])
        )
    if doc.corrects is not None:
        note = label(
            language,
            "corrects",
            title=doc.corrects.title,
            date=format_date(doc.corrects.published_on, "long", locale=language),
        )
        story += [Spacer(1, 10 * mm), Paragraph(_text(note), styles["cover_meta"])]
    if doc.is_draft:
        story.append(Paragraph(_text(label(language, "draft_banner")), styles["banner"]))
    story.append(PageBreak())
    return story


def _statistics(doc: StatementDocument, styles) -> list:
    language = language_of(doc.language)
    stats = doc.statistics

    def L(key: str) -> str:  # noqa: N802 - reads as a label lookup
        return label(language, key)

    story: list = [_heading(L("statistics"), styles["h1"], 0)]
    story.append(
        Paragraph(
            _text(
                label(language, "figures_as_of", time=doc.generated_at.strftime("%Y-%m-%d %H:%M"))
            ),
            styles["small"],
        )
    )
    summary = Table(
        [[L("total_cases"), str(stats.total)], [L("districts"), str(stats.districts)]],
        colWidths=[140 * mm, 22 * mm],
    )
    summary.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT_BOLD, 10),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("BOX", (0, 0), (-1, -1), 0.6, ACCENT),
            ]
        )
    )
    story += [summary, Spacer(1, 6 * mm)]
    if stats.total == 0:
        story.append(Paragraph(_text(L("no_cases")), styles["body"]))
        return story
    if stats.by_criterion:
        story.append(KeepTogether(bar_chart(stats.by_criterion, L("chart_criterion"), FONT)))
    tables = (
        ("by_criterion", stats.by_criterion, [L("code"), L("criterion"), L("cases")], True),
        ("by_stage", stats.by_stage, [L("stage"), L("cases")], False),
        ("by_region", stats.by_region, [L("region"), L("cases")], False),
        ("by_severity", stats.by_severity, [L("severity"), L("cases")], False),
    )
    for key, rows, headers, with_code in tables:
        story += [
            CondPageBreak(40 * mm),
            _heading(L(key), styles["h2"], 1),
            _count_table(rows, headers, L("total"), styles, with_code),
            Spacer(1, 4 * mm),
        ]
    return story


def _stage_table(doc: StatementDocument, stage: str, styles) -> list:
    rows = tuple(row for row in doc.statistics.by_criterion if row.group == stage)
    if not rows:
        return []
    language = language_of(doc.language)
    return [
        Paragraph(_text(label(language, "stage_cases")), styles["small"]),
        _count_table(
            rows,
            [label(language, "code"), label(language, "criterion"), label(language, "cases")],
            label(language, "total"),
            styles,
            True,
        ),
        Spacer(1, 3 * mm),
    ]


def build_story(doc: StatementDocument) -> list:
    register_fonts()
    styles = _styles()
    language = language_of(doc.language)
    toc = TableOfContents(levelStyles=[styles["toc0"], styles["toc1"]], dotsMinLevel=0)
    story: list = _cover(doc, styles)
    story += [Paragraph(_text(label(language, "contents")), styles["h1"]), toc, PageBreak()]
    story.append(_heading(label(language, "key_findings"), styles["h1"], 0))
    story += _paragraphs(doc.key_findings, styles)
    for section in doc.sections:
        story.append(_heading(section.heading, styles["h1"], 0))
        story += _paragraphs(section.body, styles)
        if section.stage:
            story += _stage_table(doc, section.stage, styles)
    story += _statistics(doc, styles)
    if doc.recommendations.strip():
        story.append(_heading(label(language, "recommendations"), styles["h1"], 0))
        story += _paragraphs(doc.recommendations, styles)
    story.append(_heading(label(language, "methodology"), styles["h1"], 0))
    story += _paragraphs(doc.methodology, styles)
    rules = counting_rules(language)
    if " ".join(rules.split()) not in " ".join(doc.methodology.split()):
        story.append(_heading(label(language, "counting_rules"), styles["h2"], 1))
        story += _paragraphs(rules, styles)
    return story


def render_statement(data: StatementDocument | Mapping[str, Any]) -> bytes:
    """The statement as PDF bytes; the same data always gives the same bytes."""
    doc = data if isinstance(data, StatementDocument) else StatementDocument.from_dict(data)
    language = language_of(doc.language)
    buffer = io.BytesIO()
    template = _StatementTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=doc.title,
        author=doc.mission,
        subject=label(language, "subject"),
        creator="Observer",
        producer="Observer (ReportLab)",
        keywords=[f"lang:{language}", doc.slug] if doc.slug else [f"lang:{language}"],
        lang=language,
        invariant=1,
        displayDocTitle=1,
    )
    template.multiBuild(build_story(doc), canvasmaker=_canvas_class(doc))
    return buffer.getvalue()
