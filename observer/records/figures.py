"""Figures of the process records, computed in SQL (GROUP BY), as plain JSON-serialisable data.

Every function takes the campaign's id and returns lists of dicts holding codes, counts and
shares (percent, unrounded floats: pages show one decimal in the reader's language), each row
with `labels` ({"en", "be", "ru"}) and `filters`, the query-string arguments of the records page
listing exactly the records the row counts (`records_url(kind, filters)` builds the link).
No figure holds a commission member's or candidate's name, except `public_members`, which lists
only the levels an admin has marked public.

Registry, for statements and assessments citing a figure (`compute(key, campaign_id, **params)`,
parameters optional unless marked):

    commission_composition  level, by ("alignment" | "route"), per_region (bool)
        appointed members of each level by nominating group: count, share of the level
    inclusion_rates         level, by ("alignment" | "route")
        each group's nominees: nominated, appointed, rate (share of its nominees appointed)
    candidate_pipeline      election
        per election: nominated, registered (+ share), refused, withdrawn, elected, women's
        share at nomination and at registration, appeals (and upheld), seats, registered
        candidates per seat
    refusals_by_reason      election
        refused candidates per reason, share of all refused
    registered_by_organisation  election
        registered candidates per nominating organisation, share of all registered
    official_series         metric (required), region ("" for the whole country)
        each published value in time order with its source; conflicts marked
    figure_conflicts        (none)
        the same metric, area and moment published with different values by different sources
    public_members          level
        appointed members with their names, only of the levels whose names an admin marked
        public (Process records → Commission levels); nothing for any other level
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal, or_, select

from observer.extensions import db
from observer.models import (
    Candidate,
    Commission,
    CommissionLevel,
    CommissionMember,
    Election,
    OfficialFigure,
    Organisation,
    ProcessTerm,
    RefusalReason,
    Region,
)

UNKNOWN = "unknown"


def _names(row) -> dict[str, str]:
    return {lang: getattr(row, f"name_{lang}") or row.name_en for lang in ("en", "be", "ru")}


def _terms(vocabulary: str) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Labels and positions of a vocabulary's codes, in one query."""
    rows = db.session.execute(select(ProcessTerm).where(ProcessTerm.vocabulary == vocabulary))
    labels, order = {}, {}
    for term in rows.scalars():
        labels[term.code], order[term.code] = _names(term), term.position
    return labels, order


def _term_labels(vocabulary: str) -> dict[str, dict[str, str]]:
    return _terms(vocabulary)[0]


def _levels() -> dict[str, CommissionLevel]:
    rows = db.session.execute(select(CommissionLevel).order_by(CommissionLevel.position))
    return {level.code: level for level in rows.scalars()}


def _regions() -> dict[int, Region]:
    return {r.id: r for r in db.session.execute(select(Region)).scalars()}


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 4) if whole else None


def _group_column(by: str):
    if by == "route":
        return CommissionMember.route
    if by == "alignment":
        return func.coalesce(Organisation.alignment, literal(UNKNOWN))
    raise ValueError(f"unknown grouping {by!r}")


def _member_query(campaign_id: int, level: str | None):
    query = (
        select()
        .select_from(CommissionMember)
        .join(Commission, CommissionMember.commission_id == Commission.id)
        .join(CommissionLevel, Commission.level_id == CommissionLevel.id)
        .outerjoin(Organisation, CommissionMember.organisation_id == Organisation.id)
        .where(Commission.campaign_id == campaign_id)
    )
    if level:
        query = query.where(CommissionLevel.code == level)
    return query


def composition_query(
    campaign_id: int, level: str | None = None, by: str = "alignment", per_region: bool = False
):
    """The one GROUP BY behind commission_composition (also timed alone by bench/records.py)."""
    group = _group_column(by).label("grp")
    columns = [CommissionLevel.code.label("level"), group]
    if per_region:
        columns.append(Commission.region_id)
    query = _member_query(campaign_id, level).add_columns(*columns, func.count().label("n"))
    query = query.where(CommissionMember.outcome == "appointed")
    return query.group_by(*[c for c in columns])


