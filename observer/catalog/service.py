"""Admin edits of a campaign's stages and criteria. Functions flush; the caller commits.

A criterion or stage is never deleted, only deactivated: reports filed against it keep it, while
the report form (built from `criteria_for(active_only=True)`) stops offering it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from observer.audit.service import log_security_event
from observer.catalog.fileformat import CRITERION_CODE, STAGE_CODE
from observer.extensions import db
from observer.models import Campaign, Criterion, Stage

CRITERION_FIELDS = (
    "code",
    "name_en",
    "name_be",
    "name_ru",
    "description_en",
    "description_be",
    "description_ru",
    "references",
    "position",
    "active",
)
STAGE_FIELDS = (
    "code",
    "name_en",
    "name_be",
    "name_ru",
    "starts_on",
    "ends_on",
    "position",
    "active",
)


class CatalogRuleError(ValueError):
    """A rule the edit breaks, tied to the form field it concerns."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _clean(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for key in fields:
        if key not in values:
            continue
        value = values[key]
        if isinstance(value, str):
            value = value.strip() or None
        out[key] = value
    return out


def _code_taken(model, campaign_id: int, code: str, exclude_id: int | None) -> bool:
    query = select(model.id).where(
        model.campaign_id == campaign_id, func.lower(model.code) == code.lower()
    )
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.execute(query.limit(1)).first() is not None


def _audit(action: str, actor_id: int | None, **details: Any) -> None:
    log_security_event(f"catalog.{action}", actor_id=actor_id, details=details)


# --- criteria ------------------------------------------------------------------------------


def _check_criterion(campaign_id: int, values: dict, stage: Stage | None, exclude_id=None):
    if not values.get("code"):
        raise CatalogRuleError("code", _l("Give the criterion a code."))
    if len(values["code"]) > 16 or not CRITERION_CODE.match(values["code"]):
        raise CatalogRuleError(
            "code", _l("Use capital letters and digits in groups joined by hyphens, e.g. CAM-05.")
        )
    if not values.get("name_en"):
        raise CatalogRuleError("name_en", _l("The English name is required."))
    if stage is None or stage.campaign_id != campaign_id:
        raise CatalogRuleError("stage_id", _l("Choose a stage of this campaign."))
    if _code_taken(Criterion, campaign_id, values["code"], exclude_id):
        raise CatalogRuleError(
            "code",
            _l(
                "Another criterion of this campaign already has the code %(code)s.",
                code=values["code"],
            ),
        )


def create_criterion(
    campaign: Campaign, values: dict[str, Any], stage_id: int | None, actor_id: int | None
) -> Criterion:
    values = _clean(values, CRITERION_FIELDS)
    values["code"] = (values.get("code") or "").upper()
    stage = db.session.get(Stage, stage_id) if stage_id else None
    _check_criterion(campaign.id, values, stage)
    if values.get("position") is None:
        values["position"] = _next_position(Criterion, Criterion.stage_id == stage.id)
    values.setdefault("active", True)
    criterion = Criterion(campaign_id=campaign.id, stage=stage, **values)
    db.session.add(criterion)
    db.session.flush()
    _audit("criterion_created", actor_id, code=criterion.code, campaign=campaign.slug)
    return criterion


def update_criterion(
    criterion: Criterion, values: dict[str, Any], stage_id: int | None, actor_id: int | None
) -> Criterion:
    values = _clean(values, CRITERION_FIELDS)
    values["code"] = (values.get("code") or "").upper()
    stage = db.session.get(Stage, stage_id) if stage_id else None
    _check_criterion(criterion.campaign_id, values, stage, exclude_id=criterion.id)
    if values.get("position") is None:
        values["position"] = criterion.position
    for key, value in values.items():
        setattr(criterion, key, value)
    criterion.stage = stage
    db.session.flush()
    _audit("criterion_updated", actor_id, code=criterion.code)
    return criterion


def set_criterion_active(criterion: Criterion, active: bool, actor_id: int | None) -> None:
    if criterion.active == active:
        return
    criterion.active = active
    db.session.flush()
    _audit(
        "criterion_" + ("reactivated" if active else "deactivated"), actor_id, code=criterion.code
    )


# --- stages --------------------------------------------------------------------------------


def _check_stage(campaign_id: int, values: dict, exclude_id=None) -> None:
    if not values.get("code"):
        raise CatalogRuleError("code", _l("Give the stage a code."))
    if len(values["code"]) > 32 or not STAGE_CODE.match(values["code"]):
        raise CatalogRuleError(
            "code", _l("Use lower-case letters, digits and underscores, e.g. early_voting.")
        )
    if not values.get("name_en"):
        raise CatalogRuleError("name_en", _l("The English name is required."))
    start: date | None = values.get("starts_on")
    end: date | None = values.get("ends_on")
    if start and end and end < start:
        raise CatalogRuleError("ends_on", _l("The end date cannot be before the start date."))
    if _code_taken(Stage, campaign_id, values["code"], exclude_id):
        raise CatalogRuleError(
            "code",
            _l(
                "Another stage of this campaign already has the code %(code)s.", code=values["code"]
            ),
        )


def create_stage(campaign: Campaign, values: dict[str, Any], actor_id: int | None) -> Stage:
    values = _clean(values, STAGE_FIELDS)
    values["code"] = (values.get("code") or "").lower()
    _check_stage(campaign.id, values)
    if values.get("position") is None:
        values["position"] = _next_position(Stage, Stage.campaign_id == campaign.id)
    values.setdefault("active", True)
    stage = Stage(campaign=campaign, **values)
    db.session.add(stage)
    db.session.flush()
    _audit("stage_created", actor_id, code=stage.code, campaign=campaign.slug)
    return stage


def update_stage(stage: Stage, values: dict[str, Any], actor_id: int | None) -> Stage:
    values = _clean(values, STAGE_FIELDS)
    values["code"] = (values.get("code") or "").lower()
    _check_stage(stage.campaign_id, values, exclude_id=stage.id)
    if values.get("position") is None:
        values["position"] = stage.position
    for key, value in values.items():
        setattr(stage, key, value)
    db.session.flush()
    _audit("stage_updated", actor_id, code=stage.code)
    return stage


def set_stage_active(stage: Stage, active: bool, actor_id: int | None) -> None:
    if stage.active == active:
        return
    stage.active = active
    db.session.flush()
    _audit("stage_" + ("reactivated" if active else "deactivated"), actor_id, code=stage.code)


def _next_position(model, condition) -> int:
    highest = db.session.execute(select(func.max(model.position)).where(condition)).scalar()
    return (highest or 0) + 1
