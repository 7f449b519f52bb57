"""Observer pages: file a report, list one's reports, read, edit, resubmit; evidence downloads."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import send_file as flask_send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from observer import confirm
from observer.audit.service import log_security_event
from observer.auth.access import access
from observer.catalog.queries import active_campaign
from observer.extensions import db
from observer.models import Report, Status
from observer.reports import permissions, queries, service, storage
from observer.reports.forms import (
    SCOPE_LABELS,
    SEVERITY_LABELS,
    SOURCE_TYPE_LABELS,
    STATUS_LABELS,
    ReportForm,
)
from observer.review.workflow import ConflictError, TransitionError
from observer.safekeeping import kept_forms
from observer.safekeeping.guard import FormGuard
from observer.templating import current_language

bp = Blueprint("reports", __name__, url_prefix="/reports")

PAGE_SIZE = 20
INVALID = 422


def _visible_report(report_id: int, check=permissions.can_view) -> Report:
    """The report if this user may see (or edit) it; otherwise a 404 indistinguishable from a
    report that does not exist."""
    report = queries.report_for_page(report_id)
    if not check(current_user, report):
        abort(404)
    return report


def _visible_attachment(report_id: int, attachment_id: int, check):
    attachment = storage.find_attachment(report_id, attachment_id)
    if not check(current_user, attachment):
        abort(404)
    return attachment


# --- list ---------------------------------------------------------------------------------


@bp.get("/")
@access("signed_in")
def mine():
    status = request.args.get("status")
    status = status if status in Status.ALL else None
    before = request.args.get("before", type=int)
    before = before if service.valid_id(before) else None
    reports, more = queries.reports_of(
        current_user.id, status=status, before_id=before, limit=PAGE_SIZE
    )
    next_url = (
        url_for("reports.mine", status=status, before=reports[-1].id) if more and reports else None
    )
    return render_template(
        "reports/mine.html",
        reports=reports,
        status=status,
        statuses=Status.ALL,
        awaiting_reports=queries.awaiting_answer(current_user.id),
        next_url=next_url,
    )


# --- filing and editing -------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@access("signed_in")
def new():
    campaign = active_campaign()
    if campaign is None:
        return render_template("reports/no_campaign.html")
    kept_fields = kept_forms.formdata("reports.new")  # back after an idle sign-out
    form = ReportForm.for_campaign(
        campaign, current_language(), **({"formdata": kept_fields} if kept_fields else {})
    )
    guard = _guard("report:new", form)
    if request.method == "POST":
        if (answer := guard.answer_again()) is not None:
            return answer
        uploads, kept = service.uploads_from(form.evidence.data), _kept_evidence()
        if form.narrow.data:
            return _second_step(form, None, campaign, uploads, kept)
        if not guard.refused and form.validate_report(campaign):
            try:
                saved = service.save_report(
                    current_user,
                    form.to_data(),
                    uploads,
                    submit=bool(form.submit_report.data),
                    campaign=campaign,
                    kept=kept,
                    before_commit=guard.claim,
                )
            except service.ReportInvalid as invalid:
                form.add_errors(invalid.errors)
            except IntegrityError:  # the same form's other post won the race: show its report
                if (answer := guard.answer_again()) is None:
                    raise
                return answer
            else:
                return _after_save(saved)
        kept = _keep_for_correction(form, uploads, kept)
        return _render_form(form, None, campaign, kept=kept), INVALID
    if not kept_fields:
        form.occurred_on.data = service.default_incident_date(campaign)
    return _render_form(form, None, campaign, kept=_kept_evidence(kept_fields))


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
@access("signed_in")
def edit(report_id: int):
    report = _visible_report(
        report_id, lambda user, found: found is not None and found.is_author(user)
    )
    campaign = report.campaign
    kept_fields = kept_forms.formdata("reports.edit")  # back after an idle sign-out
    form = ReportForm.for_campaign(
        campaign,
        current_language(),
        report=report,
        **({} if request.method == "POST" else {"formdata": kept_fields}),
    )
    if not permissions.can_edit(current_user, report):
        # Typically a coordinator acted while the observer was typing: keep the text on screen.
        flash(
            _(
                "This report can no longer be edited: it is now “%(status)s”. What you typed is "
                "shown below so that you can copy it.",
                status=STATUS_LABELS[report.status],
            ),
            "warning",
        )
        if request.method == "GET":
            return redirect(url_for("reports.detail", report_id=report.id))
        return _render_form(form, report, campaign, locked=True), 409
    guard = _guard(f"report:edit:{report.id}", form)
    if request.method == "POST":
        if (answer := guard.answer_again()) is not None:
            return answer
        uploads, kept = service.uploads_from(form.evidence.data), _kept_evidence()
        if form.narrow.data:
            return _second_step(form, report, campaign, uploads, kept)
        if not guard.refused and form.validate_report(campaign):
            try:
                saved = service.save_report(
                    current_user,
                    form.to_data(),
                    uploads,
                    report=report,
                    submit=bool(form.submit_report.data),
                    answer=form.answer.data if "answer" in form else None,
                    expected_version=_int_or_none(form.version.data),
                    kept=kept,
                    before_commit=guard.claim,
                )
            except service.ReportInvalid as invalid:
                form.add_errors(invalid.errors)
            except IntegrityError:
                if (answer := guard.answer_again()) is None:
                    raise
                return answer
            except (ConflictError, TransitionError):
                db.session.rollback()
                flash(
                    _(
                        "This report was changed elsewhere while you were editing it (for "
                        "example, a coordinator acted on it). Your text is still below: check "
                        "the report's current state and send it again."
                    ),
                    "warning",
                )
                form.version.data = str(db.session.get(Report, report_id).version)
            else:
                return _after_save(saved)
        kept = _keep_for_correction(form, uploads, kept)
        return _render_form(form, report, campaign, kept=kept), INVALID
    return _render_form(form, report, campaign, kept=_kept_evidence(kept_fields))


def _guard(form_key: str, form: ReportForm) -> FormGuard:
    """One press, one report: the form's one-time token (observer/safekeeping/)."""
    return FormGuard(
        form_key, form.once, lambda report: url_for("reports.detail", report_id=report.id)
    )


