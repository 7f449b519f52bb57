"""Assessment and follow-up events live in the same hash chain as review events: `flask audit
verify` checks both in one pass and names the first broken event of either kind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from observer.assessments.service import agree_assessment, agree_follow_up, rate_follow_up
from observer.audit.service import judgment_event_content, verify_review_chain
from observer.models import JudgmentEvent, ReviewEvent, Status
from tests.factories import make_report
from tests.factories_assessments import (  # noqa: F401
    content,
    make_recommendation,
    propose,
    scales_fixture,
)
from tests.factories_review import people_fixture  # noqa: F401

UNHASHED = {"id", "prev_digest", "digest"}


@pytest.fixture
def judged(db, people, scales, catalog):
    """Review events and judgment events interleaved in one chain."""
    report = make_report(people.observer, status=Status.VERIFIED, reviewer=people.coordinator)
    first = propose(people.coordinator, "CAM-05", reports=report.reference)
    make_report(people.observer, status=Status.SUBMITTED)
    agree_assessment(first, people.second_coordinator, first.version)
    second = propose(people.admin, "COM-01")
    follow_up, _ = rate_follow_up(
        people.coordinator, make_recommendation(), catalog.id, content("not_implemented")
    )
    agree_follow_up(follow_up, people.admin, follow_up.version)
    return {"assessments": (first, second), "follow_up": follow_up}


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def seqs(db, model):
    return list(db.session.execute(select(model.seq).order_by(model.seq)).scalars())


def test_one_chain_holds_both_kinds_and_verifies(app, db, judged):
    reviews, judgments = seqs(db, ReviewEvent), seqs(db, JudgmentEvent)
    assert sorted(reviews + judgments) == list(range(1, len(reviews) + len(judgments) + 1))
    assert min(judgments) < max(reviews)  # really interleaved
    assert verify_review_chain() is None
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"{len(reviews)} review events and {len(judgments)} assessment/follow-up events" in (
        result.output
    )


def test_editing_an_assessment_event_is_named(app, db, judged):
    seq = seqs(db, JudgmentEvent)[1]
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE judgment_events SET note = 'edited' WHERE seq = :s"), {"s": seq}
        )
    result = verify(app)
    assert result.exit_code == 1
    assert f"event #{seq} (assessment/follow-up event" in result.output
    assert "content does not match" in result.output


def test_a_broken_review_event_before_it_is_named_first(app, db, judged):
    first_review = seqs(db, ReviewEvent)[0]
    last_judgment = seqs(db, JudgmentEvent)[-1]
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE judgment_events SET note = 'x' WHERE seq = :s"), {"s": last_judgment}
        )
        connection.execute(
            text("UPDATE review_events SET note = 'x' WHERE seq = :s"), {"s": first_review}
        )
    result = verify(app)
    assert f"event #{first_review} (review event" in result.output


def test_deleting_the_newest_judgment_event_is_detected(app, db, judged):
    last = seqs(db, JudgmentEvent)[-1]
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM judgment_events WHERE seq = :s"), {"s": last})
    result = verify(app)
    assert result.exit_code == 1 and "newest events are missing" in result.output


def test_deleting_a_judgment_event_in_the_middle_is_detected(app, db, judged):
    middle = seqs(db, JudgmentEvent)[0]
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM judgment_events WHERE seq = :s"), {"s": middle})
    result = verify(app)
    assert result.exit_code == 1 and f"event #{middle} is missing" in result.output


def test_the_digest_covers_every_column_of_a_judgment_event(db, judged):
    columns = {column.name for column in JudgmentEvent.__table__.columns} - UNHASHED
    event = db.session.execute(select(JudgmentEvent).limit(1)).scalar_one()
    assert columns <= set(judgment_event_content(event))


def _altered(db, event: JudgmentEvent, column: str, people, judged):
    """A different value of the right type for one column of the event."""
    first, second = judged["assessments"]
    changes = {
        "seq": event.seq + 1000,
        "assessment_id": second.id if event.assessment_id == first.id else first.id,
        "follow_up_id": judged["follow_up"].id if event.follow_up_id is None else None,
        "actor_id": people.observer.id,
        "created_at": event.created_at + timedelta(seconds=1),
        "kind": "agreed" if event.kind != "agreed" else "proposed",
        "note": (event.note or "") + " (edited)",
        "details": {**(event.details or {}), "level": "meets"},
    }
    return changes[column]


@pytest.mark.parametrize(
    "column",
    sorted({column.name for column in JudgmentEvent.__table__.columns} - UNHASHED),
)
def test_changing_any_one_field_breaks_the_chain(db, judged, people, column):
    event = (
        db.session.execute(
            select(JudgmentEvent)
            .where(JudgmentEvent.assessment_id.is_not(None))
            .order_by(JudgmentEvent.seq)
        )
        .scalars()
        .first()
    )
    value = _altered(db, event, column, people, judged)
    db.session.execute(
        update(JudgmentEvent).where(JudgmentEvent.id == event.id).values({column: value})
    )
    db.session.flush()
    broken = verify_review_chain()
    db.session.rollback()
    assert broken is not None, f"changing {column} went unnoticed"
    assert verify_review_chain() is None


def test_two_people_agreeing_at_once_give_one_agreement(app, db, people, scales):
    """Two coordinators press Agree on the same proposal at the same moment: one agreement,
    one refusal, one event, and the chain still verifies."""
    import threading

    from observer.assessments.four_eyes import JudgmentError
    from observer.assessments.service import load_assessment
    from observer.extensions import db as _db
    from observer.models import User

    assessment_id = propose(people.coordinator).id  # the threads must not touch this session
    agreers = [people.second_coordinator.id, people.admin.id]
    concurrent = db.engine.dialect.name == "postgresql"  # SQLite serialises writers anyway
    barrier = threading.Barrier(2) if concurrent else None
    outcomes: list[str] = []

    def agree(user_id: int) -> None:
        with app.app_context():
            try:
                judged = load_assessment(assessment_id)
                user = _db.session.get(User, user_id)
                if barrier is not None:
                    barrier.wait(timeout=30)
                agree_assessment(judged, user, judged.version)
                outcomes.append("agreed")
            except JudgmentError:
                outcomes.append("refused")
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                outcomes.append(repr(error))
            finally:
                _db.session.remove()

    if concurrent:
        threads = [threading.Thread(target=agree, args=(uid,)) for uid in agreers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        for uid in agreers:
            agree(uid)
    assert sorted(outcomes) == ["agreed", "refused"]
    kinds = db.session.execute(
        select(JudgmentEvent.kind).where(JudgmentEvent.assessment_id == assessment_id)
    ).scalars()
    assert sorted(kinds) == ["agreed", "proposed"]
    assert verify_review_chain() is None


def test_a_backup_restores_judgments_and_their_chain(app, db, judged, tmp_path):
    """`flask backup` and `flask restore` carry assessments, evidence, follow-ups and their
    events; the restored chain verifies."""
    from sqlalchemy import func

    from observer.models import Assessment, Base, EvidenceLink, FollowUp

    def counts():
        return [
            db.session.execute(select(func.count(model.id))).scalar_one()
            for model in (Assessment, EvidenceLink, FollowUp, JudgmentEvent, ReviewEvent)
        ]

    before = counts()
    runner = app.test_cli_runner()
    archive = tmp_path / "mission.tar"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    restored = runner.invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert counts() == before
    assert verify_review_chain() is None
    evidence = db.session.execute(select(EvidenceLink).order_by(EvidenceLink.id)).scalars().first()
    assert evidence.report_reference and evidence.kind == "report"
