"""Assessments and follow-ups: propose, change, agree. Views and loaders call these; each
function that writes commits its transaction, or rolls it back and raises JudgmentError (so
nothing is ever half-saved)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from observer.assessments import four_eyes
from observer.assessments.content import (
    CheckedContent,
    JudgmentContent,
    apply_content,
    check_content,
    content_snapshot,
    differs,
)
from observer.assessments.four_eyes import JudgmentError
from observer.extensions import db
from observer.models import (
    Assessment,
    Criterion,
    EvidenceLink,
    FollowUp,
    JudgmentEvent,
    Recommendation,
    Region,
    Scales,
    Stage,
    User,
)


class JudgmentNotFound(LookupError):
    pass


@dataclass(frozen=True)
class AssessmentScope:
    criterion_id: int
    stage_id: int | None = None  # None: the criterion's own stage
    region_id: int | None = None  # None: the whole country


def assessment_snapshot(assessment: Assessment) -> dict:
    return {
        "criterion": assessment.criterion.code,
        "stage": assessment.stage.code,
        "region": assessment.region.iso_code if assessment.region else None,
        **content_snapshot(assessment),
    }


def follow_up_snapshot(follow_up: FollowUp) -> dict:
    return {"recommendation": follow_up.recommendation.code, **content_snapshot(follow_up)}


def _evidence_loaded():
    return selectinload(Assessment.evidence).selectinload(EvidenceLink.report)


def load_assessment(assessment_id: int) -> Assessment:
    assessment = db.session.execute(
        select(Assessment).where(Assessment.id == assessment_id).options(_evidence_loaded())
    ).scalar_one_or_none()
    if assessment is None:
        raise JudgmentNotFound(assessment_id)
    return assessment


def find_assessment(scope: AssessmentScope, stage_id: int) -> Assessment | None:
    return db.session.execute(
        select(Assessment).where(
            Assessment.criterion_id == scope.criterion_id,
            Assessment.scope_key == Assessment.make_scope_key(stage_id, scope.region_id),
        )
    ).scalar_one_or_none()


def resolve_scope(scope: AssessmentScope) -> tuple[Criterion, Stage, Region | None]:
    criterion = db.session.get(Criterion, scope.criterion_id)
    if criterion is None:
        raise JudgmentError({"criterion": [_l("Unknown criterion.")]})
    stage = db.session.get(Stage, scope.stage_id or criterion.stage_id)
    if stage is None or stage.campaign_id != criterion.campaign_id:
        raise JudgmentError({"stage": [_l("Unknown stage for this criterion's campaign.")]})
    region = None
    if scope.region_id is not None:
        region = db.session.get(Region, scope.region_id)
        if region is None:
            raise JudgmentError({"region": [_l("Unknown region.")]})
    return criterion, stage, region


def _commit_or_refuse() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise four_eyes.StaleJudgment(
            _l("Someone saved the same judgment at the same moment. Reload the page and check it.")
        ) from None


def propose_assessment(actor: User, scope: AssessmentScope, content: JudgmentContent) -> Assessment:
    """A new assessment of a criterion (for a stage, a region), proposed by `actor`."""
    try:
        four_eyes.require_judge(actor)
        criterion, stage, region = resolve_scope(scope)
        if find_assessment(scope, stage.id) is not None:
            raise JudgmentError(
                _l(
                    "This criterion already has an assessment for this stage and region: "
                    "change it instead."
                )
            )
        checked = check_content(
            content, Scales.CONCLUSION, campaign_id=criterion.campaign_id, actor=actor
        )
        assessment = Assessment(
            campaign_id=criterion.campaign_id,
            criterion=criterion,
            stage=stage,
            region=region,
            scope_key=Assessment.make_scope_key(stage.id, region.id if region else None),
            proposed_by_id=actor.id,
        )
        apply_content(assessment, checked)
        db.session.add(assessment)
        db.session.flush()
        four_eyes.record_proposal(assessment, actor, assessment_snapshot(assessment), content.note)
    except JudgmentError:
        db.session.rollback()
        raise
    _commit_or_refuse()
    return assessment


def _change(judgment, actor, version, content, scale, campaign_id, snapshot_of) -> bool:
    """Shared by assessments and follow-ups: True when something changed."""
    try:
        four_eyes.require_judge(actor)
        _lock(judgment)
        four_eyes.check_version(judgment, version)
        checked = check_content(content, scale, campaign_id=campaign_id, actor=actor)
        if not differs(judgment, checked):
            db.session.rollback()
            return False
        apply_content(judgment, checked)
        db.session.flush()
        four_eyes.record_change(judgment, actor, snapshot_of(judgment), content.note)
    except JudgmentError:
        db.session.rollback()
        raise
    _commit_or_refuse()
    return True


def change_assessment(
    assessment: Assessment, actor: User, version: int | None, content: JudgmentContent
) -> bool:
    """Change conclusion, reasoning or evidence; an agreed assessment is reopened."""
    return _change(
        assessment,
        actor,
        version,
        content,
        Scales.CONCLUSION,
        assessment.campaign_id,
        assessment_snapshot,
    )


def _lock(judgment) -> None:
    """Read the judgment again under a row lock (PostgreSQL), so two people agreeing or changing
    it at the same moment are judged one after the other, each against the other's outcome."""
    db.session.refresh(judgment, with_for_update=True)