def commission_composition(
    campaign_id: int, level: str | None = None, by: str = "alignment", per_region: bool = False
) -> list[dict[str, Any]]:
    rows = db.session.execute(composition_query(campaign_id, level, by, per_region)).all()
    totals: dict[tuple, int] = defaultdict(int)
    for row in rows:
        totals[(row.level, row.region_id if per_region else None)] += row.n
    (labels, order), levels = _terms(_vocabulary(by)), _levels()
    regions = _regions() if per_region else {}
    result = []
    for row in rows:
        region_id = row.region_id if per_region else None
        region = regions.get(region_id)
        filters = {"level": row.level, by: row.grp, "outcome": "appointed"}
        if region is not None:
            filters["region"] = region.iso_code
        result.append(
            {
                "level": row.level,
                "level_labels": _names(levels[row.level]),
                "region": region.iso_code if region else None,
                "region_labels": _names(region) if region else None,
                "group": row.grp,
                "labels": labels.get(row.grp, {"en": row.grp, "be": row.grp, "ru": row.grp}),
                "count": row.n,
                "total": totals[(row.level, region_id)],
                "share": _share(row.n, totals[(row.level, region_id)]),
                "filters": filters,
            }
        )
    level_order = {code: level.position for code, level in levels.items()}
    result.sort(
        key=lambda r: (
            level_order.get(r["level"], 0),
            r["region"] or "",
            -r["count"],
            order.get(r["group"], 99),
        )
    )
    return result


def _vocabulary(by: str) -> str:
    return "route" if by == "route" else "alignment"


def inclusion_query(campaign_id: int, level: str | None = None, by: str = "alignment"):
    group = _group_column(by).label("grp")
    appointed = func.sum(case((CommissionMember.outcome == "appointed", 1), else_=0))
    return (
        _member_query(campaign_id, level)
        .add_columns(
            CommissionLevel.code.label("level"),
            group,
            func.count().label("nominated"),
            appointed.label("appointed"),
        )
        .group_by(CommissionLevel.code, group)
    )


def inclusion_rates(campaign_id: int, level: str | None = None, by: str = "alignment"):
    rows = db.session.execute(inclusion_query(campaign_id, level, by)).all()
    (labels, order), levels = _terms(_vocabulary(by)), _levels()
    appointed_at_level: dict[str, int] = defaultdict(int)
    for row in rows:
        appointed_at_level[row.level] += int(row.appointed or 0)
    result = [
        {
            "level": row.level,
            "level_labels": _names(levels[row.level]),
            "group": row.grp,
            "labels": labels.get(row.grp, {"en": row.grp, "be": row.grp, "ru": row.grp}),
            "nominated": row.nominated,
            "appointed": int(row.appointed or 0),
            "rate": _share(int(row.appointed or 0), row.nominated),
            "share_of_members": _share(int(row.appointed or 0), appointed_at_level[row.level]),
            "filters": {"level": row.level, by: row.grp},
        }
        for row in rows
    ]
    level_order = {code: level.position for code, level in levels.items()}
    result.sort(key=lambda r: (level_order.get(r["level"], 0), order.get(r["group"], 99)))
    return result


# --- candidates -------------------------------------------------------------------------------

REGISTERED = or_(
    Candidate.status.in_(("registered", "elected")), Candidate.registered_on.is_not(None)
)


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


ELECTION_COLUMNS = (
    Election.code,
    Election.name_en,
    Election.name_be,
    Election.name_ru,
    Election.seats,
    Election.position,
)


def pipeline_query(campaign_id: int, election: str | None = None):
    women = Candidate.gender == "f"
    query = (
        select(
            *ELECTION_COLUMNS,
            func.count().label("nominated"),
            _count_if(REGISTERED).label("registered"),
            _count_if(Candidate.status == "refused").label("refused"),
            _count_if(Candidate.status == "withdrawn").label("withdrawn"),
            _count_if(Candidate.status == "elected").label("elected"),
            _count_if(Candidate.gender.is_not(None)).label("gender_known"),
            _count_if(women).label("women"),
            _count_if(and_(REGISTERED, Candidate.gender.is_not(None))).label("registered_known"),
            _count_if(and_(REGISTERED, women)).label("registered_women"),
            _count_if(Candidate.appeal_outcome.is_not(None)).label("appealed"),
            _count_if(Candidate.appeal_outcome == "upheld").label("appeals_upheld"),
        )
        .join(Election, Candidate.election_id == Election.id)
        .where(Election.campaign_id == campaign_id)
        .group_by(Election.id, *ELECTION_COLUMNS)
        .order_by(Election.position, Election.code)
    )
    if election:
        query = query.where(Election.code == election)
    return query


