"""Friendly error pages: a clear message and the right status, never a stack trace."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, SecurityError

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (
        _l("Too large"),
        _l("What you sent is larger than the limit. Please send smaller or fewer files."),
    ),
    429: (_l("Too many requests"), _l("Too many attempts. Please wait a minute and try again.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred. Nothing you saved before is lost; please try again."),
    ),
}


def render_error(code: int, message: str | None = None):
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=message or default_message
        ),
        code,
    )


def init_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l(
                "This form has expired or was not sent from this site. Please reload the page "
                "and send it again."
            ),
        )

    @app.errorhandler(SecurityError)
    def unknown_host(error: SecurityError):
        # A Host header that is not one of ours (TRUSTED_HOSTS in production): no URL can be
        # built for it, so the page is a plain one that links nowhere.
        message = escape(
            _l("This site is not served at this address. Check the address and try again.")
        )
        body = (
            '<!doctype html><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>400</title><p>{message}</p>"
        )
        return body, 400, {"Content-Type": "text/html; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in MESSAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from observer.extensions import db

        app.logger.exception("unhandled error")
        db.session.rollback()
        return render_error(500)
