"""The steps of signing in that need the session: the pending second factor, finishing a
sign-in, where each role lands. Kept out of views.py so each view stays a few lines."""

from __future__ import annotations

from datetime import timedelta
from time import time

from flask import current_app, session, url_for
from flask_login import login_user

from observer.audit.service import log_security_event
from observer.auth import service
from observer.extensions import db
from observer.models import User, utcnow

PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 5 * 60
SETUP_SECRET_KEY = "totp_setup_secret"  # noqa: S105 - a session key name

HOME_ENDPOINTS = {
    "observer": "reports.mine",
    "coordinator": "review.queue",
    "admin": "users.index",
}


def home_url(user: User) -> str:
    return url_for(HOME_ENDPOINTS.get(user.role, "public.home"))


def start_fresh_session() -> None:
    """Drop everything from before the sign-in (session fixation), keeping the language choice."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def finish_sign_in(user: User) -> None:
    start_fresh_session()
    login_user(user)
    now = time()
    session["last_seen"] = now
    session["reauth_at"] = now
    session.permanent = True
    service.record_sign_in(user)
    db.session.commit()


def remember_pending(user: User, next_url: str | None) -> None:
    """Password accepted, code still to come: nothing is signed in yet."""
    start_fresh_session()
    session[PENDING_KEY] = {
        "user_id": user.id,
        "token": user.session_token,
        "at": time(),
        "next": next_url or "",
    }


def pending_user() -> tuple[User | None, str]:
    """The user waiting for their code, if the wait is under five minutes and nothing changed."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, ""
    if time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None, ""
    user = db.session.get(User, int(pending.get("user_id", 0)))
    if (
        user is None
        or not user.is_active
        or user.session_token != pending.get("token")
        or user.is_locked(utcnow())
    ):
        session.pop(PENDING_KEY, None)
        return None, ""
    return user, pending.get("next", "")


def forget_pending() -> None:
    session.pop(PENDING_KEY, None)


def count_failure(user: User, event: str) -> bool:
    """A wrong code counts like a wrong password; returns True when the account is now locked."""
    config = current_app.config
    user.failed_logins = (user.failed_logins or 0) + 1
    log_security_event(event, subject_id=user.id)
    locked = user.failed_logins >= int(config["LOCKOUT_THRESHOLD"])
    if locked:
        minutes = int(config["LOCKOUT_MINUTES"])
        user.locked_until = utcnow() + timedelta(minutes=minutes)
        user.failed_logins = 0
        log_security_event("lockout", subject_id=user.id, details={"minutes": minutes})
    db.session.commit()
    return locked


def check_password_sign_in(email: str, password: str) -> service.SignInResult:
    config = current_app.config
    result = service.check_credentials(
        email,
        password,
        utcnow(),
        int(config["LOCKOUT_THRESHOLD"]),
        int(config["LOCKOUT_MINUTES"]),
    )
    db.session.commit()
    return result
