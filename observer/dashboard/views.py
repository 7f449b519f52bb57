"""Coordinator dashboard: counts of reports by criterion × stage, region, severity, source type
and day, each number linking to the review queue; CSV/XLSX exports behind re-authentication."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from observer.audit.service import log_security_event
from observer.auth.access import access, is_recently_reauthenticated
from observer.dashboard import charts, export_jobs, exports, regionmap, service
from observer.dashboard.forms import DashboardFilterForm
from observer.dashboard.queries import total
from observer.errors import render_error
from observer.extensions import db
from observer.jobs import service as job_service
from observer.records.links import cited_records
from observer.review.scope import region_scope
from observer.templating import current_language, localized

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


class FilterRequest:
    """The dashboard filters of this request, parsed and checked against the viewer's scope."""

    def __init__(self, *, all_districts: bool = False):
        self.scope = region_scope(current_user)
        self.lookups = service.load_lookups(self.scope, all_districts=all_districts)
        self.form = DashboardFilterForm(formdata=request.args)
        self.form.set_choices(self.lookups.stages, self.lookups.regions, localized)
        raw_region = request.args.get("region", "")
        if raw_region.isdigit() and int(raw_region) not in self.lookups.region_by_id:
            # Another coordinator's region, or none at all: nothing here for this viewer.
            abort(404)
        self.valid = self.form.validate()
        self.filter = None
        self.region_id = None
        if self.valid:
            self.form.status.data = list(self.form.statuses())
            self.filter = service.report_filter(
                statuses=self.form.statuses(),
                date_from=self.form.date_from.data,
                date_to=self.form.date_to.data,
                stage_id=self.form.stage.data,
                region_id=self.form.region.data,
                region_scope=self.scope,
            )
            self.region_id = self.form.region.data
            if self.region_id and not all_districts:
                service.load_districts(self.lookups, self.region_id)

    def params(self) -> dict:
        return service.queue_params(self.filter)

    def audit_details(self) -> dict:
        details = self.params()
        if self.scope is not None:
            details["region_scope"] = list(self.scope)
        return details


@bp.get("/")
@access("staff")
def index():
    request_filters = FilterRequest()
    if not request_filters.valid:
        return render_template("dashboard/index.html", form=request_filters.form), 400
    flt = request_filters.filter
    lookups = request_filters.lookups
    tables = {
        "criterion": service.criterion_table(flt, lookups, localized),
        "region": service.region_table(flt, lookups, localized),
        "severity": service.severity_table(flt),
        "source_type": service.source_type_table(flt),
        "day": service.day_table(flt),
    }
    region = lookups.region_by_id.get(request_filters.region_id)
    if region is not None:
        tables["district"] = service.district_table(flt, lookups, localized)
    base = request_filters.params()

    def cell_url(cell):
        if cell.keys is None:
            return None
        return url_for("review.queue", **service.cell_params(base, cell.keys))

    def drill_url(row):
        return url_for("dashboard.index", **{**base, "region": row.cells[0].keys["region"]})

    geo = tables["district"] if region is not None else tables["region"]
    chart_svgs = {
        "geo": charts.bar_chart("chart-geo", geo.title, geo.chart_items()),
        "map": _region_map(tables["region"], lookups, drill_url),
        "stage": charts.bar_chart(
            "chart-stage",
            _("Reports by stage"),
            service.stage_chart_items(tables["criterion"]),
        ),
        "severity": charts.bar_chart(
            "chart-severity", tables["severity"].title, tables["severity"].chart_items()
        ),
        "day": charts.timeline_chart(
            "chart-day",
            tables["day"].title,
            [(date.fromisoformat(row.labels[0]), row.cells[0].count) for row in tables["day"].rows],
            label_day=lambda day: format_date(day, "d MMM"),
        ),
    }
    return render_template(
        "dashboard/index.html",
        form=request_filters.form,
        tables=tables,
        charts=chart_svgs,
        region=region,
        params=base,
        params_without_region={k: v for k, v in base.items() if k != "region"},
        cell_url=cell_url,
        drill_url=drill_url,
        grand_total=tables["criterion"].total.cells[-1],
        cited=cited_records(flt.conditions()),
    )


