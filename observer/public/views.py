"""Public site (no account needed): home with the published statements, a page and a PDF per
statement, an Atom feed, the language switch. Drafts do not exist here: they answer 404 to
everyone, signed in or not."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from observer.auth.access import access, safe_next
from observer.extensions import db
from observer.models import utcnow
from observer.statements import service
from observer.statements.labels import LABELS, LANGUAGE_SELF_NAMES, language_of

bp = Blueprint("public", __name__)

PDF_CACHE = "public, max-age=31536000, immutable"  # the bytes of a published PDF never change


@bp.context_processor
def statement_language_names():
    return {"statement_language_names": LANGUAGE_SELF_NAMES}


@bp.get("/")
@access("public")
def home():
    return render_template("public/home.html", statements=service.public_statements())


@bp.get("/statements/<slug>")
@access("public")
def statement(slug: str):
    found = service.public_statement(slug)
    if found is None:
        abort(404)
    return render_template(
        "public/statement.html",
        statement=found,
        stats=(found.snapshot or {}).get("statistics", {}),
        corrections=service.public_corrections(found),
        corrects=found.corrects if found.corrects_id else None,
        labels=LABELS[language_of(found.language)],
    )


@bp.get("/statements/<slug>.pdf")
@access("public")
def statement_pdf(slug: str):
    found = service.public_statement(slug)
    if found is None:
        abort(404)
    etag = found.pdf_sha256
    if request.if_none_match.contains_weak(etag):  # RFC 9110: weak comparison
        response = make_response("", 304)
    else:
        db.session.refresh(found, attribute_names=["pdf"])
        response = make_response(found.pdf)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f"attachment; filename={found.slug}.pdf"
    response.headers["ETag"] = f'"{etag}"'
    response.headers["Cache-Control"] = PDF_CACHE
    return response


@bp.get("/statements.atom")
@access("public")
def feed():
    statements = service.public_statements()
    stamps = [s.withdrawn_at or s.published_at for s in statements]
    body = render_template(
        "public/feed.xml",
        entries=list(zip(statements, stamps, strict=True)),
        updated=max(stamps) if stamps else utcnow(),
        mission=current_app.config["MISSION_NAME"],
        rfc3339=_rfc3339,
    )
    response = make_response(body)
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
