"""Detached signatures in minisign's format (Ed25519), pure.

minisign (https://jedisct1.github.io/minisign/, Debian package `minisign`) is a small free tool
anyone can run: ``minisign -Vm statement.pdf -P <public key>`` checks a file against its
``.minisig``. The formats, written here with the `cryptography` package:

- public key: ``untrusted comment: ...`` then base64(``Ed`` || key id (8 bytes) || key (32));
- signature: ``untrusted comment: ...``, base64(``ED`` || key id || Ed25519 signature of the
  file's BLAKE2b-512 hash), ``trusted comment: ...``, base64(Ed25519 signature of the first
  signature followed by the trusted comment). The trusted comment is covered by the signature.

The private key is kept as a PKCS#8 PEM file outside the database (`flask keys init`)."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask_babel import lazy_gettext as _l

PUBLIC_ALGORITHM = b"Ed"
PREHASHED = b"ED"


class SignatureError(ValueError):
    """A signature or key cannot be read, or does not match; the message says which, `code`
    names the case for callers (e.g. "other_key": try an older key)."""

    def __init__(self, message, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    key: Ed25519PublicKey

    @property
    def key_id_hex(self) -> str:
        # minisign prints the id as the little-endian 64-bit number in hex
        return self.key_id[::-1].hex().upper()

    @property
    def fingerprint(self) -> str:
        """What the site shows: the base64 key line a reader passes to `minisign -P`."""
        return public_key_line(self)


def public_key_line(public: PublicKey) -> str:
    raw = public.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(PUBLIC_ALGORITHM + public.key_id + raw).decode()


def public_key_file(public: PublicKey) -> str:
    return (
        f"untrusted comment: minisign public key {public.key_id_hex}\n{public_key_line(public)}\n"
    )


def new_private_key() -> tuple[bytes, bytes]:
    """(PEM of a new Ed25519 private key, its 8-byte key id)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, os.urandom(8)


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(_l("the signing key file is not an Ed25519 key"))
    return key


def public_of(private: Ed25519PrivateKey, key_id: bytes) -> PublicKey:
    return PublicKey(key_id, private.public_key())


def parse_public_key(text: str) -> PublicKey:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    try:
        raw = base64.b64decode(line, validate=True)
    except ValueError as error:
        raise SignatureError(_l("the public key is not base64")) from error
    if len(raw) != 42 or raw[:2] != PUBLIC_ALGORITHM:
        raise SignatureError(_l("this is not a minisign Ed25519 public key"))
    return PublicKey(raw[2:10], Ed25519PublicKey.from_public_bytes(raw[10:]))


def sign(data: bytes, private: Ed25519PrivateKey, key_id: bytes, trusted_comment: str) -> bytes:
    """The .minisig file for `data`."""
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError(_l("a trusted comment is one line"))
    digest = hashlib.blake2b(data, digest_size=64).digest()
    signature = private.sign(digest)
    global_signature = private.sign(signature + trusted_comment.encode())
    lines = [
        f"untrusted comment: signature from the mission key {key_id[::-1].hex().upper()}",
        base64.b64encode(PREHASHED + key_id + signature).decode(),
        f"trusted comment: {trusted_comment}",
        base64.b64encode(global_signature).decode(),
    ]
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Verified:
    key_id_hex: str
    trusted_comment: str


def verify(data: bytes, signature_file: bytes, public: PublicKey) -> Verified:
    """Checks a .minisig against `data` and `public`; raises SignatureError saying why not."""
    try:
        lines = signature_file.decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise SignatureError(_l("the signature file is not a minisign signature")) from error
    if len(lines) < 4 or not lines[2].startswith("trusted comment: "):
        raise SignatureError(_l("the signature file is not a minisign signature"))
    try:
        raw = base64.b64decode(lines[1].strip(), validate=True)
        global_signature = base64.b64decode(lines[3].strip(), validate=True)
    except ValueError as error:
        raise SignatureError(_l("the signature file is not a minisign signature")) from error
    if len(raw) != 74 or raw[:2] not in (PREHASHED, PUBLIC_ALGORITHM):
        raise SignatureError(_l("the signature file is not a minisign Ed25519 signature"))
    if raw[2:10] != public.key_id:
        raise SignatureError(
            _l("the file was signed with another key than the mission's"), code="other_key"
        )
    message = hashlib.blake2b(data, digest_size=64).digest() if raw[:2] == PREHASHED else data
    comment = lines[2][len("trusted comment: ") :]
    try:
        public.key.verify(raw[10:], message)
    except InvalidSignature as error:
        raise SignatureError(_l("the signature does not match this file")) from error
    try:
        public.key.verify(global_signature, raw[10:] + comment.encode())
    except InvalidSignature as error:
        raise SignatureError(_l("the trusted comment has been altered")) from error
    return Verified(public.key_id_hex, comment)
