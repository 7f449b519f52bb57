"""Access rules: every view declares one with @access(...); a before_request guard enforces it,
and a view without a rule is refused (deny by default). The access-matrix test reads the same
rules, so a new route without a declared rule fails the suite.

Rules:
  public     anyone, signed in or not
  signed_in  any signed-in user (object-level checks in the view/service narrow it further)
  staff      coordinators and admins
  admin      admins only
  device     OpenRosa endpoints: no session role opens or closes them; the view itself demands
             a device credential (HTTP Basic), which in turn opens nothing else
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user

RULES = ("public", "signed_in", "staff", "admin", "device")
ROLES_FOR_RULE = {
    "public": ("anonymous", "observer", "coordinator", "admin"),
    "signed_in": ("observer", "coordinator", "admin"),
    "staff": ("coordinator", "admin"),
    "admin": ("admin",),
    "device": ("anonymous", "observer", "coordinator", "admin"),
}
# Staff who have not enrolled in two-factor may reach only these endpoints.
ENROLMENT_ENDPOINTS = {"auth.two_factor_setup", "auth.logout", "static", "public.set_language"}


def access(rule: str) -> Callable:
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}")

    def mark(view: Callable) -> Callable:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return mark


def rule_for_endpoint(app, endpoint: str) -> str | None:
    if endpoint == "static":
        return "public"
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def current_role() -> str:
    return current_user.role if current_user.is_authenticated else "anonymous"


def enforce_access():
    """before_request: refuse what the endpoint's rule does not allow."""
    if request.endpoint is None:  # 404/405 are answered by routing itself
        return None
    rule = rule_for_endpoint(current_app, request.endpoint)
    if rule is None:
        current_app.logger.error("endpoint %s declares no access rule", request.endpoint)
        return refused_by_rule()
    role = current_role()
    if role not in ROLES_FOR_RULE[rule]:
        if role == "anonymous":
            return redirect(url_for("auth.login", next=local_path_of_request()))
        return refused_by_rule()
    if (
        current_user.is_authenticated
        and current_user.needs_two_factor
        and not current_user.totp_enabled
        and request.endpoint not in ENROLMENT_ENDPOINTS
    ):
        return redirect(url_for("auth.two_factor_setup"))
    return None


def refused_by_rule():
    """A 403 marked as the guard's own, so the access-matrix test can tell it from a view's
    object-level refusal."""
    from observer.errors import render_error

    body, status = render_error(403)
    return body, status, {DENIED_HEADER: "rule"}


DENIED_HEADER = "X-Observer-Access"


def local_path_of_request() -> str:
    path = request.full_path if request.query_string else request.path
    return path


def safe_next(target: str | None, fallback: str) -> str:
    """Only a local path may be a redirect target: no scheme, no host, no '//' or backslash."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) < 32 for ch in target)
    ):
        return fallback
    return target


def is_recently_reauthenticated(max_age_seconds: int) -> bool:
    from time import time

    stamp = session.get("reauth_at")
    return stamp is not None and time() - float(stamp) <= max_age_seconds