def _second_step(form: ReportForm, report, campaign, uploads, kept):
    """Without JavaScript, "Show the criteria and districts" comes back here: the same form,
    nothing saved and no errors shown, with the lists narrowed and any chosen files kept."""
    form.narrow_choices()
    kept, messages = service.keep_sent_evidence(current_user, uploads, kept)
    form.evidence.errors = list(messages)
    return _render_form(form, report, campaign, kept=kept)


def _kept_evidence(fields=None):
    """Files this observer sent with an earlier attempt of this form (never another user's)."""
    tokens = (request.form if fields is None else fields).getlist("kept_evidence")
    return storage.kept_evidence(current_user.id, tokens, service.MAX_FILES_PER_REPORT)


def _keep_for_correction(form: ReportForm, uploads, kept):
    """The form comes back with a problem: keep the files sent with it, so the observer
    corrects the fields and sends it again without choosing the files again."""
    kept, messages = service.keep_sent_evidence(current_user, uploads, kept)
    if messages and not form.evidence.errors:
        form.evidence.errors = list(form.evidence.errors) + messages
    return kept


def _after_save(saved: service.SavedReport):
    if saved.status == Status.SUBMITTED:
        flash(
            _(
                "Report %(reference)s was submitted. A coordinator will review it.",
                reference=saved.reference,
            ),
            "success",
        )
    else:
        flash(_("Your report was saved. It is not submitted yet."), "success")
    return redirect(url_for("reports.detail", report_id=saved.id))


def _render_form(
    form: ReportForm,
    report: Report | None,
    campaign,
    too_large: bool = False,
    locked: bool = False,
    kept=(),
):
    config = current_app.config
    return render_template(
        "reports/form.html",
        form=form,
        report=report,
        campaign=campaign,
        kept=kept,
        severity_labels=SEVERITY_LABELS,
        max_file_mb=config["MAX_FILE_MB"],
        max_video_mb=config["MAX_VIDEO_MB"],
        max_audio_mb=config["MAX_AUDIO_MB"],
        max_request_mb=config["MAX_REQUEST_MB"],
        max_files=service.MAX_FILES_PER_REPORT,
        too_large=too_large,
        locked=locked,
        question=queries.latest_question(report.id) if report is not None else None,
    )


@bp.errorhandler(RequestEntityTooLarge)
def request_too_large(error):
    """The whole upload exceeded MAX_REQUEST_MB. Werkzeug refuses to parse such a request, so the
    typed text cannot be recovered here: show the form again with a clear explanation (the
    browser's Back button still holds the text)."""
    db.session.rollback()
    campaign = active_campaign()
    report = None
    if request.endpoint == "reports.edit":
        report_id = (request.view_args or {}).get("report_id")
        report = queries.report_for_page(report_id) if report_id else None
        if not permissions.can_edit(current_user, report):
            return render_template(
                "errors/error.html",
                code=413,
                title=_("Too large"),
                message=_("What you sent is larger than the limit."),
            ), 413
        campaign = report.campaign
    if request.endpoint not in ("reports.new", "reports.edit") or campaign is None:
        return render_template(
            "errors/error.html",
            code=413,
            title=_("Too large"),
            message=_("What you sent is larger than the limit."),
        ), 413
    form = ReportForm.for_campaign(campaign, current_language(), report=report, formdata=None)
    return _render_form(form, report, campaign, too_large=True), 413


