"""The dashboard's tables: counts from queries.py laid out against the catalog, each number
carrying the queue filter that lists exactly the reports behind it.

Only aggregated rows are looped over here (one per criterion × stage, region, day...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from observer.catalog.ordering import criterion_order, stage_order
from observer.dashboard.queries import ReportFilter, count_by
from observer.extensions import db
from observer.labels import SEVERITY_NAMES, source_type_label
from observer.models import SEVERITIES, SOURCE_TYPES, Criterion, District, Region, Stage

TABLES = ("criterion", "criterion_stage", "region", "district", "severity", "source_type", "day")


@dataclass
class Lookups:
    """The catalog rows a dashboard request needs, loaded once (never per cell)."""

    stages: list[Stage]
    criteria: list[Criterion]
    regions: list[Region]  # only the viewer's regions when the viewer is limited to some
    districts: list[District] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stage_by_id = {s.id: s for s in self.stages}
        self.criterion_by_id = {c.id: c for c in self.criteria}
        self.region_by_id = {r.id: r for r in self.regions}
        self.district_by_id = {d.id: d for d in self.districts}


def load_lookups(region_scope: tuple[int, ...] | None, *, all_districts: bool = False) -> Lookups:
    stages = list(db.session.scalars(select(Stage).order_by(*stage_order())))
    criteria = list(db.session.scalars(select(Criterion).order_by(*criterion_order())))
    regions_query = select(Region).order_by(Region.position, Region.id)
    if region_scope is not None:
        regions_query = regions_query.where(Region.id.in_(region_scope))
    regions = list(db.session.scalars(regions_query))
    districts: list[District] = []
    if all_districts:
        districts = list(db.session.scalars(select(District).order_by(District.id)))
    return Lookups(stages, criteria, regions, districts)


def load_districts(lookups: Lookups, region_id: int) -> None:
    districts = db.session.scalars(
        select(District).where(District.region_id == region_id).order_by(District.name_en)
    )
    lookups.districts = list(districts)
    lookups.district_by_id = {d.id: d for d in lookups.districts}


@dataclass
class Cell:
    count: int
    # Queue parameters that single out this cell's reports on top of the page's filters;
    # None when the queue cannot express them (reports without a district).
    keys: dict | None


@dataclass
class Row:
    labels: tuple[str, ...]
    cells: list[Cell]
    # What the page shows instead of `labels` (exports keep labels: e.g. ISO dates).
    shown: tuple[str, ...] | None = None


@dataclass
class StageGroup:
    """A stage and its criteria, in catalog order, with the stage's total first."""

    label: str
    total: Cell
    rows: list[Row]


@dataclass
class Table:
    name: str
    title: str
    label_headers: tuple[str, ...]
    count_headers: tuple[str, ...]
    rows: list[Row]
    total: Row | None = None
    groups: list[StageGroup] | None = None

    def chart_items(self) -> list[tuple[str, int]]:
        """(label, count) per row: the last label is the most readable one (a name)."""
        return [(row.labels[-1], row.cells[-1].count) for row in self.rows]

    @property
    def peak(self) -> int:
        """The largest count in the body (what shading is relative to)."""
        return max((cell.count for row in self.rows for cell in row.cells), default=0)


Localize = Callable[[object], str]


def criterion_stage_table(flt: ReportFilter, lookups: Lookups, localize: Localize) -> Table:
    counts = {(c, s): n for c, s, n in count_by(flt, "criterion_stage")}
    stages = [s for s in lookups.stages if not flt.stage_ids or s.id in flt.stage_ids]
    shown_stage_ids = {s.id for s in stages}
    counted_criteria = {c for c, _ in counts}
    criteria = [
        c
        for c in lookups.criteria
        if c.id in counted_criteria or (c.active and c.stage_id in shown_stage_ids)
    ]
    rows = []
    column_totals = dict.fromkeys(shown_stage_ids, 0)
    for criterion in criteria:
        cells = []
        for stage in stages:
            n = counts.get((criterion.id, stage.id), 0)
            column_totals[stage.id] += n
            cells.append(Cell(n, {"criterion": criterion.id, "stage": stage.id}))
        row_total = sum(cell.count for cell in cells)
        cells.append(Cell(row_total, {"criterion": criterion.id}))
        rows.append(Row((criterion.code, localize(criterion)), cells))
    total_cells = [Cell(column_totals[s.id], {"stage": s.id}) for s in stages]
    total_cells.append(Cell(sum(column_totals.values()), {}))
    return Table(
        "criterion_stage",
        _("Reports by criterion and stage"),
        (_("Code"), _("Criterion")),
        tuple(localize(s) for s in stages) + (_("Total"),),
        rows,
        Row((_("Total"), ""), total_cells),
    )


def criterion_table(flt: ReportFilter, lookups: Lookups, localize: Localize) -> Table:
    """Reports by main criterion, grouped under the criterion's stage in catalog order: one
    count per criterion instead of a sparse criterion × stage matrix. Shown are the criteria
    with reports and the active ones of the stages in view."""
    counts = dict(count_by(flt, "criterion"))
    stages = [s for s in lookups.stages if not flt.stage_ids or s.id in flt.stage_ids]
    groups, rows = [], []
    for stage in stages:
        members = [
            c for c in lookups.criteria if c.stage_id == stage.id and (c.id in counts or c.active)
        ]
        if not members and not stage.active:
            continue
        stage_rows = [
            Row(
                (localize(stage), c.code, localize(c)),
                [Cell(counts.get(c.id, 0), {"criterion": c.id})],
            )
            for c in members
        ]
        stage_total = sum(row.cells[0].count for row in stage_rows)
        keys = {"criterion": [c.id for c in members]} if members else None
        groups.append(StageGroup(localize(stage), Cell(stage_total, keys), stage_rows))
        rows.extend(stage_rows)
    table = _single_column_table(
        "criterion",
        _("Reports by criterion, grouped by stage"),
        (_("Stage"), _("Code"), _("Criterion")),
        rows,
    )
    table.groups = groups
    return table


