"""Read helpers over the catalog, used by reports, review, dashboard and statements."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from observer.catalog.ordering import criterion_order
from observer.extensions import db
from observer.models import Campaign, Criterion, District, Region, Stage


def _campaign_id(campaign: Campaign | int) -> int:
    return campaign if isinstance(campaign, int) else campaign.id


# Every report submission and many pages read it: built once.
_ACTIVE_CAMPAIGN = (
    select(Campaign)
    .where(Campaign.active.is_(True))
    .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    .limit(1)
)


def active_campaign() -> Campaign | None:
    """The active campaign; when several are active, the one that starts last."""
    return db.session.execute(_ACTIVE_CAMPAIGN).scalar_one_or_none()


def campaign_by_slug(slug: str) -> Campaign | None:
    return db.session.execute(select(Campaign).where(Campaign.slug == slug)).scalar_one_or_none()


def stages_for(campaign: Campaign | int, active_only: bool = True) -> list[Stage]:
    query = select(Stage).where(Stage.campaign_id == _campaign_id(campaign))
    if active_only:
        query = query.where(Stage.active.is_(True))
    return list(db.session.execute(query.order_by(Stage.position, Stage.id)).scalars())


def criteria_for(campaign: Campaign | int, active_only: bool = True) -> list[Criterion]:
    """Criteria in stage order, then their own order, each with its stage loaded.

    With active_only, a criterion whose stage is deactivated is left out as well: deactivating
    a stage takes all its criteria off the report form.
    """
    query = (
        select(Criterion)
        .join(Criterion.stage)
        .options(contains_eager(Criterion.stage))
        .where(Criterion.campaign_id == _campaign_id(campaign))
    )
    if active_only:
        query = query.where(Criterion.active.is_(True), Stage.active.is_(True))
    query = query.order_by(*criterion_order())
    return list(db.session.execute(query).scalars())


def regions_with_districts() -> list[Region]:
    return list(
        db.session.execute(
            select(Region)
            .options(selectinload(Region.districts))
            .order_by(Region.position, Region.name_en)
        ).scalars()
    )


def catalog_counts() -> dict[str, int]:
    """How many regions and districts are loaded (one query)."""
    regions, districts = db.session.execute(
        select(
            select(func.count(Region.id)).scalar_subquery(),
            select(func.count(District.id)).scalar_subquery(),
        )
    ).one()
    return {"regions": regions, "districts": districts}
