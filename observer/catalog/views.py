"""catalog views."""

from __future__ import annotations

from flask import Blueprint, render_template

from observer.auth.access import access

bp = Blueprint("catalog", __name__, url_prefix="/admin/catalog")


@bp.get("/")
@access("admin")
def index():
    return render_template("base.html")
