"""Coordinators' review of reports: loading within scope, decisions, comments, history.

Views call these; tests call them directly. Every function that writes commits its own
transaction, and turns a concurrent update (StaleDataError) into ConflictError."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from flask_babel import format_time
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload, load_only, selectinload
from sqlalchemy.orm.exc import StaleDataError

from observer.extensions import db
from observer.models import Report, ReviewEvent, Status, User
from observer.review import holds
from observer.review.queue import QueueQuery, fetch_page, next_in_queue
from observer.review.scope import staff_can_see
from observer.review.workflow import (
    ConflictError,
    TransitionError,
    add_comment,
    allowed_transitions,
    apply_transition,
)
from observer.transactions import commit_keeping_loaded

# The decisions a coordinator takes on the review page (the author's submit/resubmit are not).
DECISIONS = ("verify", "reject", "needs_info", "duplicate", "reopen")

__all__ = [
    "DECISIONS",
    "ConflictError",
    "HeldElsewhere",
    "ReportNotFound",
    "TransitionError",
    "UnknownOriginal",
    "comment",
    "decide",
    "decisions_for",
    "find_by_reference",
    "history",
    "last_status_change",
    "load_for_review",
    "open_for_review",
    "release",
    "take_many",
    "take_next",
]


class ReportNotFound(LookupError):
    """No such report for this viewer (missing, a draft, or outside their regions): a 404."""


class UnknownOriginal(TransitionError):
    """The reference given as the original of a duplicate does not name a usable report."""


class HeldElsewhere(TransitionError):
    """Another coordinator holds the report now (the user's own hold lapsed and was taken,
    or they never had it): nothing was written."""


def held_elsewhere_message(reference: str | None, hold: holds.Hold):
    return _l(
        "%(reference)s is held by %(holder)s until %(until)s: nothing was saved. "
        "Choose another report or wait until the hold lapses.",
        reference=reference or "",
        holder=hold.holder_code or "",
        until=format_time(hold.expires_at, "HH:mm"),
    )


def open_for_review(report_id: int, user: User) -> tuple[Report, holds.Hold | None]:
    """Load a report for review and take it for the user (commits). Returns the report and, if
    somebody else holds it, their hold (the report is then left to them)."""
    report = load_for_review(report_id, user)
    if report.status != Status.SUBMITTED or report.is_author(user):
        return report, None
    taken = holds.take([report.id], user)
    commit_keeping_loaded()  # wrote the hold only: the report and the user are as loaded
    if not taken:
        return report, holds.current_holds([report.id]).get(report.id)
    return report, None


def release(report_id: int, user: User) -> None:
    load_for_review(report_id, user)
    holds.release([report_id], user)
    db.session.commit()


def take_next(query: QueueQuery, user: User, current) -> int | None:
    """The id of the next report of this queue not held by anybody else, taken for the user
    (commits); None when the queue is empty. `current` is where the coordinator was (a Report
    or a Decided)."""
    taken = _take_next(query, user, current)
    db.session.commit()
    return taken


def _take_next(query: QueueQuery, user: User, current) -> int | None:
    query = replace(query, skip_held_for=user.id)
    for _attempt in range(3):  # another coordinator may take it between our read and write
        candidate = next_in_queue(query, current)
        if candidate is None:
            return None
        if holds.take([candidate], user) == [candidate]:
            return candidate
        # Taken by someone else in the same instant (the upsert wrote nothing): the queue,
        # read again, skips it now.
    return None


def _author_code_only():
    return joinedload(Report.author).options(
        load_only(User.id, User.observer_code), lazyload(User.regions)
    )


# Built once: the review page (shown after every decision) loads its report with this.
_FOR_REVIEW = (
    select(Report)
    .where(Report.id == bindparam("report_id"))
    .options(
        _author_code_only(),
        joinedload(Report.criterion),
        joinedload(Report.stage),
        joinedload(Report.region),
        joinedload(Report.district),
        joinedload(Report.duplicate_of),
        selectinload(Report.further_criteria),
        selectinload(Report.attachments),
    )
)


def load_for_review(report_id: int, user: User) -> Report:
    report = db.session.execute(_FOR_REVIEW, {"report_id": report_id}).unique().scalar_one_or_none()
    if report is None or report.status == Status.DRAFT or not staff_can_see(user, report):
        raise ReportNotFound(report_id)
    return report


def find_by_reference(reference: str | None, user: User) -> Report | None:
    """A non-draft report the user may see, by its public reference (None if there is none)."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    report = db.session.execute(
        select(Report).where(Report.reference == reference)
    ).scalar_one_or_none()
    if report is None or report.status == Status.DRAFT or not staff_can_see(user, report):
        return None
    return report


TAKE_AT_MOST = 20


def take_many(query: QueueQuery, user: User, count: int) -> list[Report]:
    """Take the next `count` reports of this queue that nobody else holds (commits); the ones
    another coordinator took in the same instant are left out."""
    count = max(1, min(count, TAKE_AT_MOST))
    query = replace(query, skip_held_for=user.id)
    candidates = fetch_page(query, None, page_size=count).reports
    taken = set(holds.take([report.id for report in candidates], user))
    db.session.commit()
    return [report for report in candidates if report.id in taken]


