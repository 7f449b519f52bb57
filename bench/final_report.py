"""The final report of a 1,000,000-report mission with every kind of figure, for bench/pdf.py:
its frozen figures either synthetic (no database) or computed by the real providers over a clone
of the million-report template database (--template), and the same content built with plain
reportlab platypus (placeholders substituted by a regular expression written here)."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import time

from common import ROOT, Database  # noqa: I001 - puts the project on sys.path

VERIFIED = 561_204
LANGS = ("en", "be", "ru")


def _l(text: str) -> dict:
    return {code: text for code in LANGS}


def synthetic_figures() -> dict:
    """Figures of the magnitudes of a one-million-report mission, in the providers' format."""
    catalog = json.loads((ROOT / "observer/catalog/data/belarus-2024.json").read_text())
    rng = random.Random(1)
    stages = {s["code"]: s for s in catalog["stages"]}
    criteria = sorted(
        catalog["criteria"],
        key=lambda c: (list(stages).index(c["stage"]), c["position"]),
    )
    counts = {c["code"]: rng.randint(5_000, 40_000) for c in criteria}

    def counts_figure(rows, title, **extra):
        return {
            "kind": "counts",
            "title": _l(title),
            "dimension": _l("Criterion"),
            "unit": _l("Cases"),
            "rows": rows,
            "total": sum(r["count"] or 0 for r in rows),
            "total_label": _l("Total"),
            **extra,
        }

    def criterion_rows(stage=None):
        return [
            {
                "key": c["code"],
                "label": _l(c["name_en"]),
                "count": counts[c["code"]],
                "group": c["stage"],
                "note": c.get("references", ""),
            }
            for c in criteria
            if stage is None or c["stage"] == stage
        ]

    figures = {
        "incidents.total": {"kind": "number", "value": VERIFIED, "title": _l("Cases")},
        "incidents.districts": {"kind": "number", "value": 127, "title": _l("Districts")},
        "incidents.by_criterion": counts_figure(
            criterion_rows(), "Cases by criterion", key_column=_l("Code")
        ),
    }
    for code, stage in stages.items():
        figures[f"incidents.by_criterion stage={code}"] = counts_figure(
            criterion_rows(code), f"Cases by criterion: {stage['name_en']}", key_column=_l("Code")
        )
    regions = catalog["regions"]
    figures["incidents.by_region"] = counts_figure(
        [
            {"key": r["iso_code"], "label": _l(r["name_en"]), "count": rng.randint(40_000, 120_000)}
            for r in regions
        ],
        "Cases by region",
    )
    district_rows, groups = [], []
    for region in regions:
        rows = [
            {
                "key": d["name_en"],
                "label": _l(d["name_en"]),
                "group": region["iso_code"],
                "group_label": _l(region["name_en"]),
                "count": rng.randint(0, 9000),
            }
            for d in region["districts"]
        ]
        rows[0].update(count=None, suppressed="small")
        rows[1].update(count=None, suppressed="withheld")
        district_rows += rows
        groups.append({"key": region["iso_code"], "count": rng.randint(40_000, 120_000)})
    figures["incidents.by_district"] = counts_figure(
        district_rows, "Cases by district", small_areas=True, groups=groups, suppression_threshold=3
    )
    figures["incidents.by_severity"] = counts_figure(
        [
            {"key": str(n), "label": _l(f"Severity {n}"), "count": rng.randint(50_000, 200_000)}
            for n in range(1, 5)
        ],
        "Cases by severity",
    )
    figures["incidents.by_stage"] = counts_figure(
        [
            {"key": c, "label": _l(s["name_en"]), "count": rng.randint(20_000, 90_000)}
            for c, s in stages.items()
        ],
        "Cases by stage",
    )
    # A process figure (issue 13's commission composition) and an assessment matrix (issue 14):
    # the generic table kind their providers return.
    figures["process.composition"] = {
        "kind": "table",
        "title": _l("Members of commissions by nominating subject"),
        "columns": [
            {"key": "subject", "label": _l("Nominated by")},
            {"key": "tec", "label": _l("TEC members"), "numeric": True},
            {"key": "dec", "label": _l("DEC members"), "numeric": True},
        ],
        "rows": [
            {"cells": {"subject": _l(s), "tec": rng.randint(10, 900), "dec": rng.randint(10, 900)}}
            for s in (
                "Pro-government associations",
                "Political parties",
                "Labour collectives",
                "Voters' signatures",
            )
        ],
        "source": _l("Central Election Commission decisions, retrieved 2024-01-20"),
    }
    figures["assessments.matrix"] = {
        "kind": "table",
        "title": _l("Assessment of the standards by stage"),
        "columns": [
            {"key": "criterion", "label": _l("Standard")},
            {"key": "conclusion", "label": _l("Conclusion")},
        ],
        "rows": [
            {"cells": {"criterion": _l(c["name_en"]), "conclusion": _l("Not met")}}
            for c in criteria
        ],
    }
    figures["cases"] = {
        "kind": "cases",
        "title": _l("Case examples"),
        "items": [
            {
                "number": n,
                "wording": "Students were told to vote early and to report it to "
                "their group leader, who kept a list of those who had not yet voted.",
                "stage": _l("Early voting"),
                "place": _l("Gomel Region"),
                "when": _l("February 2024"),
            }
            for n in range(1, 13)
        ],
    }
    return figures


