"""CSV and XLSX exports of filtered reports and of the dashboard's tables.

Reports are read in keyset batches (WHERE id > last ORDER BY id LIMIT n), so a CSV of a
million reports streams out with only one batch in memory. Observers appear by their code,
never by name or email. Every text cell is neutralised against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import aliased

from observer.dashboard.queries import ReportFilter
from observer.dashboard.service import Lookups, Table
from observer.extensions import db
from observer.models import Report, User, report_criteria

FORMATS = ("csv", "xlsx")
BATCH_SIZE = 1000
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheets run a cell starting with one of these as a formula (tab and CR too, in some).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Column names are stable identifiers, like an API's fields, so that analysis scripts keep
# working whatever the interface language; the values (names of places) follow the language.
REPORT_COLUMNS = (
    "reference",
    "status",
    "stage",
    "criterion",
    "further_criteria",
    "occurred_on",
    "occurred_at",
    "region_code",
    "region",
    "district",
    "settlement",
    "polling_station",
    "constituency",
    "title",
    "narrative",
    "actors",
    "people_affected",
    "source_type",
    "severity",
    "scope",
    "complaint_lodged",
    "complaint_to",
    "complaint_outcome",
    "grading",
    "duplicate_of",
    "submitted_at_utc",
    "observer_code",
)


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _report_query(flt: ReportFilter):
    original = aliased(Report)
    return (
        select(
            Report.id,
            Report.reference,
            Report.status,
            Report.stage_id,
            Report.criterion_id,
            Report.occurred_on,
            Report.occurred_at,
            Report.region_id,
            Report.district_id,
            Report.settlement,
            Report.polling_station,
            Report.constituency,
            Report.title,
            Report.narrative,
            Report.actors,
            Report.people_affected,
            Report.source_type,
            Report.severity,
            Report.scope,
            Report.complaint_lodged,
            Report.complaint_to,
            Report.complaint_outcome,
            Report.source_reliability,
            Report.info_credibility,
            original.reference.label("duplicate_of"),
            Report.submitted_at,
            User.observer_code,
        )
        .join(User, User.id == Report.author_id)
        .outerjoin(original, original.id == Report.duplicate_of_id)
        .where(*flt.conditions())
        .order_by(Report.id)
    )


def _further_criteria(first_id: int, last_id: int) -> dict[int, list[int]]:
    """Further criteria of the reports with ids in [first_id, last_id]: a range, not a list of
    thousands of ids to bind (reports of the range outside the filter are never looked up)."""
    further: dict[int, list[int]] = {}
    column = report_criteria.c.report_id
    rows = db.session.connection().execute(
        select(column, report_criteria.c.criterion_id).where(column.between(first_id, last_id))
    )
    for report_id, criterion_id in rows:
        further.setdefault(report_id, []).append(criterion_id)
    return further


@dataclass(frozen=True)
class ExportNames:
    """Catalog codes and names as plain strings, taken before the export is logged and
    committed: the commit expires ORM objects, and the CSV streams on after the view returns."""

    stage_code: dict[int, str]
    criterion_code: dict[int, str]
    criterion_rank: dict[int, int]  # catalog order (lookups list criteria in it)
    region: dict[int, tuple[str, str]]  # id → (ISO code, name in the current language)
    district: dict[int, str]

    @classmethod
    def from_lookups(cls, lookups: Lookups, localize) -> ExportNames:
        return cls(
            stage_code={s.id: s.code for s in lookups.stages},
            criterion_code={c.id: c.code for c in lookups.criteria},
            criterion_rank={c.id: rank for rank, c in enumerate(lookups.criteria)},
            region={r.id: (r.iso_code, localize(r)) for r in lookups.regions},
            district={d.id: localize(d) for d in lookups.districts},
        )


def iter_report_rows(
    flt: ReportFilter, names: ExportNames, batch_size: int = BATCH_SIZE
) -> Iterator[tuple]:
    """One tuple per report in REPORT_COLUMNS order, fetched batch by batch (keyset on id)."""
    query = _report_query(flt)
    last_id = 0
    while True:
        # Core rows on the session's connection: the ORM's row loading is not needed here.
        batch = (
            db.session.connection().execute(query.where(Report.id > last_id).limit(batch_size))
        ).all()
        if not batch:
            return
        further = _further_criteria(batch[0].id, batch[-1].id)
        for row in batch:
            yield _report_values(row, further.get(row.id, ()), names)
        last_id = batch[-1].id


def _report_values(row, further_ids, names: ExportNames) -> tuple:
    # Unpacked by position: a million rows make attribute access by name a measurable cost.
    (
        _id,
        reference,
        status,
        stage_id,
        criterion_id,
        occurred_on,
        occurred_at,
        region_id,
        district_id,
        settlement,
        polling_station,
        constituency,
        title,
        narrative,
        actors,
        people_affected,
        source_type,
        severity,
        scope,
        complaint_lodged,
        complaint_to,
        complaint_outcome,
        source_reliability,
        info_credibility,
        duplicate_of,
        submitted_at,
        observer_code,
    ) = row
    region_code, region_name = names.region.get(region_id, ("", ""))
    criterion_code = names.criterion_code
    rank = names.criterion_rank
    further = "; ".join(
        criterion_code.get(cid, "")
        for cid in sorted(further_ids, key=lambda c: rank.get(c, 1 << 30))
    )
    grading = (
        f"{source_reliability}{info_credibility}" if source_reliability and info_credibility else ""
    )
    if submitted_at is not None:
        submitted_at = submitted_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return (
        reference,
        status,
        names.stage_code.get(stage_id, ""),
        criterion_code.get(criterion_id, ""),
        further,
        occurred_on,
        occurred_at.strftime("%H:%M") if occurred_at else "",
        region_code,
        region_name,
        names.district.get(district_id, ""),
        settlement,
        polling_station,
        constituency,
        title,
        narrative,
        actors,
        people_affected,
        source_type,
        severity,
        scope,
        "yes" if complaint_lodged else "no",
        complaint_to,
        complaint_outcome,
        grading,
        duplicate_of,
        submitted_at,
        observer_code,
    )


def table_rows(table: Table) -> Iterator[tuple]:
    """An aggregate table as header row, data rows and the total row (codes, names, counts)."""
    yield table.label_headers + table.count_headers
    for row in table.rows:
        yield row.labels + tuple(cell.count for cell in row.cells)
    if table.total is not None:
        yield table.total.labels + tuple(cell.count for cell in table.total.cells)


_TRIGGER_CHARACTERS = frozenset(FORMULA_TRIGGERS)


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value[:1] in _TRIGGER_CHARACTERS else value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv_row(row: tuple) -> list[str]:
    # The common cases inline (a million rows of 27 cells each): text, then nothing.
    return [
        ("'" + v if v[:1] in _TRIGGER_CHARACTERS else v)
        if type(v) is str
        else ("" if v is None else str(v) if type(v) is int else _csv_text(v))
        for v in row
    ]


def csv_stream(rows: Iterable[tuple], chunk_rows: int = 500) -> Iterator[str]:
    """CSV text in chunks: a UTF-8 BOM first (so Excel reads Cyrillic right), every field
    quoted when it needs to be, line endings CRLF as RFC 4180 says."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        writer.writerow(_csv_row(row))
        if count % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