def candidate_pipeline(campaign_id: int, election: str | None = None) -> list[dict[str, Any]]:
    result = []
    for row in db.session.execute(pipeline_query(campaign_id, election)):
        registered = int(row.registered or 0)
        refused = int(row.refused or 0)
        result.append(
            {
                "election": row.code,
                "labels": _names(row),
                "nominated": row.nominated,
                "registered": registered,
                "registered_share": _share(registered, row.nominated),
                "refused": refused,
                "refused_share": _share(refused, row.nominated),
                "withdrawn": int(row.withdrawn or 0),
                "elected": int(row.elected or 0),
                "women": int(row.women or 0),
                "women_share_nominated": _share(int(row.women or 0), int(row.gender_known or 0)),
                "registered_women": int(row.registered_women or 0),
                "women_share_registered": _share(
                    int(row.registered_women or 0), int(row.registered_known or 0)
                ),
                "appealed": int(row.appealed or 0),
                "appeals_upheld": int(row.appeals_upheld or 0),
                "seats": row.seats,
                "candidates_per_seat": round(registered / row.seats, 4) if row.seats else None,
                "filters": {"election": row.code},
            }
        )
    return result


def refusals_by_reason(campaign_id: int, election: str | None = None) -> list[dict[str, Any]]:
    reason = (RefusalReason.id, RefusalReason.name_en, RefusalReason.name_be, RefusalReason.name_ru)
    query = (
        select(Election.code.label("election"), *reason, func.count().label("n"))
        .select_from(Candidate)
        .join(Election, Candidate.election_id == Election.id)
        .outerjoin(RefusalReason, Candidate.refusal_reason_id == RefusalReason.id)
        .where(Election.campaign_id == campaign_id, Candidate.status == "refused")
        .group_by(Election.code, *reason)
    )
    if election:
        query = query.where(Election.code == election)
    rows = db.session.execute(query).all()
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.election] += row.n
    result = [
        {
            "election": row.election,
            "reason": row.name_en,
            "labels": _names(row) if row.id else {"en": "", "be": "", "ru": ""},
            "count": row.n,
            "share": _share(row.n, totals[row.election]),
            "filters": {"election": row.election, "status": "refused", "reason": row.id or "none"},
        }
        for row in rows
    ]
    result.sort(key=lambda r: (r["election"], -r["count"]))
    return result


def registered_by_organisation(campaign_id: int, election: str | None = None):
    organisation = (
        Organisation.id,
        Organisation.name_en,
        Organisation.name_be,
        Organisation.name_ru,
    )
    # Candidates of no organisation are grouped by their route (voters' initiative groups).
    route = case((Organisation.id.is_(None), Candidate.route), else_=None).label("route")
    query = (
        select(Election.code.label("election"), *organisation, route, func.count().label("n"))
        .select_from(Candidate)
        .join(Election, Candidate.election_id == Election.id)
        .outerjoin(Organisation, Candidate.organisation_id == Organisation.id)
        .where(Election.campaign_id == campaign_id, REGISTERED)
        .group_by(Election.code, *organisation, route)
    )
    if election:
        query = query.where(Election.code == election)
    rows = db.session.execute(query).all()
    routes = _term_labels("route")
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.election] += row.n
    result = []
    for row in rows:
        filters = {"election": row.election, "status": "registered"}
        filters |= (
            {"organisation": row.id} if row.id else {"route": row.route, "organisation": "none"}
        )
        result.append(
            {
                "election": row.election,
                "organisation": row.name_en,
                "route": None if row.id else row.route,
                "labels": _names(row) if row.id else routes.get(row.route, {}),
                "count": row.n,
                "share": _share(row.n, totals[row.election]),
                "filters": filters,
            }
        )
    result.sort(key=lambda r: (r["election"], -r["count"]))
    return result


# --- official figures -------------------------------------------------------------------------


def _conflict_keys(campaign_id: int, metric: str | None = None) -> set[tuple]:
    query = (
        select(OfficialFigure.metric, OfficialFigure.region_id, OfficialFigure.as_of)
        .where(OfficialFigure.campaign_id == campaign_id)
        .group_by(OfficialFigure.metric, OfficialFigure.region_id, OfficialFigure.as_of)
        .having(func.count(distinct(OfficialFigure.value)) > 1)
    )
    if metric:
        query = query.where(OfficialFigure.metric == metric)
    return {tuple(row) for row in db.session.execute(query)}


def _figure_row(figure: OfficialFigure, regions: dict, conflicts: set) -> dict[str, Any]:
    region = regions.get(figure.region_id)
    return {
        "id": figure.id,
        "metric": figure.metric,
        "region": region.iso_code if region else None,
        "region_labels": _names(region) if region else None,
        "as_of": figure.as_of.isoformat(timespec="minutes"),
        "value": float(figure.value),
        "unit": figure.unit,
        "source_url": figure.source_url,
        "retrieved_at": figure.retrieved_at.isoformat(timespec="minutes")
        if figure.retrieved_at
        else None,
        "has_copy": figure.source_copy_id is not None,
        "conflict": (figure.metric, figure.region_id, figure.as_of) in conflicts,
        "filters": {"metric": figure.metric, "region": region.iso_code if region else ""},
    }