CHAPTERS = (
    ("Conditions of observation", None, ("incidents.by_region table",)),
    (
        "Election commissions",
        "commissions",
        ("incidents.by_criterion stage=commissions table", "process.composition table"),
    ),
    (
        "Nomination and registration of candidates",
        "nomination",
        (
            "incidents.by_criterion stage=nomination table",
            "incidents.by_criterion stage=registration table",
        ),
    ),
    ("Campaigning", "campaigning", ("incidents.by_criterion stage=campaigning chart",)),
    (
        "Voting: early voting, election day, count and tabulation",
        "election_day",
        (
            "incidents.by_criterion stage=early_voting table",
            "incidents.by_criterion stage=election_day chart",
            "incidents.by_criterion stage=counting table",
            "incidents.by_district table",
            "cases list",
        ),
    ),
    (
        "Complaints and appeals",
        "complaints",
        ("incidents.by_criterion stage=complaints table", "assessments.matrix table"),
    ),
)

PARAGRAPH = (
    "Observers documented [[incidents.total]] verified cases in [[incidents.districts]] "
    "districts. Commission chairs repeatedly refused observers access to documents and premises, "
    "and several observers were warned by police after their accreditation was questioned. The "
    "pattern is consistent across regions and matches the accounts received from witnesses."
)


def final_report(figures: dict) -> dict:
    sections = []
    for heading, stage, blocks in CHAPTERS:
        body = "\n\n".join([PARAGRAPH] * 4 + [f"[[{b}]]" for b in blocks] + [PARAGRAPH] * 2)
        sections.append({"heading": heading, "body": body, "stage": stage or ""})
    return {
        "mission": "Human Rights Defenders for Free Elections — expert mission",
        "title": "Final report on the elections of 25 February 2024",
        "language": "en",
        "slug": "final-report-2024",
        "period_start": "2023-11-20",
        "period_end": "2024-03-31",
        "generated_at": "2024-06-20T10:00:00+00:00",
        "published_at": "2024-06-20T12:00:00+00:00",
        "stages": ["Formation of commissions", "Campaigning", "Election day"],
        "key_findings": "\n".join(f"- {PARAGRAPH}" for _ in range(6)),
        "sections": sections,
        "recommendations": "\n".join(
            f"- Recommendation {n} to the authorities." for n in range(12)
        ),
        "methodology": PARAGRAPH,
        "statistics": {"total": VERIFIED, "districts": 127},
        "figures": figures,
        "profile": {"place": _l("Vilnius"), "contact": "mission@example.org"},
    }


def template_figures(template: str) -> dict:
    """The figures the real providers compute over a clone of `template` (PostgreSQL)."""
    database = Database(f"observer_bench_i15_{int(time.time())}")
    with database.admin.connect() as conn:
        from sqlalchemy import text

        conn.execute(text(f'CREATE DATABASE "{database.name}" TEMPLATE "{template}"'))
    try:
        env = {"OBSERVER_DATABASE_URL": database.url, "OBSERVER_SECRET_KEY": "bench"}
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            env={**_environ(), **env},
            check=True,
            capture_output=True,
        )
        script = (
            "import json,sys,time\n"
            "from observer import create_app\n"
            "from observer.extensions import db\n"
            "from observer.models import Campaign, Stage\n"
            "from observer.statements.figure_snapshot import Part, freeze\n"
            "from observer.statements.figures import FigureContext\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    c = db.session.execute(db.select(Campaign)).scalars().first()\n"
            "    stages = tuple(s.id for s in c.stages)\n"
            "    ctx = FigureContext(c.id, stages, c.starts_on, c.ends_on, None, 3)\n"
            "    text = sys.stdin.read()\n"
            "    started = time.perf_counter()\n"
            "    figures, problems = freeze([Part('all', text)], ctx)\n"
            "    print(f'{time.perf_counter() - started:.3f}', file=sys.stderr)\n"
            "    json.dump(figures, sys.stdout)\n"
        )
        wanted = "\n\n".join(
            f"[[{b}]]"
            for _h, _s, blocks in CHAPTERS
            for b in blocks
            if not b.startswith(("process.", "assessments.", "cases"))
        )
        wanted += "\n\n[[incidents.total]] [[incidents.districts]]"
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            input=wanted,
            text=True,
            env={**_environ(), **env},
            check=True,
            capture_output=True,
        )
        figures = json.loads(done.stdout)
        print(f"snapshot of the figures over 1,000,000 reports: {done.stderr.strip()} s")
    finally:
        database.drop()
    synthetic = synthetic_figures()
    for key in ("process.composition", "assessments.matrix", "cases"):
        figures[key] = synthetic[key]
    return figures


