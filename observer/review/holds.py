"""Holds: a coordinator takes a report (or the next few) when opening it, so that nobody else
triages it at the same time. Others see who holds it and the queue skips it for them; a hold
lapses after REVIEW_HOLD_MINUTES, on release, or when its holder decides the report.

Taking is one INSERT ... ON CONFLICT DO UPDATE whose WHERE refuses to overwrite somebody
else's live hold, so two coordinators opening the same report at the same instant cannot both
get it. Optimistic locking on the report (its version) stays the last line of defence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import and_, bindparam, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from observer.extensions import db
from observer.models import Report, ReportHold, User, utcnow


@dataclass(frozen=True)
class Hold:
    report_id: int
    holder_id: int
    holder_code: str | None
    expires_at: datetime


def hold_minutes() -> int:
    return int(current_app.config.get("REVIEW_HOLD_MINUTES", 15))


def _live(now: datetime):
    return and_(ReportHold.holder_id.is_not(None), ReportHold.expires_at > now)


def held_by_others(user_id: int, now: datetime | None = None):
    """SQL condition on Report: someone other than this user holds it now."""
    now = now or utcnow()
    return exists().where(
        ReportHold.report_id == Report.id, ReportHold.holder_id != user_id, _live(now)
    )


# The statements every decision runs are built once; only their parameters change.
_CURRENT_HOLDS = (
    select(ReportHold.report_id, ReportHold.holder_id, User.observer_code, ReportHold.expires_at)
    .join(User, User.id == ReportHold.holder_id)
    .where(ReportHold.report_id.in_(bindparam("ids", expanding=True)), _live(bindparam("now")))
)
_END_HOLD = (
    update(ReportHold)
    .where(ReportHold.report_id == bindparam("id"))
    .values(holder_id=None, expires_at=None)
)


def current_holds(report_ids: Sequence[int], now: datetime | None = None) -> dict[int, Hold]:
    """The live holds on these reports, with the holder's pseudonymous code (one query)."""
    if not report_ids:
        return {}
    rows = db.session.connection().execute(
        _CURRENT_HOLDS, {"ids": list(report_ids), "now": now or utcnow()}
    )
    return {row[0]: Hold(*row) for row in rows}


def _insert(dialect_name: str):
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(ReportHold)


def take(report_ids: Iterable[int], user: User, now: datetime | None = None) -> list[int]:
    """Take these reports for `user` (renewing the user's own holds) in the caller's
    transaction. Returns the ids now held by the user; the others, held by somebody else, were
    left alone (the upsert's RETURNING names only the rows it wrote)."""
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        return []
    now = now or utcnow()
    expires = now + timedelta(minutes=hold_minutes())
    dialect = db.session.get_bind().dialect.name
    if len(ids) == 1:  # opening a report, or the next one after a decision
        taken = db.session.connection().execute(
            _take_one(dialect),
            {"report_id": ids[0], "holder_id": user.id, "expires_at": expires, "now": now},
        )
        return list(taken.scalars())
    stmt = _insert(dialect).values(
        [
            {"report_id": rid, "holder_id": user.id, "expires_at": expires, "first_opened_at": now}
            for rid in ids
        ]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[ReportHold.report_id],
        set_={"holder_id": user.id, "expires_at": expires},
        where=or_(
            ReportHold.holder_id.is_(None),
            ReportHold.holder_id == user.id,
            ReportHold.expires_at <= now,
        ),
    ).returning(ReportHold.report_id)
    taken = set(db.session.execute(stmt).scalars())
    return [rid for rid in ids if rid in taken]


@cache
def _take_one(dialect: str):
    """take() for one report, built once per database kind: the same upsert with parameters."""
    holder, expires = bindparam("holder_id"), bindparam("expires_at")
    stmt = _insert(dialect).values(
        report_id=bindparam("report_id"),
        holder_id=holder,
        expires_at=expires,
        first_opened_at=bindparam("now"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[ReportHold.report_id],
        set_={"holder_id": holder, "expires_at": expires},
        where=or_(
            ReportHold.holder_id.is_(None),
            ReportHold.holder_id == holder,
            ReportHold.expires_at <= bindparam("now"),
        ),
    ).returning(ReportHold.report_id)


def release(report_ids: Iterable[int], user: User) -> int:
    """End the user's own holds on these reports; returns how many ended."""
    ids = list(report_ids)
    if not ids:
        return 0
    result = db.session.execute(
        update(ReportHold)
        .where(ReportHold.report_id.in_(ids), ReportHold.holder_id == user.id)
        .values(holder_id=None, expires_at=None)
    )
    return result.rowcount or 0


def end_after_decision(report_id: int) -> None:
    """A decided report is nobody's to hold any more (whoever held it)."""
    db.session.connection().execute(_END_HOLD, {"id": report_id})
