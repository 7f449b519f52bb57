"""What administrators do to accounts, and the CSV import. Each function records its security
event; the caller commits."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from observer.audit.service import log_security_event
from observer.auth import lockout
from observer.auth.service import (
    AccountError,
    create_user,
    issue_set_password_link_token,
    normalise_email,
)
from observer.auth.sessions import end_all_sessions
from observer.extensions import db
from observer.models import ROLES, Region, User
from observer.models.user import new_session_token

IMPORT_COLUMNS = ("email", "name", "role", "regions")
IMPORT_MAX_ROWS = 5000


def _refuse_self(user: User, actor: User, message) -> None:
    if user.id == actor.id:
        raise AccountError(message)


def regions_by_ids(ids: Sequence[int]) -> list[Region]:
    if not ids:
        return []
    return list(db.session.execute(select(Region).where(Region.id.in_(ids))).scalars())


def all_regions() -> list[Region]:
    return list(db.session.execute(select(Region).order_by(Region.position, Region.id)).scalars())


def deactivate(user: User, actor: User) -> None:
    _refuse_self(user, actor, _l("You cannot deactivate your own account."))
    user.is_active_account = False
    user.session_token = new_session_token()  # ends their sessions at once
    end_all_sessions(user)
    log_security_event("user_deactivated", actor_id=actor.id, subject_id=user.id)


def reactivate(user: User, actor: User) -> None:
    user.is_active_account = True
    lockout.clear(user)
    log_security_event("user_reactivated", actor_id=actor.id, subject_id=user.id)


def change_role(user: User, role: str, actor: User) -> bool:
    if role not in ROLES:
        raise AccountError(_l("Unknown role."))
    if role == user.role:
        return False
    if user.role == "admin":
        _refuse_self(user, actor, _l("You cannot remove your own administrator role."))
    log_security_event(
        "role_changed",
        actor_id=actor.id,
        subject_id=user.id,
        details={"from": user.role, "to": role},
    )
    user.role = role
    return True


def reset_two_factor(user: User, actor: User) -> None:
    """For a lost phone: the user enrols again at their next sign-in (staff are made to)."""
    user.totp_secret = None
    user.totp_enabled = False
    user.totp_last_step = None
    user.session_token = new_session_token()  # a lost phone may sit in a signed-in browser
    end_all_sessions(user)
    log_security_event("two_factor_reset", actor_id=actor.id, subject_id=user.id)


def set_regions(user: User, regions: list[Region], actor: User) -> bool:
    before = sorted(r.iso_code for r in user.regions)
    after = sorted(r.iso_code for r in regions)
    if before == after:
        return False
    user.regions = list(regions)
    log_security_event(
        "regions_changed",
        actor_id=actor.id,
        subject_id=user.id,
        details={"from": before, "to": after},
    )
    return True


def issue_link(user: User, actor: User, hours: int) -> str:
    """A new one-time set-password token (any earlier link stops working)."""
    token = issue_set_password_link_token(user, hours)
    log_security_event(
        "set_password_link_issued", actor_id=actor.id, subject_id=user.id, details={"hours": hours}
    )
    return token


def create_account(
    *,
    email: str,
    display_name: str,
    role: str,
    regions: list[Region],
    locale: str | None,
    actor: User,
    link_hours: int,
) -> tuple[User, str]:
    user = create_user(email, display_name, role, regions=regions, locale=locale, actor=actor)
    return user, issue_link(user, actor, link_hours)


# --- CSV import -------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    message: object  # a lazy translatable string: rendered in the reader's language


@dataclass
class ImportRow:
    line: int
    email: str
    name: str
    role: str
    region_codes: list[str]
    existing: User | None = None
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What the file asks for. `errors` empty means it may be applied; after applying,
    `created` holds (user, token) pairs for the set-password links."""

    errors: list[RowError] = field(default_factory=list)
    to_create: list[ImportRow] = field(default_factory=list)
    to_update: list[ImportRow] = field(default_factory=list)
    unchanged: list[ImportRow] = field(default_factory=list)
    created: list[tuple[User, str]] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _split_regions(raw: str) -> list[str]:
    parts = raw.replace(",", ";").split(";")
    return sorted({p.strip().upper() for p in parts if p.strip()})


