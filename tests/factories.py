"""Report factory for tests: builds reports directly (the filing flow is tested in test_reports)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from observer.extensions import db
from observer.models import Criterion, District, Region, Report, Stage, Status
from observer.review.workflow import apply_transition


def pick_criterion(code: str) -> Criterion:
    return db.session.execute(select(Criterion).where(Criterion.code == code)).scalar_one()


def pick_district(region_iso: str, index: int = 0) -> District:
    region = db.session.execute(select(Region).where(Region.iso_code == region_iso)).scalar_one()
    return region.districts[index]


def make_report(
    author,
    *,
    criterion: str = "CAM-05",
    region: str = "BY-MI",
    district_index: int = 0,
    occurred_on: date = date(2024, 2, 10),
    severity: int = 3,
    source_type: str = "witness_account",
    scope: str = "isolated",
    title: str = "Activist questioned after a picket",
    narrative: str = "Police officers came to the home of a local activist and questioned her "
    "about her plans to observe the vote. They warned her about 'consequences'.",
    status: str = Status.DRAFT,
    reviewer=None,
    **extra,
) -> Report:
    """A report by `author`; with status beyond draft it is submitted (and decided by `reviewer`)
    through the real workflow, so references and review events exist as in production."""
    crit = pick_criterion(criterion)
    stage = db.session.get(Stage, crit.stage_id)
    district = pick_district(region, district_index)
    report = Report(
        author_id=author.id,
        campaign_id=crit.campaign_id,
        stage_id=stage.id,
        criterion_id=crit.id,
        occurred_on=occurred_on,
        region_id=district.region_id,
        district_id=district.id,
        title=title,
        narrative=narrative,
        source_type=source_type,
        severity=severity,
        scope=scope,
        status=Status.DRAFT,
        **extra,
    )
    db.session.add(report)
    db.session.flush()
    if status != Status.DRAFT:
        apply_transition(report, author, "submit")
    if status in (Status.VERIFIED, Status.REJECTED, Status.NEEDS_INFO, Status.DUPLICATE):
        assert reviewer is not None, "a reviewer decides on submitted reports"
        if status == Status.VERIFIED:
            apply_transition(report, reviewer, "verify", source_reliability="B", info_credibility=2)
        elif status == Status.REJECTED:
            apply_transition(report, reviewer, "reject", note="Not within the mission's scope.")
        elif status == Status.NEEDS_INFO:
            apply_transition(report, reviewer, "needs_info", note="Which polling station?")
        else:
            original = extra.get("duplicate_of") or _first_other_submitted(report)
            apply_transition(report, reviewer, "duplicate", duplicate_of=original)
    db.session.commit()
    return report


def _first_other_submitted(report: Report) -> Report:
    return db.session.execute(
        select(Report).where(Report.id != report.id, Report.status != Status.DRAFT).limit(1)
    ).scalar_one()
