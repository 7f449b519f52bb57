"""A read-only snapshot of one campaign's catalog (stages, criteria, regions, districts), for the
report form's choices and the report rules, memoised per worker.

Building the form used to load some 170 ORM rows on every request. The snapshot is plain tuples
from four Core queries, kept per (campaign, catalog_version). `campaigns.catalog_version` is
renewed in the same transaction as any change to catalog rows (see `_bump_catalog_version`), and
every request reads the campaign row anyway, so a worker never serves a stale catalog: the memo
is derived data checked against the database on each use, not state of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from threading import Lock

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from observer.extensions import db
from observer.models import Campaign, Criterion, District, Region, Stage
from observer.models.base import LANGUAGES, Localized
from observer.models.catalog import new_catalog_version

CATALOG_MODELS = (Campaign, Stage, Criterion, Region, District)
_MEMO_SIZE = 8


@dataclass(frozen=True)
class Item(Localized):
    """One catalog row: id, code, names per language, its parent's id, active flag."""

    id: int
    code: str
    parent_id: int | None
    active: bool
    name_en: str
    name_be: str | None
    name_ru: str | None


@dataclass(frozen=True)
class CatalogSnapshot:
    campaign_id: int
    version: str
    stages: tuple[Item, ...]
    criteria: tuple[Item, ...]  # stage order, then criterion order
    regions: tuple[Item, ...]
    districts: tuple[Item, ...]  # region order, then name
    by_id: dict[str, dict[int, Item]] = field(default_factory=dict, compare=False)
    # Things derived from the snapshot by its users (e.g. form choices per language).
    derived: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for kind in ("stages", "criteria", "regions", "districts"):
            self.by_id[kind] = {item.id: item for item in getattr(self, kind)}

    def stage(self, stage_id) -> Item | None:
        return self.by_id["stages"].get(stage_id)

    def criterion(self, criterion_id) -> Item | None:
        return self.by_id["criteria"].get(criterion_id)

    def region(self, region_id) -> Item | None:
        return self.by_id["regions"].get(region_id)

    def district(self, district_id) -> Item | None:
        return self.by_id["districts"].get(district_id)

    def active_stages(self) -> list[Item]:
        return [s for s in self.stages if s.active]

    def active_criteria(self) -> list[Item]:
        """Criteria offered on the form: active, and in an active stage."""
        return [c for c in self.criteria if c.active and self.stage(c.parent_id).active]

    def districts_of(self, region_id: int) -> list[Item]:
        return [d for d in self.districts if d.parent_id == region_id]


_memo: dict[tuple[int, str], CatalogSnapshot] = {}
_memo_lock = Lock()


def catalog_snapshot(campaign: Campaign) -> CatalogSnapshot:
    key = (campaign.id, campaign.catalog_version)
    snapshot = _memo.get(key)
    if snapshot is None:
        snapshot = _build(campaign)
        with _memo_lock:
            if len(_memo) >= _MEMO_SIZE:
                _memo.clear()
            _memo[key] = snapshot
    return snapshot


def _names(table):
    return [getattr(table, f"name_{language}") for language in LANGUAGES]


def _build(campaign: Campaign) -> CatalogSnapshot:
    run = db.session.execute
    stages = run(
        select(Stage.id, Stage.code, Stage.campaign_id, Stage.active, *_names(Stage))
        .where(Stage.campaign_id == campaign.id)
        .order_by(Stage.position, Stage.id)
    ).all()
    stage_rank = {row.id: rank for rank, row in enumerate(stages)}
    criteria = run(
        select(
            Criterion.id,
            Criterion.code,
            Criterion.stage_id,
            Criterion.active,
            *_names(Criterion),
            Criterion.position,
        ).where(Criterion.campaign_id == campaign.id)
    ).all()
    criteria = sorted(criteria, key=lambda r: (stage_rank.get(r.stage_id, 0), r.position, r.code))
    regions = run(
        select(Region.id, Region.iso_code, *_names(Region)).order_by(
            Region.position, Region.name_en
        )
    ).all()
    region_rank = {row.id: rank for rank, row in enumerate(regions)}
    districts = run(select(District.id, District.region_id, *_names(District))).all()
    districts = sorted(districts, key=lambda r: (region_rank.get(r.region_id, 0), r.name_en))
    return CatalogSnapshot(
        campaign_id=campaign.id,
        version=campaign.catalog_version,
        stages=tuple(Item(r.id, r.code, r.campaign_id, r.active, *r[4:7]) for r in stages),
        criteria=tuple(Item(r.id, r.code, r.stage_id, r.active, *r[4:7]) for r in criteria),
        regions=tuple(Item(r[0], r[1], None, True, *r[2:5]) for r in regions),
        districts=tuple(Item(r.id, "", r.region_id, True, *r[2:5]) for r in districts),
    )


def _bump_catalog_version(session: Session, _context, _instances) -> None:
    """before_flush: a change to any catalog row makes every campaign's snapshot stale."""
    changed = any(
        isinstance(obj, CATALOG_MODELS) and (obj not in session.dirty or session.is_modified(obj))
        for obj in chain(session.new, session.dirty, session.deleted)
    )
    if changed:
        session.execute(update(Campaign).values(catalog_version=new_catalog_version()))


def watch_catalog_changes() -> None:
    if not event.contains(Session, "before_flush", _bump_catalog_version):
        event.listen(Session, "before_flush", _bump_catalog_version)
