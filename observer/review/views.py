"""review views."""

from __future__ import annotations

from flask import Blueprint, render_template

from observer.auth.access import access

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.get("/")
@access("staff")
def queue():
    return render_template("base.html")
