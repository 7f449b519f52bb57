"""Catalog order, the one order criteria appear in everywhere (lists, tables, exports, charts):
by their stage's position in the campaign, then by their own position within the stage.

A criterion's position restarts in every stage, so ordering by it alone interleaves stages;
every query that lists criteria takes its ORDER BY from here."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from observer.models import Criterion, Stage


def criterion_order() -> tuple:
    """ORDER BY terms for a query over Criterion (no join needed: the stage's position is a
    correlated subquery, so this also serves relationship order_by)."""
    stage_position = (
        select(Stage.position)
        .where(Stage.id == Criterion.stage_id)
        .correlate(Criterion)
        .scalar_subquery()
    )
    return (
        Criterion.campaign_id,
        stage_position,
        Criterion.stage_id,
        Criterion.position,
        Criterion.code,
    )


def stage_order() -> tuple:
    return (Stage.campaign_id, Stage.position, Stage.id)


def catalog_sorted(criteria: Iterable[Criterion], stages: Iterable[Stage]) -> list[Criterion]:
    """Criteria already loaded, sorted into catalog order given their stages."""
    rank = {stage.id: (stage.campaign_id, stage.position, stage.id) for stage in stages}
    return sorted(
        criteria,
        key=lambda c: (rank.get(c.stage_id, (c.campaign_id, 0, 0)), c.position, c.code),
    )
