"""Statements: compose drafts, freeze a snapshot, publish once, withdraw, correct.

A draft is rendered fresh from the current data; publication freezes the text and the figures
(Statement.snapshot), renders the PDF once and stores its bytes and SHA-256. Nothing changes a
published statement afterwards except withdrawal (status, time, reason): the PDF bytes never do."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from observer.audit.service import log_security_event
from observer.config import mission_name as config_mission_name
from observer.extensions import db
from observer.models import (
    Campaign,
    MissionProfile,
    Stage,
    Statement,
    StatementFile,
    StatementSection,
    StatementStatus,
    utcnow,
)
from observer.statements import keys, opendata
from observer.statements.document import StatementDocument
from observer.statements.figure_snapshot import check, freeze, freeze_one, statement_parts
from observer.statements.figures import FigureContext
from observer.statements.kinds import (
    CHAPTERS,
    CONCLUSIONS_PROMPT,
    KINDS,
    RECOMMENDATIONS_PROMPT,
    chapter_body,
)
from observer.statements.labels import STATEMENT_LANGUAGES, counting_rules, language_of
from observer.statements.pdf import render_statement
from observer.statements.slugs import slugify, with_suffix
from observer.statements.statistics import compute_statistics, statement_filter

SNAPSHOT_VERSION = 2
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
    kind: str | None = None


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
    if data.kind is not None:
        statement.kind = data.kind
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


def start_translation(original: Statement, author, language: str) -> Statement:
    """A draft of `original` in another language; it will publish the original's frozen
    figures (the same numbers in every language), with its own text and case wording."""
    if original.status not in PUBLIC_STATUSES:
        raise StatementError(_l("Publish the statement before translating it."))
    if original.translation_of_id is not None:
        original = original.translation_of
    if language == original.language or language not in STATEMENT_LANGUAGES:
        raise StatementError(_l("Choose another language than the original's."))
    data = StatementInput(
        campaign_id=original.campaign_id,
        stage_ids=[stage.id for stage in original.stages],
        language=language,
        title=original.title,
        period_start=original.period_start,
        period_end=original.period_end,
        key_findings=original.key_findings,
        recommendations=original.recommendations,
        methodology="",
        sections=[SectionInput(s.heading, s.body, s.stage_id) for s in original.sections],
        kind=original.kind,
    )
    draft = create_statement(author, data)
    draft.translation_of_id = original.id
    db.session.flush()
    return draft


def from_template(author, campaign: Campaign, kind_code: str, language: str) -> Statement:
    """A draft of one of the mission's publications: its chapters in order, each with its
    figure blocks and the prompts for the analysis."""
    kind = KINDS.get(kind_code)
    if kind is None:
        raise StatementError(_l("Choose a kind of publication."))
    language = language_of(language)
    stages = {stage.code: stage for stage in campaign.stages}
    sections = []
    for code in kind.chapters:
        chapter = CHAPTERS[code]
        stage = next((stages[c] for c in chapter.stages if c in stages), None)
        sections.append(
            SectionInput(
                chapter.heading[language],
                chapter_body(chapter, language),
                stage.id if stage is not None and len(chapter.stages) == 1 else None,
            )
        )
    data = StatementInput(
        campaign_id=campaign.id,
        stage_ids=[stages[c].id for c in kind.stages if c in stages]
        or [s.id for s in campaign.stages],
        language=language,
        title=kind.name[language],
        period_start=campaign.starts_on,
        period_end=campaign.ends_on,
        key_findings=CONCLUSIONS_PROMPT[language],
        recommendations=RECOMMENDATIONS_PROMPT[language],
        sections=sections,
        kind=kind.code,
    )
    return create_statement(author, data)


# --- figures and rendering -------------------------------------------------------------------


def figure_context(statement: Statement) -> FigureContext:
    return FigureContext(
        campaign_id=statement.campaign_id,
        stage_ids=tuple(stage.id for stage in statement.stages),
        period_start=statement.period_start,
        period_end=statement.period_end,
        statement_id=statement.id,
        suppression_threshold=int(current_app.config.get("SMALL_CELL_THRESHOLD", 3)),
    )


def _translated_figures(statement: Statement) -> dict[str, Any] | None:
    """A translation publishes its original's frozen figures (None: not a translation)."""
    original = statement.translation_of
    if original is None:
        return None
    return (original.snapshot or {}).get("figures", {}) if original.snapshot else {}


