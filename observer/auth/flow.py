"""The steps of signing in that need the session: the pending second factor, finishing a
sign-in, where each role lands. Kept out of views.py so each view stays a few lines."""

from __future__ import annotations

from time import time

from flask import after_this_request, current_app, request, session, url_for
from flask_login import login_user

from observer.auth import service, sessions
from observer.auth.lockout import LockoutPolicy
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


def browser_token() -> str | None:
    return request.cookies.get(sessions.BROWSER_COOKIE)


def this_browser(user: User):
    """The KnownBrowser row when this browser signed in to `user` before, else None."""
    return sessions.known_browser(user, browser_token())


def open_server_session(user: User) -> None:
    """login_user plus the server-side session the cookie will name."""
    login_user(user)
    session[sessions.SESSION_ID_KEY] = sessions.open_session(
        user, int(current_app.config["SESSION_MAX_HOURS"])
    )


def finish_sign_in(user: User) -> None:
    start_fresh_session()
    open_server_session(user)
    now = time()
    session["last_seen"] = now
    session["reauth_at"] = now
    session.permanent = True
    service.record_sign_in(user, this_browser(user))
    token = sessions.remember_browser(
        user, browser_token(), utcnow(), int(current_app.config["KNOWN_BROWSER_DAYS"])
    )
    db.session.commit()
    _set_browser_cookie(token)


def _set_browser_cookie(token: str) -> None:
    config = current_app.config

    @after_this_request
    def set_cookie(response):
        response.set_cookie(
            sessions.BROWSER_COOKIE,
            token,
            max_age=int(config["KNOWN_BROWSER_DAYS"]) * 24 * 3600,
            secure=bool(config["PRODUCTION"]),
            httponly=True,
            samesite="Lax",
        )
        return response


def sign_out() -> None:
    """End this session on the server too, so a copy of its cookie no longer signs anyone in."""
    sessions.end_session(session.get(sessions.SESSION_ID_KEY))
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
        or service.is_locked(user, this_browser(user), utcnow())
    ):
        session.pop(PENDING_KEY, None)
        return None, ""
    return user, pending.get("next", "")


def forget_pending() -> None:
    session.pop(PENDING_KEY, None)


def count_failure(user: User, event: str) -> bool:
    """A wrong code counts like a wrong password; returns True when a lockout starts."""
    policy = LockoutPolicy.from_config(current_app.config)
    locked = service.count_failure(user, this_browser(user), event, utcnow(), policy)
    db.session.commit()
    return locked


def clear_failures(user: User) -> None:
    from observer.auth import lockout

    lockout.clear(service.failure_holder(user, this_browser(user)))


def check_password_sign_in(email: str, password: str) -> service.SignInResult:
    policy = LockoutPolicy.from_config(current_app.config)
    result = service.check_credentials(email, password, utcnow(), policy, browser_token())
    db.session.commit()
    return result