def decisions_for(report: Report, user: User) -> list[str]:
    """The decisions to offer this user on the review page, in a stable order."""
    names = {t.name for t in allowed_transitions(report, user) if t.name in DECISIONS}
    return [name for name in DECISIONS if name in names]


_HISTORY = (
    select(
        ReviewEvent.created_at,
        ReviewEvent.kind,
        ReviewEvent.from_status,
        ReviewEvent.to_status,
        ReviewEvent.note,
        ReviewEvent.details,
        User.observer_code.label("actor_code"),
    )
    .outerjoin(User, User.id == ReviewEvent.actor_id)
    .where(ReviewEvent.report_id == bindparam("report_id"))
    .order_by(ReviewEvent.seq)
)


def history(report_id: int) -> Sequence:
    """The report's events, oldest first, as plain rows (created_at, kind, from_status,
    to_status, note, details, actor_code): the review page shows them on every decision."""
    return db.session.connection().execute(_HISTORY, {"report_id": report_id}).all()


def last_status_change(report_id: int) -> ReviewEvent | None:
    return (
        db.session.execute(
            select(ReviewEvent)
            .where(ReviewEvent.report_id == report_id, ReviewEvent.kind == "status")
            .options(joinedload(ReviewEvent.actor).options(lazyload(User.regions)))
            .order_by(ReviewEvent.seq.desc())
            .limit(1)
        )
        .unique()
        .scalar_one_or_none()
    )


@dataclass(frozen=True)
class Decided:
    """What is left to know of a decided report once its transaction is committed: its
    reference for the message and its place in the queue's orders (a keyset cursor)."""

    id: int
    reference: str | None
    seq: int
    submitted_at: datetime | None
    occurred_on: date
    severity: int
    next_id: int | None = None


def _load_to_decide(report_id: int, user: User) -> Report:
    """The report row alone (a decision needs nothing else loaded), within the user's scope."""
    report = db.session.get(Report, report_id)
    if report is None or report.status == Status.DRAFT or not staff_can_see(user, report):
        raise ReportNotFound(report_id)
    return report


def decide(report_id: int, user: User, action: str, **decision) -> int:
    """Take a decision on a report the user saw at `version`; commits. Returns the sequence
    number of the review event recorded. See decide_report."""
    return decide_report(report_id, user, action, **decision).seq


def decide_report(
    report_id: int,
    user: User,
    action: str,
    *,
    version: int,
    note: str | None = None,
    source_reliability: str | None = None,
    info_credibility: int | None = None,
    duplicate_of: str | None = None,
    then_take_next_of: QueueQuery | None = None,
) -> Decided:
    """Take a decision on a report the user saw at `version`; commits.

    With `then_take_next_of`, the next report of that queue is taken for the user in the same
    transaction (Decided.next_id; None when the queue is empty): one commit per decision.

    Raises ReportNotFound (404), TransitionError (the action is not possible: message for the
    user), HeldElsewhere (another coordinator holds it) or ConflictError (someone changed the
    report since; nothing was written)."""
    if action not in DECISIONS:
        raise TransitionError(_l("Unknown action."))
    if not user.is_staff:
        raise TransitionError(_l("Your account may not take this action on this report."))
    report = _load_to_decide(report_id, user)
    try:
        if version != report.version:
            raise ConflictError(report)
        hold = holds.current_holds([report.id]).get(report.id)
        if hold is not None and hold.holder_id != user.id:
            raise HeldElsewhere(held_elsewhere_message(report.reference, hold))
        original = None
        if action == "duplicate":
            original = find_by_reference(duplicate_of, user)
            if original is None:
                raise UnknownOriginal(
                    _l(
                        "No report with the reference %(reference)s is available to you.",
                        reference=(duplicate_of or "").strip().upper(),
                    )
                )
            if original.id == report.id:
                raise UnknownOriginal(_l("A report cannot be a duplicate of itself."))
        seq = apply_transition(
            report,
            user,
            action,
            note=note,
            expected_version=version,
            source_reliability=source_reliability,
            info_credibility=info_credibility,
            duplicate_of=original,
        )
        holds.end_after_decision(report.id)
        decided = Decided(
            report.id,
            report.reference,
            seq,
            report.submitted_at,
            report.occurred_on,
            report.severity,
        )
        if then_take_next_of is not None:
            decided = replace(decided, next_id=_take_next(then_take_next_of, user, decided))
        # The report was written through the loaded object; the rest are holds and an event.
        commit_keeping_loaded()
    except StaleDataError:
        # Another decision was committed between our read and our UPDATE ... WHERE version = n.
        db.session.rollback()
        raise ConflictError(load_for_review(report_id, user)) from None
    except (TransitionError, ConflictError):
        db.session.rollback()
        raise
    return decided


def comment(report_id: int, user: User, note: str) -> int:
    """A coordinator's comment on a report in their scope; commits. Returns the event's
    sequence number."""
    report = load_for_review(report_id, user)
    try:
        seq = add_comment(report, user, note)
        db.session.commit()
    except TransitionError:
        db.session.rollback()
        raise
    return seq
