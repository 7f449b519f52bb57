"""The tamper-evident review history: `flask audit verify` finds edits and deletions."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from observer.audit.chain import GENESIS_DIGEST, event_digest, verify_chain
from observer.audit.service import append_review_event, verify_review_chain
from observer.models import ChainHead, Report, ReviewEvent, Status
from observer.review import service
from tests.factories import make_report
from tests.factories_review import people_fixture  # noqa: F401


@pytest.fixture
def decided(db, people):
    """A series of real decisions: submit, ask, resubmit, verify, reopen, comment, reject."""
    report = make_report(people.observer, status=Status.NEEDS_INFO, reviewer=people.coordinator)
    from observer.review.workflow import apply_transition

    apply_transition(report, people.observer, "resubmit")
    db.session.commit()
    service.decide(
        report.id,
        people.coordinator,
        "verify",
        version=report.version,
        source_reliability="B",
        info_credibility=2,
        note="Two witnesses",
    )
    report = db.session.get(Report, report.id)
    service.decide(report.id, people.admin, "reopen", version=report.version, note="New video")
    service.comment(report.id, people.coordinator, "Checking the video")
    report = db.session.get(Report, report.id)
    service.decide(
        report.id,
        people.coordinator,
        "reject",
        version=report.version,
        note="The video is from 2020",
    )
    return report


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def event_count(db) -> int:
    return db.session.execute(select(func.count(ReviewEvent.id))).scalar_one()


def test_chain_verifies_after_a_series_of_decisions(app, db, decided):
    assert event_count(db) == 7
    assert verify_review_chain() is None
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "7 review events" in result.output


def test_empty_history_verifies(app, db):
    result = verify(app)
    assert result.exit_code == 0 and "OK" in result.output


def test_editing_a_note_is_detected_naming_the_event(app, db, decided):
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE review_events SET note = 'x' WHERE seq = 2"))
    result = verify(app)
    assert result.exit_code != 0
    assert "event #2" in result.output
    assert "content does not match" in result.output


def test_editing_a_status_or_actor_is_detected(app, db, decided, people):
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE review_events SET actor_id = :a WHERE seq = 4"), {"a": people.admin.id}
        )
    result = verify(app)
    assert result.exit_code != 0 and "event #4" in result.output


def test_deleting_the_last_event_is_detected(app, db, decided):
    with db.engine.begin() as connection:
        connection.execute(
            text("DELETE FROM review_events WHERE seq = (SELECT max(seq) FROM review_events)")
        )
    result = verify(app)
    assert result.exit_code != 0
    assert "event #7" in result.output and "newest events are missing" in result.output


def test_deleting_an_event_in_the_middle_is_detected(app, db, decided):
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM review_events WHERE seq = 3"))
    result = verify(app)
    assert result.exit_code != 0 and "event #3 is missing" in result.output


def test_recomputing_one_digest_still_breaks_the_next_link(app, db, decided):
    """Rewriting an event and its own digest is not enough: the next event names the old one."""
    event = db.session.execute(select(ReviewEvent).where(ReviewEvent.seq == 3)).scalar_one()
    from observer.audit.service import event_content

    event.note = "rewritten"
    forged = event_digest(event_content(event), event.prev_digest)
    db.session.rollback()
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE review_events SET note = 'rewritten', digest = :d WHERE seq = 3"),
            {"d": forged},
        )
    result = verify(app)
    assert result.exit_code != 0 and "event #4" in result.output


def test_verifying_does_not_detach_the_callers_objects(db, decided):
    report = db.session.get(Report, decided.id)
    assert verify_review_chain() is None
    assert report.author.observer_code  # still usable: lazy loads work after verification


def test_pure_chain_check():
    content = {"seq": 1, "note": "a"}
    digest = event_digest(content, GENESIS_DIGEST)
    events = [(1, 10, content, GENESIS_DIGEST, digest)]
    assert verify_chain(events, 1, digest) is None
    assert verify_chain(events, 2, "f" * 64).seq == 2
    assert (
        verify_chain([(1, 10, {"seq": 1, "note": "b"}, GENESIS_DIGEST, digest)], 1, digest).seq == 1
    )


def test_verifying_reads_the_database_not_the_sessions_copies(db, decided):
    """Events this session already holds must not hide an edit made to the table meanwhile."""
    held = db.session.execute(select(ReviewEvent).order_by(ReviewEvent.seq)).scalars().all()
    assert len(held) == 7
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE review_events SET note = 'x' WHERE seq = 2"))
    broken = verify_review_chain()
    assert broken is not None and broken.seq == 2


def test_concurrent_first_appends_all_land_in_one_chain(app, db, people):
    """On a database without events every writer finds no chain head and tries to create it:
    one does, the others wait for it, and no event is refused."""
    drafts = [make_report(people.observer).id for _ in range(6)]  # drafts have no events
    assert event_count(db) == 0 and db.session.get(ChainHead, 1) is None
    coordinator = people.coordinator.id
    concurrent = db.engine.dialect.name == "postgresql"  # SQLite serialises writers anyway
    barrier = threading.Barrier(len(drafts)) if concurrent else None
    errors: list[BaseException] = []

    def comment(report_id: int) -> None:
        with app.app_context():
            try:
                if barrier is not None:
                    barrier.wait(timeout=30)
                append_review_event(
                    report_id=report_id, actor_id=coordinator, kind="comment", note="First look"
                )
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    if concurrent:
        threads = [threading.Thread(target=comment, args=(rid,)) for rid in drafts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        for rid in drafts:
            comment(rid)

    assert errors == []
    assert event_count(db) == len(drafts)
    assert verify_review_chain() is None
