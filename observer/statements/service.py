"""Statements: compose drafts, freeze a snapshot, publish once, withdraw, correct.

A draft is rendered fresh from the current data; publication freezes the text and the figures
(Statement.snapshot), renders the PDF once and stores its bytes and SHA-256. Nothing changes a
published statement afterwards except withdrawal (status, time, reason): the PDF bytes never do."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from observer.audit.service import log_security_event
from observer.config import mission_name as config_mission_name
from observer.extensions import db
from observer.models import Campaign, Stage, Statement, StatementSection, StatementStatus, utcnow
from observer.statements.document import StatementDocument
from observer.statements.labels import STATEMENT_LANGUAGES, counting_rules, language_of
from observer.statements.pdf import render_statement
from observer.statements.slugs import slugify, with_suffix
from observer.statements.statistics import compute_statistics, statement_filter

SNAPSHOT_VERSION = 1
PUBLIC_STATUSES = (StatementStatus.PUBLISHED, StatementStatus.WITHDRAWN)


class StatementError(Exception):
    """A rule was broken; the message is shown to the user."""


@dataclass
class SectionInput:
    heading: str
    body: str = ""
    stage_id: int | None = None


@dataclass
class StatementInput:
    campaign_id: int
    stage_ids: list[int]
    language: str
    title: str
    period_start: date
    period_end: date
    key_findings: str = ""
    recommendations: str = ""
    methodology: str = ""
    sections: list[SectionInput] = field(default_factory=list)


# --- composing -------------------------------------------------------------------------------


def create_statement(author, data: StatementInput, corrects: Statement | None = None) -> Statement:
    statement = Statement(created_by_id=author.id, status=StatementStatus.DRAFT)
    if corrects is not None:
        statement.corrects_id = corrects.id
    _apply(statement, data)
    db.session.add(statement)
    db.session.flush()
    return statement


def update_statement(statement: Statement, data: StatementInput) -> Statement:
    ensure_draft(statement)
    _apply(statement, data)
    db.session.flush()
    return statement


def ensure_draft(statement: Statement) -> None:
    if statement.status != StatementStatus.DRAFT:
        raise StatementError(
            _l(
                "This statement has been published and can no longer be changed. "
                "Create a correction instead."
            )
        )


def _apply(statement: Statement, data: StatementInput) -> None:
    if data.language not in STATEMENT_LANGUAGES:
        raise StatementError(_l("Choose English, Belarusian or Russian."))
    if data.period_end < data.period_start:
        raise StatementError(_l("The end of the period must not be before its start."))
    campaign = db.session.get(Campaign, data.campaign_id)
    if campaign is None:
        raise StatementError(_l("Choose a campaign."))
    stages = _campaign_stages(campaign.id, data.stage_ids)
    if not stages or len(stages) != len(set(data.stage_ids)):
        raise StatementError(_l("Choose at least one stage of this campaign."))
    section_stages = {s.stage_id for s in data.sections if s.stage_id is not None}
    if section_stages - {stage.id for stage in _campaign_stages(campaign.id, section_stages)}:
        raise StatementError(_l("A section names a stage of another campaign."))

    old_title, old_language = statement.title, statement.language
    statement.campaign_id = campaign.id
    statement.stages = stages
    statement.title = data.title.strip()
    statement.language = data.language
    statement.period_start = data.period_start
    statement.period_end = data.period_end
    statement.key_findings = data.key_findings.strip()
    statement.recommendations = data.recommendations.strip()
    statement.methodology = _methodology(data.methodology, data.language)
    statement.sections = [
        StatementSection(
            position=position,
            heading=section.heading.strip(),
            body=section.body.strip(),
            stage_id=section.stage_id,
        )
        for position, section in enumerate(data.sections, start=1)
    ]
    if statement.slug is None or (statement.title, statement.language) != (old_title, old_language):
        statement.slug = _unique_slug(statement.title, statement.language, statement.id)


def _methodology(text: str, language: str) -> str:
    """Empty, or still another language's standard text: the standard text in this language."""
    text = text.strip()
    normalised = " ".join(text.split())
    standard = {" ".join(counting_rules(code).split()) for code in STATEMENT_LANGUAGES}
    if not text or normalised in standard:
        return counting_rules(language)
    return text


