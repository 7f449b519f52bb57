"""What administrators do to accounts, and the CSV import. Each function records its security
event; the caller commits."""

from __future__ import annotations

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
)
from observer.auth.sessions import end_all_sessions
from observer.extensions import db
from observer.imports import Column, RecordKind, UnreadableFile, plan_rows, read_table
from observer.models import ROLES, Region, User
from observer.models.user import new_session_token

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
    column: str | None = None


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


def _parse_email(text: str):
    try:
        return validate_email(text, check_deliverability=False).normalized.lower(), None
    except EmailNotValidError:
        return None, _l("“%(value)s” is not a valid email address.", value=text)


@dataclass(frozen=True)
class _Account:
    """What the file is compared with: an account as the import sees it."""

    user: User
    display_name: str
    role: str
    region_codes: tuple[str, ...]


def users_kind(known_regions: set[str]) -> RecordKind:
    """The import's columns for the engine (observer/imports). Writing stays here (apply_import):
    new accounts get set-password links and every change its security event."""

    def regions(text: str):
        codes = tuple(sorted({p.strip().upper() for p in text.replace(",", ";").split(";")} - {""}))
        unknown = [c for c in codes if c not in known_regions]
        if unknown:
            return None, _l("Unknown region code %(codes)s.", codes=", ".join(unknown))
        return codes, None

    def find(keys):
        emails = [key[0] for key in keys]
        users = db.session.execute(
            select(User).options(selectinload(User.regions)).where(User.email.in_(emails))
        ).scalars()
        return {
            (u.email,): _Account(
                u, u.display_name, u.role, tuple(sorted(r.iso_code for r in u.regions))
            )
            for u in users
        }

    def attributes(values):
        wanted = {"role": values["role"], "region_codes": values["regions"] or ()}
        if values["name"]:  # an empty name in the file means "leave it"
            wanted["display_name"] = values["name"]
        return wanted

    return RecordKind(
        name="users",
        columns=[
            Column("email", required=True, max_length=320, parse=_parse_email),
            Column("name", max_length=120),
            Column("role", type="code", required=True, codes=ROLES),
            Column("regions", max_length=None, parse=regions),
        ],
        key=["email"],
        find=find,
        attributes=attributes,
        create=lambda attributes: None,  # never applied through the engine: see apply_import
    )


CHANGE_NAMES = {"display_name": "name", "role": "role", "region_codes": "regions"}


def plan_import(text: str, actor: User | None = None) -> ImportResult:
    """Validate every row and work out what would change; writes nothing."""
    result = ImportResult()
    try:
        table = read_table(text.encode("utf-8"), "users.csv")
    except UnreadableFile as error:
        result.errors.append(RowError(1, error.message))
        return result
    if len(table.rows) > IMPORT_MAX_ROWS:
        result.errors.append(
            RowError(1, _l("At most %(count)s rows per file.", count=IMPORT_MAX_ROWS))
        )
        return result
    known_regions = set(db.session.execute(select(Region.iso_code)).scalars())
    plan = plan_rows(users_kind(known_regions), table.columns, table.rows)
    for problem in plan.problems:
        result.errors.append(RowError(problem.row or 1, problem.message, problem.column))
    for planned in plan.rows:
        values = planned.values
        account = planned.record
        row = ImportRow(
            planned.row,
            values["email"],
            values["name"] or "",
            values["role"],
            list(values["regions"] or ()),
            account.user if account else None,
        )
        if account is None:
            result.to_create.append(row)
            continue
        row.changes = [
            CHANGE_NAMES[name]
            for name in ("display_name", "role", "region_codes")
            if name in planned.changes
        ]
        if actor is not None and account.user.id == actor.id and "role" in row.changes:
            result.errors.append(
                RowError(planned.row, _l("This line would change your own role."), "role")
            )
            continue
        (result.to_update if row.changes else result.unchanged).append(row)
    if result.errors:
        result.to_create, result.to_update, result.unchanged = [], [], []
    result.errors.sort(key=lambda e: e.line)
    return result


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
