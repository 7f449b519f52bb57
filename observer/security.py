"""Response headers every page carries, and the session's inactivity expiry."""

from __future__ import annotations

from time import time

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from observer.safekeeping import kept_forms

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
    if current_app.config.get("PRODUCTION"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if "_user_id" in session and "Cache-Control" not in response.headers:
        # Pages of a signed-in user must not linger in shared or browser caches. (The session
        # key, not current_user: after a commit the user row would be reloaded just for this.)
        response.headers["Cache-Control"] = "no-store"
    return response


# The activity stamp is renewed at most this often, so that most requests leave the session
# cookie untouched: a page's parallel requests then cannot overwrite each other's session.
ACTIVITY_STAMP_SECONDS = 30


def expire_idle_session():
    """before_request: sign out after SESSION_IDLE_MINUTES without a request."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        # Static files never write the session: a stylesheet fetched alongside a page must not
        # answer with an older copy of the cookie than the page's own (e.g. mid-enrolment).
        return
    idle_limit = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    now = time()
    last_seen = session.get("last_seen")
    if last_seen is not None and now - float(last_seen) > idle_limit:
        kept = kept_forms.keep_posted_form(current_user.id)  # what was being sent is not lost
        logout_user()
        session.clear()
        flash(_("You were signed out after a period of inactivity."), "info")
        if kept is not None:
            kept_forms.tell_kept()
        return
    if last_seen is None or now - float(last_seen) >= ACTIVITY_STAMP_SECONDS:
        session["last_seen"] = now
    if not session.permanent:
        session.permanent = True