def _campaign_stages(campaign_id: int, stage_ids) -> list[Stage]:
    if not stage_ids:
        return []
    return list(
        db.session.execute(
            select(Stage)
            .where(Stage.campaign_id == campaign_id, Stage.id.in_(set(stage_ids)))
            .order_by(Stage.position)
        ).scalars()
    )


def _unique_slug(title: str, language: str, own_id: int | None) -> str:
    base = slugify(title, language)
    query = select(Statement.slug).where(
        (Statement.slug == base) | Statement.slug.like(base + "-%")
    )
    if own_id is not None:
        query = query.where(Statement.id != own_id)
    return with_suffix(base, set(db.session.execute(query).scalars()))


def delete_draft(statement: Statement) -> None:
    ensure_draft(statement)
    db.session.delete(statement)


def start_correction(original: Statement, author) -> Statement:
    """A new draft naming `original`, prefilled with its text, stages, period and language."""
    if original.status not in PUBLIC_STATUSES:
        raise StatementError(_l("Only a published statement can be corrected."))
    data = StatementInput(
        campaign_id=original.campaign_id,
        stage_ids=[stage.id for stage in original.stages],
        language=original.language,
        title=original.title,
        period_start=original.period_start,
        period_end=original.period_end,
        key_findings=original.key_findings,
        recommendations=original.recommendations,
        methodology=original.methodology,
        sections=[SectionInput(s.heading, s.body, s.stage_id) for s in original.sections],
    )
    return create_statement(author, data, corrects=original)


# --- figures and rendering -------------------------------------------------------------------


def build_snapshot(statement: Statement, generated_at: datetime, mission: str) -> dict[str, Any]:
    """Everything the PDF needs besides the statement's own text, frozen at `generated_at`."""
    language = language_of(statement.language)
    stage_ids = tuple(stage.id for stage in statement.stages)
    report_filter = statement_filter(
        statement.campaign_id, stage_ids, statement.period_start, statement.period_end
    )
    corrects = statement.corrects
    return {
        "version": SNAPSHOT_VERSION,
        "generated_at": generated_at.isoformat(),
        "mission": mission,
        "language": language,
        "campaign": statement.campaign.name_in(language),
        "stages": [stage.name_in(language) for stage in statement.stages],
        "filter": {
            "statuses": list(report_filter.statuses),
            "campaign_id": statement.campaign_id,
            "stage_ids": list(report_filter.stage_ids),
            "date_from": statement.period_start.isoformat(),
            "date_to": statement.period_end.isoformat(),
        },
        "statistics": compute_statistics(report_filter, language),
        "corrects": {
            "title": corrects.title,
            "published_on": corrects.published_at.date().isoformat(),
            "slug": corrects.slug,
        }
        if corrects is not None and corrects.published_at is not None
        else None,
    }


def build_document(
    statement: Statement, snapshot: dict[str, Any], published_at: datetime | None = None
) -> StatementDocument:
    stage_codes = {stage.id: stage.code for stage in statement.stages}
    for section in statement.sections:
        if section.stage_id is not None and section.stage is not None:
            stage_codes[section.stage_id] = section.stage.code
    return StatementDocument.from_dict(
        {
            "mission": snapshot["mission"],
            "title": statement.title,
            "language": statement.language,
            "slug": statement.slug,
            "period_start": statement.period_start,
            "period_end": statement.period_end,
            "generated_at": snapshot["generated_at"],
            "published_at": published_at or statement.published_at,
            "stages": snapshot["stages"],
            "key_findings": statement.key_findings,
            "sections": [
                {
                    "heading": s.heading,
                    "body": s.body,
                    "stage": stage_codes.get(s.stage_id, "") if s.stage_id else "",
                }
                for s in statement.sections
            ],
            "recommendations": statement.recommendations,
            "methodology": statement.methodology,
            "statistics": snapshot["statistics"],
            "corrects": snapshot.get("corrects"),
        }
    )


