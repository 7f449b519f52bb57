"""The judgments as data a statement can freeze: plain functions returning JSON-serialisable
dicts and lists (no ORM objects, no markup), labelled in the language asked for.

    from observer.assessments.figures import (
        assessment_matrix, stage_conclusions, follow_up_summary, summary_sentence)

    assessment_matrix(campaign_id, language="en", agreed_only=True) -> {
        "stages": [{"id", "code", "label"}],                 # columns, in stage order
        "levels": [{"code", "label", "colour", "assessed"}], # the conclusion scale
        "rows": [{                                           # criteria in catalog order
            "id", "criterion", "label", "stage",             #   id, code, name, own stage code
            "cells": {stage code: {
                "id", "level", "label", "colour", "status",  #   status: proposed | agreed
                "flagged",                                   #   evidence no longer holds
                "reasoning",                                 #   in `language`, else English
                "evidence": [{"kind": "report", "reference"} |
                             {"kind": "figure", "key", "params", "label"} |
                             {"kind": "document", "title", "address", "date"}],
            }}}]}
    stage_conclusions(campaign_id, language="en") -> [{
        "stage", "label",
        "counts": [{"code", "label", "colour", "count"}],   # agreed assessments per level
        "criteria": [{"criterion", "label", "level", "level_label", "reasoning"}]}]
    follow_up_summary(campaign_id, language="en") -> {
        "total", "rated", "awaiting", "not_assessed", "assessed",
        "levels": [{"code", "label", "colour", "assessed", "count"}]}
    summary_sentence(summary, language) -> "Of 266 recommendations, 14 were not assessed ..."

Statements use agreed judgments only (the four-eyes rule): `agreed_only=True` is the default;
the coordinators' matrix page shows proposals too. Only whole-country assessments appear in
the matrix and the stage conclusions; regional ones are listed on their criterion's page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from observer.assessments.evidence import known_figure_keys, stored_items
from observer.assessments.scales import levels_of
from observer.assessments.summary import follow_up_summary, summary_sentence
from observer.catalog.queries import criteria_for, stages_for
from observer.extensions import db
from observer.models import (
    Assessment,
    EvidenceKind,
    EvidenceLink,
    JudgmentStatus,
    Report,
    Scales,
    Status,
)

__all__ = [
    "assessment_matrix",
    "flagged_assessment_ids",
    "follow_up_summary",
    "stage_conclusions",
    "summary_sentence",
]


def flagged_assessment_ids(campaign_id: int) -> set[int]:
    """Assessments citing a report that is no longer verified (or no longer exists), or a
    process figure the records' registry no longer knows."""
    flagged = set(db.session.execute(_flagged_by_reports(campaign_id)).scalars())
    known = known_figure_keys()
    if known is not None:
        flagged |= set(
            db.session.execute(
                select(EvidenceLink.assessment_id)
                .join(Assessment, Assessment.id == EvidenceLink.assessment_id)
                .where(
                    Assessment.campaign_id == campaign_id,
                    EvidenceLink.kind == EvidenceKind.FIGURE,
                    EvidenceLink.figure_key.not_in(sorted(known)),
                )
                .distinct()
            ).scalars()
        )
    return flagged


def _flagged_by_reports(campaign_id: int):
    return (
        select(EvidenceLink.assessment_id)
        .join(Assessment, Assessment.id == EvidenceLink.assessment_id)
        .outerjoin(Report, Report.id == EvidenceLink.report_id)
        .where(
            Assessment.campaign_id == campaign_id,
            EvidenceLink.kind == EvidenceKind.REPORT,
            or_(Report.id.is_(None), Report.status != Status.VERIFIED),
        )
        .distinct()
    )


def _assessments(campaign_id: int, agreed_only: bool) -> list[Assessment]:
    query = (
        select(Assessment)
        .join(Assessment.level)
        .options(contains_eager(Assessment.level), selectinload(Assessment.evidence))
        .where(Assessment.campaign_id == campaign_id, Assessment.region_id.is_(None))
    )
    if agreed_only:
        query = query.where(Assessment.status == JudgmentStatus.AGREED)
    return list(db.session.execute(query).scalars())


def _level_dict(level, language: str) -> dict[str, Any]:
    return {
        "code": level.code,
        "label": level.name_in(language),
        "colour": level.colour,
        "assessed": level.counts_as_assessed,
    }


def assessment_matrix(
    campaign_id: int, language: str = "en", *, agreed_only: bool = True
) -> dict[str, Any]:
    stages = stages_for(campaign_id, active_only=False)
    stage_codes = {stage.id: stage.code for stage in stages}
    flagged = flagged_assessment_ids(campaign_id)
    cells: dict[int, dict[str, Any]] = {}
    for assessment in _assessments(campaign_id, agreed_only):
        cells.setdefault(assessment.criterion_id, {})[stage_codes[assessment.stage_id]] = {
            "id": assessment.id,
            "level": assessment.level.code,
            "label": assessment.level.name_in(language),
            "colour": assessment.level.colour,
            "status": assessment.status,
            "flagged": assessment.id in flagged,
            "reasoning": assessment.reasoning_in(language),
            "evidence": [item.as_dict() for item in stored_items(assessment.evidence)],
        }
    return {
        "stages": [
            {"id": stage.id, "code": stage.code, "label": stage.name_in(language)}
            for stage in stages
        ],
        "levels": [_level_dict(level, language) for level in levels_of(Scales.CONCLUSION)],
        "rows": [
            {
                "id": criterion.id,
                "criterion": criterion.code,
                "label": criterion.name_in(language),
                "stage": criterion.stage.code,
                "cells": cells.get(criterion.id, {}),
            }
            for criterion in criteria_for(campaign_id, active_only=False)
        ],
    }


def stage_conclusions(campaign_id: int, language: str = "en") -> list[dict[str, Any]]:
    """Per stage: how many agreed assessments reached each conclusion, and which."""
    matrix = assessment_matrix(campaign_id, language, agreed_only=True)
    result = []
    for stage in matrix["stages"]:
        judged = [
            (row, row["cells"][stage["code"]])
            for row in matrix["rows"]
            if stage["code"] in row["cells"]
        ]
        result.append(
            {
                "stage": stage["code"],
                "label": stage["label"],
                "counts": [
                    {
                        "code": level["code"],
                        "label": level["label"],
                        "colour": level["colour"],
                        "count": sum(1 for _row, cell in judged if cell["level"] == level["code"]),
                    }
                    for level in matrix["levels"]
                ],
                "criteria": [
                    {
                        "criterion": row["criterion"],
                        "label": row["label"],
                        "level": cell["level"],
                        "level_label": cell["label"],
                        "reasoning": cell["reasoning"],
                    }
                    for row, cell in judged
                ],
            }
        )
    return result