def official_series(campaign_id: int, metric: str, region: str | None = None):
    """Every value published for the metric, by area then time; `region` None: every area,
    "" the whole country only."""
    query = select(OfficialFigure).where(
        OfficialFigure.campaign_id == campaign_id, OfficialFigure.metric == metric
    )
    regions = _regions()
    if region == "":
        query = query.where(OfficialFigure.region_id.is_(None))
    elif region:
        region_id = next((r.id for r in regions.values() if r.iso_code == region), -1)
        query = query.where(OfficialFigure.region_id == region_id)
    figures = db.session.execute(query).scalars().all()
    conflicts = _conflict_keys(campaign_id, metric)
    rows = [_figure_row(f, regions, conflicts) for f in figures]
    rows.sort(key=lambda r: (r["region"] or "", r["as_of"], r["source_url"]))
    return rows


def figure_conflicts(campaign_id: int) -> list[dict[str, Any]]:
    keys = _conflict_keys(campaign_id)
    if not keys:
        return []
    regions = _regions()
    figures = db.session.execute(
        select(OfficialFigure).where(
            OfficialFigure.campaign_id == campaign_id,
            OfficialFigure.metric.in_({key[0] for key in keys}),
        )
    ).scalars()
    grouped: dict[tuple, list] = defaultdict(list)
    for figure in figures:
        key = (figure.metric, figure.region_id, figure.as_of)
        if key in keys:
            grouped[key].append(_figure_row(figure, regions, keys))
    result = [
        {
            "metric": k[0],
            "region": rows[0]["region"],
            "as_of": rows[0]["as_of"],
            "values": sorted(rows, key=lambda r: r["value"]),
        }
        for k, rows in grouped.items()
    ]
    result.sort(key=lambda r: (r["metric"], r["as_of"], r["region"] or ""))
    return result


def public_members(campaign_id: int, level: str | None = None) -> list[dict[str, Any]]:
    query = (
        select(
            CommissionLevel.code,
            Commission.name.label("commission"),
            Region.iso_code,
            CommissionMember.name,
            Organisation.name_en.label("organisation"),
            CommissionMember.route,
        )
        .select_from(CommissionMember)
        .join(Commission, CommissionMember.commission_id == Commission.id)
        .join(CommissionLevel, Commission.level_id == CommissionLevel.id)
        .outerjoin(Region, Commission.region_id == Region.id)
        .outerjoin(Organisation, CommissionMember.organisation_id == Organisation.id)
        .where(
            Commission.campaign_id == campaign_id,
            CommissionLevel.member_names_public.is_(True),
            CommissionMember.outcome == "appointed",
        )
        .order_by(CommissionLevel.position, Region.iso_code, Commission.name, CommissionMember.name)
    )
    if level:
        query = query.where(CommissionLevel.code == level)
    return [
        {
            "level": row.code,
            "commission": row.commission,
            "region": row.iso_code,
            "member": row.name,
            "organisation": row.organisation,
            "route": row.route,
        }
        for row in db.session.execute(query)
    ]


# --- registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    function: Callable[..., list[dict[str, Any]]]
    parameters: tuple[str, ...]
    required: tuple[str, ...] = ()


REGISTRY = {
    figure.key: figure
    for figure in (
        Figure("commission_composition", commission_composition, ("level", "by", "per_region")),
        Figure("inclusion_rates", inclusion_rates, ("level", "by")),
        Figure("candidate_pipeline", candidate_pipeline, ("election",)),
        Figure("refusals_by_reason", refusals_by_reason, ("election",)),
        Figure("registered_by_organisation", registered_by_organisation, ("election",)),
        Figure("official_series", official_series, ("metric", "region"), ("metric",)),
        Figure("figure_conflicts", figure_conflicts, ()),
        Figure("public_members", public_members, ("level",)),
    )
}


class UnknownFigure(KeyError):
    pass


def compute(key: str, campaign_id: int, **params) -> list[dict[str, Any]]:
    figure = REGISTRY.get(key)
    if figure is None:
        raise UnknownFigure(key)
    unknown = set(params) - set(figure.parameters)
    missing = set(figure.required) - set(params)
    if unknown or missing:
        raise TypeError(f"figure {key}: unknown {sorted(unknown)}, missing {sorted(missing)}")
    return figure.function(campaign_id, **params)
