"""Statements for tests: drafts built through the service, reports through tests/factories.py,
and helpers to read PDFs back (pdftotext from poppler-utils, pypdf)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

from pypdf import PdfReader
from sqlalchemy import func, select

from observer.extensions import db
from observer.models import Criterion, Region, Report, Stage, Statement, Status
from observer.statements import service
from tests.factories import make_report

BE_TITLE = "Папярэдняя заява: ціск на выбаршчыкаў і ўдзельнікаў кампаніі"
PERIOD = (date(2024, 1, 1), date(2024, 2, 29))


def stage_ids(campaign, *codes: str) -> list[int]:
    query = select(Stage.id).where(Stage.campaign_id == campaign.id)
    if codes:
        query = query.where(Stage.code.in_(codes))
    return list(db.session.execute(query.order_by(Stage.position)).scalars())


def statement_input(campaign, **overrides) -> service.StatementInput:
    values = {
        "campaign_id": campaign.id,
        "stage_ids": stage_ids(campaign),
        "language": "be",
        "title": BE_TITLE,
        "period_start": PERIOD[0],
        "period_end": PERIOD[1],
        "key_findings": "- Ціск на выбаршчыкаў быў сістэмным.\n- Назіральнікаў не пускалі.",
        "recommendations": "Спыніць пераслед актывістаў.",
        "methodology": "",
        "sections": [
            service.SectionInput("Агітацыя", "Кампанія праходзіла без сапраўднай канкурэнцыі."),
            service.SectionInput("Датэрміновае галасаванне", "Студэнтаў прымушалі галасаваць."),
        ],
    }
    values.update(overrides)
    return service.StatementInput(**values)


def make_statement(author, campaign, **overrides) -> Statement:
    statement = service.create_statement(author, statement_input(campaign, **overrides))
    db.session.commit()
    return statement


def publish_statement(statement: Statement, user) -> Statement:
    service.publish(statement, user)
    db.session.commit()
    return statement


def make_reports(observer, reviewer) -> list[Report]:
    """Verified and unverified reports across criteria, regions, severities and dates."""
    plan = [
        ("CAM-05", "BY-MI", 0, date(2024, 2, 10), 3, Status.VERIFIED),
        ("CAM-05", "BY-MI", 1, date(2024, 2, 11), 4, Status.VERIFIED),
        ("CAM-05", "BY-BR", 0, date(2024, 1, 20), 2, Status.VERIFIED),
        ("CAM-01", "BY-HM", 0, date(2024, 2, 1), 1, Status.VERIFIED),
        ("EV-01", "BY-HO", 2, date(2024, 2, 21), 4, Status.VERIFIED),
        ("EV-01", "BY-HO", 2, date(2024, 2, 22), 3, Status.VERIFIED),
        # Not counted: not verified, or outside the period.
        ("CAM-05", "BY-MI", 0, date(2024, 2, 12), 3, Status.SUBMITTED),
        ("CAM-01", "BY-VI", 0, date(2024, 2, 2), 2, Status.REJECTED),
        ("EV-01", "BY-HO", 0, date(2024, 2, 23), 2, Status.NEEDS_INFO),
        ("CAM-05", "BY-MI", 0, date(2023, 12, 1), 3, Status.VERIFIED),
        ("CAM-01", "BY-MA", 0, date(2024, 2, 5), 2, Status.DRAFT),
    ]
    return [
        make_report(
            observer,
            criterion=criterion,
            region=region,
            district_index=district,
            occurred_on=day,
            severity=severity,
            status=status,
            reviewer=reviewer,
        )
        for criterion, region, district, day, severity, status in plan
    ]


def db_counts(campaign, period=PERIOD) -> dict:
    """The figures counted directly in SQL, independently of the statements code."""
    where = (
        Report.status == Status.VERIFIED,
        Report.campaign_id == campaign.id,
        Report.occurred_on >= period[0],
        Report.occurred_on <= period[1],
    )
    by_code = dict(
        db.session.execute(
            select(Criterion.code, func.count(Report.id))
            .join(Criterion, Criterion.id == Report.criterion_id)
            .where(*where)
            .group_by(Criterion.code)
        ).all()
    )
    by_region = dict(
        db.session.execute(
            select(Region.name_be, func.count(Report.id))
            .join(Region, Region.id == Report.region_id)
            .where(*where)
            .group_by(Region.name_be)
        ).all()
    )
    by_severity = dict(
        db.session.execute(
            select(Report.severity, func.count(Report.id)).where(*where).group_by(Report.severity)
        ).all()
    )
    total = db.session.execute(select(func.count(Report.id)).where(*where)).scalar_one()
    districts = db.session.execute(
        select(func.count(func.distinct(Report.district_id))).where(*where)
    ).scalar_one()
    return {
        "total": total,
        "districts": districts,
        "by_code": by_code,
        "by_region": by_region,
        "by_severity": by_severity,
    }


def pdf_text(pdf: bytes, layout: bool = True) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def pypdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def table_count(text: str, label: str) -> int | None:
    """The number at the end of the layout line that starts with `label` (a table row)."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(label):
            match = re.search(r"\s(\d+)\s*$", stripped)
            if match:
                return int(match.group(1))
    return None
