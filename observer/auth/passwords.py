"""Password hashing (argon2id) and the password policy. Pure: no Flask import."""

from __future__ import annotations

import os
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this keeps the time of a sign-in with an unknown email equal to a real one.
_DUMMY_HASH = _hasher.hash("observer-timing-equaliser")

COMMON_PASSWORDS_FILE = os.path.join(os.path.dirname(__file__), "common_passwords.txt")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with open(COMMON_PASSWORDS_FILE, encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password: str) -> str | None:
    """A short English reason the password is refused, or None. Callers translate the key."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if password.strip().lower() in common_passwords():
        return "too_common"
    if len(set(password)) < 4:
        return "too_common"
    return None
