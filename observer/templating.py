"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from babel.dates import format_timedelta as babel_format_timedelta
from flask import Flask
from flask_babel import format_date, format_decimal, format_time, get_locale
from flask_login import current_user

from observer.dashboard.shading import shade_level
from observer.i18n import LANGUAGE_NAMES
from observer.links import external_url
from observer.models.base import utcnow


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def localized(obj, field: str = "name") -> str:
    if obj is None:
        return ""
    return obj.localized(field, current_language())


def mission_name() -> str:
    from flask import current_app

    from observer.config import mission_name as name_in

    return name_in(current_app.config, current_language())


def awaiting_answer_count() -> int:
    """How many of the signed-in observer's reports wait for their answer (needs_info)."""
    if not current_user.is_authenticated:
        return 0
    from observer.reports.queries import count_awaiting_answer

    return count_awaiting_answer(current_user.id)


def datetime_24h(value, fmt: str = "medium") -> str:
    """A moment in the viewer's language with a 24-hour clock, whatever the locale's habit:
    the language's date, then HH:mm. `fmt` "short" and "medium" both use the medium date
    (the short one is ambiguous across languages: 12/1/26)."""
    if not value:
        return ""
    date_format = "long" if fmt == "long" else "medium"
    return f"{format_date(value, date_format)}, {format_time(value, 'HH:mm')}"


def number(value) -> str:
    """A count in the viewer's language. Below 1,000 no language groups digits, so the common
    case skips Babel (pages with many counts call this hundreds of times)."""
    if value is None:
        return ""
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)
    return format_decimal(value)


def duration(value) -> str:
    """How long, in the viewer's language ('3 hours', '2 days'), to the minute. The texts are
    remembered per language and number of minutes: the election-night page shows a dozen
    waiting times on every refresh, and Babel composes each one from its plural rules."""
    if value is None:
        return ""
    return _duration_text(str(get_locale() or "en"), round(value.total_seconds() / 60))


@lru_cache(maxsize=4096)
def _duration_text(locale: str, minutes: int) -> str:
    return babel_format_timedelta(
        timedelta(minutes=minutes), granularity="minute", threshold=1.5, locale=locale
    )


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        localized=localized,
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        awaiting_answer_count=awaiting_answer_count,
        mission_name=mission_name,
        now_utc=utcnow,
        shade_level=shade_level,
        external_url=external_url,
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = datetime_24h
    app.jinja_env.filters["time"] = lambda value: format_time(value, "HH:mm") if value else ""
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["number"] = number
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
