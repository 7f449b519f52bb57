"""One import engine for every kind of record loaded from a file.

Stable API (other features build on it; extend compatibly only):

    from observer.imports import Column, Reference, RecordKind, plan_import, run_import

A record kind declares its columns and its natural key, and four small functions::

    KIND = RecordKind(
        name="organisations",
        columns=[
            Column("name_en", required=True),
            Column("kind", type="code", required=True, codes=lambda: route_codes()),
            Column("parent", type="ref", ref=Reference(_l("organisation"), load=names_to_ids)),
            Column("notes", optional_column=True, max_length=None),
        ],
        key=["name_en"],
        find=lambda keys: {...},         # {key tuple: existing record}, one query for all keys
        attributes=lambda values: {...}, # converted row -> model attributes
        create=lambda attributes: ...,   # new record, added to db.session
        check=None,                      # cross-column checks -> [(column, message)]
    )

Column types: text, int, decimal (74.3 or 74,3), date (YYYY-MM-DD), datetime (ISO 8601),
bool, code (one of `codes`, lower-cased), ref (a natural key resolved case-insensitively through
`Reference.load()`, which returns {key: value} once per file). A text column's `parse`
(text -> (value, None) or (None, message)) normalises or splits it further. `required` means
the cell may not be empty; `optional_column` means the column may be missing from the file
(the others are the minimum columns; extra columns in a file are ignored). Key values are
compared case-folded.

Files: CSV (UTF-8, comma or semicolon), XLSX (first sheet), JSON or YAML (a list of objects, or
{"rows": [...]}), chosen by file name, else by content. `row` numbers are what people see: the
CSV line, the spreadsheet row, the JSON/YAML item.

    plan = plan_import(KIND, data, filename)   # reads and checks everything, writes nothing
    plan.ok, plan.problems                     # Problem(row, column, message); str() is readable
    plan.created, plan.updated, plan.unchanged, plan.rows  # PlannedRow(row, values, key, action)
    apply_plan(plan)                           # writes into db.session (flushed, not committed)
    plan = run_import(KIND, data, filename, dry_run=False)  # plan + apply + commit, or rollback

Nothing is written if any row has a problem; loading the same file twice changes nothing.
An unreadable file (wrong encoding, not CSV/XLSX/JSON/YAML) or a missing column is a problem
like any other, never an exception.

    from observer.imports.cli import add_load_command   # `flask GROUP load FILE [--dry-run]`
    templates/imports/_plan.html                        # {% from ... import plan_result %}

"""

from observer.imports.columns import Column, Reference
from observer.imports.engine import (
    Plan,
    PlannedRow,
    Problem,
    RecordKind,
    apply_plan,
    plan_import,
    plan_rows,
    run_import,
)
from observer.imports.readers import Table, UnreadableFile, read_table

__all__ = [
    "Column",
    "Plan",
    "PlannedRow",
    "Problem",
    "RecordKind",
    "Reference",
    "Table",
    "UnreadableFile",
    "apply_plan",
    "plan_import",
    "plan_rows",
    "read_table",
    "run_import",
]
