"""Planning an import (check every row, work out creates/updates/unchanged) and applying it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from observer.extensions import db
from observer.imports.columns import Column, convert, is_blank, load_lookups
from observer.imports.readers import UnreadableFile, read_table

MAX_ROWS = 200_000
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """`row` is the number people see for the row in the file (None: the file as a whole);
    `column` the column's name (None: the whole row); `message` a translatable string."""

    row: int | None
    column: str | None
    message: Any

    def where(self) -> str:
        if self.row is None and self.column is None:
            return str(_l("File"))
        if self.row is None:
            return str(_l("Column %(column)s", column=self.column))
        if self.column is None:
            return str(_l("Row %(row)s", row=self.row))
        return str(_l("Row %(row)s, column %(column)s", row=self.row, column=self.column))

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class RecordKind:
    """What one kind of record declares; the engine does the rest.

    name      the kind, as in `flask NAME load` ("organisations")
    columns   the columns, in the documented order
    key       names of the columns whose values identify a record (the natural key)
    find      given the planned rows' key tuples (values as converted), the existing records:
              {key tuple: record}; keys are matched case-insensitively
    attributes  a row's converted values -> {attribute: value} to compare and store
    create    build (and add to the session) a record from attributes; returns it
    check     optional cross-column checks: (values, row number) -> [(column, message)]
    update    optional; default sets each changed attribute on the record
    after_write  optional; (record, values, action) after a row is written, for dependants
    compared  optional; the attributes compared with an existing record (default: all that
              `attributes` returns; others are only passed to `create`)
    """

    name: str
    columns: Sequence[Column]
    key: Sequence[str]
    find: Callable[[list[tuple]], dict[tuple, Any]]
    attributes: Callable[[dict[str, Any]], dict[str, Any]]
    create: Callable[[dict[str, Any]], Any]
    check: Callable[[dict[str, Any], int], Iterable[tuple[str | None, Any]]] | None = None
    update: Callable[[Any, dict[str, Any]], None] | None = None
    after_write: Callable[[Any, dict[str, Any], str], None] | None = None
    compared: Sequence[str] | None = None

    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def minimum_columns(self) -> list[str]:
        return [column.name for column in self.columns if not column.optional_column]


@dataclass
class PlannedRow:
    row: int
    values: dict[str, Any]
    key: tuple
    action: str = "create"  # create | update | unchanged
    record: Any = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class Plan:
    kind: RecordKind
    problems: list[Problem] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    applied: bool = False
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def add(self, row: int | None, column: str | None, message: Any) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))
        else:
            self.more_problems += 1

    def summary(self) -> dict[str, int]:
        return {"create": self.created, "update": self.updated, "unchanged": self.unchanged}


def _check_header(kind: RecordKind, columns: list[str], plan: Plan) -> bool:
    if not columns:
        plan.add(None, None, _l("The file is empty."))
        return False
    missing = [name for name in kind.minimum_columns() if name not in columns]
    for name in missing:
        plan.add(
            1,
            name,
            _l(
                "missing column %(column)s (the first row must name the columns %(columns)s)",
                column=name,
                columns=",".join(kind.minimum_columns()),
            ),
        )
    return not missing


def _convert_row(kind: RecordKind, number: int, raw: dict, lookups: dict, plan: Plan):
    values: dict[str, Any] = {}
    good = True
    if raw.get(""):
        plan.add(number, None, _l("the row has more cells than the header has columns"))
        good = False
    for column in kind.columns:
        cell = raw.get(column.name)
        if is_blank(cell):
            if column.required:
                plan.add(number, column.name, _l("is required"))
                good = False
            values[column.name] = None
            continue
        value, error = convert(column, cell, lookups)
        if error is not None:
            plan.add(number, column.name, error)
            good = False
        values[column.name] = value
    if good and kind.check:
        for column, message in kind.check(values, number):
            plan.add(number, column, message)
            good = False
    return values if good else None


def plan_rows(kind: RecordKind, columns: list[str], rows: list[tuple[int, dict]]) -> Plan:
    """Check every row and compare with the database; writes nothing."""
    plan = Plan(kind)
    if not _check_header(kind, columns, plan):
        return plan
    if len(rows) > MAX_ROWS:
        plan.add(None, None, _l("At most %(count)s rows per file.", count=MAX_ROWS))
        return plan
    lookups = load_lookups(kind.columns)
    seen: dict[tuple, int] = {}
    for number, raw in rows:
        values = _convert_row(kind, number, raw, lookups, plan)
        if values is None:
            continue
        key = tuple(values[name] for name in kind.key)
        folded = _folded(key)
        if folded in seen:
            plan.add(
                number,
                kind.key[-1],
                _l("duplicate: the same record as row %(row)s", row=seen[folded]),
            )
            continue
        seen[folded] = number
        plan.rows.append(PlannedRow(number, values, key))
    if not plan.ok:
        plan.rows = []
        return plan
    existing = {
        _folded(key): record for key, record in kind.find([r.key for r in plan.rows]).items()
    }
    for row in plan.rows:
        record = existing.get(_folded(row.key))
        if record is None:
            continue
        row.record = record
        wanted = kind.attributes(row.values)
        names = wanted if kind.compared is None else kind.compared
        row.changes = {
            name: (getattr(record, name), wanted[name])
            for name in names
            if getattr(record, name) != wanted[name]
        }
        row.action = "update" if row.changes else "unchanged"
    return plan


def _folded(key: tuple) -> tuple:
    return tuple(value.casefold() if isinstance(value, str) else value for value in key)


def plan_import(kind: RecordKind, data: bytes, filename: str = "") -> Plan:
    """Read the file and plan it; an unreadable file gives a plan with that one problem."""
    try:
        table = read_table(data, filename)
    except UnreadableFile as error:
        plan = Plan(kind)
        plan.add(None, None, error.message)
        return plan
    return plan_rows(kind, table.columns, table.rows)


def apply_plan(plan: Plan) -> Plan:
    """Write the planned rows into the session (flushed, not committed): creates, then updates."""
    if not plan.ok:
        raise ValueError("a plan with problems cannot be applied")
    kind = plan.kind
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        attributes = kind.attributes(row.values)
        if row.action == "create":
            row.record = kind.create(attributes)
        elif kind.update:
            kind.update(row.record, {name: new for name, (_old, new) in row.changes.items()})
        else:
            for name, (_old, new) in row.changes.items():
                setattr(row.record, name, new)
        if kind.after_write:
            kind.after_write(row.record, row.values, row.action)
    db.session.flush()
    plan.applied = True
    return plan


def run_import(kind: RecordKind, data: bytes, filename: str = "", *, dry_run: bool = False) -> Plan:
    """Plan, then apply and commit in one transaction, or write nothing (a problem or a dry
    run). A database refusal while writing becomes a problem of the plan, not an exception."""
    plan = plan_import(kind, data, filename)
    if not plan.ok or dry_run:
        db.session.rollback()
        return plan
    try:
        apply_plan(plan)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        plan.applied = False
        plan.add(
            None,
            None,
            _l(
                "The database refused the file: %(error)s",
                error=str(error.orig if getattr(error, "orig", None) else error)[:300],
            ),
        )
    return plan
