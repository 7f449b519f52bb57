"""The figures of a statement, counted in SQL from verified reports (dashboard/queries.py),
labelled in the statement's language, in the JSON-friendly form a snapshot keeps."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from observer.dashboard.queries import ReportFilter, count_by, total
from observer.extensions import db
from observer.models import SEVERITIES, Criterion, Region, Stage, Status
from observer.statements.labels import language_of, severity_label


def statement_filter(
    campaign_id: int, stage_ids: tuple[int, ...], date_from: date, date_to: date
) -> ReportFilter:
    """Only verified reports count in a statement (the methodology note says so)."""
    return ReportFilter(
        statuses=(Status.VERIFIED,),
        campaign_id=campaign_id,
        stage_ids=tuple(sorted(stage_ids)),
        date_from=date_from,
        date_to=date_to,
    )


def compute_statistics(report_filter: ReportFilter, language: str) -> dict[str, Any]:
    """Totals and counts by criterion, stage, region and severity, with their labels."""
    language = language_of(language)
    by_criterion = dict(count_by(report_filter, "criterion"))
    by_stage = dict(count_by(report_filter, "stage"))
    by_region = dict(count_by(report_filter, "region"))
    by_severity = dict(count_by(report_filter, "severity"))
    districts = sum(1 for district_id, _count in count_by(report_filter, "district") if district_id)

    stages = _rows_by_id(Stage, set(by_stage) | _criterion_stage_ids(by_criterion))
    criteria = _rows_by_id(Criterion, set(by_criterion))
    regions = _rows_by_id(Region, set(by_region))
    return {
        "total": total(report_filter),
        "districts": districts,
        "by_criterion": [
            {
                "key": criterion.code,
                "label": criterion.name_in(language),
                "count": by_criterion[criterion.id],
                "group": stages[criterion.stage_id].code if criterion.stage_id in stages else "",
            }
            for criterion in criteria.values()
        ],
        "by_stage": [
            {"key": stage.code, "label": stage.name_in(language), "count": by_stage[stage.id]}
            for stage in stages.values()
            if stage.id in by_stage
        ],
        "by_region": [
            {
                "key": region.iso_code,
                "label": region.name_in(language),
                "count": by_region[region.id],
            }
            for region in regions.values()
        ],
        "by_severity": [
            {
                "key": str(level),
                "label": severity_label(language, level),
                "count": by_severity.get(level, 0),
            }
            for level in SEVERITIES
        ],
    }


def _criterion_stage_ids(criterion_counts: dict[int, int]) -> set[int]:
    if not criterion_counts:
        return set()
    return set(
        db.session.execute(
            select(Criterion.stage_id).where(Criterion.id.in_(criterion_counts)).distinct()
        ).scalars()
    )


def _rows_by_id(model, ids: set[int]) -> dict[int, Any]:
    """Catalog rows for the given ids in catalog order, in one query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    order = (model.position, model.id)
    rows = db.session.execute(select(model).where(model.id.in_(ids)).order_by(*order)).scalars()
    return {row.id: row for row in rows}