def _region_map(table, lookups, drill_url):
    regions = [
        regionmap.MapRegion(iso, name, row.cells[0].count, drill_url(row))
        for row in table.rows
        for iso, name in [row.labels]
    ]
    return regionmap.region_map(
        "chart-map",
        _("Map of reports by region"),
        regions,
        lambda r: ngettext(
            "%(region)s: %(num)s report", "%(region)s: %(num)s reports", r.count, region=r.name
        ),
    )


def _needs_reauth():
    minutes = int(current_app.config["REAUTH_MINUTES"])
    if is_recently_reauthenticated(minutes * 60):
        return None
    return redirect(url_for("auth.reauth", next=request.full_path))


def _format_or_none() -> str | None:
    fmt = request.args.get("format", "csv")
    return fmt if fmt in exports.FORMATS else None


def _download(body, fmt: str, filename: str) -> Response:
    media_type = exports.CSV_MEDIA_TYPE if fmt == "csv" else exports.XLSX_MEDIA_TYPE
    response = Response(body, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _log_export(
    what: str, fmt: str, request_filters: FilterRequest, rows: int, job: str | None = None
) -> None:
    details = {
        "what": what,
        "format": fmt,
        "filters": request_filters.audit_details(),
        "rows": rows,
    }
    if job is not None:
        details["job"] = job
    log_security_event("export", actor_id=current_user.id, details=details)
    db.session.commit()


@bp.route("/export/reports", methods=["GET", "POST"])
@access("staff")
def export_reports():
    """GET: what the export will hold, and a button; POST: start it as a background job (a
    whole mission takes longer than any web request may) and show its progress page."""
    if (reauth := _needs_reauth()) is not None:
        return reauth
    fmt = _format_or_none()
    if fmt is None:
        return render_error(400, _("Choose CSV or XLSX as the export format."))
    request_filters = FilterRequest(all_districts=True)
    if not request_filters.valid:
        return render_error(400, _("The filters of this export are not valid."))
    if request.method == "GET":
        return render_template(
            "dashboard/export_reports.html",
            fmt=fmt,
            count=total(request_filters.filter),
            params=request_filters.params(),
            recent=job_service.recent_jobs(current_user.id),
        )
    params = export_jobs.job_params(request_filters.filter, fmt, current_language())
    job = job_service.start_job(export_jobs.KIND, current_user.id, params)
    # Counted when the job is asked for, so the log says how much was to leave the system;
    # each download of the file is logged again (export_downloaded).
    _log_export("reports", fmt, request_filters, total(request_filters.filter), job=job.public_id)
    return redirect(url_for("jobs.detail", public_id=job.public_id), code=303)


@bp.get("/export/table")
@access("staff")
def export_table():
    if (reauth := _needs_reauth()) is not None:
        return reauth
    fmt = _format_or_none()
    name = request.args.get("table", "")
    if fmt is None or name not in service.TABLES:
        return render_error(400, _("Choose one of the dashboard's tables and CSV or XLSX."))
    request_filters = FilterRequest()
    if not request_filters.valid:
        return render_error(400, _("The filters of this export are not valid."))
    if name == "district" and not request_filters.region_id:
        return render_error(400, _("Choose a region to export the counts of its districts."))
    table = service.build_table(name, request_filters.filter, request_filters.lookups, localized)
    _log_export(f"table:{name}", fmt, request_filters, len(table.rows))
    rows = exports.table_rows(table)
    filename = exports.export_filename(name.replace("_", "-"), fmt)
    body = "".join(exports.csv_stream(rows)) if fmt == "csv" else exports.xlsx_bytes(name, rows)
    return _download(body, fmt, filename)
