"""The election-night backlog in SQL: reports received and decided per hour, what waits by
region and by severity, the oldest waiting, critical reports nobody has opened, decisions per
coordinator. Every figure is one aggregate query within the viewer's region scope.

The page refreshes itself for every coordinator all night, so the statements go straight to
the connection and come back as plain rows: no ORM objects, which cost more than the queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, exists, func, select, true

from observer.extensions import db
from observer.models import Region, Report, ReportHold, ReviewEvent, Status, User, utcnow

WINDOWS = (6, 12, 24, 48)  # hours shown per hour
DEFAULT_WINDOW = 24
DECISION_TARGETS = (Status.VERIFIED, Status.REJECTED, Status.DUPLICATE, Status.NEEDS_INFO)
LIST_SIZE = 5


def hour_bucket(column) -> ColumnElement:
    """The UTC hour a timestamp falls in, as the database can group by it."""
    if db.session.get_bind().dialect.name == "postgresql":
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


def _scoped(region_scope: tuple[int, ...] | None):
    return true() if region_scope is None else Report.region_id.in_(region_scope)


def _run(statement):
    return db.session.connection().execute(statement)


def per_hour(column, since: datetime, *where) -> dict[datetime, int]:
    bucket = hour_bucket(column).label("hour")
    rows = _run(select(bucket, func.count()).where(column >= since, *where).group_by(bucket))
    return {_as_hour(hour): count for hour, count in rows}


def waiting_by(column, scope) -> dict:
    rows = _run(
        select(column, func.count(Report.id))
        .where(Report.status == Status.SUBMITTED, scope)
        .group_by(column)
    )
    return dict(rows.all())


def _listed(*where):
    """The first reports waiting longest among these, with what the lists show of them."""
    return _run(
        select(Report.id, Report.reference, Report.submitted_at, Report.severity, Report.region_id)
        .where(*where)
        .order_by(Report.submitted_at, Report.id)
        .limit(LIST_SIZE)
    ).all()


def _not_opened():
    return ~exists().where(ReportHold.report_id == Report.id)


def backlog(
    region_scope: tuple[int, ...] | None, hours: int = DEFAULT_WINDOW, now: datetime | None = None
) -> Backlog:
    now = now or utcnow()
    since = (now - timedelta(hours=hours - 1)).replace(minute=0, second=0, microsecond=0)
    scope = _scoped(region_scope)
    waiting = (Report.status == Status.SUBMITTED, scope)
    received = per_hour(Report.submitted_at, since, Report.status != Status.DRAFT, scope)
    decision = (
        ReviewEvent.kind == "status",
        ReviewEvent.from_status == Status.SUBMITTED,
        ReviewEvent.to_status.in_(DECISION_TARGETS),
    )
    in_scope_event = (
        true()
        if region_scope is None
        else ReviewEvent.report_id.in_(select(Report.id).where(scope))
    )
    decided = per_hour(ReviewEvent.created_at, since, *decision, in_scope_event)
    oldest = _listed(*waiting)
    critical = (*waiting, Report.severity == 4, _not_opened())
    critical_count = _run(select(func.count(Report.id)).where(*critical)).scalar_one()
    critical_oldest = _listed(*critical)
    by_coordinator = _run(
        select(User.observer_code, func.count(ReviewEvent.id).label("n"))
        .join(User, User.id == ReviewEvent.actor_id)
        .where(ReviewEvent.created_at >= since, *decision, in_scope_event)
        .group_by(User.observer_code)
        .order_by(func.count(ReviewEvent.id).desc(), User.observer_code)
    ).all()
    return Backlog(
        since=since,
        hours=[since + timedelta(hours=n) for n in range(hours)],
        received=received,
        decided=decided,
        waiting_by_region=waiting_by(Report.region_id, scope),
        waiting_by_severity=waiting_by(Report.severity, scope),
        oldest=oldest,
        critical_unopened=critical_count,
        critical_unopened_oldest=critical_oldest,
        decisions_by_coordinator=[(code or "—", n) for code, n in by_coordinator],
    )


def regions_in_scope(region_scope: tuple[int, ...] | None) -> list[Region]:
    query = select(Region).order_by(Region.position, Region.id)
    if region_scope is not None:
        query = query.where(Region.id.in_(region_scope))
    return list(db.session.scalars(query))
