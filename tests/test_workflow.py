"""Every status transition for every kind of user, straight through the workflow module."""

from __future__ import annotations

import pytest

from observer.extensions import db
from observer.models import ReviewEvent, Status
from observer.review.workflow import (
    TRANSITIONS,
    ConflictError,
    TransitionError,
    allowed_transitions,
    apply_transition,
)
from tests.factories import make_report
from tests.factories_review import people_fixture  # noqa: F401

ACTORS = ("author", "other_observer", "coordinator", "admin", "coordinator_author")


def _report_in(status, people):
    """A report by people.observer (or by the coordinator for 'coordinator_author') in `status`."""
    reviewer = people.second_coordinator
    extra = {}
    if status == Status.DUPLICATE:
        extra["duplicate_of"] = make_report(people.other_observer, status=Status.SUBMITTED)
    return make_report(people.observer, status=status, reviewer=reviewer, **extra)


def _actor(name, people, report):
    if name == "coordinator_author":
        report.author_id = people.coordinator.id
        db.session.commit()
        return people.coordinator
    return {
        "author": people.observer,
        "other_observer": people.other_observer,
        "coordinator": people.coordinator,
        "admin": people.admin,
    }[name]


def _kwargs(name, people):
    if name == "verify":
        return {"source_reliability": "C", "info_credibility": 3}
    if name == "duplicate":
        return {"duplicate_of": make_report(people.other_observer, status=Status.SUBMITTED)}
    return {"note": "Because"}


def _expected(transition, actor):
    if transition.actor == "author":
        return actor == "author" or actor == "coordinator_author"
    return actor in ("coordinator", "admin")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    "transition", TRANSITIONS, ids=[f"{t.name}-from-{t.source}" for t in TRANSITIONS]
)
def test_each_transition_for_each_actor(db, people, transition, actor):
    report = _report_in(transition.source, people)
    user = _actor(actor, people, report)
    kwargs = _kwargs(transition.name, people)
    offered = {t.name for t in allowed_transitions(report, user)}
    if _expected(transition, actor):
        assert transition.name in offered
        apply_transition(report, user, transition.name, **kwargs)
        db.session.commit()
        assert report.status == transition.target
        last = db.session.query(ReviewEvent).order_by(ReviewEvent.seq.desc()).first()
        assert (last.from_status, last.to_status, last.actor_id) == (
            transition.source,
            transition.target,
            user.id,
        )
    else:
        assert transition.name not in offered
        with pytest.raises(TransitionError):
            apply_transition(report, user, transition.name, **kwargs)
        db.session.rollback()
        assert report.status == transition.source


@pytest.mark.parametrize(
    "status, name",
    [
        (Status.DRAFT, "verify"),
        (Status.SUBMITTED, "reopen"),
        (Status.SUBMITTED, "submit"),
        (Status.VERIFIED, "reject"),
        (Status.REJECTED, "verify"),
        (Status.DUPLICATE, "duplicate"),
        (Status.NEEDS_INFO, "verify"),
    ],
)
def test_transitions_not_in_the_table_are_refused(app, db, people, status, name):
    report = _report_in(status, people)
    with app.test_request_context(), pytest.raises(TransitionError, match="not possible now"):
        apply_transition(report, people.coordinator, name, **_kwargs(name, people))


@pytest.mark.parametrize("name", ["reject", "needs_info", "reopen"])
def test_notes_are_required(db, people, name):
    status = Status.VERIFIED if name == "reopen" else Status.SUBMITTED
    report = _report_in(status, people)
    with pytest.raises(TransitionError):
        apply_transition(report, people.coordinator, name, note="   ")


def test_verify_needs_both_gradings_and_duplicate_a_real_original(db, people):
    report = _report_in(Status.SUBMITTED, people)
    with pytest.raises(TransitionError):
        apply_transition(report, people.coordinator, "verify", source_reliability="A")
    with pytest.raises(TransitionError):
        apply_transition(
            report, people.coordinator, "verify", source_reliability="G", info_credibility=1
        )
    with pytest.raises(TransitionError):
        apply_transition(report, people.coordinator, "duplicate", duplicate_of=report)
    draft = make_report(people.other_observer)
    with pytest.raises(TransitionError):
        apply_transition(report, people.coordinator, "duplicate", duplicate_of=draft)


def test_stale_expected_version_is_a_conflict(db, people):
    report = _report_in(Status.SUBMITTED, people)
    with pytest.raises(ConflictError):
        apply_transition(
            report, people.coordinator, "reject", note="x", expected_version=report.version - 1
        )


def test_reopen_clears_the_duplicate_link_and_submit_allocates_a_reference(db, people):
    report = _report_in(Status.DUPLICATE, people)
    assert report.duplicate_of_id is not None
    apply_transition(report, people.coordinator, "reopen", note="Not the same event")
    db.session.commit()
    assert report.duplicate_of_id is None and report.status == Status.SUBMITTED
    draft = make_report(people.observer)
    assert draft.reference is None
    apply_transition(draft, people.observer, "submit")
    db.session.commit()
    assert draft.reference.startswith("R-2024-")
