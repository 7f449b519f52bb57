"""The demo reports: realistic spread, real workflow, idempotent."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from observer.audit.service import verify_review_chain
from observer.demo.seed import seed_demo_accounts
from observer.extensions import db
from observer.models import Report, Status
from observer.reports.demo import INCIDENTS, seed_demo_reports


def test_demo_reports_cover_statuses_stages_and_regions(catalog):
    seed_demo_accounts()
    assert seed_demo_reports() == len(INCIDENTS) >= 40
    reports = db.session.execute(select(Report)).scalars().all()
    statuses = Counter(r.status for r in reports)
    assert set(statuses) == set(Status.ALL)
    assert len({r.stage_id for r in reports}) == 8
    assert len({r.region_id for r in reports}) == 7
    assert len({r.author_id for r in reports}) == 3
    submitted = [r for r in reports if r.status != Status.DRAFT]
    assert len({r.reference for r in submitted}) == len(submitted)
    for report in reports:
        assert report.criterion.stage_id == report.stage_id
        assert report.stage.starts_on <= report.occurred_on <= report.stage.ends_on, report.title
        assert report.district.region_id == report.region_id
        if report.status == Status.VERIFIED:
            assert report.grading
        if report.status == Status.DUPLICATE:
            assert report.duplicate_of is not None
    assert verify_review_chain() is None


def test_demo_reports_are_seeded_once(catalog):
    seed_demo_accounts()
    seed_demo_reports()
    count = len(db.session.execute(select(Report.id)).all())
    assert seed_demo_reports() == 0
    assert len(db.session.execute(select(Report.id)).all()) == count
