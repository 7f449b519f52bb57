"""The OpenRosa server for ODK Collect and Tella: server URL `<site>/openrosa`.

Every endpoint authenticates with a device credential (HTTP Basic) and nothing else: a browser
session does not open it, and a device credential opens nothing outside it."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, current_app, g, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from observer.auth.access import access
from observer.catalog.queries import active_campaign
from observer.extensions import csrf, db, limiter
from observer.openrosa import credentials, protocol
from observer.openrosa.submission import SubmissionRefused, file_submission
from observer.openrosa.xform import build_form, form_id
from observer.reports import media
from observer.reports.service import Upload

bp = Blueprint("openrosa", __name__, url_prefix="/openrosa")
csrf.exempt(bp)

XML_PART = "xml_submission_file"
INCOMPLETE_PART = "*isIncomplete*"


def _credential_key() -> str:
    """Rate limits count per credential (the Basic-auth username), else per address."""
    auth = request.authorization
    if auth is not None and auth.username:
        return "device:" + auth.username[:40]
    return "address:" + (request.remote_addr or "")


def _rate_limit() -> str:
    return current_app.config["OPENROSA_RATE_LIMIT"]


def _reply(body: str, status: int, **extra: str) -> Response:
    return Response(body, status=status, mimetype="text/xml", headers=protocol.headers(**extra))


def _message(status: int, *messages, nature: str = "error") -> Response:
    return _reply(protocol.response_document([str(m) for m in messages], nature), status)


def _unauthorised() -> Response:
    response = _message(401, _("Unknown or revoked device credential."))
    response.headers["WWW-Authenticate"] = f'Basic realm="{protocol.REALM}", charset="UTF-8"'
    return response


def device_auth(view):
    """Authenticate the device credential; the view runs in its observer's language."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        auth = request.authorization
        credential = None
        if auth is not None and auth.type == "basic":
            credential = credentials.authenticate(auth.username, auth.password)
        if credential is None:
            db.session.rollback()
            return _unauthorised()
        g.device_credential = credential
        with force_locale(credential.user.locale or _accept_language()):
            return view(*args, **kwargs)

    return wrapper


def _accept_language() -> str:
    languages = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(languages) or "en"


def max_request_bytes() -> int:
    return int(current_app.config["MAX_REQUEST_MB"]) * 1024 * 1024


@bp.get("/formList")
@access("device")
@limiter.limit(_rate_limit, key_func=_credential_key)
@device_auth
def form_list():
    campaign = active_campaign()
    forms = []
    if campaign is not None:
        built = build_form(campaign)
        forms.append(
            {
                "formID": form_id(campaign),
                "name": campaign.name_in(credential_locale()),
                "version": built.version,
                "hash": "md5:" + built.md5,
                "downloadUrl": url_for(
                    "openrosa.form_download", form=form_id(campaign), _external=True
                ),
            }
        )
    return _reply(protocol.form_list(forms), 200)


def credential_locale() -> str:
    return g.device_credential.user.locale or _accept_language()


@bp.get("/forms/<form>")
@access("device")
@limiter.limit(_rate_limit, key_func=_credential_key)
@device_auth
def form_download(form: str):
    campaign = active_campaign()
    if campaign is None or form != form_id(campaign):
        return _message(404, _("There is no such form."))
    return _reply(build_form(campaign).xml, 200)


@bp.route("/submission", methods=["HEAD", "POST"])
@access("device")
@limiter.limit(_rate_limit, key_func=_credential_key, methods=["POST"])
@device_auth
def submission():
    limit = max_request_bytes()
    if request.method == "HEAD":
        return _reply(
            "",
            204,
            **{
                "X-OpenRosa-Accept-Content-Length": str(limit),
                "Location": url_for("openrosa.submission", _external=True),
            },
        )
    # Refused on its declared length before a byte of the body is read; a body without a
    # length is cut off by Werkzeug at the same limit.
    if request.content_length is not None and request.content_length > limit:
        return _too_large()
    request.max_content_length = limit
    try:
        xml_part = request.files.get(XML_PART)
        parts = request.files
    except RequestEntityTooLarge:
        return _too_large()
    if xml_part is None:
        return _message(400, _("The submission has no xml_submission_file part."))
    campaign = active_campaign()
    if campaign is None:
        return _message(400, _("No campaign is open for reports."))
    xml = xml_part.stream.read(limit + 1)
    attachments = {}
    for key, part in parts.items(multi=True):
        if key == XML_PART or not part.filename:
            continue
        attachments[part.filename] = Upload(
            name=part.filename,
            data=part.stream.read(media.largest_limit_bytes(current_app.config) + 1),
        )
    credential = g.device_credential
    try:
        filed = file_submission(
            credential,
            credential.user,
            campaign,
            xml,
            attachments,
            incomplete=INCOMPLETE_PART in request.form or INCOMPLETE_PART in parts,
        )
    except SubmissionRefused as refused:
        db.session.rollback()
        return _message(refused.status, *refused.messages)
    if filed.created:
        text = _(
            "Report %(reference)s was submitted. A coordinator will review it.",
            reference=filed.reference,
        )
    else:
        text = _("Report %(reference)s was already received.", reference=filed.reference)
    return _message(201, text, nature="submit_success")


def _too_large() -> Response:
    db.session.rollback()
    return _message(
        413,
        _(
            "What you sent is larger than the limit of %(limit)s MB.",
            limit=current_app.config["MAX_REQUEST_MB"],
        ),
    )