def prepare(statement: Statement, generated_at: datetime) -> tuple[dict[str, Any], list[str]]:
    """The snapshot a publication would freeze now, and every problem that stops it."""
    parts = statement_parts(statement)
    frozen = _translated_figures(statement)
    problems = check(parts, frozen)
    original = statement.translation_of
    if original is not None and original.status not in PUBLIC_STATUSES:
        problems.append(str(_l("Publish the statement this one translates first.")))
    snapshot = build_snapshot(statement, generated_at, mission_name(statement.language))
    if frozen is not None:
        # The numbers are the original's; the case examples are this version's own wording.
        snapshot["figures"] = dict(frozen)
        for key in frozen:
            if key.split(" ")[0] == "cases":
                recomputed, case_problems = freeze_one(key, figure_context(statement))
                snapshot["figures"][key] = recomputed or frozen[key]
                problems += case_problems
        snapshot["statistics"] = (original.snapshot or {}).get("statistics", snapshot["statistics"])
        snapshot["translation_of"] = original.slug
    else:
        snapshot["figures"], figure_problems = freeze(parts, figure_context(statement))
        problems += figure_problems
    return snapshot, problems


def mission_profile() -> MissionProfile | None:
    return db.session.execute(select(MissionProfile).limit(1)).scalar_one_or_none()


def _profile_snapshot() -> dict[str, Any]:
    profile = mission_profile()
    if profile is None:
        return {}
    frozen: dict[str, Any] = {
        "place": {code: profile.place_in(code) for code in STATEMENT_LANGUAGES},
        "contact": profile.contact or "",
    }
    if profile.logo:
        frozen["logo"] = base64.b64encode(profile.logo).decode()
        frozen["logo_sha256"] = profile.logo_sha256
    return frozen


def build_snapshot(statement: Statement, generated_at: datetime, mission: str) -> dict[str, Any]:
    """Everything the PDF needs besides the statement's own text, frozen at `generated_at`
    (the placeholders' figures are added by `prepare`)."""
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
        "profile": _profile_snapshot(),
        "kind": statement.kind,
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
        "figures": {},
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
            "figures": snapshot.get("figures", {}),
            "profile": snapshot.get("profile", {}),
            "corrects": snapshot.get("corrects"),
        }
    )


def mission_name(language: str) -> str:
    return config_mission_name(current_app.config, language)


def draft_check(statement: Statement) -> tuple[dict[str, Any], list[str]]:
    return prepare(statement, utcnow().replace(microsecond=0))


def draft_snapshot(statement: Statement) -> dict[str, Any]:
    return draft_check(statement)[0]


def draft_preview(statement: Statement) -> tuple[bytes | None, list[str]]:
    """A draft's PDF rendered now, or the problems that would stop its publication."""
    snapshot, problems = prepare(statement, utcnow().replace(microsecond=0))
    if problems:
        return None, problems
    return render_statement(build_document(statement, snapshot)), []


def render_pdf(statement: Statement) -> bytes:
    """Published: the stored bytes. Draft: a fresh render from the current data (a placeholder
    that names nothing is printed as typed)."""
    if statement.status in PUBLIC_STATUSES:
        return statement.pdf
    return render_statement(build_document(statement, draft_snapshot(statement)))


# --- publication -----------------------------------------------------------------------------


