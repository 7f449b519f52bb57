"""reports views."""

from __future__ import annotations

from flask import Blueprint, render_template

from observer.auth.access import access

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/")
@access("signed_in")
def mine():
    return render_template("base.html")


@bp.get("/new")
@access("signed_in")
def new():
    return render_template("base.html")