def mission_name(language: str) -> str:
    return config_mission_name(current_app.config, language)


def draft_snapshot(statement: Statement) -> dict[str, Any]:
    return build_snapshot(
        statement, utcnow().replace(microsecond=0), mission_name(statement.language)
    )


def render_pdf(statement: Statement) -> bytes:
    """Published: the stored bytes. Draft: a fresh render from the current data."""
    if statement.status in PUBLIC_STATUSES:
        return statement.pdf
    return render_statement(build_document(statement, draft_snapshot(statement)))


# --- publication -----------------------------------------------------------------------------


def publish(statement: Statement, user) -> Statement:
    ensure_draft(statement)
    if not statement.key_findings.strip():
        raise StatementError(_l("Write the key findings before publishing."))
    now = utcnow().replace(microsecond=0)
    snapshot = build_snapshot(statement, now, mission_name(statement.language))
    pdf = render_statement(build_document(statement, snapshot, published_at=now))
    # Claim the draft with a conditional UPDATE, so two simultaneous publications cannot both win.
    claimed = db.session.execute(
        update(Statement)
        .where(Statement.id == statement.id, Statement.status == StatementStatus.DRAFT)
        .values(
            status=StatementStatus.PUBLISHED,
            published_at=now,
            published_by_id=user.id,
            snapshot=snapshot,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            pdf_size=len(pdf),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise StatementError(_l("This statement has already been published."))
    log_security_event(
        "statement_published",
        actor_id=user.id,
        details={"statement_id": statement.id, "slug": statement.slug},
    )
    db.session.flush()
    db.session.refresh(statement)
    return statement


def withdraw(statement: Statement, user, reason: str) -> Statement:
    reason = reason.strip()
    if not reason:
        raise StatementError(_l("Give the reason for withdrawing this statement."))
    now = utcnow().replace(microsecond=0)
    withdrawn = db.session.execute(
        update(Statement)
        .where(Statement.id == statement.id, Statement.status == StatementStatus.PUBLISHED)
        .values(status=StatementStatus.WITHDRAWN, withdrawn_at=now, withdrawal_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if withdrawn != 1:
        db.session.rollback()
        raise StatementError(_l("Only a published statement can be withdrawn."))
    log_security_event(
        "statement_withdrawn",
        actor_id=user.id,
        details={"statement_id": statement.id, "slug": statement.slug, "reason": reason},
    )
    db.session.flush()
    db.session.refresh(statement)
    return statement


# --- reading ---------------------------------------------------------------------------------


def public_statements() -> list[Statement]:
    """Published and withdrawn statements, newest first (the PDF bytes are not loaded)."""
    return list(
        db.session.execute(
            select(Statement)
            .where(Statement.status.in_(PUBLIC_STATUSES))
            .order_by(Statement.published_at.desc(), Statement.id.desc())
        ).scalars()
    )


def public_statement(slug: str) -> Statement | None:
    return db.session.execute(
        select(Statement).where(Statement.slug == slug, Statement.status.in_(PUBLIC_STATUSES))
    ).scalar_one_or_none()


def public_corrections(statement: Statement) -> list[Statement]:
    return list(
        db.session.execute(
            select(Statement)
            .where(Statement.corrects_id == statement.id, Statement.status.in_(PUBLIC_STATUSES))
            .order_by(Statement.published_at)
        ).scalars()
    )


def staff_statements() -> list[Statement]:
    return list(
        db.session.execute(
            select(Statement).order_by(
                (Statement.status == StatementStatus.DRAFT).desc(),
                func.coalesce(Statement.published_at, Statement.updated_at).desc(),
                Statement.id.desc(),
            )
        ).scalars()
    )
