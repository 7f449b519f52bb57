"""Demo reports: about forty plausible incidents of the 2024 campaign, filed by the demo observers
and decided by the demo coordinator through the real workflow (so references, review events and
their hash chain exist exactly as in production). Seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from observer.auth.service import find_user_by_email
from observer.catalog.queries import active_campaign
from observer.extensions import db
from observer.models import Criterion, District, Region, Report, Status
from observer.reports.demo_data import INCIDENTS, DemoIncident
from observer.reports.service import ReportData, save_report
from observer.review.workflow import apply_transition

OBSERVERS = ("observer@demo.observer", "observer2@demo.observer", "observer3@demo.observer")
COORDINATOR = "coordinator@demo.observer"


def _district(iso: str, name: str) -> District:
    region = db.session.execute(select(Region).where(Region.iso_code == iso)).scalar_one()
    for district in region.districts:
        if district.name_en == name:
            return district
    return region.districts[0]


def seed_demo_reports() -> int:
    """Returns how many reports were added (0 when the demo reports exist already)."""
    campaign = active_campaign()
    observers = [find_user_by_email(email) for email in OBSERVERS]
    coordinator = find_user_by_email(COORDINATOR)
    if campaign is None or coordinator is None or any(o is None for o in observers):
        return 0
    existing = db.session.execute(
        select(func.count(Report.id)).where(Report.author_id == observers[0].id)
    ).scalar_one()
    if existing:
        return 0
    criteria = {
        c.code: c
        for c in db.session.execute(
            select(Criterion).where(Criterion.campaign_id == campaign.id)
        ).scalars()
    }
    made: list[Report] = []
    for incident in INCIDENTS:
        made.append(_file(incident, campaign, criteria, observers, coordinator, made))
    return len(made)


def _file(incident: DemoIncident, campaign, criteria, observers, coordinator, made) -> Report:
    criterion = criteria[incident.criterion]
    district = _district(incident.region, incident.district)
    author = observers[incident.author]
    data = ReportData(
        stage_id=criterion.stage_id,
        criterion_id=criterion.id,
        occurred_on=incident.day,
        occurred_at=incident.at,
        region_id=district.region_id,
        district_id=district.id,
        settlement=incident.settlement,
        polling_station=incident.station,
        constituency=incident.constituency,
        title=incident.title,
        narrative=incident.narrative,
        actors=incident.actors,
        people_affected=incident.people,
        source_type=incident.source_type,
        severity=incident.severity,
        scope=incident.scope,
        complaint_lodged=bool(incident.complaint_to),
        complaint_to=incident.complaint_to,
        complaint_outcome=incident.complaint_outcome,
    )
    report = save_report(
        author, data, submit=incident.outcome != Status.DRAFT, campaign=campaign
    ).report
    if incident.outcome == Status.VERIFIED:
        reliability, credibility = incident.grading
        apply_transition(
            report,
            coordinator,
            "verify",
            source_reliability=reliability,
            info_credibility=credibility,
        )
    elif incident.outcome == Status.REJECTED:
        apply_transition(report, coordinator, "reject", note=incident.note)
    elif incident.outcome == Status.NEEDS_INFO:
        apply_transition(report, coordinator, "needs_info", note=incident.note)
    elif incident.outcome == Status.DUPLICATE:
        original = made[int(incident.note.lstrip("#"))]
        apply_transition(report, coordinator, "duplicate", duplicate_of=original)
    db.session.commit()
    return report
