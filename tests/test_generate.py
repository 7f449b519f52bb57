"""flask demo generate: realistic spread, references consistent with the campaign counter, and a
review-event chain that `flask audit verify` accepts, also mixed with real filing."""

from __future__ import annotations

from sqlalchemy import func, select

from observer.audit.service import verify_review_chain
from observer.demo.generate import generate_reports
from observer.models import (
    Campaign,
    ChainHead,
    Criterion,
    Report,
    ReviewEvent,
    Stage,
    Status,
    User,
    report_criteria,
)
from observer.review.workflow import apply_transition
from tests.factories import make_report


def _scalar(db, query):
    return db.session.execute(query).scalar_one()


def _distinct(db, column) -> set:
    return set(db.session.execute(select(column).distinct()).scalars())


def test_generated_reports_are_spread_and_consistent(db, catalog):
    result = generate_reports(800, seed=7, observers=6)

    assert result.reports == 800
    assert _scalar(db, select(func.count(Report.id))) == 800
    assert result.events == _scalar(db, select(func.count(ReviewEvent.id)))
    assert result.further_criteria == _scalar(db, select(func.count()).select_from(report_criteria))
    assert result.rows_per_second > 0
    # Spread over every dimension the dashboard breaks down by.
    assert _distinct(db, Report.status) == set(Status.ALL)
    assert _distinct(db, Report.severity) == {1, 2, 3, 4}
    assert len(_distinct(db, Report.source_type)) == 6
    assert _distinct(db, Report.scope) == {"isolated", "repeated", "systematic"}
    assert len(_distinct(db, Report.region_id)) == 7
    assert len(_distinct(db, Report.criterion_id)) >= 25
    assert len(_distinct(db, Report.stage_id)) == 8
    assert len(_distinct(db, Report.author_id)) == 6
    counts = dict(
        db.session.execute(select(Report.status, func.count()).group_by(Report.status)).all()
    )
    assert counts["verified"] > counts["submitted"] > counts["rejected"]
    assert counts["verified"] + counts["submitted"] > 0.6 * 800
    # Each report's stage is its criterion's stage, and its date is inside that stage's window.
    wrong_stage = _scalar(
        db,
        select(func.count(Report.id))
        .join(Criterion, Report.criterion_id == Criterion.id)
        .where(Report.stage_id != Criterion.stage_id),
    )
    outside = _scalar(
        db,
        select(func.count(Report.id))
        .join(Stage, Report.stage_id == Stage.id)
        .where((Report.occurred_on < Stage.starts_on) | (Report.occurred_on > Stage.ends_on)),
    )
    assert (wrong_stage, outside) == (0, 0)
    # Verified reports are graded; duplicates point at an earlier report.
    ungraded = select(func.count(Report.id)).where(
        Report.status == Status.VERIFIED, Report.source_reliability.is_(None)
    )
    assert _scalar(db, ungraded) == 0
    orphan_duplicates = select(func.count(Report.id)).where(
        Report.status == Status.DUPLICATE,
        (Report.duplicate_of_id.is_(None)) | (Report.duplicate_of_id >= Report.id),
    )
    assert _scalar(db, orphan_duplicates) == 0


def test_references_match_the_campaign_counter_and_the_chain_verifies(db, catalog):
    generate_reports(500, seed=3, observers=4)

    drafts_with_reference = select(func.count(Report.id)).where(
        Report.status == Status.DRAFT, Report.reference.is_not(None)
    )
    assert _scalar(db, drafts_with_reference) == 0
    submitted = _scalar(db, select(func.count(Report.id)).where(Report.status != Status.DRAFT))
    references = list(db.session.execute(select(Report.reference).order_by(Report.id)).scalars())
    numbered = [ref for ref in references if ref]
    assert len(numbered) == len(set(numbered)) == submitted
    assert numbered == [f"R-2024-{n:06d}" for n in range(1, submitted + 1)]
    db.session.refresh(catalog)
    assert catalog.last_report_number == submitted
    assert verify_review_chain() is None
    head = db.session.get(ChainHead, 1)
    assert head.last_seq == _scalar(db, select(func.count(ReviewEvent.id)))
    # Every submitted report has its submission event by its own author.
    without_submission = select(func.count(Report.id)).where(
        Report.status != Status.DRAFT,
        ~select(ReviewEvent.id)
        .where(
            ReviewEvent.report_id == Report.id,
            ReviewEvent.to_status == Status.SUBMITTED,
            ReviewEvent.actor_id == Report.author_id,
        )
        .exists(),
    )
    assert _scalar(db, without_submission) == 0


def test_generation_continues_real_filing_and_real_filing_continues_it(db, catalog, make_user):
    author = make_user()
    reviewer = make_user("coordinator")
    first = make_report(author, status=Status.VERIFIED, reviewer=reviewer)
    assert first.reference == "R-2024-000001"
    ids = (author.id, reviewer.id, catalog.id)

    generate_reports(200, seed=11, observers=3)
    assert verify_review_chain() is None
    # verify_review_chain() empties the session: fetch the people again.
    author, reviewer = db.session.get(User, ids[0]), db.session.get(User, ids[1])
    catalog = db.session.get(Campaign, ids[2])

    later = make_report(author, status=Status.SUBMITTED)
    db.session.refresh(catalog)
    assert later.reference == f"R-2024-{catalog.last_report_number:06d}"
    numbered = _scalar(db, select(func.count(Report.reference)))
    assert catalog.last_report_number == numbered
    apply_transition(later, reviewer, "reject", note="Outside the mission's criteria.")
    db.session.commit()
    later_id = later.id
    assert verify_review_chain() is None
    # New ids do not collide with the generated block (PostgreSQL sequences were settled).
    assert later_id == _scalar(db, select(func.max(Report.id)))


def test_same_seed_gives_the_same_data(db, catalog):
    def snapshot():
        return db.session.execute(
            select(
                Report.reference,
                Report.title,
                Report.status,
                Report.occurred_on,
                Report.severity,
                Report.scope,
                Criterion.code,
            )
            .join(Criterion, Report.criterion_id == Criterion.id)
            .order_by(Report.id)
        ).all()

    generate_reports(150, seed=42, observers=3)
    first = snapshot()
    for table in (ReviewEvent.__table__, report_criteria, Report.__table__):
        db.session.execute(table.delete())
    db.session.execute(Campaign.__table__.update().values(last_report_number=0))
    db.session.execute(ChainHead.__table__.delete())
    db.session.commit()

    generate_reports(150, seed=42, observers=3)
    assert snapshot() == first
    generate_reports(150, seed=43, observers=3)
    assert [row[1:] for row in snapshot()[150:]] != [row[1:] for row in first]


def test_synthetic_observers_cannot_sign_in(db, catalog):
    generate_reports(10, seed=1, observers=2)
    synthetic = (
        db.session.execute(select(User).where(User.email.like("%@synthetic.invalid")))
        .scalars()
        .all()
    )
    assert {user.role for user in synthetic} == {"observer", "coordinator"}
    assert all(user.password_hash is None for user in synthetic)
    assert all(user.observer_code.startswith("OBS-") for user in synthetic)


def test_cli_generates_and_audit_verify_passes(app, db, catalog):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "generate", "--reports", "120", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "Created 120 reports" in result.output
    assert "rows/s" in result.output

    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "chain intact" in verified.output


def test_cli_refuses_a_bad_count(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "generate", "--reports", "0"])
    assert result.exit_code == 2
    assert "--reports" in result.output
