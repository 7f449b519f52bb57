"""Figure providers for the mission's judgments (observer/assessments/figures.py, issue 14):
the assessment matrix, a stage's conclusions, the recommendation follow-up and its sentence.
Only agreed judgments (the four-eyes rule) reach a statement. The assessments module answers in
one language per call; each provider asks for the three statement languages and keeps them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from observer.assessments.figures import (
    assessment_matrix,
    follow_up_summary,
    stage_conclusions,
    summary_sentence,
)
from observer.statements.figures import FigureContext, FigureError, FigureProvider, register
from observer.statements.labels import STATEMENT_LANGUAGES, label


def _all(key: str) -> dict[str, str]:
    return {language: label(language, key) for language in STATEMENT_LANGUAGES}


def _each(function, *args) -> dict[str, Any]:
    return {language: function(*args, language) for language in STATEMENT_LANGUAGES}


def matrix(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    """Criteria (catalog order) × the statement's stages, each cell the agreed conclusion."""
    by_language = _each(assessment_matrix, context.campaign_id)
    english = by_language["en"]
    covered = set(context.stage_ids)
    stages = [stage for stage in english["stages"] if stage["id"] in covered]
    stage_labels = {
        stage["code"]: {
            lang: s["label"]
            for lang, m in by_language.items()
            for s in m["stages"]
            if s["code"] == stage["code"]
        }
        for stage in stages
    }
    rows_by_language = {
        lang: {row["criterion"]: row for row in m["rows"]} for lang, m in by_language.items()
    }
    rows = []
    for row in english["rows"]:
        judged = [stage["code"] for stage in stages if stage["code"] in row["cells"]]
        if not judged:
            continue
        cells: dict[str, Any] = {
            "criterion": {
                lang: rows_by_language[lang][row["criterion"]]["label"]
                for lang in STATEMENT_LANGUAGES
            },
        }
        for stage in stages:
            code = stage["code"]
            cells[code] = {
                lang: rows_by_language[lang][row["criterion"]]["cells"]
                .get(code, {})
                .get("label", "")
                for lang in STATEMENT_LANGUAGES
            }
        rows.append({"key": row["criterion"], "cells": cells})
    columns = [{"key": "criterion", "label": _all("criterion")}] + [
        {"key": stage["code"], "label": stage_labels[stage["code"]]} for stage in stages
    ]
    return {"kind": "table", "title": _all("assessment_matrix"), "columns": columns, "rows": rows}


def conclusions(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    """One stage's agreed conclusions, criterion by criterion, with the reasoning."""
    code = params.get("stage", "")
    by_language = {
        lang: next((s for s in result if s["stage"] == code), None)
        for lang, result in _each(stage_conclusions, context.campaign_id).items()
    }
    if by_language["en"] is None:
        raise FigureError(_l("this campaign has no stage “%(code)s”", code=code))
    rows = []
    for index, item in enumerate(by_language["en"]["criteria"]):
        localized = {lang: by_language[lang]["criteria"][index] for lang in STATEMENT_LANGUAGES}
        rows.append(
            {
                "key": item["criterion"],
                "cells": {
                    "criterion": {lang: c["label"] for lang, c in localized.items()},
                    "conclusion": {lang: c["level_label"] for lang, c in localized.items()},
                    "reasoning": {lang: c["reasoning"] or "" for lang, c in localized.items()},
                },
            }
        )
    title = {
        lang: f"{label(lang, 'conclusions')}: {by_language[lang]['label']}"
        for lang in STATEMENT_LANGUAGES
    }
    return {
        "kind": "table",
        "title": title,
        "columns": [
            {"key": "criterion", "label": _all("criterion")},
            {"key": "conclusion", "label": _all("conclusion")},
            {"key": "reasoning", "label": _all("reasoning")},
        ],
        "widths": [0.3, 0.2, 0.5],
        "rows": rows,
    }


def follow_up(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    """Earlier recommendations by agreed follow-up rating (the scale's order)."""
    by_language = _each(follow_up_summary, context.campaign_id)
    english = by_language["en"]
    rows = [
        {
            "key": level["code"],
            "label": {
                lang: by_language[lang]["levels"][index]["label"] for lang in STATEMENT_LANGUAGES
            },
            "count": level["count"],
        }
        for index, level in enumerate(english["levels"])
    ]
    return {
        "kind": "counts",
        "title": _all("follow_up"),
        "dimension": _all("rating"),
        "unit": _all("recommendations_unit"),
        "rows": rows,
        "total": english["rated"],
        "total_label": _all("total"),
    }


def follow_up_sentence(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    """ "Of 266 recommendations, 14 were not assessed ...", in each language."""
    summaries = _each(follow_up_summary, context.campaign_id)
    return {
        "kind": "text",
        "title": _all("follow_up"),
        "text": {lang: summary_sentence(summaries[lang], lang) for lang in STATEMENT_LANGUAGES},
    }


for _provider in (
    FigureProvider(
        "assessments.matrix",
        "table",
        matrix,
        _l("Agreed conclusions: criteria × the statement's stages"),
    ),
    FigureProvider(
        "assessments.conclusions",
        "table",
        conclusions,
        _l("Agreed conclusions of one stage, with their reasoning"),
        params=("stage",),
        example="[[assessments.conclusions stage=campaigning]]",
    ),
    FigureProvider(
        "recommendations.follow_up",
        "counts",
        follow_up,
        _l("Earlier recommendations by follow-up rating"),
    ),
    FigureProvider(
        "recommendations.summary",
        "text",
        follow_up_sentence,
        _l("The follow-up of earlier recommendations in one sentence"),
    ),
):
    register(_provider)
