"""What a queue row shows besides the report itself: how long it has waited, its evidence
count and who holds it. Looked up for one page of rows at a time (two small queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from observer.models import Report, Status, User, utcnow
from observer.review.holds import Hold, current_holds
from observer.review.queue import evidence_counts


@dataclass(frozen=True)
class QueueRow:
    report: Report
    waited: timedelta | None  # since submission, while it waits for review
    evidence: int
    hold: Hold | None
    held_by_me: bool


def queue_rows(reports: list[Report], user: User, now: datetime | None = None) -> list[QueueRow]:
    now = now or utcnow()
    ids = [report.id for report in reports]
    evidence = evidence_counts(ids)
    holds = current_holds(ids, now)
    rows = []
    for report in reports:
        waiting = report.status == Status.SUBMITTED and report.submitted_at is not None
        hold = holds.get(report.id)
        rows.append(
            QueueRow(
                report=report,
                waited=now - report.submitted_at if waiting else None,
                evidence=evidence.get(report.id, 0),
                hold=hold,
                held_by_me=hold is not None and hold.holder_id == user.id,
            )
        )
    return rows
