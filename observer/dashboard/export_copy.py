"""The reports CSV written by PostgreSQL itself (COPY of a SELECT), for the export job on
PostgreSQL: the same columns, values, formula neutralisation and quoting as the Python writer
in exports.py (which SQLite uses, and which tests compare this with byte for byte), at the
database's own speed. Each COPY message is one row, which gives the job its progress."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import String, case, cast, func, literal, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from observer.dashboard.exports import FORMULA_TRIGGERS, REPORT_COLUMNS
from observer.dashboard.queries import ReportFilter
from observer.extensions import db
from observer.models import Criterion, District, Region, Report, Stage, User, report_criteria


def _neutral(column):
    """neutralise() in SQL: text a spreadsheet would run as a formula gets an apostrophe. Applied
    to every text that people type (reports, catalog names and codes); values the system makes
    itself (references, statuses and other fixed codes, observer codes) never start with one."""
    return case(
        (func.substr(column, 1, 1).in_(FORMULA_TRIGGERS), literal("'") + column), else_=column
    )


def _name(table, locale: str):
    """Localized.localized() in SQL: the name in `locale`, else the English one."""
    column = getattr(table, f"name_{locale}", None) if locale in ("be", "ru") else None
    return (
        table.name_en if column is None else func.coalesce(func.nullif(column, ""), table.name_en)
    )


def report_select(flt: ReportFilter, locale: str):
    original = aliased(Report)
    further = aliased(Criterion)
    further_stage = aliased(Stage)
    # Catalog order (stage position, then position), as observer.catalog.ordering gives it.
    further_codes = (
        select(
            func.string_agg(
                further.code,
                postgresql.aggregate_order_by(
                    literal("; "),
                    further_stage.position,
                    further.stage_id,
                    further.position,
                    further.code,
                ),
            )
        )
        .select_from(report_criteria)
        .join(further, further.id == report_criteria.c.criterion_id)
        .join(further_stage, further_stage.id == further.stage_id)
        .where(report_criteria.c.report_id == Report.id)
        .scalar_subquery()
    )
    submitted = func.to_char(func.timezone("UTC", Report.submitted_at), "YYYY-MM-DD HH24:MI:SS")
    columns = [
        Report.reference,
        Report.status,
        _neutral(Stage.code),
        _neutral(Criterion.code),
        _neutral(further_codes),
        Report.occurred_on,
        func.to_char(Report.occurred_at, "HH24:MI"),
        _neutral(Region.iso_code),
        _neutral(_name(Region, locale)),
        _neutral(_name(District, locale)),
        _neutral(Report.settlement),
        Report.polling_station,
        Report.constituency,
        _neutral(Report.title),
        _neutral(Report.narrative),
        _neutral(Report.actors),
        Report.people_affected,
        Report.source_type,
        Report.severity,
        Report.scope,
        case((Report.complaint_lodged, "yes"), else_="no"),
        _neutral(Report.complaint_to),
        _neutral(Report.complaint_outcome),
        case(
            (
                Report.source_reliability.is_not(None) & Report.info_credibility.is_not(None),
                Report.source_reliability + cast(Report.info_credibility, String),
            ),
        ),
        original.reference,
        submitted,
        User.observer_code,
    ]
    return (
        select(*(column.label(name) for column, name in zip(columns, REPORT_COLUMNS, strict=True)))
        .select_from(Report)
        .join(User, User.id == Report.author_id)
        .join(Stage, Stage.id == Report.stage_id)
        .join(Criterion, Criterion.id == Report.criterion_id)
        .join(Region, Region.id == Report.region_id)
        .outerjoin(District, District.id == Report.district_id)
        .outerjoin(original, original.id == Report.duplicate_of_id)
        .where(*flt.conditions())
        .order_by(Report.id)
    )


def copy_reports_csv(flt: ReportFilter, locale: str, out, on_rows: Callable[[int], None]) -> int:
    """Write the CSV (BOM, header, CRLF rows) to the binary file `out`; returns the rows."""
    query = report_select(flt, locale).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    connection = db.session.connection().connection.driver_connection
    out.write("\ufeff".encode())
    rows = -1  # the header is the first message
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL DateStyle = 'ISO'")
        with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for message in copy:
                # One message per row, ending in a line feed: RFC 4180 wants CR LF, as the
                # Python writer writes (line breaks inside quoted text stay as they are).
                out.write(bytes(message[:-1]) + b"\r\n")
                rows += 1
                if rows and rows % 5000 == 0:
                    on_rows(5000)
    return max(rows, 0)
