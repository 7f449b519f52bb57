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
from observer.statements import keys, service, signing
from observer.statements.forms import CheckSignatureForm
from observer.statements.labels import LABELS, LANGUAGE_SELF_NAMES, language_of

bp = Blueprint("public", __name__)

PDF_CACHE = "public, max-age=31536000, immutable"  # the bytes of a published PDF never change


# Files published beside a statement's PDF, by the name in their address.
PUBLIC_FILES = {
    service.FIGURES_JSON,
    service.FIGURES_CSV,
    service.PDF_FILE + service.SIGNATURE,
    service.FIGURES_JSON + service.SIGNATURE,
    service.FIGURES_CSV + service.SIGNATURE,
    service.WITHDRAWAL,
    service.WITHDRAWAL + service.SIGNATURE,
}


@bp.context_processor
def statement_language_names():
    return {"statement_language_names": LANGUAGE_SELF_NAMES, "signing_key": keys.public_key}


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
        figures=(found.snapshot or {}).get("figures", {}),
        files={f.name: f for f in found.files},
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


@bp.get("/statements/<slug>/<name>")
@access("public")
def statement_file(slug: str, name: str):
    """Open data and detached signatures, stored at publication (their bytes never change)."""
    found = service.public_statement(slug)
    if found is None or name not in PUBLIC_FILES:
        abort(404)
    stored = service.statement_file(found, name)
    if stored is None:
        abort(404)
    if request.if_none_match.contains_weak(stored.sha256):
        response = make_response("", 304)
    else:
        response = make_response(stored.data)
        charset = (
            "; charset=utf-8" if stored.media_type.startswith(("text/", "application/json")) else ""
        )
        response.headers["Content-Type"] = stored.media_type + charset
        response.headers["Content-Disposition"] = f"attachment; filename={found.slug}-{name}"
    response.headers["ETag"] = f'"{stored.sha256}"'
    response.headers["Cache-Control"] = PDF_CACHE
    return response


@bp.route("/signing-key", methods=["GET", "POST"])
@access("public")
def signing_key_page():
    """The key, how to check a file with minisign, and a form that checks one here."""
    form = CheckSignatureForm()
    result, status = None, 200
    if form.validate_on_submit():
        data = request.files.get(form.file.name)
        signature = request.files.get(form.signature.name)
        try:
            result = keys.check_signature(
                data.read() if data else b"", signature.read() if signature else b""
            )
        except signing.SignatureError as error:
            form.signature.errors = [str(error)]
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template(
        "public/signing_key.html", key=keys.active_key(), form=form, result=result
    ), status


@bp.get("/mission-signing-key.pub")
@access("public")
def signing_key_file():
    row = keys.active_key()
    if row is None:
        abort(404)
    response = make_response(row.public_key)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=mission-signing-key.pub"
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
