"""Aggregation of reports, all in SQL (GROUP BY). Used by the dashboard, the exports and the
statistics snapshot of statements. Nothing here loops over report rows in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, func, select

from observer.extensions import db
from observer.models import Report, Status


@dataclass(frozen=True)
class ReportFilter:
    """Which reports to count. Empty tuples mean 'any'. `region_scope` is the viewer's own limit
    (a coordinator assigned to some regions) and is applied on top of `region_ids`."""

    statuses: tuple[str, ...] = (Status.VERIFIED,)
    campaign_id: int | None = None
    stage_ids: tuple[int, ...] = ()
    criterion_ids: tuple[int, ...] = ()
    region_ids: tuple[int, ...] = ()
    district_ids: tuple[int, ...] = ()
    severities: tuple[int, ...] = ()
    source_types: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    region_scope: tuple[int, ...] | None = field(default=None)

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.statuses:
            where.append(Report.status.in_(self.statuses))
        else:
            where.append(Report.status != Status.DRAFT)  # drafts are never counted anywhere
        if self.campaign_id is not None:
            where.append(Report.campaign_id == self.campaign_id)
        for column, values in (
            (Report.stage_id, self.stage_ids),
            (Report.criterion_id, self.criterion_ids),
            (Report.region_id, self.region_ids),
            (Report.district_id, self.district_ids),
            (Report.severity, self.severities),
            (Report.source_type, self.source_types),
        ):
            if values:
                where.append(column.in_(values))
        if self.date_from is not None:
            where.append(Report.occurred_on >= self.date_from)
        if self.date_to is not None:
            where.append(Report.occurred_on <= self.date_to)
        if self.region_scope is not None:
            where.append(Report.region_id.in_(self.region_scope))
        return where


# Each dimension is the column(s) a count is grouped by.
DIMENSIONS = {
    "criterion": (Report.criterion_id,),
    "stage": (Report.stage_id,),
    "region": (Report.region_id,),
    "district": (Report.district_id,),
    "severity": (Report.severity,),
    "source_type": (Report.source_type,),
    "scope": (Report.scope,),
    "status": (Report.status,),
    "day": (Report.occurred_on,),
    "criterion_stage": (Report.criterion_id, Report.stage_id),
    "region_district": (Report.region_id, Report.district_id),
}


def count_query(report_filter: ReportFilter, dimension: str) -> Select:
    columns = DIMENSIONS[dimension]
    return (
        select(*columns, func.count(Report.id).label("count"))
        .where(*report_filter.conditions())
        .group_by(*columns)
        .order_by(*columns)
    )


def count_by(report_filter: ReportFilter, dimension: str) -> list[tuple]:
    """[(key..., count), ...] ordered by key: e.g. count_by(f, "region") → [(region_id, n), ...]."""
    return [tuple(row) for row in db.session.execute(count_query(report_filter, dimension))]


def total(report_filter: ReportFilter) -> int:
    return db.session.execute(
        select(func.count(Report.id)).where(*report_filter.conditions())
    ).scalar_one()
