"""statements views."""

from __future__ import annotations

from flask import Blueprint, render_template

from observer.auth.access import access

bp = Blueprint("statements", __name__, url_prefix="/admin/statements")


@bp.get("/")
@access("staff")
def index():
    return render_template("base.html")
