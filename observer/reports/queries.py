"""Read-side queries about reports used across pages."""

from __future__ import annotations

from sqlalchemy import func, select

from observer.extensions import db
from observer.models import Report, Status


def count_awaiting_answer(author_id: int) -> int:
    """Reports of this author that a coordinator sent back with a question."""
    return db.session.execute(
        select(func.count(Report.id)).where(
            Report.author_id == author_id, Report.status == Status.NEEDS_INFO
        )
    ).scalar_one()
