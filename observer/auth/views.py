"""Sign-in, two-factor, sign-out, account. (Filled in below.)"""

from __future__ import annotations

from flask import Blueprint, render_template

from observer.auth.access import access

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@access("public")
def login():
    return render_template("base.html")


@bp.post("/logout")
@access("public")
def logout():
    return render_template("base.html")


@bp.get("/account")
@access("signed_in")
def account():
    return render_template("base.html")


@bp.route("/account/two-factor", methods=["GET", "POST"])
@access("signed_in")
def two_factor_setup():
    return render_template("base.html")
