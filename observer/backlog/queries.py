"""The election-night backlog in SQL: reports received and decided per hour, what waits by
region and by severity, the oldest waiting, critical reports nobody has opened, decisions per
coordinator. Every figure is one aggregate query within the viewer's region scope.

The page refreshes itself for every coordinator all night, so the statements go straight to
the connection and come back as plain rows: no ORM objects, which cost more than the queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import ColumnElement, bindparam, exists, func, select, true

from observer.catalog.snapshot import Item
from observer.extensions import db
from observer.models import Region, Report, ReportHold, ReviewEvent, Status, User, utcnow

WINDOWS = (6, 12, 24, 48)  # hours shown per hour
DEFAULT_WINDOW = 24
DECISION_TARGETS = (Status.VERIFIED, Status.REJECTED, Status.DUPLICATE, Status.NEEDS_INFO)
LIST_SIZE = 5


def hour_bucket(column, dialect: str) -> ColumnElement:
    """The UTC hour a timestamp falls in, as the database can group by it."""
    if dialect == "postgresql":
        return func.date_trunc("hour", func.timezone("UTC", column))
    return func.strftime("%Y-%m-%d %H:00:00", column)


def _as_hour(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Backlog:
    since: datetime
    hours: list[datetime]
    received: dict[datetime, int]
    decided: dict[datetime, int]
    waiting_by_region: dict[int, int]
    waiting_by_severity: dict[int, int]
    oldest: list  # rows: id, reference, submitted_at, severity, region_id
    critical_unopened: int
    critical_unopened_oldest: list
    decisions_by_coordinator: list[tuple[str, int]]

    @property
    def waiting(self) -> int:
        return sum(self.waiting_by_severity.values())


def _run(statement, params: dict):
    return db.session.connection().execute(statement, params)


def _listed(*where):
    """The first reports waiting longest among these, with what the lists show of them."""
    return (
        select(Report.id, Report.reference, Report.submitted_at, Report.severity, Report.region_id)
        .where(*where)
        .order_by(Report.submitted_at, Report.id)
        .limit(LIST_SIZE)
    )


@dataclass(frozen=True)
class _Statements:
    received: object
    decided: object
    oldest: object
    critical_count: object
    critical_oldest: object
    by_coordinator: object
    waiting_by_region: object
    waiting_by_severity: object


@cache
def _statements(dialect: str, scoped: bool) -> _Statements:
    """The page's statements, built once per database kind and scope kind; the window start
    and the regions are parameters (`since`, `scope`)."""
    scope = Report.region_id.in_(bindparam("scope", expanding=True)) if scoped else true()
    since = bindparam("since")
    waiting = (Report.status == Status.SUBMITTED, scope)
    decision = (
        ReviewEvent.kind == "status",
        ReviewEvent.from_status == Status.SUBMITTED,
        ReviewEvent.to_status.in_(DECISION_TARGETS),
        ReviewEvent.report_id.in_(select(Report.id).where(scope)) if scoped else true(),
    )
    critical = (*waiting, Report.severity == 4, ~exists().where(ReportHold.report_id == Report.id))

    def per_hour(column, *where):
        bucket = hour_bucket(column, dialect).label("hour")
        return select(bucket, func.count()).where(column >= since, *where).group_by(bucket)

    def waiting_by(column):
        return select(column, func.count(Report.id)).where(*waiting).group_by(column)

    return _Statements(
        received=per_hour(Report.submitted_at, Report.status != Status.DRAFT, scope),
        decided=per_hour(ReviewEvent.created_at, *decision),
        oldest=_listed(*waiting),
        critical_count=select(func.count(Report.id)).where(*critical),
        critical_oldest=_listed(*critical),
        by_coordinator=select(User.observer_code, func.count(ReviewEvent.id).label("n"))
        .join(User, User.id == ReviewEvent.actor_id)
        .where(ReviewEvent.created_at >= since, *decision)
        .group_by(User.observer_code)
        .order_by(func.count(ReviewEvent.id).desc(), User.observer_code),
        waiting_by_region=waiting_by(Report.region_id),
        waiting_by_severity=waiting_by(Report.severity),
    )


def backlog(
    region_scope: tuple[int, ...] | None, hours: int = DEFAULT_WINDOW, now: datetime | None = None
) -> Backlog:
    now = now or utcnow()
    since = (now - timedelta(hours=hours - 1)).replace(minute=0, second=0, microsecond=0)
    statements = _statements(db.session.get_bind().dialect.name, region_scope is not None)
    params = {"since": since}
    if region_scope is not None:
        params["scope"] = list(region_scope)

    def run(statement):
        return _run(statement, params)

    def per_hour(statement) -> dict[datetime, int]:
        return {_as_hour(hour): count for hour, count in run(statement)}

    return Backlog(
        since=since,
        hours=[since + timedelta(hours=n) for n in range(hours)],
        received=per_hour(statements.received),
        decided=per_hour(statements.decided),
        waiting_by_region=dict(run(statements.waiting_by_region).all()),
        waiting_by_severity=dict(run(statements.waiting_by_severity).all()),
        oldest=run(statements.oldest).all(),
        critical_unopened=run(statements.critical_count).scalar_one(),
        critical_unopened_oldest=run(statements.critical_oldest).all(),
        decisions_by_coordinator=[(code or "—", n) for code, n in run(statements.by_coordinator)],
    )


_REGIONS = select(
    Region.id, Region.iso_code, Region.name_en, Region.name_be, Region.name_ru
).order_by(Region.position, Region.id)


def regions_in_scope(region_scope: tuple[int, ...] | None) -> list[Item]:
    """The regions the viewer may see, in catalog order, as plain localizable items."""
    rows = db.session.connection().execute(_REGIONS)
    return [
        Item(row.id, row.iso_code, None, True, row.name_en, row.name_be, row.name_ru)
        for row in rows
        if region_scope is None or row.id in region_scope
    ]