def _check_email(raw: str) -> str | None:
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _read_rows(text: str, result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")  # spreadsheet programs often start UTF-8 files with a BOM
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        result.errors.append(RowError(1, _l("The file is empty.")))
        return []
    names = [h.strip().lower() for h in header]
    missing = [c for c in IMPORT_COLUMNS if c not in names]
    unknown = [h for h in names if h not in IMPORT_COLUMNS]
    if missing or unknown:
        result.errors.append(
            RowError(
                1,
                _l(
                    "The first line must name the columns %(columns)s.",
                    columns=",".join(IMPORT_COLUMNS),
                ),
            )
        )
        return []
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            result.errors.append(
                RowError(
                    line,
                    _l(
                        "Expected %(expected)s values, found %(found)s.",
                        expected=len(names),
                        found=len(values),
                    ),
                )
            )
            continue
        rows.append((line, {n: v.strip() for n, v in zip(names, values, strict=True)}))
        if len(rows) > IMPORT_MAX_ROWS:
            result.errors.append(
                RowError(line, _l("At most %(count)s rows per file.", count=IMPORT_MAX_ROWS))
            )
            return []
    return rows


def plan_import(text: str, actor: User | None = None) -> ImportResult:
    """Validate every row and work out what would change; writes nothing."""
    result = ImportResult()
    try:
        rows = _read_rows(text, result)
    except csv.Error as error:
        result.errors.append(RowError(0, _l("The file is not valid CSV: %(e)s", e=str(error))))
        return result
    known_regions = set(db.session.execute(select(Region.iso_code)).scalars())
    emails = [normalise_email(r["email"]) for _line, r in rows]
    existing = {
        u.email: u
        for u in db.session.execute(
            select(User).options(selectinload(User.regions)).where(User.email.in_(emails))
        ).scalars()
    }
    seen: dict[str, int] = {}
    for line, raw in rows:
        email = _check_email(raw["email"])
        role = raw["role"].lower()
        codes = _split_regions(raw["regions"])
        row_errors = []
        if email is None:
            row_errors.append(_l("“%(value)s” is not a valid email address.", value=raw["email"]))
        elif email in seen:
            row_errors.append(
                _l(
                    "The email %(email)s is already on line %(line)s.",
                    email=email,
                    line=seen[email],
                )
            )
        else:
            seen[email] = line
        if role not in ROLES:
            row_errors.append(
                _l(
                    "Unknown role “%(value)s” (use %(roles)s).",
                    value=raw["role"],
                    roles=", ".join(ROLES),
                )
            )
        unknown = [c for c in codes if c not in known_regions]
        if unknown:
            row_errors.append(_l("Unknown region code %(codes)s.", codes=", ".join(unknown)))
        if len(raw["name"]) > 120:
            row_errors.append(_l("The name is longer than 120 characters."))
        if row_errors:
            result.errors.extend(RowError(line, m) for m in row_errors)
            continue
        row = ImportRow(line, email, raw["name"], role, codes, existing.get(email))
        if row.existing is None:
            result.to_create.append(row)
            continue
        row.changes = _differences(row)
        if actor is not None and row.existing.id == actor.id and "role" in row.changes:
            result.errors.append(RowError(line, _l("This line would change your own role.")))
            continue
        (result.to_update if row.changes else result.unchanged).append(row)
    result.errors.sort(key=lambda e: e.line)
    return result


def _differences(row: ImportRow) -> list[str]:
    user = row.existing
    changes = []
    # An empty name in the file means "leave it": admins may not want names on record.
    if row.name and row.name != user.display_name:
        changes.append("name")
    if row.role != user.role:
        changes.append("role")
    if row.region_codes != sorted(r.iso_code for r in user.regions):
        changes.append("regions")
    return changes


def apply_import(result: ImportResult, actor: User, link_hours: int) -> ImportResult:
    """Write a clean plan: create the new accounts (with links), update the changed ones."""
    if result.errors:
        raise AccountError(_l("The file has errors; nothing was imported."))
    regions = {r.iso_code: r for r in all_regions()}
    for row in result.to_create:
        user, token = create_account(
            email=row.email,
            display_name=row.name,
            role=row.role,
            regions=[regions[c] for c in row.region_codes],
            locale=None,
            actor=actor,
            link_hours=link_hours,
        )
        result.created.append((user, token))
    for row in result.to_update:
        user = row.existing
        if "name" in row.changes:
            user.display_name = row.name
        if "role" in row.changes:
            change_role(user, row.role, actor)
        if "regions" in row.changes:
            set_regions(user, [regions[c] for c in row.region_codes], actor)
    log_security_event(
        "users_imported",
        actor_id=actor.id,
        details={
            "created": len(result.to_create),
            "updated": len(result.to_update),
            "unchanged": len(result.unchanged),
        },
    )
    result.applied = True
    return result


def import_users_csv(text: str, actor: User, link_hours: int) -> ImportResult:
    """Validate the whole file, then apply it only if every row is clean (caller commits)."""
    result = plan_import(text, actor)
    if result.ok and (result.to_create or result.to_update):
        apply_import(result, actor, link_hours)
    return result
