"""Statement PDFs with reportlab platypus. Pure: plain data in (`StatementDocument` or its dict
form), bytes out; no Flask, no database.

Reproducibility: the same document gives byte-identical output in any process. `invariant=1`
fixes the PDF id and timestamps, the creation date shown in the metadata is taken from the data
(publication time, or generation time for drafts), and the embedded DejaVu subsets are named by
their index, so nothing depends on the clock, the process or earlier renders."""

from __future__ import annotations

import base64
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
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from observer.statements.document import CountRow, StatementDocument
from observer.statements.figures import INLINE_KINDS
from observer.statements.labels import (
    LANGUAGE_SELF_NAMES,
    STATEMENT_LANGUAGES,
    counting_rules,
    label,
    language_of,
)
from observer.statements.pdf_figures import figure_flowables, inline_text
from observer.statements.placeholders import Placeholder, text_blocks

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


def _styles() -> dict[str, Any]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=6)
    return {
        "font": FONT,
        "body": base,
        "body_tight": ParagraphStyle("body_tight", parent=base, spaceAfter=1, keepWithNext=1),
        "case": ParagraphStyle("case", parent=base, leftIndent=10, spaceAfter=8),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=12,
            spaceAfter=3,
            keepWithNext=1,
            textColor=ACCENT,
        ),
        "note": ParagraphStyle(
            "note", parent=base, fontSize=7.5, leading=9.5, spaceAfter=1, textColor=colors.dimgrey
        ),
        "cell_num": ParagraphStyle(
            "cell_num", parent=base, fontSize=9, leading=11, spaceAfter=0, alignment=2
        ),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=14, bulletIndent=4),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11, spaceAfter=0),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            keepWithNext=1,
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
            keepWithNext=1,
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
        # The contents parse their entries as paragraph markup again: escape the plain text,
        # or a heading such as <img src="/etc/..."> would be obeyed there.
        self.notify("TOCEntry", (level, escape(text), self.page, key))


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


def _paragraphs(text: str, styles: dict[str, Any], doc: StatementDocument | None = None) -> list:
    """Plain statement text with its placeholders: numbers inline, figures as blocks. A
    placeholder without a frozen figure (only in a draft with problems) is printed as typed."""
    figures = doc.figures if doc is not None else {}
    language = language_of(doc.language) if doc is not None else "en"

    def is_block(placeholder: Placeholder) -> bool:
        data = figures.get(placeholder.key)
        if data is None:
            return False
        return data.get("kind") not in INLINE_KINDS and placeholder.display != "number"

    def line_markup(pieces) -> str:
        out = []
        for piece in pieces:
            if isinstance(piece, Placeholder):
                data = figures.get(piece.key)
                if data is not None and data.get("kind") in INLINE_KINDS:
                    out.append(escape(inline_text(data, language)))
                else:
                    out.append(escape(piece.source))
            else:
                out.append(escape(piece))
        return "".join(out)

    out: list = []
    for block in text_blocks(text, is_block):
        if block.kind == "figure":
            data = figures[block.figure.key]
            out += figure_flowables(data, block.figure.display, language, styles)
        elif block.kind == "ul":
            out += [
                Paragraph(line_markup(item), styles["bullet"], bulletText="•")
                for item in block.lines
            ]
        else:
            markup = "<br/>".join(line_markup(line) for line in block.lines)
            out.append(Paragraph(markup, styles["body"]))
    return out


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    para = Paragraph(_text(text), style)
    para.toc_level = level
    return para


def _all_languages(key: str) -> dict[str, str]:
    return {code: label(code, key) for code in STATEMENT_LANGUAGES}


def counts_from_rows(rows: tuple[CountRow, ...], title: str, dimension: str) -> dict[str, Any]:
    """A `counts` figure from the statistics of an older snapshot (labels in one language)."""
    return {
        "kind": "counts",
        "title": _all_languages(title),
        "dimension": _all_languages(dimension),
        "unit": _all_languages("cases"),
        "rows": [
            {"key": row.key, "label": row.label, "count": row.count, "group": row.group}
            for row in rows
        ],
        "total": sum(row.count for row in rows),
        "total_label": _all_languages("total"),
        **({"key_column": _all_languages("code")} if dimension == "criterion" else {}),
    }


ANNEX = (
    ("incidents.by_criterion", "by_criterion", "criterion", "by_criterion"),
    ("incidents.by_stage", "by_stage", "stage", "by_stage"),
    ("incidents.by_region", "by_region", "region", "by_region"),
    ("incidents.by_severity", "by_severity", "severity", "by_severity"),
)


def _annex_figure(doc: StatementDocument, key: str, title: str, dimension: str, rows: str):
    return doc.figures.get(key) or counts_from_rows(getattr(doc.statistics, rows), title, dimension)


