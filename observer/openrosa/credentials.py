"""Device credentials: created by an observer for one phone, shown once, revocable.

A credential authenticates OpenRosa requests only (HTTP Basic on /openrosa); the web app never
reads the Authorization header, so a seized phone's credential cannot open anyone's reports."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import zlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import contains_eager

from observer.audit.service import log_security_event
from observer.extensions import db
from observer.models import DeviceCredential, Roles, User, utcnow

NAME_MAX = 80
USERNAME_PREFIX = "dev-"
# Writing last_used_at on every submission would turn each into two writes; a minute is precise
# enough for "when was this phone last heard from".
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewCredential:
    """What the observer is shown once: the password exists nowhere else afterwards."""

    credential: DeviceCredential
    username: str
    password: str


def _hash(password: str) -> str:
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def create_credential(user: User, name: str) -> NewCredential:
    name = " ".join((name or "").split())[:NAME_MAX]
    if not name:
        raise ValueError("a device credential needs a name")
    username = USERNAME_PREFIX + secrets.token_hex(6)
    password = secrets.token_urlsafe(24)
    credential = DeviceCredential(
        user_id=user.id, name=name, username=username, secret_hash=_hash(password)
    )
    db.session.add(credential)
    db.session.flush()
    log_security_event(
        "device_credential_created",
        actor_id=user.id,
        subject_id=user.id,
        details={"credential_id": credential.id},
    )
    db.session.commit()
    return NewCredential(credential, username, password)


# Every OpenRosa request runs this, so it is built once. The observer comes in the same row and
# fills credential.user (every submission reads it) instead of being loaded by a second query.
_BY_USERNAME = (
    select(DeviceCredential)
    .join(DeviceCredential.user)
    .options(contains_eager(DeviceCredential.user))
    .where(DeviceCredential.username == bindparam("username"))
)


def authenticate(username: str | None, password: str | None) -> DeviceCredential | None:
    """The live credential for these Basic-auth values, with its observer; None otherwise (a
    revoked credential, or one whose account is deactivated or is no longer an observer's)."""
    if not username or not password or len(username) > 40 or len(password) > 200:
        return None
    credential = db.session.execute(_BY_USERNAME, {"username": username}).scalar_one_or_none()
    expected = credential.secret_hash if credential else _hash("no such credential")
    matches = hmac.compare_digest(expected, _hash(password))
    if credential is None or not matches:
        return None
    if credential.is_revoked or not credential.user.is_active_account:
        return None
    return credential


def mark_used(credential: DeviceCredential) -> None:
    """Record the use in the caller's transaction, at most once a minute."""
    now = utcnow()
    last = credential.last_used_at
    if last is None or now - last >= LAST_USED_PRECISION:
        db.session.execute(
            update(DeviceCredential)
            .where(DeviceCredential.id == credential.id)
            .values(last_used_at=now)
        )


def credentials_of(user_id: int) -> list[DeviceCredential]:
    return list(
        db.session.execute(
            select(DeviceCredential)
            .where(DeviceCredential.user_id == user_id)
            .order_by(DeviceCredential.revoked_at.is_not(None), DeviceCredential.id.desc())
        ).scalars()
    )


def live_credentials(limit: int = 500) -> list[tuple[DeviceCredential, User]]:
    """Every credential not yet revoked, with its observer, for staff."""
    rows = db.session.execute(
        select(DeviceCredential, User)
        .join(User, User.id == DeviceCredential.user_id)
        .where(DeviceCredential.revoked_at.is_(None))
        .order_by(User.observer_code, DeviceCredential.id)
        .limit(limit)
    )
    return [(credential, user) for credential, user in rows]


def can_revoke(actor: User, credential: DeviceCredential) -> bool:
    return credential.user_id == actor.id or actor.role in Roles.STAFF


def revoke(actor: User, credential: DeviceCredential) -> None:
    if not can_revoke(actor, credential):
        raise PermissionError("not this user's credential")
    if credential.is_revoked:
        return
    credential.revoked_at = utcnow()
    credential.revoked_by_id = actor.id
    log_security_event(
        "device_credential_revoked",
        actor_id=actor.id,
        subject_id=credential.user_id,
        details={"credential_id": credential.id},
    )
    db.session.commit()


def find(credential_id: int) -> DeviceCredential | None:
    if not 0 < credential_id < 2**31:
        return None
    return db.session.get(DeviceCredential, credential_id)


# --- ODK Collect's settings QR code -----------------------------------------------------------


def collect_settings(server_url: str, username: str, password: str) -> str:
    """The text of the QR code ODK Collect scans under "Configure with QR code": its settings
    JSON, zlib-compressed, base64-encoded."""
    settings = {
        "general": {"server_url": server_url, "username": username, "password": password},
        "admin": {},
    }
    packed = zlib.compress(json.dumps(settings, separators=(",", ":")).encode("utf-8"))
    return base64.b64encode(packed).decode("ascii")


def read_collect_settings(text: str) -> dict:
    """The settings back from the QR code's text (used by the tests and by support staff)."""
    return json.loads(zlib.decompress(base64.b64decode(text)))
