"""The four-eyes rule, in one place, for assessments and recommendation follow-ups alike.

A judgment is proposed by one staff member and agreed by another; only agreed judgments reach
statements. Changing a judgment (its conclusion, reasoning or evidence) makes the one who
changed it its proposer and, if it was agreed, reopens it: someone else must agree again. Each
step appends a judgment event to the one hash chain (observer/audit/service.py) holding the
judgment as it stood after the step."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from observer.audit.service import append_judgment_event
from observer.models import Assessment, FollowUp, JudgmentStatus, User, utcnow

Judgment = Assessment | FollowUp


class JudgmentError(ValueError):
    """A refused step. `problems` maps a form field ("" for the whole form) to messages."""

    def __init__(self, problems: dict[str, list] | Any):
        self.problems = problems if isinstance(problems, dict) else {"": [problems]}
        super().__init__("; ".join(str(m) for messages in self.problems.values() for m in messages))


class StaleJudgment(JudgmentError):
    """Someone changed the judgment since the page was loaded."""


def may_judge(user: User | None) -> bool:
    """Coordinators and admins propose, change and agree; observers never see judgments."""
    return bool(user is not None and getattr(user, "is_staff", False))


def require_judge(user: User) -> None:
    if not may_judge(user):
        raise JudgmentError(_l("Only coordinators and admins make assessments."))


def _subject(judgment: Judgment) -> dict[str, int]:
    if isinstance(judgment, Assessment):
        return {"assessment_id": judgment.id}
    return {"follow_up_id": judgment.id}


def record_proposal(judgment: Judgment, actor: User, snapshot: dict, note: str | None) -> None:
    """A new judgment (already flushed) becomes a proposal by `actor`."""
    require_judge(actor)
    judgment.status = JudgmentStatus.PROPOSED
    judgment.proposed_by_id = actor.id
    judgment.proposed_at = utcnow()
    append_judgment_event(
        actor_id=actor.id, kind="proposed", note=note, details=snapshot, **_subject(judgment)
    )


def record_change(judgment: Judgment, actor: User, snapshot: dict, note: str | None) -> bool:
    """The judgment's content was changed by `actor`: they become its proposer and an agreed
    judgment is reopened. Returns True when it had been agreed."""
    require_judge(actor)
    reopened = judgment.status == JudgmentStatus.AGREED
    judgment.status = JudgmentStatus.PROPOSED
    judgment.proposed_by_id = actor.id
    judgment.proposed_at = utcnow()
    judgment.agreed_by_id = None
    judgment.agreed_at = None
    judgment.version += 1
    append_judgment_event(
        actor_id=actor.id,
        kind="changed",
        note=note,
        details={**snapshot, "reopened": reopened},
        **_subject(judgment),
    )
    return reopened


def check_version(judgment: Judgment, version: int | None) -> None:
    if version is not None and version != judgment.version:
        raise StaleJudgment(
            _l(
                "Someone changed this judgment while you were reading it. Read the current "
                "version below before you act on it."
            )
        )


def agree(judgment: Judgment, actor: User, version: int | None, snapshot: dict) -> None:
    """`actor` agrees the proposal they have read (`version`); never their own."""
    require_judge(actor)
    check_version(judgment, version)
    if judgment.status == JudgmentStatus.AGREED:
        raise JudgmentError(_l("This judgment is already agreed."))
    if judgment.proposed_by_id == actor.id:
        raise JudgmentError(
            _l(
                "You proposed this judgment, so you cannot agree it: another coordinator must "
                "read and agree it (four-eyes rule)."
            )
        )
    judgment.status = JudgmentStatus.AGREED
    judgment.agreed_by_id = actor.id
    judgment.agreed_at = utcnow()
    append_judgment_event(actor_id=actor.id, kind="agreed", details=snapshot, **_subject(judgment))