def _logo(doc: StatementDocument):
    encoded = doc.profile.get("logo")
    if not encoded:
        return None
    try:
        image = Image(io.BytesIO(base64.b64decode(encoded)))
    except Exception:  # noqa: BLE001 - a logo that cannot be drawn is left off the cover
        return None
    scale = min(50 * mm / image.imageWidth, 30 * mm / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _cover(doc: StatementDocument, styles) -> list:
    language = language_of(doc.language)
    period = label(
        language,
        "period_value",
        start=format_date(doc.period_start, "long", locale=language),
        end=format_date(doc.period_end, "long", locale=language),
    )
    place = str((doc.profile.get("place") or {}).get(language, "") or "")
    if doc.published_at is not None:
        when = format_date(doc.published_at.date(), "long", locale=language)
        when = f"{place}, {when}" if place else f"{label(language, 'published')}: {when}"
    else:
        when = (
            label(language, "draft_generated")
            + ": "
            + doc.generated_at.strftime("%Y-%m-%d %H:%M UTC")
        )
    logo = _logo(doc)
    story: list = [Spacer(1, 12 * mm if logo else 30 * mm)]
    if logo is not None:
        story += [logo, Spacer(1, 6 * mm)]
    story += [
        Paragraph(_text(doc.mission), styles["cover_mission"]),
        Paragraph(_text(label(language, "subject")), styles["cover_meta"]),
        Paragraph(_text(doc.title), styles["cover_title"]),
        Paragraph(_text(when), styles["cover_meta"]),
        Paragraph(_text(f"{label(language, 'period')}: {period}"), styles["cover_meta"]),
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
    contact = str(doc.profile.get("contact") or "").strip()
    if contact:
        story += [
            Spacer(1, 18 * mm),
            Paragraph(_text(f"{label(language, 'contact')}: {contact}"), styles["cover_meta"]),
        ]
    story.append(PageBreak())
    return story


def _annex(doc: StatementDocument, styles) -> list:
    language = language_of(doc.language)
    stats = doc.statistics

    def L(key: str) -> str:  # noqa: N802 - reads as a label lookup
        return label(language, key)

    story: list = [CondPageBreak(60 * mm), _heading(L("annex"), styles["h1"], 0)]
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
        colWidths=[140 * mm, 30 * mm],
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
    criteria = _annex_figure(doc, *ANNEX[0])
    chart = dict(criteria, title=_all_languages("chart_criterion"))
    story += figure_flowables(chart, "chart", language, styles)
    for key, title, dimension, rows in ANNEX:
        figure = _annex_figure(doc, key, title, dimension, rows)
        story += [
            CondPageBreak(70 * mm),  # a heading never ends a page above its short table
            _heading(L(title), styles["h2"], 1),
            *figure_flowables(dict(figure, title=""), "table", language, styles),
        ]
    return story


def _stage_table(doc: StatementDocument, stage: str, styles) -> list:
    """Sections about one stage without figures of their own show its criteria's counts."""
    figure = _annex_figure(doc, *ANNEX[0])
    rows = [row for row in figure["rows"] if row.get("group") == stage]
    if not rows:
        return []
    language = language_of(doc.language)
    data = dict(
        figure,
        rows=rows,
        total=sum(row["count"] or 0 for row in rows),
        title=_all_languages("stage_cases"),
    )
    return figure_flowables(data, "table", language, styles)


def _has_placeholders(text: str) -> bool:
    return "[[" in (text or "")


def build_story(doc: StatementDocument) -> list:
    register_fonts()
    styles = _styles()
    language = language_of(doc.language)
    toc = TableOfContents(levelStyles=[styles["toc0"], styles["toc1"]], dotsMinLevel=0)
    story: list = _cover(doc, styles)
    # The contents and the executive summary share a page when both are short.
    story += [Paragraph(_text(label(language, "contents")), styles["h1"]), toc, Spacer(1, 4 * mm)]
    story.append(_heading(label(language, "key_findings"), styles["h1"], 0))
    story += _paragraphs(doc.key_findings, styles, doc)
    story.append(PageBreak())
    for section in doc.sections:
        story += [CondPageBreak(35 * mm), _heading(section.heading, styles["h1"], 0)]
        story += _paragraphs(section.body, styles, doc)
        if section.stage and not _has_placeholders(section.body):
            story += _stage_table(doc, section.stage, styles)
    if doc.recommendations.strip():
        story += [
            CondPageBreak(35 * mm),
            _heading(label(language, "recommendations"), styles["h1"], 0),
        ]
        story += _paragraphs(doc.recommendations, styles, doc)
    story += [CondPageBreak(35 * mm), _heading(label(language, "methodology"), styles["h1"], 0)]
    story += _paragraphs(doc.methodology, styles, doc)
    rules = counting_rules(language)
    if " ".join(rules.split()) not in " ".join(doc.methodology.split()):
        story.append(_heading(label(language, "counting_rules"), styles["h2"], 1))
        story += _paragraphs(rules, styles)
    story.append(Paragraph(_text(label(language, "references_legend")), styles["small"]))
    story += _annex(doc, styles)
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
