"""The reports export of a whole mission as a background job (CSV or XLSX, every row).

The view checks the request and stores the filters as plain JSON; the job rebuilds the filter
and applies the owner's region scope as it is when the job runs."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import date

from observer.dashboard import exports, service
from observer.dashboard.queries import ReportFilter, total
from observer.extensions import db
from observer.jobs.kinds import JobFailed, JobOutput
from observer.models import User
from observer.review.scope import region_scope

KIND = "reports_export"
# Keyset batches of the job: large enough that the per-batch queries do not dominate.
JOB_BATCH_SIZE = 5000


def job_params(flt: ReportFilter, fmt: str, locale: str) -> dict:
    return {"format": fmt, "locale": locale, "filters": service.queue_params(flt)}


def filter_from_params(filters: dict, scope: tuple[int, ...] | None) -> ReportFilter:
    def day(name: str) -> date | None:
        value = filters.get(name)
        return date.fromisoformat(value) if value else None

    return ReportFilter(
        statuses=tuple(filters.get("status", ())),
        date_from=day("date_from"),
        date_to=day("date_to"),
        stage_ids=tuple(int(v) for v in filters.get("stage", ())),
        region_ids=tuple(int(v) for v in filters.get("region", ())),
        region_scope=scope,
    )


def run_reports_export(job, out, progress) -> JobOutput:
    params = job.params
    owner = db.session.get(User, job.owner_id)
    if owner is None or not owner.is_active or not owner.is_staff:
        raise JobFailed("not_allowed")
    fmt = params.get("format")
    if fmt not in exports.FORMATS:
        raise JobFailed("bad_request")
    scope = region_scope(owner)
    flt = filter_from_params(params.get("filters", {}), scope)
    locale = params.get("locale", "en")
    lookups = service.load_lookups(scope, all_districts=True)
    names = exports.ExportNames.from_lookups(lookups, lambda obj: obj.localized("name", locale))
    progress.set_total(total(flt))
    counter = _Counter(progress)
    rows = counter.count(exports.iter_report_rows(flt, names, batch_size=JOB_BATCH_SIZE))
    if fmt == "csv" and db.engine.dialect.name == "postgresql":
        from observer.dashboard.export_copy import copy_reports_csv

        rows_written = copy_reports_csv(flt, locale, out, progress.advance)
        return JobOutput(
            exports.export_filename("reports", fmt), exports.CSV_MEDIA_TYPE, rows_written
        )
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        for piece in exports.csv_stream(_chain([exports.REPORT_COLUMNS], rows)):
            text.write(piece)
        text.flush()
        text.detach()  # the runner still reads `out`
        media_type = exports.CSV_MEDIA_TYPE
    else:
        exports.write_xlsx(out, "reports", exports.REPORT_COLUMNS, rows)
        media_type = exports.XLSX_MEDIA_TYPE
    return JobOutput(exports.export_filename("reports", fmt), media_type, counter.rows)


class _Counter:
    def __init__(self, progress):
        self.progress = progress
        self.rows = 0

    def count(self, rows: Iterable[tuple]) -> Iterator[tuple]:
        for row in rows:
            self.rows += 1
            if self.rows % 500 == 0:
                self.progress.advance(500)
            yield row


def _chain(first, rest):
    yield from first
    yield from rest
