"""Sign-in sessions the server can end, and browsers it recognises.

The signed session cookie names the user, their account-wide session token (rotated to end
every session at once) and a random session id whose hash is a row here: signing out deletes
the row, so a copy of the cookie taken before stops working. A known browser holds a random
value in a long-lived cookie of its own; its hash, per account, keeps that browser's failure
count apart from the account's."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select

from observer.extensions import db
from observer.models import KnownBrowser, SignInSession, User, utcnow

SESSION_ID_KEY = "sid"
BROWSER_COOKIE = "observer_browser"
TOKEN_MAX_LENGTH = 64


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, max_hours: int) -> str:
    """A new server-side session for `user`; returns the id to keep in the session cookie.
    Sessions of this user older than `max_hours` are forgotten on the way."""
    cutoff = utcnow() - timedelta(hours=max_hours)
    db.session.execute(
        delete(SignInSession).where(
            SignInSession.user_id == user.id, SignInSession.created_at < cutoff
        )
    )
    session_id = secrets.token_urlsafe(32)
    db.session.add(SignInSession(user_id=user.id, token_hash=_digest(session_id)))
    return session_id


# Every signed-in request runs this: built once, so that only its parameters change.
_SIGNED_IN_USER = (
    select(User)
    .join(SignInSession, SignInSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        SignInSession.token_hash == bindparam("token_hash"),
        SignInSession.created_at >= bindparam("cutoff"),
    )
)


def user_for_session(
    user_id: int, account_token: str, session_id: str, max_hours: int
) -> User | None:
    """The signed-in user, if their session is still open on the server and nothing ended it."""
    if not session_id:
        return None
    cutoff = utcnow() - timedelta(hours=max_hours)
    user = db.session.execute(
        _SIGNED_IN_USER,
        {"user_id": user_id, "token_hash": _digest(session_id), "cutoff": cutoff},
    ).scalar_one_or_none()
    if (
        user is None
        or not user.is_active
        or not secrets.compare_digest(user.session_token, account_token)
    ):
        return None
    return user


def end_session(session_id: str | None) -> None:
    if session_id:
        db.session.execute(
            delete(SignInSession).where(SignInSession.token_hash == _digest(session_id))
        )


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(SignInSession).where(SignInSession.user_id == user.id))


def known_browser(user: User, browser_token: str | None) -> KnownBrowser | None:
    if not browser_token or len(browser_token) > TOKEN_MAX_LENGTH:
        return None
    return db.session.execute(
        select(KnownBrowser).where(
            KnownBrowser.user_id == user.id, KnownBrowser.token_hash == _digest(browser_token)
        )
    ).scalar_one_or_none()


def remember_browser(user: User, browser_token: str | None, now: datetime, keep_days: int) -> str:
    """After a good sign-in: this browser is known to the account from now on. Returns the
    cookie value (the browser's own, or a new one). Browsers of this account unseen for
    `keep_days` (their cookie has expired too) are forgotten on the way: Tor Browser, which
    forgets its cookies when it closes, would otherwise leave a row behind at every sign-in."""
    db.session.execute(
        delete(KnownBrowser).where(
            KnownBrowser.user_id == user.id,
            KnownBrowser.last_sign_in_at < now - timedelta(days=keep_days),
        )
    )
    browser = known_browser(user, browser_token)
    if browser is None:
        if not browser_token or len(browser_token) > TOKEN_MAX_LENGTH:
            browser_token = secrets.token_urlsafe(32)
        browser = KnownBrowser(user_id=user.id, token_hash=_digest(browser_token))
        db.session.add(browser)
    browser.last_sign_in_at = now
    return browser_token
