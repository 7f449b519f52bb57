"""audit views."""

from __future__ import annotations

from flask import Blueprint, render_template

from observer.auth.access import access

bp = Blueprint("audit", __name__, url_prefix="/admin/security-log")


@bp.get("/")
@access("admin")
def security_log():
    return render_template("base.html")
