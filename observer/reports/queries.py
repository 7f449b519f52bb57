"""Read-side queries about reports used across pages."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from observer.extensions import db
from observer.models import Report, ReviewEvent, Status

# Built once: every page's navigation runs it (the badge beside "My reports"), so it goes
# straight to the connection instead of building a select and an ORM result each time.
_AWAITING_ANSWER = select(func.count(Report.id)).where(
    Report.author_id == bindparam("author_id"), Report.status == Status.NEEDS_INFO
)


def count_awaiting_answer(author_id: int) -> int:
    """Reports of this author that a coordinator sent back with a question."""
    return db.session.connection().execute(_AWAITING_ANSWER, {"author_id": author_id}).scalar()


def awaiting_answer(author_id: int, limit: int = 50) -> list[Report]:
    return list(
        db.session.execute(
            select(Report)
            .where(Report.author_id == author_id, Report.status == Status.NEEDS_INFO)
            .order_by(Report.id.desc())
            .limit(limit)
        ).scalars()
    )


def reports_of(
    author_id: int, *, status: str | None = None, before_id: int | None = None, limit: int = 20
) -> tuple[list[Report], bool]:
    """One page of the author's reports, newest first (keyset on id: any page is as fast as the
    first). Returns the page and whether more follow."""
    query = (
        select(Report)
        .options(joinedload(Report.criterion))
        .where(Report.author_id == author_id)
        .order_by(Report.id.desc())
        .limit(limit + 1)
    )
    if status:
        query = query.where(Report.status == status)
    if before_id is not None:
        query = query.where(Report.id < before_id)
    rows = list(db.session.execute(query).scalars())
    return rows[:limit], len(rows) > limit


def report_for_page(report_id: int) -> Report | None:
    """A report with everything its page shows, in a fixed number of queries."""
    if not 0 < report_id < 2**31:  # beyond the integer column: cannot exist
        return None
    return (
        db.session.execute(
            select(Report)
            .options(
                joinedload(Report.criterion),
                joinedload(Report.stage),
                joinedload(Report.region),
                joinedload(Report.district),
                joinedload(Report.campaign),
                joinedload(Report.duplicate_of),
                selectinload(Report.further_criteria),
                selectinload(Report.attachments),
            )
            .where(Report.id == report_id)
        )
        .unique()
        .scalar_one_or_none()
    )


def history_of(report_id: int) -> list[ReviewEvent]:
    return list(
        db.session.execute(
            select(ReviewEvent).where(ReviewEvent.report_id == report_id).order_by(ReviewEvent.seq)
        ).scalars()
    )


def latest_question(report_id: int) -> ReviewEvent | None:
    """The coordinator's most recent request for more information on this report."""
    return db.session.execute(
        select(ReviewEvent)
        .where(ReviewEvent.report_id == report_id, ReviewEvent.to_status == Status.NEEDS_INFO)
        .order_by(ReviewEvent.seq.desc())
        .limit(1)
    ).scalar_one_or_none()
