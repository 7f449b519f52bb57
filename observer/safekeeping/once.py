"""One-time form tokens: one press, one report.

A form carries a token signed for the person and the form it was made for (`issue`). The first
post that saves something records the token's nonce in the same transaction (`claim`); a second
post of the same token (a double press, a retry after a dropped connection, the browser's
resend) finds that record and is answered with what the first one made (`earlier_result`)
instead of making it again. Two posts racing each other both try to record the nonce: the
primary key lets one commit and the other roll back, and that one then answers the same way.

A token made for another form or another person is refused (`WrongToken`); a form posted
without any token (an old page, a script) is processed as before, unprotected."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select

from observer.extensions import db
from observer.models import UsedFormToken, utcnow

FIELD = "once"
SALT = "observer-form-once"
# A form can stay open for a long time (and be kept across an idle sign-out for a day).
KEEP_USED_FOR = timedelta(days=3)


class WrongToken(ValueError):
    """The token was made for another form or another person, or is not ours at all."""


@dataclass(frozen=True)
class OnceToken:
    nonce: str
    form: str


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(user_id: int, form: str) -> str:
    return _serializer().dumps({"u": user_id, "f": form, "n": secrets.token_urlsafe(16)})


def read(raw: str | None, user_id: int, form: str) -> OnceToken | None:
    """The token posted with `form` by `user_id`; None when the post carries none."""
    if not raw:
        return None
    if len(raw) > 300:
        raise WrongToken(form)
    try:
        payload = _serializer().loads(raw)
    except BadSignature:
        raise WrongToken(form) from None
    if not isinstance(payload, dict) or payload.get("u") != user_id or payload.get("f") != form:
        raise WrongToken(form)
    nonce = payload.get("n")
    if not isinstance(nonce, str) or not 0 < len(nonce) <= 64:
        raise WrongToken(form)
    return OnceToken(nonce, form)


def earlier_result(token: OnceToken | None, user_id: int) -> str | None:
    """Where the first post of this token led, if it has been received already."""
    if token is None:
        return None
    return db.session.execute(
        select(UsedFormToken.result_path).where(
            UsedFormToken.nonce == token.nonce, UsedFormToken.owner_id == user_id
        )
    ).scalar_one_or_none()


def claim(token: OnceToken | None, user_id: int, result_path: str) -> None:
    """Record the token as received, in the caller's transaction (the caller commits)."""
    if token is None:
        return
    db.session.add(
        UsedFormToken(nonce=token.nonce, owner_id=user_id, form=token.form, result_path=result_path)
    )


def forget_old() -> None:
    db.session.execute(
        delete(UsedFormToken).where(UsedFormToken.created_at < utcnow() - KEEP_USED_FOR)
    )