# --- reading ------------------------------------------------------------------------------


@bp.get("/<int:report_id>")
@access("signed_in")
def detail(report_id: int):
    report = _visible_report(report_id)
    return render_template(
        "reports/detail.html",
        report=report,
        history=queries.history_of(report.id),
        actor_label=lambda event: _actor_label(event, report),
        can_edit=permissions.can_edit(current_user, report),
        can_delete=permissions.can_delete(current_user, report),
        is_author=report.is_author(current_user),
        source_type_labels=SOURCE_TYPE_LABELS,
        severity_labels=SEVERITY_LABELS,
        scope_labels=SCOPE_LABELS,
    )


def _actor_label(event, report: Report) -> str:
    """Observers never learn coordinators' names (nor coordinators each other's here)."""
    if event.actor_id == current_user.id:
        return _("You")
    if event.actor_id == report.author_id:
        return _("Observer")
    return _("Coordinator")


@bp.post("/<int:report_id>/delete")
@access("signed_in")
def delete(report_id: int):
    report = _visible_report(report_id, permissions.can_delete)
    if not confirm.is_confirmed():
        return confirm.ask(
            _("Delete this draft and its files for good?"),
            _("Delete draft"),
            url_for("reports.detail", report_id=report.id),
            report.title,
        )
    service.delete_draft(current_user, report)
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("reports.mine"))


# --- evidence -----------------------------------------------------------------------------


@bp.post("/<int:report_id>/evidence/<int:attachment_id>/remove")
@access("signed_in")
def remove_attachment(report_id: int, attachment_id: int):
    report = _visible_report(report_id, permissions.can_edit)
    attachment = storage.find_attachment(report.id, attachment_id)
    if attachment is None:
        abort(404)
    name = attachment.original_name
    if not confirm.is_confirmed():
        return confirm.ask(
            _("Remove %(name)s from the report?", name=name),
            _("Remove"),
            url_for("reports.edit", report_id=report.id),
        )
    service.remove_attachment(current_user, report, attachment)
    flash(_("%(name)s was removed from the report.", name=name), "success")
    return redirect(url_for("reports.edit", report_id=report.id))


@bp.get("/<int:report_id>/evidence/<int:attachment_id>")
@access("signed_in")
def attachment(report_id: int, attachment_id: int):
    found = _visible_attachment(report_id, attachment_id, permissions.can_download)
    _log_staff_access(found, "evidence_downloaded")
    return _send(found, as_attachment=True)


@bp.get("/<int:report_id>/evidence/<int:attachment_id>/preview")
@access("staff")
def attachment_preview(report_id: int, attachment_id: int):
    """Images shown inline, videos and recordings played, on coordinators' review pages."""
    found = _visible_attachment(report_id, attachment_id, permissions.can_preview)
    _log_staff_access(found, "evidence_previewed")
    return _send(found, as_attachment=False)


@bp.get("/<int:report_id>/evidence/<int:attachment_id>/poster")
@access("staff")
def attachment_poster(report_id: int, attachment_id: int):
    """A video's still frame, shown on coordinators' review pages before it plays."""
    found = _visible_attachment(report_id, attachment_id, permissions.can_preview)
    poster = storage.read_poster(found) if found.is_video else None
    if poster is None:
        abort(404)
    response = flask_send_file(BytesIO(poster), mimetype="image/jpeg", max_age=0, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _log_staff_access(attachment, event: str) -> None:
    if attachment.report.is_author(current_user):
        return
    log_security_event(
        event,
        actor_id=current_user.id,
        details={
            "report_id": attachment.report_id,
            "reference": attachment.report.reference,
            "attachment_id": attachment.id,
            "sha256": attachment.sha256,
        },
    )
    db.session.commit()


def _send(attachment, *, as_attachment: bool):
    response = flask_send_file(
        BytesIO(storage.read_bytes(attachment)),
        mimetype=attachment.media_type,
        as_attachment=as_attachment,
        download_name=attachment.original_name,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
