"""users views."""

from __future__ import annotations

from flask import Blueprint, render_template

from observer.auth.access import access

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.get("/")
@access("admin")
def index():
    return render_template("base.html")
