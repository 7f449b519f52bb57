"""Public site: home, language switch. (Statements pages are added by the statements feature.)"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from observer.auth.access import access, safe_next
from observer.extensions import db

bp = Blueprint("public", __name__)


@bp.get("/")
@access("public")
def home():
    return render_template("public/home.html")


@bp.post("/language")
@access("public")
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("public.home")))
