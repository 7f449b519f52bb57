"""Figure providers counted from verified incident reports (SQL GROUP BY in dashboard/queries.py)
and the case examples a coordinator picked. Registered in statements/figures.py."""

from __future__ import annotations

from typing import Any

from babel.dates import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from observer.dashboard.queries import count_by, total
from observer.extensions import db
from observer.models import SEVERITIES, Criterion, District, Region, Stage, StatementCase
from observer.statements.figures import (
    FigureContext,
    FigureError,
    FigureProvider,
    localized,
    register,
)
from observer.statements.labels import STATEMENT_LANGUAGES, label, severity_label
from observer.statements.statistics import statement_filter


def _all(key: str) -> dict[str, str]:
    return {language: label(language, key) for language in STATEMENT_LANGUAGES}


def _filter(context: FigureContext):
    return statement_filter(
        context.campaign_id, context.stage_ids, context.period_start, context.period_end
    )


def _counts(title: str, dimension: str, rows: list[dict[str, Any]], **extra) -> dict[str, Any]:
    return {
        "kind": "counts",
        "title": _all(title),
        "dimension": _all(dimension),
        "unit": _all("cases"),
        "rows": rows,
        "total": sum(row["count"] for row in rows),
        "total_label": _all("total"),
        **extra,
    }


def _stage_by_code(context: FigureContext, code: str) -> Stage:
    stage = db.session.execute(
        select(Stage).where(Stage.campaign_id == context.campaign_id, Stage.code == code)
    ).scalar_one_or_none()
    if stage is None:
        raise FigureError(_l("this campaign has no stage “%(code)s”", code=code))
    return stage


