"""Rate limits of the sign-in steps. Each step is limited per client address *and* the account
it is about, so many observers behind one address (a Tor exit, a carrier's NAT) do not share
one count; a looser limit per address alone bounds what any single address can try."""

from __future__ import annotations

import hashlib

from flask import current_app, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user

from observer.auth.service import normalise_email


def per_account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def per_address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def address() -> str:
    return get_remote_address()


def address_and_email() -> str:
    """/login: the address and the email typed (whether or not it has an account)."""
    return f"{address()}|{normalise_email(request.form.get('email', ''))[:254]}"


def address_and_pending_account() -> str:
    """/login/code: the address and the account whose password was just accepted."""
    from observer.auth.flow import PENDING_KEY

    pending = session.get(PENDING_KEY)
    account = pending.get("user_id", "") if isinstance(pending, dict) else ""
    return f"{address()}|{account}"


def address_and_signed_in_account() -> str:
    """/reauth: the address and the signed-in account."""
    account = current_user.id if current_user.is_authenticated else ""
    return f"{address()}|{account}"


def address_and_link() -> str:
    """/set-password/<token>: the address and the link (its hash: tokens stay out of storage)."""
    token = (request.view_args or {}).get("token", "")
    return f"{address()}|{hashlib.sha256(token.encode()).hexdigest()[:16]}"
