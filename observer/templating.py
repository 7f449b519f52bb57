"""Template globals and filters shared by every page."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from observer.i18n import LANGUAGE_NAMES
from observer.links import external_url


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


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        localized=localized,
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        awaiting_answer_count=awaiting_answer_count,
        mission_name=mission_name,
        external_url=external_url,
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["number"] = lambda value: (
        format_decimal(value) if value is not None else ""
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