def total_cases(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    return {"kind": "number", "value": total(_filter(context)), "title": _all("total_cases")}


def districts(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    value = sum(1 for district_id, _n in count_by(_filter(context), "district") if district_id)
    return {"kind": "number", "value": value, "title": _all("districts")}


def by_criterion(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    """Counts per criterion in catalog order (stage order, then position in the stage), each
    with its legal references (the PDF cites them as footnotes)."""
    counts = dict(count_by(_filter(context), "criterion"))
    query = (
        select(Criterion, Stage)
        .join(Stage, Stage.id == Criterion.stage_id)
        .where(Criterion.id.in_(counts or [0]))
        .order_by(Stage.position, Criterion.position, Criterion.id)
    )
    title = _all("by_criterion")
    if "stage" in params:
        stage = _stage_by_code(context, params["stage"])
        query = query.where(Criterion.stage_id == stage.id)
        title = {code: f"{text}: {stage.name_in(code)}" for code, text in title.items()}
    rows = [
        {
            "key": criterion.code,
            "label": localized(criterion),
            "count": counts[criterion.id],
            "group": stage.code,
            "group_label": localized(stage),
            "note": criterion.references or "",
        }
        for criterion, stage in db.session.execute(query).all()
    ]
    return dict(_counts("by_criterion", "criterion", rows, key_column=_all("code")), title=title)


def by_stage(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    counts = dict(count_by(_filter(context), "stage"))
    stages = db.session.execute(
        select(Stage).where(Stage.id.in_(counts or [0])).order_by(Stage.position, Stage.id)
    ).scalars()
    rows = [{"key": s.code, "label": localized(s), "count": counts[s.id]} for s in stages]
    return _counts("by_stage", "stage", rows)


def by_region(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    counts = dict(count_by(_filter(context), "region"))
    regions = db.session.execute(
        select(Region).where(Region.id.in_(counts or [0])).order_by(Region.position, Region.id)
    ).scalars()
    rows = [{"key": r.iso_code, "label": localized(r), "count": counts[r.id]} for r in regions]
    return _counts("by_region", "region", rows, area_level="region")


def by_severity(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    counts = dict(count_by(_filter(context), "severity"))
    rows = [
        {
            "key": str(level),
            "label": {code: severity_label(code, level) for code in STATEMENT_LANGUAGES},
            "count": counts.get(level, 0),
        }
        for level in SEVERITIES
    ]
    return _counts("by_severity", "severity", rows)


def by_district(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    """Counts per district, grouped by region; every district of a region with cases is listed
    (zero included), so that suppression (suppression.py) can hide small cells among them."""
    counts = {
        (region_id, district_id): n
        for region_id, district_id, n in count_by(_filter(context), "region_district")
    }
    region_ids = {region_id for region_id, _d in counts}
    regions = list(
        db.session.execute(
            select(Region).where(Region.id.in_(region_ids or [0])).order_by(Region.position)
        ).scalars()
    )
    all_districts = db.session.execute(
        select(District)
        .where(District.region_id.in_(region_ids or [0]))
        .order_by(District.region_id, District.name_en, District.id)
    ).scalars()
    by_region: dict[int, list[District]] = {}
    for district in all_districts:
        by_region.setdefault(district.region_id, []).append(district)
    unstated = _all("district_unstated")
    rows: list[dict[str, Any]] = []
    groups = []
    for region in regions:
        group_rows = [
            {
                "key": str(district.id),
                "label": localized(district),
                "count": counts.get((region.id, district.id), 0),
                "group": region.iso_code,
                "group_label": localized(region),
            }
            for district in by_region.get(region.id, [])
        ]
        if (region.id, None) in counts:
            group_rows.append(
                {
                    "key": f"{region.iso_code}-",
                    "label": unstated,
                    "count": counts[(region.id, None)],
                    "group": region.iso_code,
                    "group_label": localized(region),
                }
            )
        rows += group_rows
        groups.append(
            {
                "key": region.iso_code,
                "label": localized(region),
                "count": sum(row["count"] for row in group_rows),
            }
        )
    return _counts("by_district", "district", rows, area_level="district", groups=groups)


def cases(context: FigureContext, params: dict[str, str]) -> dict[str, Any]:
    """The statement's case examples: the coordinator's wording, the stage and criterion, the
    region and the month; the exact date and the district only where the coordinator chose."""
    query = select(StatementCase).where(StatementCase.statement_id == context.statement_id)
    picked = list(db.session.execute(query.order_by(StatementCase.position)).scalars())
    if "stage" in params:
        stage = _stage_by_code(context, params["stage"])
        picked = [case for case in picked if case.report.stage_id == stage.id]
    items = []
    for number, case in enumerate(picked, start=1):
        report = case.report
        place = localized(report.region)
        if case.show_district and report.district is not None:
            place = {
                code: f"{report.district.name_in(code)}, {report.region.name_in(code)}"
                for code in STATEMENT_LANGUAGES
            }
        day = report.occurred_on
        when = {
            code: format_date(day, "long" if case.show_date else "LLLL yyyy", locale=code)
            for code in STATEMENT_LANGUAGES
        }
        items.append(
            {
                "number": number,
                "wording": case.wording,
                "stage": localized(report.stage),
                "criterion": localized(report.criterion),
                "criterion_code": report.criterion.code,
                "place": place,
                "when": when,
            }
        )
    return {"kind": "cases", "title": _all("case_examples"), "items": items}


for _provider in (
    FigureProvider("incidents.total", "number", total_cases, _l("Verified cases (a number)")),
    FigureProvider(
        "incidents.districts", "number", districts, _l("Districts with verified cases (a number)")
    ),
    FigureProvider(
        "incidents.by_criterion",
        "counts",
        by_criterion,
        _l("Cases by criterion, in catalog order, with legal references"),
        params=("stage",),
        example="[[incidents.by_criterion stage=campaigning chart]]",
    ),
    FigureProvider("incidents.by_stage", "counts", by_stage, _l("Cases by stage")),
    FigureProvider("incidents.by_region", "counts", by_region, _l("Cases by region")),
    FigureProvider("incidents.by_severity", "counts", by_severity, _l("Cases by severity")),
    FigureProvider(
        "incidents.by_district",
        "counts",
        by_district,
        _l("Cases by district (small numbers hidden)"),
        small_areas=True,
    ),
    FigureProvider(
        "cases",
        "cases",
        cases,
        _l("Case examples picked for this statement"),
        params=("stage",),
        example="[[cases stage=election_day]]",
    ),
):
    register(_provider)
