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
    stream_with_context,
    url_for,
)
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from observer.audit.service import log_security_event
from observer.auth.access import access, is_recently_reauthenticated
from observer.dashboard import charts, exports, regionmap, service
from observer.dashboard.forms import DashboardFilterForm
from observer.dashboard.queries import total
from observer.errors import render_error
from observer.extensions import db
from observer.records.links import cited_records
from observer.review.scope import region_scope
from observer.templating import localized

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


def _log_export(what: str, fmt: str, request_filters: FilterRequest, rows: int) -> None:
    log_security_event(
        "export",
        actor_id=current_user.id,
        details={
            "what": what,
            "format": fmt,
            "filters": request_filters.audit_details(),
            "rows": rows,
        },
    )
    db.session.commit()


@bp.get("/export/reports")
@access("staff")
def export_reports():
    if (reauth := _needs_reauth()) is not None:
        return reauth
    fmt = _format_or_none()
    if fmt is None:
        return render_error(400, _("Choose CSV or XLSX as the export format."))
    request_filters = FilterRequest(all_districts=True)
    if not request_filters.valid:
        return render_error(400, _("The filters of this export are not valid."))
    flt = request_filters.filter
    names = exports.ExportNames.from_lookups(request_filters.lookups, localized)
    # Counted before streaming so the log says how much left the system; a report changing
    # status during a long download may make the file differ by that one row.
    _log_export("reports", fmt, request_filters, total(flt))
    rows = exports.iter_report_rows(flt, names)
    header = [exports.REPORT_COLUMNS]
    filename = exports.export_filename("reports", fmt)
    if fmt == "csv":
        body = stream_with_context(exports.csv_stream(_chain(header, rows)))
    else:
        body = exports.xlsx_bytes("reports", _chain(header, rows))
    return _download(body, fmt, filename)


def _chain(first, rest):
    yield from first
    yield from rest


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