def stage_chart_items(table: Table) -> list[tuple[str, int]]:
    """(stage name, reports) from the grouped criterion table, for the stage chart."""
    return [(group.label, group.total.count) for group in table.groups or []]


def _single_column_table(name, title, label_headers, rows) -> Table:
    total = sum(row.cells[0].count for row in rows)
    blank = ("",) * (len(label_headers) - 1)
    return Table(
        name,
        title,
        label_headers,
        (_("Reports"),),
        rows,
        Row((_("Total"), *blank), [Cell(total, {})]),
    )


def region_table(flt: ReportFilter, lookups: Lookups, localize: Localize) -> Table:
    counts = dict(count_by(flt, "region"))
    regions = [r for r in lookups.regions if not flt.region_ids or r.id in flt.region_ids]
    rows = [
        Row((r.iso_code, localize(r)), [Cell(counts.get(r.id, 0), {"region": r.id})])
        for r in regions
    ]
    return _single_column_table("region", _("Reports by region"), (_("Code"), _("Region")), rows)


def district_table(flt: ReportFilter, lookups: Lookups, localize: Localize) -> Table:
    """The districts of the drilled-down region (the filter names exactly one region)."""
    counts = dict(count_by(flt, "district"))
    rows = [
        Row((localize(d),), [Cell(counts.get(d.id, 0), {"district": d.id})])
        for d in lookups.districts
    ]
    if counts.get(None):
        rows.append(Row((_("District not given"),), [Cell(counts[None], None)]))
    return _single_column_table("district", _("Reports by district"), (_("District"),), rows)


def severity_table(flt: ReportFilter) -> Table:
    counts = dict(count_by(flt, "severity"))
    levels = list(SEVERITIES) + sorted(k for k in counts if k not in SEVERITY_NAMES)
    rows = [
        Row(
            (str(level), str(SEVERITY_NAMES.get(level, level))),
            [Cell(counts.get(level, 0), {"severity": level})],
        )
        for level in levels
    ]
    return _single_column_table(
        "severity", _("Reports by severity"), (_("Level"), _("Severity")), rows
    )


def source_type_table(flt: ReportFilter) -> Table:
    counts = dict(count_by(flt, "source_type"))
    codes = list(SOURCE_TYPES) + sorted(k for k in counts if k not in SOURCE_TYPES)
    rows = [
        Row((code, source_type_label(code)), [Cell(counts.get(code, 0), {"source_type": code})])
        for code in codes
    ]
    return _single_column_table(
        "source_type", _("Reports by source type"), (_("Code"), _("Source type")), rows
    )


def day_table(flt: ReportFilter) -> Table:
    rows = []
    for day, n in count_by(flt, "day"):
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        iso = day.isoformat()
        rows.append(
            Row((iso,), [Cell(n, {"date_from": iso, "date_to": iso})], shown=(format_date(day),))
        )
    return _single_column_table("day", _("Reports per day"), (_("Date"),), rows)


def build_table(name: str, flt: ReportFilter, lookups: Lookups, localize: Localize) -> Table:
    if name == "criterion":
        return criterion_table(flt, lookups, localize)
    if name == "criterion_stage":
        return criterion_stage_table(flt, lookups, localize)
    if name == "region":
        return region_table(flt, lookups, localize)
    if name == "district":
        return district_table(flt, lookups, localize)
    if name == "severity":
        return severity_table(flt)
    if name == "source_type":
        return source_type_table(flt)
    if name == "day":
        return day_table(flt)
    raise KeyError(name)


def report_filter(
    *,
    statuses: tuple[str, ...],
    date_from: date | None,
    date_to: date | None,
    stage_id: int | None,
    region_id: int | None,
    region_scope: tuple[int, ...] | None,
) -> ReportFilter:
    return ReportFilter(
        statuses=statuses,
        date_from=date_from,
        date_to=date_to,
        stage_ids=(stage_id,) if stage_id else (),
        region_ids=(region_id,) if region_id else (),
        region_scope=region_scope,
    )


def queue_params(flt: ReportFilter) -> dict:
    """The review queue's parameters for every report this filter counts."""
    params: dict = {"status": list(flt.statuses)}
    if flt.date_from:
        params["date_from"] = flt.date_from.isoformat()
    if flt.date_to:
        params["date_to"] = flt.date_to.isoformat()
    if flt.stage_ids:
        params["stage"] = list(flt.stage_ids)
    if flt.region_ids:
        params["region"] = list(flt.region_ids)
    return params


def cell_params(base: dict, keys: dict) -> dict:
    """A cell's keys narrow the page's filters; a day cell's dates replace the period."""
    return {**base, **keys}


def with_region(flt: ReportFilter, region_id: int) -> ReportFilter:
    return replace(flt, region_ids=(region_id,))
