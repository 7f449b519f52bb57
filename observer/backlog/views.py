"""The election-night page: the backlog at a glance, refreshing itself (a timer the viewer can
stop; without JavaScript the page reloads itself until told not to)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from observer.auth.access import access
from observer.backlog.queries import DEFAULT_WINDOW, WINDOWS, backlog, regions_in_scope
from observer.dashboard import charts
from observer.labels import SEVERITY_LABELS
from observer.review.scope import region_scope

bp = Blueprint("backlog", __name__, url_prefix="/review/night")

REFRESH_SECONDS = 60


@bp.get("/")
@access("staff")
def index():
    hours = request.args.get("hours", type=int)
    hours = hours if hours in WINDOWS else DEFAULT_WINDOW
    refresh = request.args.get("refresh") != "off"
    scope = region_scope(current_user)
    figures = backlog(scope, hours)
    regions = regions_in_scope(scope)
    return render_template(
        "backlog/index.html",
        figures=figures,
        hour_labels=hour_labels(figures.hours),
        hours=hours,
        windows=WINDOWS,
        refresh=refresh,
        refresh_seconds=REFRESH_SECONDS,
        regions=regions,
        region_names={region.id: region for region in regions},
        severity_labels=SEVERITY_LABELS,
        hourly_chart=charts.hourly_chart(
            "chart-hours",
            _("Reports received and decided per hour"),
            [
                (hour, figures.received.get(hour, 0), figures.decided.get(hour, 0))
                for hour in figures.hours
            ],
            (_("Received"), _("Decided")),
            label_hour=lambda moment: moment.strftime("%H:%M"),
        ),
    )


def hour_labels(hours) -> dict:
    """'1 Dec 2026, 21:00' for each hour shown: the date in the viewer's language (formatted
    once per day), the time on a 24-hour clock. All in UTC, like the rest of the app."""
    days = {day: format_date(day) for day in {moment.date() for moment in hours}}
    return {moment: f"{days[moment.date()]}, {moment:%H:%M}" for moment in hours}
