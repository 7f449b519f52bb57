"""The security log in words: each recorded event code and detail key as a phrase in the
reader's language. Codes stay in the database (stable, searchable); pages show these."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

EVENT_LABELS = {
    "login_succeeded": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_refused_locked": _l("Sign-in refused: account locked"),
    "lockout": _l("Account locked after repeated failures"),
    "logout": _l("Signed out"),
    "two_factor_failed": _l("Wrong two-factor code"),
    "two_factor_enrolled": _l("Two-factor sign-in set up"),
    "two_factor_disabled": _l("Two-factor sign-in turned off"),
    "two_factor_reset": _l("Two-factor sign-in reset by an admin"),
    "reauthenticated": _l("Password and code confirmed again"),
    "reauth_failed": _l("Failed confirmation of password and code"),
    "password_changed": _l("Password changed"),
    "password_set_from_link": _l("Password set from a one-time link"),
    "set_password_link_issued": _l("One-time set-password link issued"),
    "user_created": _l("Account created"),
    "users_imported": _l("Accounts imported"),
    "user_deactivated": _l("Account deactivated"),
    "user_reactivated": _l("Account reactivated"),
    "role_changed": _l("Role changed"),
    "regions_changed": _l("Regions changed"),
    "export": _l("Data exported"),
    "evidence_downloaded": _l("Evidence downloaded"),
    "evidence_previewed": _l("Evidence viewed"),
    "statement_published": _l("Statement published"),
    "statement_withdrawn": _l("Statement withdrawn"),
    "catalog.criterion_created": _l("Criterion added"),
    "catalog.criterion_updated": _l("Criterion changed"),
    "catalog.criterion_deactivated": _l("Criterion deactivated"),
    "catalog.criterion_reactivated": _l("Criterion reactivated"),
    "catalog.stage_created": _l("Stage added"),
    "catalog.stage_updated": _l("Stage changed"),
    "catalog.stage_deactivated": _l("Stage deactivated"),
    "catalog.stage_reactivated": _l("Stage reactivated"),
}

DETAIL_LABELS = {
    "email": _l("email"),
    "minutes": _l("minutes"),
    "hours": _l("hours"),
    "role": _l("role"),
    "from": _l("from"),
    "to": _l("to"),
    "what": _l("what"),
    "format": _l("format"),
    "rows": _l("rows"),
    "filters": _l("filters"),
    "reference": _l("report"),
    "report_id": _l("report id"),
    "attachment_id": _l("file id"),
    "sha256": _l("SHA-256"),
    "statement_id": _l("statement id"),
    "slug": _l("statement"),
    "reason": _l("reason"),
    "code": _l("code"),
    "campaign": _l("campaign"),
    "created": _l("created"),
    "updated": _l("updated"),
}


def event_label(code: str) -> str:
    """The phrase for an event code; an unknown code is shown as it is."""
    label = EVENT_LABELS.get(code)
    return str(label) if label is not None else code


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")
