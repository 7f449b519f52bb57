"""Account operations: creating users, sign-in checks, lockout, two-factor, set-password links."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from observer.audit.service import log_security_event
from observer.auth import lockout, passwords, sessions, totp
from observer.extensions import db
from observer.models import ROLES, KnownBrowser, Region, User, utcnow
from observer.models.user import new_session_token


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the admin."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: the cookie names the user and their account-wide session token; the
    server-side session it belongs to must still be open (sign-out deletes it)."""
    from flask import current_app, session

    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    return sessions.user_for_session(
        int(user_id),
        token,
        str(session.get(sessions.SESSION_ID_KEY) or ""),
        int(current_app.config["SESSION_MAX_HOURS"]),
    )


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def create_user(
    email: str,
    display_name: str,
    role: str,
    password: str | None = None,
    regions: list[Region] | None = None,
    locale: str | None = None,
    actor: User | None = None,
) -> User:
    """Create an account and give it the next pseudonymous observer code (OBS-0001, ...)."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if not email or "@" not in email:
        raise AccountError("a valid email address is required")
    if find_user_by_email(email) is not None:
        raise AccountError(f"an account with the email {email} exists already")
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0]).strip()[:120],
        role=role,
        locale=locale,
        session_token=new_session_token(),
    )
    if password is not None:
        user.password_hash = passwords.hash_password(password)
        user.password_changed_at = utcnow()
    user.regions = list(regions or [])
    db.session.add(user)
    db.session.flush()
    user.observer_code = f"OBS-{user.id:04d}"
    log_security_event(
        "user_created",
        actor_id=actor.id if actor else None,
        subject_id=user.id,
        details={"role": role},
    )
    return user


def set_password(user: User, new_password: str) -> None:
    """Store a new password and end every other session of this user."""
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
    user.set_password_token_hash = None
    user.set_password_expires = None
    lockout.clear(user)
    sessions.end_all_sessions(user)


@dataclass
class SignInResult:
    user: User | None
    locked: bool = False
    browser: KnownBrowser | None = None


def failure_holder(user: User, browser: KnownBrowser | None) -> User | KnownBrowser:
    """Whose count a failure adds to: a browser that signed in to the account before has its
    own, so a stranger's failures elsewhere never lock it; every other browser shares the
    account's."""
    return browser if browser is not None else user


def count_failure(
    user: User, browser: KnownBrowser | None, event: str, now: datetime, policy
) -> bool:
    """A wrong password or code; returns True when this failure starts a lockout."""
    log_security_event(event, subject_id=user.id, details={"known_browser": browser is not None})
    minutes = lockout.count_failure(failure_holder(user, browser), now, policy)
    if minutes is None:
        return False
    log_security_event(
        "lockout",
        subject_id=user.id,
        details={"minutes": minutes, "known_browser": browser is not None},
    )
    return True


def check_credentials(
    email: str,
    password: str,
    now: datetime,
    policy: lockout.LockoutPolicy,
    browser_token: str | None = None,
) -> SignInResult:
    """Check an email and password; counts failures and locks out after policy.threshold.

    The caller shows one generic message for every failure, so nothing here reveals whether the
    account exists."""
    user = find_user_by_email(email)
    if user is None:
        passwords.verify_password(None, password)  # same cost as a real check
        log_security_event("login_failed", details={"email": normalise_email(email)[:254]})
        return SignInResult(None)
    browser = sessions.known_browser(user, browser_token)
    if failure_holder(user, browser).is_locked(now):
        passwords.verify_password(None, password)
        log_security_event("login_refused_locked", subject_id=user.id)
        return SignInResult(None, locked=True, browser=browser)
    if not user.is_active or not passwords.verify_password(user.password_hash, password):
        locked = count_failure(user, browser, "login_failed", now, policy)
        return SignInResult(None, locked=locked, browser=browser)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return SignInResult(user, browser=browser)


def is_locked(user: User, browser: KnownBrowser | None, now: datetime) -> bool:
    return failure_holder(user, browser).is_locked(now)


def record_sign_in(user: User, browser: KnownBrowser | None = None) -> None:
    lockout.clear(failure_holder(user, browser))
    log_security_event("login_succeeded", actor_id=user.id, subject_id=user.id)


def check_totp(user: User, code: str) -> bool:
    """Accept a current code once; remember its time step so it can't be replayed."""
    if not user.totp_secret:
        return False
    step = totp.matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def issue_set_password_link_token(user: User, hours: int) -> str:
    """A one-time token for the set-password link; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    user.set_password_token_hash = hashlib.sha256(token.encode()).hexdigest()
    user.set_password_expires = utcnow() + timedelta(hours=hours)
    return token


def user_for_set_password_token(token: str) -> User | None:
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    user = db.session.execute(
        select(User).where(User.set_password_token_hash == digest)
    ).scalar_one_or_none()
    if user is None or user.set_password_expires is None or user.set_password_expires < utcnow():
        return None
    return user


def count_users() -> int:
    return db.session.execute(select(func.count(User.id))).scalar_one()
