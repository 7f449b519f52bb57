"""What the assessment pages show beyond the figures: the campaign asked for, the choices of
the assessment form, the registry listing with ratings, the follow-up chart."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from observer.catalog.queries import active_campaign, campaign_by_slug, criteria_for, stages_for
from observer.dashboard.charts import bar_chart
from observer.extensions import db
from observer.forms import select_choices
from observer.models import (
    Assessment,
    Campaign,
    FollowUp,
    JudgmentStatus,
    Recommendation,
    Region,
    ScaleLevel,
)

UNRATED = "unrated"
AWAITING = "awaiting"


def campaign_or_404(slug: str | None, campaign_id: int | None = None) -> Campaign:
    if campaign_id is not None:
        campaign = db.session.get(Campaign, campaign_id)
    else:
        campaign = campaign_by_slug(slug) if slug else active_campaign()
    if campaign is None:
        abort(404)
    return campaign


def assessment_choices(form, campaign: Campaign, language: str) -> None:
    form.criterion.choices = select_choices(
        (criterion.id, f"{criterion.code} · {criterion.name_in(language)}")
        for criterion in criteria_for(campaign, active_only=False)
    )
    form.stage.choices = select_choices(
        [(0, _("The criterion's own stage"))]
        + [(stage.id, stage.name_in(language)) for stage in stages_for(campaign, active_only=False)]
    )
    regions = db.session.execute(select(Region).order_by(Region.position, Region.id)).scalars()
    form.region.choices = select_choices(
        [(0, _("The whole country"))] + [(r.id, r.name_in(language)) for r in regions]
    )


def regional_assessments(assessment: Assessment) -> list[Assessment]:
    """The other assessments of the same criterion (other stages, regions)."""
    return list(
        db.session.execute(
            select(Assessment)
            .where(
                Assessment.criterion_id == assessment.criterion_id, Assessment.id != assessment.id
            )
            .options(selectinload(Assessment.level), selectinload(Assessment.region))
            .order_by(Assessment.stage_id, Assessment.region_id)
        ).scalars()
    )


@dataclass
class RegistryRow:
    recommendation: Recommendation
    follow_up: FollowUp | None


def recommendation_rows(campaign_id: int, rating: str | None) -> list[RegistryRow]:
    """The registry with this campaign's ratings; `rating` narrows it to one level code, to
    the unrated, or to ratings awaiting agreement."""
    query = (
        select(Recommendation, FollowUp)
        .outerjoin(
            FollowUp,
            (FollowUp.recommendation_id == Recommendation.id)
            & (FollowUp.campaign_id == campaign_id),
        )
        .outerjoin(ScaleLevel, ScaleLevel.id == FollowUp.level_id)
        .options(selectinload(Recommendation.criteria), selectinload(FollowUp.level))
        .order_by(Recommendation.year.desc(), Recommendation.position, Recommendation.code)
    )
    if rating == UNRATED:
        query = query.where(FollowUp.id.is_(None))
    elif rating == AWAITING:
        query = query.where(FollowUp.status == JudgmentStatus.PROPOSED)
    elif rating:
        query = query.where(ScaleLevel.code == rating)
    return [RegistryRow(r, f) for r, f in db.session.execute(query).all()]


def follow_up_chart(summary: dict) -> Markup:
    items = [(level["label"], level["count"], level["colour"]) for level in summary["levels"]]
    return bar_chart(
        "follow-up-chart", _("Recommendations by follow-up rating"), items, label_width=250
    )