# An XLSX sheet holds at most 1,048,576 rows; a longer export goes on in further sheets, each
# with the header row again, so that no report is cut off.
XLSX_MAX_ROWS = 1_048_576


def write_xlsx(
    out, sheet_title: str, header: tuple, rows: Iterable[tuple], max_rows: int = XLSX_MAX_ROWS
) -> None:
    """A workbook written to the file object `out`. Write-only mode keeps openpyxl's own
    memory flat while rows come in from the batched query."""
    workbook = Workbook(write_only=True)
    sheet = None
    sheet_rows = max_rows
    sheets = 0
    for row in rows:
        if sheet_rows >= max_rows:
            sheets += 1
            title = sheet_title if sheets == 1 else f"{sheet_title}-{sheets}"
            sheet = workbook.create_sheet(title=title[:31])
            sheet.append(list(header))
            sheet_rows = 1
        sheet.append([_xlsx_value(value) for value in row])
        sheet_rows += 1
    if sheet is None:
        workbook.create_sheet(title=sheet_title[:31]).append(list(header))
    workbook.save(out)


def xlsx_bytes(sheet_title: str, rows: Iterable[tuple]) -> bytes:
    """A one-sheet workbook of a small table: its first row is the header."""
    rows = iter(rows)
    header = next(rows, ())
    out = io.BytesIO()
    write_xlsx(out, sheet_title, tuple(header), rows)
    return out.getvalue()


def export_filename(what: str, fmt: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M")
    return f"observer-{what}-{stamp}.{fmt}"
