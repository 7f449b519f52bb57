"""What the records pages do: load a file, list the records a figure counts, place official
figures beside incident reports, keep a source's copy, and the admins' settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from observer.audit.service import log_security_event
from observer.extensions import db
from observer.imports import Plan, run_import
from observer.models import (
    Candidate,
    Commission,
    CommissionLevel,
    CommissionMember,
    Election,
    OfficialFigure,
    Organisation,
    Region,
    Report,
    SourceCopy,
    Stage,
    Status,
)
from observer.records.figures import REGISTERED, UNKNOWN
from observer.records.kinds import KINDS
from observer.reports.sanitize import CleanFile
from observer.reports.service import Upload, clean_uploads

LIST_LIMIT = 500


def load_file(kind: str, data: bytes, filename: str, *, dry_run: bool, actor_id: int) -> Plan:
    """Raises kinds.NoActiveCampaign when a campaign is needed and none is active."""
    plan = run_import(KINDS[kind](), data, filename, dry_run=dry_run)
    if plan.applied and (plan.created or plan.updated):
        log_security_event(
            "records_loaded",
            actor_id=actor_id,
            details={"kind": kind, "file": filename[:200], **plan.summary()},
        )
        db.session.commit()
    return plan


@dataclass
class Listing:
    rows: list
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


def _region_id(iso_code: str | None) -> int | None:
    if not iso_code:
        return None
    found = db.session.execute(select(Region.id).where(Region.iso_code == iso_code.upper()))
    return found.scalar_one_or_none() or -1


def _listing(query) -> Listing:
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.limit(LIST_LIMIT)).all()
    return Listing(rows, total)


def nominees(campaign_id: int, filters: dict[str, str]) -> Listing:
    """The nominees a composition or inclusion figure counts (names: for staff only)."""
    query = (
        select(CommissionMember, Commission, CommissionLevel, Organisation, Region)
        .join(Commission, CommissionMember.commission_id == Commission.id)
        .join(CommissionLevel, Commission.level_id == CommissionLevel.id)
        .outerjoin(Organisation, CommissionMember.organisation_id == Organisation.id)
        .outerjoin(Region, Commission.region_id == Region.id)
        .where(Commission.campaign_id == campaign_id)
        .order_by(CommissionLevel.position, Region.position, Commission.name, CommissionMember.id)
    )
    if filters.get("level"):
        query = query.where(CommissionLevel.code == filters["level"])
    if filters.get("alignment"):
        alignment = filters["alignment"]
        query = query.where(
            Organisation.alignment.is_(None) | (Organisation.alignment == alignment)
            if alignment == UNKNOWN
            else Organisation.alignment == alignment
        )
    if filters.get("route"):
        query = query.where(CommissionMember.route == filters["route"])
    if filters.get("outcome"):
        query = query.where(CommissionMember.outcome == filters["outcome"])
    if filters.get("region"):
        query = query.where(Commission.region_id == _region_id(filters["region"]))
    if filters.get("commission", "").isdigit():
        query = query.where(Commission.id == int(filters["commission"]))
    return _listing(query)


def candidates(campaign_id: int, filters: dict[str, str]) -> Listing:
    query = (
        select(Candidate, Election, Organisation, Region)
        .join(Election, Candidate.election_id == Election.id)
        .outerjoin(Organisation, Candidate.organisation_id == Organisation.id)
        .outerjoin(Region, Candidate.region_id == Region.id)
        .options(joinedload(Candidate.refusal_reason))
        .where(Election.campaign_id == campaign_id)
        .order_by(Election.position, Candidate.constituency, Candidate.name)
    )
    if filters.get("election"):
        query = query.where(Election.code == filters["election"])
    status = filters.get("status")
    if status == "registered":
        query = query.where(REGISTERED)
    elif status:
        query = query.where(Candidate.status == status)
    reason = filters.get("reason", "")
    if reason == "none":
        query = query.where(Candidate.refusal_reason_id.is_(None))
    elif reason.isdigit():
        query = query.where(Candidate.refusal_reason_id == int(reason))
    organisation = filters.get("organisation", "")
    if organisation == "none":
        query = query.where(Candidate.organisation_id.is_(None))
    elif organisation.isdigit():
        query = query.where(Candidate.organisation_id == int(organisation))
    if filters.get("route"):
        query = query.where(Candidate.route == filters["route"])
    if filters.get("gender"):
        query = query.where(Candidate.gender == filters["gender"])
    if filters.get("appeal") == "any":
        query = query.where(Candidate.appeal_outcome.is_not(None))
    elif filters.get("appeal"):
        query = query.where(Candidate.appeal_outcome == filters["appeal"])
    if filters.get("id", "").isdigit():
        query = query.where(Candidate.id == int(filters["id"]))
    return _listing(query)


def stage_at(campaign_id: int, moment: datetime) -> Stage | None:
    """The narrowest stage whose dates hold the moment (early voting rather than campaigning)."""
    day = moment.date()
    stages = db.session.execute(
        select(Stage).where(
            Stage.campaign_id == campaign_id, Stage.starts_on <= day, Stage.ends_on >= day
        )
    ).scalars()
    return min(stages, key=lambda s: (s.ends_on - s.starts_on, s.position), default=None)


def verified_reports_by_region(campaign_id: int, stage_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(Report.region_id, func.count())
        .where(
            Report.campaign_id == campaign_id,
            Report.stage_id == stage_id,
            Report.status == Status.VERIFIED,
        )
        .group_by(Report.region_id)
    )
    return dict(rows.all())


def figure(figure_id: int) -> OfficialFigure | None:
    return db.session.get(OfficialFigure, figure_id)


class SourceRefused(ValueError):
    def __init__(self, messages):
        self.messages = messages
        super().__init__("; ".join(str(m) for m in messages))


def attach_source_copy(figure: OfficialFigure, name: str, data: bytes, actor_id: int) -> None:
    """Cleans the file like any evidence (raises SourceRefused) and keeps one copy per content."""
    cleaned, messages = clean_uploads([Upload(name, data)])
    if messages:
        raise SourceRefused(messages)
    clean: CleanFile = cleaned[0]
    copy = db.session.execute(
        select(SourceCopy).where(SourceCopy.sha256 == clean.sha256)
    ).scalar_one_or_none()
    if copy is None:
        copy = SourceCopy(
            original_name=clean.name,
            media_type=clean.media_type,
            size=clean.size,
            sha256=clean.sha256,
            data=clean.data,
        )
        db.session.add(copy)
        db.session.flush()
    figure.source_copy_id = copy.id
    log_security_event(
        "source_copy_attached",
        actor_id=actor_id,
        details={"figure": figure.id, "sha256": clean.sha256},
    )


def organisations() -> list[Organisation]:
    return list(db.session.execute(select(Organisation).order_by(Organisation.name_en)).scalars())


def levels() -> list[CommissionLevel]:
    return list(
        db.session.execute(select(CommissionLevel).order_by(CommissionLevel.position)).scalars()
    )


def set_names_public(level: CommissionLevel, public: bool, actor_id: int) -> None:
    if level.member_names_public == public:
        return
    level.member_names_public = public
    log_security_event(
        "member_names_public_changed",
        actor_id=actor_id,
        details={"level": level.code, "public": public},
    )
