"""Bulk work on the queue where it is safe: mark several reports as duplicates of one, reject
several with one reason, take or release several. Verification stays one report at a time (it
needs grading).

All or nothing: every selected report is checked first (in the coordinator's regions, still at
the version they saw, not held by someone else, in a status the action applies to), and if any
fails, nothing is written and the message names the reports concerned. Each decided report
still gets its own hash-chained review event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from observer.extensions import db
from observer.models import Report, Status, User
from observer.review import holds
from observer.review.scope import staff_can_see
from observer.review.service import find_by_reference
from observer.review.workflow import TransitionError, apply_transition

BULK_ACTIONS = ("take", "release", "reject", "duplicate")
MAX_SELECTION = 200


@dataclass(frozen=True)
class Selected:
    report_id: int
    version: int


class BulkRefused(TransitionError):
    """Nothing was done; str(error) says why and names the reports concerned."""


def _names(references: Sequence[str | None]) -> str:
    return ", ".join(ref or "?" for ref in references)


def parse_selection(values: Sequence[str]) -> list[Selected]:
    """Checkbox values 'id:version' (the version the coordinator saw in the list)."""
    selected = []
    for value in values:
        report_id, _, version = value.partition(":")
        if not (report_id.isdigit() and version.isdigit()):
            raise BulkRefused(_l("The selection could not be read. Reload the queue."))
        selected.append(Selected(int(report_id), int(version)))
    if not selected:
        raise BulkRefused(_l("Select at least one report."))
    if len(selected) > MAX_SELECTION:
        raise BulkRefused(_l("Select at most %(count)s reports at a time.", count=MAX_SELECTION))
    return list({item.report_id: item for item in selected}.values())


def _load(selected: Sequence[Selected], user: User) -> list[Report]:
    ids = [item.report_id for item in selected]
    found = {
        report.id: report
        for report in db.session.execute(select(Report).where(Report.id.in_(ids))).scalars()
    }
    unseen = [
        found[i].reference if i in found else f"#{i}"
        for i in ids
        if i not in found or found[i].status == Status.DRAFT or not staff_can_see(user, found[i])
    ]
    if unseen:
        raise BulkRefused(
            _l(
                "Nothing was done: these reports are not in your regions or not available to "
                "you: %(references)s.",
                references=_names(unseen),
            )
        )
    return [found[i] for i in ids]


def _check_current(reports: Sequence[Report], selected: Sequence[Selected], user: User) -> None:
    seen = {item.report_id: item.version for item in selected}
    changed = [r.reference for r in reports if r.version != seen[r.id]]
    if changed:
        raise BulkRefused(
            _l(
                "Nothing was done: these reports changed since you loaded the queue (someone "
                "decided or edited them): %(references)s.",
                references=_names(changed),
            )
        )
    taken = holds.current_holds([r.id for r in reports])
    elsewhere = [r for r in reports if r.id in taken and taken[r.id].holder_id != user.id]
    if elsewhere:
        raise BulkRefused(
            _l(
                "Nothing was done: other coordinators hold %(references)s.",
                references=_names(
                    [f"{r.reference} ({taken[r.id].holder_code})" for r in elsewhere]
                ),
            )
        )


def apply_bulk(
    values: Sequence[str],
    user: User,
    action: str,
    *,
    note: str | None = None,
    duplicate_of: str | None = None,
) -> list[str]:
    """Run one bulk action on the selected reports (commits). Returns their references."""
    if action not in BULK_ACTIONS:
        raise BulkRefused(_l("Unknown action."))
    selected = parse_selection(values)
    reports = _load(selected, user)
    references = [r.reference for r in reports]
    if action == "release":
        holds.release([r.id for r in reports], user)
        db.session.commit()
        return references
    try:
        _check_current(reports, selected, user)
        if action == "take":
            not_waiting = [r.reference for r in reports if r.status != Status.SUBMITTED]
            if not_waiting:
                raise BulkRefused(
                    _l(
                        "Nothing was done: only reports waiting for review can be taken; "
                        "not %(references)s.",
                        references=_names(not_waiting),
                    )
                )
            if len(holds.take([r.id for r in reports], user)) != len(reports):
                raise BulkRefused(_l("Nothing was done: another coordinator took some of these."))
        else:
            _decide_all(reports, user, action, note, duplicate_of)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise BulkRefused(
            _l(
                "Nothing was done: one of %(references)s changed while this was being saved.",
                references=_names(references),
            )
        ) from None
    except TransitionError:
        db.session.rollback()
        raise
    return references


def _decide_all(reports, user, action, note, duplicate_of) -> None:
    not_waiting = [r.reference for r in reports if r.status != Status.SUBMITTED]
    if not_waiting:
        raise BulkRefused(
            _l(
                "Nothing was done: these reports are no longer waiting for review: %(references)s.",
                references=_names(not_waiting),
            )
        )
    own = [r.reference for r in reports if r.is_author(user)]
    if own:
        raise BulkRefused(
            _l(
                "Nothing was done: you wrote %(references)s; another coordinator must review them.",
                references=_names(own),
            )
        )
    original = None
    if action == "duplicate":
        original = find_by_reference(duplicate_of, user)
        if original is None:
            raise BulkRefused(
                _l(
                    "No report with the reference %(reference)s is available to you.",
                    reference=(duplicate_of or "").strip().upper() or "—",
                )
            )
        if any(r.id == original.id for r in reports):
            raise BulkRefused(
                _l(
                    "%(reference)s is the original: leave it out of the selection.",
                    reference=original.reference,
                )
            )
    for report in reports:
        try:
            apply_transition(
                report,
                user,
                action,
                note=note,
                expected_version=report.version,
                duplicate_of=original,
            )
        except TransitionError as error:
            raise BulkRefused(
                _l(
                    "Nothing was done: %(reference)s: %(reason)s",
                    reference=report.reference,
                    reason=str(error),
                )
            ) from None
        holds.end_after_decision(report.id)
