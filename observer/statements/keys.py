"""The mission's signing key: the private key is a file (SIGNING_KEY_PATH, outside the
database, readable by the publishing host only); its public half is stored in the database so
that every web host can show it. `flask keys init` creates both."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from observer.extensions import db
from observer.models import SigningKey, utcnow
from observer.statements import signing

HEADER = "key-id: "


class KeyError_(RuntimeError):  # noqa: N801 - not the builtin KeyError
    """No usable signing key; the message says what the administrator must do."""


def key_path() -> Path:
    configured = current_app.config.get("SIGNING_KEY_PATH")
    if configured:
        return Path(configured)
    return Path(current_app.instance_path) / "keys" / "mission-signing.key"


def active_key() -> SigningKey | None:
    return db.session.execute(
        select(SigningKey).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.id.desc())
    ).scalar_one_or_none()


def public_key() -> signing.PublicKey | None:
    row = active_key()
    return signing.parse_public_key(row.public_key) if row is not None else None


def write_key_file(path: Path, pem: bytes, key_id: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(f"{HEADER}{key_id.hex()}\n".encode() + pem)


def read_key_file(path: Path):
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise KeyError_(
            _l("The signing key file %(path)s cannot be read.", path=str(path))
        ) from error
    first, _sep, pem = raw.partition(b"\n")
    if not first.startswith(HEADER.encode()):
        raise KeyError_(_l("The signing key file %(path)s is not a mission key.", path=str(path)))
    key_id = bytes.fromhex(first[len(HEADER) :].decode())
    return signing.load_private_key(pem), key_id


def create_key() -> SigningKey:
    path = key_path()
    if path.exists():
        raise KeyError_(_l("A signing key already exists at %(path)s.", path=str(path)))
    pem, key_id = signing.new_private_key()
    public = signing.public_of(signing.load_private_key(pem), key_id)
    write_key_file(path, pem, key_id)
    for old in db.session.execute(
        select(SigningKey).where(SigningKey.retired_at.is_(None))
    ).scalars():
        old.retired_at = utcnow()
    row = SigningKey(key_id=key_id.hex(), public_key=signing.public_key_file(public))
    db.session.add(row)
    db.session.flush()
    return row


def ensure_key() -> SigningKey:
    """The active key; registers an existing key file, or creates one (demo, first run)."""
    row = active_key()
    if row is not None:
        return row
    path = key_path()
    if not path.exists():
        return create_key()
    private, key_id = read_key_file(path)
    row = SigningKey(
        key_id=key_id.hex(), public_key=signing.public_key_file(signing.public_of(private, key_id))
    )
    db.session.add(row)
    db.session.flush()
    return row


def signer():
    """(private key, key id) for signing, checked against the published public key."""
    row = active_key()
    if row is None:
        raise KeyError_(
            _l(
                "The mission has no signing key yet: an administrator runs "
                "“flask --app wsgi keys init” on the publishing server."
            )
        )
    private, key_id = read_key_file(key_path())
    if key_id.hex() != row.key_id or signing.public_of(private, key_id).fingerprint != (
        signing.parse_public_key(row.public_key).fingerprint
    ):
        raise KeyError_(_l("The signing key file does not match the mission's published key."))
    return private, key_id


def check_signature(data: bytes, signature_file: bytes) -> signing.Verified:
    """A downloaded file against its .minisig and the mission's keys (retired ones included:
    files signed before a rotation stay checkable). SignatureError says what is wrong."""
    if not data or not signature_file:
        raise signing.SignatureError(_l("Choose the file and its signature."))
    rows = db.session.execute(select(SigningKey).order_by(SigningKey.id.desc())).scalars()
    last_error = signing.SignatureError(_l("The mission has no signing key yet."))
    for row in rows:
        try:
            return signing.verify(data, signature_file, signing.parse_public_key(row.public_key))
        except signing.SignatureError as error:
            last_error = error
            if error.code != "other_key":
                break
    raise last_error


def sign(data: bytes, trusted_comment: str) -> bytes:
    private, key_id = signer()
    return signing.sign(data, private, key_id, trusted_comment)


keys_cli = AppGroup("keys", help="The mission's signing key.")


@keys_cli.command("init")
def init() -> None:
    """Create the mission signing key (private key file at SIGNING_KEY_PATH)."""
    try:
        row = create_key()
    except KeyError_ as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    public = signing.parse_public_key(row.public_key)
    click.echo(f"private key: {key_path()} (keep it secret; back it up offline)")
    click.echo(f"key id: {public.key_id_hex}")
    click.echo(f"public key (fingerprint): {public.fingerprint}")


@keys_cli.command("show")
def show() -> None:
    """Print the mission's public key in minisign's .pub format."""
    row = active_key()
    if row is None:
        raise click.ClickException("No signing key: run `flask --app wsgi keys init`.")
    click.echo(row.public_key, nl=False)
