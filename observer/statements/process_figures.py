"""Figure providers for the process records (observer/records/figures.py, issue 13): commission
composition, inclusion rates, the candidate pipeline, refusals, registered candidates by
organisation, official figures with their sources. Public facts: never suppressed. Each
registry figure becomes a `table`; shares are percent (shown with one decimal)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from observer.extensions import db
from observer.models import Election
from observer.records import figures as records
from observer.statements.figures import (
    FigureContext,
    FigureError,
    FigureProvider,
    localized,
    register,
)
from observer.statements.labels import STATEMENT_LANGUAGES, label

PERCENT = "percent"
# Per registry figure: its columns as (row field, heading label key, format).
COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "commission_composition": (
        ("level_labels", "commission_level", ""),
        ("region_labels", "region", ""),
        ("labels", "nominated_by", ""),
        ("count", "members", "number"),
        ("share", "share", PERCENT),
    ),
    "inclusion_rates": (
        ("level_labels", "commission_level", ""),
        ("labels", "nominated_by", ""),
        ("nominated", "nominated", "number"),
        ("appointed", "appointed", "number"),
        ("rate", "appointed_rate", PERCENT),
        ("share_of_members", "share_of_members", PERCENT),
    ),
    "candidate_pipeline": (
        ("labels", "election", ""),
        ("nominated", "nominated", "number"),
        ("registered", "registered", "number"),
        ("registered_share", "registered_share", PERCENT),
        ("refused", "refused", "number"),
        ("withdrawn", "withdrawn", "number"),
        ("elected", "elected", "number"),
        ("women_share_nominated", "women_nominated", PERCENT),
        ("women_share_registered", "women_registered", PERCENT),
        ("seats", "seats", "number"),
        ("candidates_per_seat", "per_seat", "number"),
    ),
    "refusals_by_reason": (
        ("election", "election", ""),
        ("labels", "reason", ""),
        ("count", "refused", "number"),
        ("share", "share", PERCENT),
    ),
    "registered_by_organisation": (
        ("election", "election", ""),
        ("labels", "nominated_by", ""),
        ("count", "registered", "number"),
        ("share", "share", PERCENT),
    ),
    "official_series": (
        ("region_labels", "area", ""),
        ("as_of", "as_of", ""),
        ("value", "value", "number"),
        ("unit", "unit", ""),
        ("source_url", "source", ""),
    ),
}
TITLES = {
    "commission_composition": "title_composition",
    "inclusion_rates": "title_inclusion",
    "candidate_pipeline": "title_pipeline",
    "refusals_by_reason": "title_refusals",
    "registered_by_organisation": "title_registered_by",
    "official_series": "title_official",
}
DESCRIPTIONS = {
    "commission_composition": _l("Commission members by nominating group (a share of the level)"),
    "inclusion_rates": _l("Nominees appointed to commissions, per nominating group"),
    "candidate_pipeline": _l("Candidates nominated, registered, refused, elected; women's share"),
    "refusals_by_reason": _l("Candidates refused registration, by reason"),
    "registered_by_organisation": _l("Registered candidates by nominating organisation"),
    "official_series": _l("An official figure over time, with its sources"),
}
EXAMPLES = {
    "commission_composition": "[[records.commission_composition level=dec]]",
    "official_series": "[[records.official_series metric=turnout]]",
}


def _all(key: str) -> dict[str, str]:
    return {language: label(language, key) for language in STATEMENT_LANGUAGES}


def _params(key: str, params: dict[str, str]) -> dict[str, Any]:
    figure = records.REGISTRY[key]
    missing = [name for name in figure.required if name not in params]
    if missing:
        raise FigureError(_l("this figure needs the option “%(option)s”", option=missing[0]))
    converted: dict[str, Any] = dict(params)
    if "per_region" in converted:
        converted["per_region"] = converted["per_region"].lower() in ("1", "true", "yes")
    return converted


def _election_names(campaign_id: int) -> dict[str, dict[str, str]]:
    elections = db.session.execute(select(Election).where(Election.campaign_id == campaign_id))
    return {e.code: localized(e) for e in elections.scalars()}


def _cell(row: dict[str, Any], field: str, elections: dict[str, dict[str, str]]) -> Any:
    if field == "region_labels" and row.get(field) is None:
        return _all("whole_country")
    if field == "election":  # a code in these rows: the election's name instead
        return elections.get(row.get(field), row.get(field))
    return row.get(field)


def _provider(key: str):
    columns = COLUMNS[key]

    def compute(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
        try:
            rows = records.compute(key, context.campaign_id, **_params(key, params))
        except (records.UnknownFigure, TypeError, ValueError) as error:
            raise FigureError(str(error)) from error
        used = [c for c in columns if any(row.get(c[0]) is not None for row in rows)]
        elections = _election_names(context.campaign_id)
        sources = sorted({row["source_url"] for row in rows if row.get("source_url")})
        data: dict[str, Any] = {
            "kind": "table",
            "title": _all(TITLES[key]),
            "columns": [
                {"key": field, "label": _all(heading), "numeric": bool(fmt), "format": fmt}
                for field, heading, fmt in used
            ],
            "rows": [
                {
                    "key": str(index),
                    "cells": {field: _cell(row, field, elections) for field, _h, _f in used},
                }
                for index, row in enumerate(rows, start=1)
            ],
        }
        if sources:
            data["source"] = "; ".join(sources)
        return data

    return compute


for _key in COLUMNS:
    _figure = records.REGISTRY[_key]
    register(
        FigureProvider(
            f"records.{_key}",
            "table",
            _provider(_key),
            DESCRIPTIONS[_key],
            params=tuple(_figure.parameters),
            example=EXAMPLES.get(_key, ""),
        )
    )