def _agree(judgment, actor, version, snapshot_of) -> None:
    try:
        _lock(judgment)
        four_eyes.agree(judgment, actor, version, snapshot_of(judgment))
    except JudgmentError:
        db.session.rollback()
        raise
    _commit_or_refuse()


def agree_assessment(assessment: Assessment, actor: User, version: int | None) -> None:
    _agree(assessment, actor, version, assessment_snapshot)


# --- follow-ups of recommendations ---------------------------------------------------------


def load_recommendation(recommendation_id: int) -> Recommendation:
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise JudgmentNotFound(recommendation_id)
    return recommendation


def find_follow_up(recommendation_id: int, campaign_id: int) -> FollowUp | None:
    return db.session.execute(
        select(FollowUp)
        .where(FollowUp.recommendation_id == recommendation_id, FollowUp.campaign_id == campaign_id)
        .options(selectinload(FollowUp.evidence).selectinload(EvidenceLink.report))
    ).scalar_one_or_none()


def rate_follow_up(
    actor: User,
    recommendation: Recommendation,
    campaign_id: int,
    content: JudgmentContent,
    version: int | None = None,
) -> tuple[FollowUp, bool]:
    """Propose the campaign's rating of a recommendation, or change it (reopening an agreed
    one). Returns the follow-up and whether anything changed."""
    try:
        four_eyes.require_judge(actor)
        checked = check_content(content, Scales.FOLLOW_UP, campaign_id=campaign_id, actor=actor)
        follow_up, changed = stage_follow_up(
            actor, recommendation, campaign_id, checked, content.note, version
        )
    except JudgmentError:
        db.session.rollback()
        raise
    if not changed:
        db.session.rollback()
        return follow_up, False
    _commit_or_refuse()
    return follow_up, True


def stage_follow_up(
    actor: User,
    recommendation: Recommendation,
    campaign_id: int,
    checked: CheckedContent,
    note: str | None = None,
    version: int | None = None,
) -> tuple[FollowUp, bool]:
    """Write a checked rating into the session (flushed, with its chain event), without
    committing: the page commits it alone, the loader with the whole file."""
    follow_up = find_follow_up(recommendation.id, campaign_id) if recommendation.id else None
    if follow_up is None:
        follow_up = FollowUp(
            campaign_id=campaign_id, recommendation=recommendation, proposed_by_id=actor.id
        )
        apply_content(follow_up, checked)
        db.session.add(follow_up)
        db.session.flush()
        four_eyes.record_proposal(follow_up, actor, follow_up_snapshot(follow_up), note)
        return follow_up, True
    _lock(follow_up)
    four_eyes.check_version(follow_up, version)
    if not differs(follow_up, checked):
        return follow_up, False
    apply_content(follow_up, checked)
    db.session.flush()
    four_eyes.record_change(follow_up, actor, follow_up_snapshot(follow_up), note)
    return follow_up, True


def agree_follow_up(follow_up: FollowUp, actor: User, version: int | None) -> None:
    _agree(follow_up, actor, version, follow_up_snapshot)


def history(*, assessment_id: int | None = None, follow_up_id: int | None = None):
    query = select(JudgmentEvent).options(selectinload(JudgmentEvent.actor))
    if assessment_id is not None:
        query = query.where(JudgmentEvent.assessment_id == assessment_id)
    else:
        query = query.where(JudgmentEvent.follow_up_id == follow_up_id)
    return list(db.session.execute(query.order_by(JudgmentEvent.seq)).scalars())
