"""Loading a catalog (campaign, stages, criteria, regions, districts) into the database.

Rows are matched by natural keys (campaign slug; stage code and criterion code within the
campaign; region ISO code; district English name within its region), so loading the same file
twice changes nothing and loading an edited file updates texts in place. Nothing is ever deleted:
reports keep pointing at what they were filed against. Keys a file leaves out keep their current
values on existing rows. Nothing is written unless the whole file is valid; the caller commits.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import select

from observer.catalog.fileformat import CatalogError, CatalogSpec, validate_catalog
from observer.extensions import db
from observer.models import Campaign, Criterion, District, Region, Stage

__all__ = ["CatalogError", "LoadResult", "load_catalog", "load_default_catalog"]

DEFAULT_CATALOG = "belarus-2024.json"
NEW_CAMPAIGN_REQUIRED = {
    "name_en": "English name",
    "reference_year": "reference year",
    "starts_on": "start date",
    "ends_on": "end date",
}
KINDS = ("campaign", "stage", "criterion", "region", "district")


@dataclass
class LoadResult:
    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    # (kind, natural key, "created" | "updated"), in file order
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    def record(self, kind: str, key: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1
        if outcome != "unchanged":
            self.changes.append((kind, key, outcome))

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def summary_lines(self) -> list[str]:
        return [
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
            if sum(c.values())
        ]


def default_catalog_data() -> dict[str, Any]:
    text = resources.files("observer.catalog").joinpath("data", DEFAULT_CATALOG).read_text("utf-8")
    return json.loads(text)


def load_default_catalog() -> LoadResult:
    """The 2024 campaign, its stages and criteria, and Belarus's regions and districts."""
    return load_catalog(default_catalog_data())


def load_catalog(data: dict[str, Any]) -> LoadResult:
    campaign = _existing_campaign(data)
    known_stages = set()
    if campaign is not None:
        known_stages = set(
            db.session.execute(select(Stage.code).where(Stage.campaign_id == campaign.id))
            .scalars()
            .all()
        )
    spec = validate_catalog(data, known_stage_codes=known_stages)
    _check_against_database(spec, campaign)

    result = LoadResult()
    if spec.campaign is not None:
        campaign = _upsert_campaign(spec.campaign, campaign, result)
        stages = _upsert_stages(spec, campaign, result)
        _upsert_criteria(spec, campaign, stages, result)
    _upsert_regions(spec, result)
    db.session.flush()
    return result


def _existing_campaign(data: Any) -> Campaign | None:
    section = data.get("campaign") if isinstance(data, dict) else None
    slug = section.get("slug") if isinstance(section, dict) else None
    if not isinstance(slug, str) or not slug.strip():
        return None
    return db.session.execute(
        select(Campaign).where(Campaign.slug == slug.strip().lower())
    ).scalar_one_or_none()


def _check_against_database(spec: CatalogSpec, campaign: Campaign | None) -> None:
    if spec.campaign is None:
        return
    where = f"campaign ({spec.campaign['slug']})"
    problems = []
    if campaign is None:
        problems += [
            f"{where}: missing {label} ({key}), needed for a new campaign"
            for key, label in NEW_CAMPAIGN_REQUIRED.items()
            if spec.campaign.get(key) is None
        ]
    else:
        start = spec.campaign.get("starts_on") or campaign.starts_on
        end = spec.campaign.get("ends_on") or campaign.ends_on
        if end < start:
            problems.append(f"{where}: the end date would fall before the start date")
    if problems:
        raise CatalogError(problems)


def _stated(values: dict[str, Any]) -> dict[str, Any]:
    """The column values a file item states (helper keys start with an underscore)."""
    return {k: v for k, v in values.items() if not k.startswith("_")}


def _apply(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _upsert_campaign(values: dict, campaign: Campaign | None, result: LoadResult) -> Campaign:
    slug = values["slug"]
    if campaign is None:
        campaign = Campaign(active=True, last_report_number=0)
        _apply(campaign, values)
        db.session.add(campaign)
        db.session.flush()  # criteria refer to the campaign by id
        result.record("campaign", slug, "created")
    else:
        result.record("campaign", slug, "updated" if _apply(campaign, values) else "unchanged")
    return campaign


def _upsert_stages(spec: CatalogSpec, campaign: Campaign, result: LoadResult) -> dict:
    stages = {
        stage.code: stage
        for stage in db.session.execute(
            select(Stage).where(Stage.campaign_id == campaign.id)
        ).scalars()
    }
    for values in spec.stages:
        code = values["code"]
        stated = _stated(values)
        stage = stages.get(code)
        if stage is None:
            stage = Stage(campaign=campaign, active=True, position=values["_default_position"])
            _apply(stage, stated)
            db.session.add(stage)
            stages[code] = stage
            result.record("stage", code, "created")
        else:
            result.record("stage", code, "updated" if _apply(stage, stated) else "unchanged")
    return stages


def _upsert_criteria(spec: CatalogSpec, campaign: Campaign, stages: dict, result) -> None:
    existing = {
        criterion.code: criterion
        for criterion in db.session.execute(
            select(Criterion).where(Criterion.campaign_id == campaign.id)
        ).scalars()
    }
    for values in spec.criteria:
        code = values["code"]
        stated = _stated(values)
        stage = stages[stated.pop("stage")]
        criterion = existing.get(code)
        if criterion is None:
            criterion = Criterion(
                campaign_id=campaign.id,
                stage=stage,
                active=True,
                position=values["_default_position"],
            )
            _apply(criterion, stated)
            db.session.add(criterion)
            existing[code] = criterion
            result.record("criterion", code, "created")
        else:
            changed = _apply(criterion, stated)
            if criterion.stage_id != stage.id:
                criterion.stage = stage
                changed = True
            result.record("criterion", code, "updated" if changed else "unchanged")


def _upsert_regions(spec: CatalogSpec, result: LoadResult) -> None:
    if not spec.regions:
        return
    codes = [region.values["iso_code"] for region in spec.regions]
    regions = {
        region.iso_code: region
        for region in db.session.execute(select(Region).where(Region.iso_code.in_(codes))).scalars()
    }
    districts: dict[tuple[int, str], District] = {}
    if regions:
        region_ids = [region.id for region in regions.values()]
        for district in db.session.execute(
            select(District).where(District.region_id.in_(region_ids))
        ).scalars():
            districts[(district.region_id, district.name_en)] = district

    for region_spec in spec.regions:
        values = region_spec.values
        code = values["iso_code"]
        region = regions.get(code)
        if region is None:
            region = Region(position=values["_default_position"])
            _apply(region, _stated(values))
            db.session.add(region)
            db.session.flush()  # districts are matched by the region's id
            regions[code] = region
            result.record("region", code, "created")
        else:
            changed = _apply(region, _stated(values))
            result.record("region", code, "updated" if changed else "unchanged")
        for district_values in region_spec.districts:
            name = district_values["name_en"]
            key = f"{code} {name}"
            district = districts.get((region.id, name))
            if district is None:
                district = District(region_id=region.id)
                _apply(district, district_values)
                db.session.add(district)
                districts[(region.id, name)] = district
                result.record("district", key, "created")
            else:
                changed = _apply(district, district_values)
                result.record("district", key, "updated" if changed else "unchanged")