def publish(statement: Statement, user) -> Statement:
    ensure_draft(statement)
    if not statement.key_findings.strip():
        raise StatementError(_l("Write the key findings before publishing."))
    now = utcnow().replace(microsecond=0)
    snapshot, problems = prepare(statement, now)
    if problems:
        raise StatementError(" ".join(problems))
    pdf = render_statement(build_document(statement, snapshot, published_at=now))
    try:
        files = _publication_files(statement, snapshot, pdf, now)
    except keys.KeyError_ as error:
        raise StatementError(str(error)) from error
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
    for name, media_type, data in files:
        _add_file(statement.id, name, media_type, data)
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
    try:
        keys.signer()
    except keys.KeyError_ as error:
        raise StatementError(str(error)) from error
    withdrawn = db.session.execute(
        update(Statement)
        .where(Statement.id == statement.id, Statement.status == StatementStatus.PUBLISHED)
        .values(status=StatementStatus.WITHDRAWN, withdrawn_at=now, withdrawal_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if withdrawn != 1:
        db.session.rollback()
        raise StatementError(_l("Only a published statement can be withdrawn."))
    notice = json.dumps(
        {
            "withdrawn": statement.slug,
            "title": statement.title,
            "pdf_sha256": statement.pdf_sha256,
            "withdrawn_at": now.isoformat(),
            "reason": reason,
        },
        ensure_ascii=False,
        indent=1,
        sort_keys=True,
    ).encode()
    try:
        signature = keys.sign(notice, f"withdrawal of {statement.slug} at {now.isoformat()}")
    except keys.KeyError_ as error:
        db.session.rollback()
        raise StatementError(str(error)) from error
    _add_file(statement.id, WITHDRAWAL, "application/json", notice)
    _add_file(statement.id, WITHDRAWAL + SIGNATURE, SIGNATURE_TYPE, signature)
    log_security_event(
        "statement_withdrawn",
        actor_id=user.id,
        details={"statement_id": statement.id, "slug": statement.slug, "reason": reason},
    )
    db.session.flush()
    db.session.refresh(statement)
    return statement


SIGNATURE = ".minisig"
SIGNATURE_TYPE = "text/plain"
PDF_FILE = "statement.pdf"
FIGURES_JSON = "figures.json"
FIGURES_CSV = "figures.csv"
WITHDRAWAL = "withdrawal.json"


def _publication_files(statement: Statement, snapshot, pdf: bytes, now: datetime):
    """(name, media type, bytes) of the open data and of every detached signature."""
    pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    meta = {
        "slug": statement.slug,
        "title": statement.title,
        "language": statement.language,
        "published_at": now.isoformat(),
        "period": [statement.period_start.isoformat(), statement.period_end.isoformat()],
        "pdf_sha256": pdf_sha256,
        "corrects": (snapshot.get("corrects") or {}).get("slug"),
        "translation_of": snapshot.get("translation_of"),
        "suppression_threshold": int(current_app.config.get("SMALL_CELL_THRESHOLD", 3)),
    }
    figures = snapshot.get("figures", {})
    data = [
        (FIGURES_JSON, "application/json", opendata.figures_json(meta, figures)),
        (
            FIGURES_CSV,
            "text/csv",
            opendata.figures_csv(statement.slug, figures, statement.language),
        ),
    ]
    out = list(data)
    for name, _media_type, content in [(PDF_FILE, "application/pdf", pdf), *data]:
        comment = f"{statement.slug}/{name} published {now.isoformat()}"
        if statement.corrects_id:
            comment += f" corrects {(snapshot.get('corrects') or {}).get('slug', '')}"
        out.append((name + SIGNATURE, SIGNATURE_TYPE, keys.sign(content, comment)))
    return out


def _add_file(statement_id: int, name: str, media_type: str, data: bytes) -> None:
    db.session.add(
        StatementFile(
            statement_id=statement_id,
            name=name,
            media_type=media_type,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
        )
    )


def statement_file(statement: Statement, name: str) -> StatementFile | None:
    return db.session.execute(
        select(StatementFile).where(
            StatementFile.statement_id == statement.id, StatementFile.name == name
        )
    ).scalar_one_or_none()


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