def _environ() -> dict:
    import os

    return dict(os.environ)


# --- the same content with plain reportlab ---------------------------------------------------

PLACEHOLDER = re.compile(r"\[\[([^\]]+)\]\]")


def plain_final_report(data: dict) -> bytes:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.tableofcontents import TableOfContents

    fonts = ROOT / "observer/statements/fonts"
    if "BenchSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BenchSans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("BenchSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    body = ParagraphStyle("b", fontName="BenchSans", fontSize=10, leading=14, spaceAfter=6)
    h1 = ParagraphStyle(
        "h1",
        parent=body,
        fontName="BenchSans-Bold",
        fontSize=15,
        leading=19,
        spaceBefore=10,
        spaceAfter=8,
        keepWithNext=1,
    )
    h2 = ParagraphStyle("h2", parent=h1, fontSize=11.5, leading=15)
    caption = ParagraphStyle(
        "cap", parent=body, fontName="BenchSans-Bold", fontSize=9.5, leading=12, keepWithNext=1
    )
    cell = ParagraphStyle("c", parent=body, fontSize=9, leading=11, spaceAfter=0)
    note = ParagraphStyle("n", parent=body, fontSize=7.5, leading=9.5, spaceAfter=1)
    grid = TableStyle(
        [
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1d3c6e")),
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.HexColor("#1d3c6e")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f6")),
        ]
    )
    figures = data["figures"]

    def en(value):
        return value.get("en", "") if isinstance(value, dict) else str(value or "")

    def value(row):
        if row.get("suppressed") == "small":
            return "fewer than 3"
        return "withheld" if row.get("count") is None else f"{row['count']:,}"

    def counts(fig):
        out = [Paragraph(en(fig["title"]), caption)]
        notes = []
        rows = [["Code"] if fig.get("key_column") else []]
        rows[0] += [en(fig["dimension"]), "Cases"]
        groups = {g["key"]: g for g in fig.get("groups", ())}
        group = None
        for row in fig["rows"]:
            if fig.get("small_areas") and not (row["count"] or row.get("suppressed")):
                continue
            if groups and row["group"] != group:
                group = row["group"]
                rows.append(
                    [
                        Paragraph(f"<b>{en(row.get('group_label'))}</b>", cell),
                        Paragraph(f"{groups[group].get('count') or ''}", cell),
                    ]
                )
            text = en(row["label"])
            if row.get("note"):
                notes.append(row["note"])
                text += f"<super>{len(notes)}</super>"
            line = [row["key"]] if fig.get("key_column") else []
            rows.append(line + [Paragraph(text, cell), value(row)])
        rows.append(([""] if fig.get("key_column") else []) + ["Total", f"{fig['total']:,}"])
        widths = [20 * mm, 120 * mm, 30 * mm] if fig.get("key_column") else [140 * mm, 30 * mm]
        out.append(Table(rows, colWidths=widths, repeatRows=1, style=grid))
        out += [Paragraph(f"<super>{n}</super> {t}", note) for n, t in enumerate(notes, 1)]
        return out

    def chart(fig):
        rows = fig["rows"]
        drawing = Drawing(170 * mm, len(rows) * 7 * mm + 6 * mm)
        bars = HorizontalBarChart()
        bars.x, bars.y, bars.width, bars.height = 65 * mm, 2 * mm, 80 * mm, len(rows) * 7 * mm
        bars.data = [[r["count"] or 0 for r in reversed(rows)]]
        bars.categoryAxis.categoryNames = [en(r["label"]) for r in reversed(rows)]
        bars.categoryAxis.labels.fontName = "BenchSans"
        bars.categoryAxis.labels.fontSize = 7.5
        bars.valueAxis.visible = 0
        bars.bars[0].fillColor = colors.HexColor("#1d3c6e")
        bars.barLabelFormat = "%d"
        bars.barLabels.fontName = "BenchSans"
        drawing.add(bars)
        return [KeepTogether([Paragraph(en(fig["title"]), caption), drawing])]

    def table(fig):
        rows = [[Paragraph(en(c["label"]), cell) for c in fig["columns"]]]
        for row in fig["rows"]:
            rows.append(
                [
                    Paragraph(
                        str(en(row["cells"][c["key"]]))
                        if not isinstance(row["cells"][c["key"]], int)
                        else f"{row['cells'][c['key']]:,}",
                        cell,
                    )
                    for c in fig["columns"]
                ]
            )
        out = [
            Paragraph(en(fig["title"]), caption),
            Table(
                rows,
                colWidths=[170 * mm / len(fig["columns"])] * len(fig["columns"]),
                repeatRows=1,
                style=grid,
            ),
        ]
        if fig.get("source"):
            out.append(Paragraph("Source: " + en(fig["source"]), note))
        return out

    def cases(fig):
        out = [Paragraph(en(fig["title"]), caption)]
        for item in fig["items"]:
            meta = " · ".join(en(item[k]) for k in ("stage", "place", "when"))
            out.append(
                KeepTogether(
                    [
                        Paragraph(f"<b>Case {item['number']}.</b> {meta}", body),
                        Paragraph(item["wording"], body),
                    ]
                )
            )
        return out

    def text(source):
        out = []
        for block in source.split("\n\n"):
            match = PLACEHOLDER.fullmatch(block.strip())
            if match:
                name, *options = match.group(1).split()
                display = options[-1] if options and "=" not in options[-1] else "table"
                key = " ".join([name, *[o for o in options if "=" in o]])
                fig = figures[key]
                kind = fig["kind"]
                if kind == "counts":
                    out += chart(fig) if display == "chart" else counts(fig)
                elif kind == "table":
                    out += table(fig)
                else:
                    out += cases(fig)
                out.append(Spacer(1, 3 * mm))
                continue
            filled = PLACEHOLDER.sub(lambda m: f"{figures[m.group(1)]['value']:,}", block)
            lines = filled.splitlines()
            if all(line.startswith("- ") for line in lines):
                out += [Paragraph(line[2:], body, bulletText="•") for line in lines]
            else:
                out.append(Paragraph(filled, body))
        return out

    class Document(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            level = getattr(flowable, "toc_level", None)
            if level is not None:
                key = f"h{self.seq.nextf('heading')}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
                self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

    def heading(label, style, level=0):
        paragraph = Paragraph(label, style)
        paragraph.toc_level = level
        return paragraph

    toc = TableOfContents(
        levelStyles=[
            ParagraphStyle("t0", parent=body),
            ParagraphStyle("t1", parent=body, leftIndent=14),
        ]
    )
    story = [
        Spacer(1, 30 * mm),
        Paragraph(data["mission"], body),
        Paragraph(data["title"], h1),
        Paragraph("Vilnius, 20 June 2024", body),
        Paragraph("mission@example.org", body),
        PageBreak(),
        Paragraph("Contents", h1),
        toc,
        heading("Key findings", h1),
        *text(data["key_findings"]),
        PageBreak(),
    ]
    for section in data["sections"]:
        story += [heading(section["heading"], h1), *text(section["body"])]
    story += [heading("Recommendations", h1), *text(data["recommendations"])]
    story += [heading("Methodology note", h1), *text(data["methodology"])]
    story += [
        heading("Annex: documented cases in figures", h1),
        *chart(figures["incidents.by_criterion"]),
    ]
    for key in (
        "incidents.by_criterion",
        "incidents.by_stage",
        "incidents.by_region",
        "incidents.by_severity",
    ):
        story += [heading(en(figures[key]["title"]), h2, 1), *counts(figures[key])]

    def footer(canvas, document):
        canvas.setFont("BenchSans", 8)
        canvas.drawString(20 * mm, 10 * mm, data["title"][:90])
        canvas.drawRightString(190 * mm, 10 * mm, f"Page {document.page}")

    buffer = io.BytesIO()
    Document(buffer, pagesize=A4, title=data["title"], invariant=1).multiBuild(
        story, onFirstPage=footer, onLaterPages=footer
    )
    return buffer.getvalue()
