"""Report status transitions: who may move a report from which status to which, in one place.

draft ──submit──▶ submitted ──verify──▶ verified
needs_info ─resubmit─▶ submitted ──reject──▶ rejected
                       submitted ──ask────▶ needs_info
                       submitted ──dup────▶ duplicate
verified | rejected | duplicate | needs_info ──reopen (staff)──▶ submitted
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from observer.audit.service import append_review_event
from observer.extensions import db
from observer.labels import STATUS_LABELS
from observer.models import INFO_CREDIBILITY, SOURCE_RELIABILITY, Report, Status, User, utcnow
from observer.reports.references import allocate_reference

AUTHOR = "author"
STAFF = "staff"


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    actor: str  # AUTHOR or STAFF
    note_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", Status.DRAFT, Status.SUBMITTED, AUTHOR),
    Transition("resubmit", Status.NEEDS_INFO, Status.SUBMITTED, AUTHOR),
    Transition("verify", Status.SUBMITTED, Status.VERIFIED, STAFF),
    Transition("reject", Status.SUBMITTED, Status.REJECTED, STAFF, note_required=True),
    Transition("needs_info", Status.SUBMITTED, Status.NEEDS_INFO, STAFF, note_required=True),
    Transition("duplicate", Status.SUBMITTED, Status.DUPLICATE, STAFF),
    Transition("reopen", Status.VERIFIED, Status.SUBMITTED, STAFF, note_required=True),
    Transition("reopen", Status.REJECTED, Status.SUBMITTED, STAFF, note_required=True),
    Transition("reopen", Status.DUPLICATE, Status.SUBMITTED, STAFF, note_required=True),
    Transition("reopen", Status.NEEDS_INFO, Status.SUBMITTED, STAFF, note_required=True),
)

NOTE_REQUIRED_MESSAGES = {
    "reject": _l("A reason is required to reject a report."),
    "needs_info": _l("Write the question the observer should answer."),
    "reopen": _l("A note is required to reopen a decision."),
}


class TransitionError(ValueError):
    """The requested change is not allowed; str(error) is a message for the user."""


class ConflictError(RuntimeError):
    """Someone else changed the report since the user loaded it."""

    def __init__(self, report: Report):
        super().__init__("conflict")
        self.report = report


def find_transition(name: str, source: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.name == name and transition.source == source:
            return transition
    return None


def allowed_transitions(report: Report, user: User) -> list[Transition]:
    """What this user may do with this report now (for showing the right buttons)."""
    return [t for t in TRANSITIONS if t.source == report.status and _may_act(t, report, user)]


def _may_act(transition: Transition, report: Report, user: User) -> bool:
    if transition.actor == AUTHOR:
        return report.is_author(user)
    return user.is_staff and not report.is_author(user)


def apply_transition(
    report: Report,
    user: User,
    name: str,
    *,
    note: str | None = None,
    expected_version: int | None = None,
    source_reliability: str | None = None,
    info_credibility: int | None = None,
    duplicate_of: Report | None = None,
):
    """Move the report through transition `name`, recording a chained review event.

    Runs in the caller's transaction; the caller commits and turns SQLAlchemy's StaleDataError
    (a concurrent update that slipped between load and commit) into ConflictError."""
    if expected_version is not None and expected_version != report.version:
        raise ConflictError(report)
    transition = find_transition(name, report.status)
    if transition is None:
        raise TransitionError(
            _l(
                "This report is %(status)s: that action is not possible now.",
                status=STATUS_LABELS.get(report.status, report.status),
            )
        )
    if not _may_act(transition, report, user):
        raise TransitionError(_l("Your account may not take this action on this report."))
    note = (note or "").strip() or None
    if transition.note_required and not note:
        raise TransitionError(NOTE_REQUIRED_MESSAGES[name])

    details: dict = {}
    if name == "verify":
        if source_reliability not in SOURCE_RELIABILITY or info_credibility not in INFO_CREDIBILITY:
            raise TransitionError(
                _l("Choose the source reliability (A-F) and information credibility (1-6).")
            )
        report.source_reliability = source_reliability
        report.info_credibility = info_credibility
        details = {"source_reliability": source_reliability, "info_credibility": info_credibility}
    if name == "duplicate":
        if duplicate_of is None or duplicate_of.id == report.id:
            raise TransitionError(_l("Give the reference of the report this one duplicates."))
        if duplicate_of.status == Status.DRAFT:
            raise TransitionError(_l("A draft cannot be the original of a duplicate."))
        report.duplicate_of_id = duplicate_of.id
        details = {"duplicate_of": duplicate_of.reference}
    if name == "reopen":
        report.duplicate_of_id = None
    if name in ("submit", "resubmit"):
        if report.reference is None:
            report.reference = allocate_reference(report.campaign_id)
        report.submitted_at = utcnow()
    else:
        report.decided_at = utcnow() if transition.actor == STAFF else report.decided_at

    previous = report.status
    report.status = transition.target
    db.session.flush()  # the version check happens here (UPDATE ... WHERE version = ...)
    return append_review_event(
        report_id=report.id,
        actor_id=user.id,
        kind="status",
        from_status=previous,
        to_status=transition.target,
        note=note,
        details=details or None,
    )


def add_comment(report: Report, user: User, note: str):
    """A comment without a status change (coordinator note or observer answer)."""
    note = (note or "").strip()
    if not note:
        raise TransitionError(_l("The comment is empty."))
    return append_review_event(report_id=report.id, actor_id=user.id, kind="comment", note=note)
