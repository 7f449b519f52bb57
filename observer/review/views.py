"""Coordinators' review: the queue, the review page, decisions and comments."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from observer.auth.access import access
from observer.labels import LABELS, QUEUE_STATUSES
from observer.review import service
from observer.review.duplicates import likely_duplicates
from observer.review.forms import (
    DECISION_FORMS,
    CommentForm,
    QueueFilterForm,
    fill_queue_choices,
    queue_query,
)
from observer.review.queue import InvalidCursor, counts_by_status, fetch_page
from observer.safekeeping import kept_forms
from observer.templating import current_language

bp = Blueprint("review", __name__, url_prefix="/review")

DONE_MESSAGES = {
    "verify": _l("Report %(reference)s is verified."),
    "reject": _l("Report %(reference)s is rejected."),
    "needs_info": _l("Your question was sent to the observer of %(reference)s."),
    "duplicate": _l("Report %(reference)s is marked as a duplicate."),
    "reopen": _l("Report %(reference)s is reopened."),
}


@bp.get("/")
@access("staff")
def queue():
    form = QueueFilterForm(formdata=request.args)
    fill_queue_choices(form, current_user, current_language())
    context = {"form": form, "labels": LABELS, "statuses": QUEUE_STATUSES}
    if not form.validate():
        return render_template("review/queue.html", page=None, counts={}, **context), 400
    query = queue_query(form, current_user)
    try:
        page = fetch_page(query, request.args.get("after") or None)
    except InvalidCursor:
        flash(_("This page link is no longer valid. Showing the first page."), "error")
        return render_template("review/queue.html", page=None, counts={}, **context), 400
    args = request.args.to_dict(flat=False)
    args.pop("after", None)
    next_url = url_for(".queue", **args, after=page.next_cursor) if page.next_cursor else None
    first_url = url_for(".queue", **args) if request.args.get("after") else None
    status_urls = {
        status: url_for(".queue", **{**args, "status": [status]}) for status in QUEUE_STATUSES
    }
    return render_template(
        "review/queue.html",
        page=page,
        counts=counts_by_status(query),
        next_url=next_url,
        first_url=first_url,
        status_urls=status_urls,
        **context,
    )


def _load_or_404(report_id: int):
    try:
        return service.load_for_review(report_id, current_user)
    except service.ReportNotFound:
        abort(404)


def _render_review(report, *, status=200, bound=None, conflict=False):
    """The review page; `bound` is (action, form) to show again with what the user typed."""
    forms = {}
    for name in service.decisions_for(report, current_user):
        form = DECISION_FORMS[name](prefix=name, formdata=None)
        form.version.data = str(report.version)
        forms[name] = form
    if bound is not None and bound[0] in forms:
        action, form = bound
        # The user has now seen the current state: their text stays, the version moves on.
        form.version.data = str(report.version)
        forms[action] = form
    comment_form = bound[1] if bound is not None and bound[0] == "comment" else None
    views = current_app.view_functions
    return (
        render_template(
            "review/detail.html",
            report=report,
            forms=forms,
            comment_form=comment_form or CommentForm(prefix="comment", formdata=None),
            events=service.history(report.id),
            suggestions=likely_duplicates(report, current_user),
            conflict=service.last_status_change(report.id) if conflict else None,
            is_conflict=conflict,
            is_author=report.is_author(current_user),
            labels=LABELS,
            can_preview="reports.attachment_preview" in views,
            can_download="reports.attachment" in views,
        ),
        status,
    )


@bp.get("/<int:report_id>")
@access("staff")
def detail(report_id: int):
    report = _load_or_404(report_id)
    return _render_review(report, bound=kept_forms.review_form(DECISION_FORMS, CommentForm))


@bp.post("/<int:report_id>/decide/<action>")
@access("staff")
def decide(report_id: int, action: str):
    report = _load_or_404(report_id)
    form_class = DECISION_FORMS.get(action)
    if form_class is None:
        flash(_("Unknown action."), "error")
        return _render_review(report, status=400)
    form = form_class(prefix=action)
    if not form.validate():
        if form.version.errors:
            flash(_("This form is incomplete. Reload the page and try again."), "error")
        return _render_review(report, status=400, bound=(action, form))
    try:
        service.decide(
            report_id, current_user, action, version=form.version_seen, **form.decision_data()
        )
    except service.ReportNotFound:
        abort(404)
    except service.ConflictError as conflict:
        flash(
            _(
                "Someone else changed this report while you were reading it. Nothing you sent was "
                "saved: check its current state below."
            ),
            "warning",
        )
        return _render_review(conflict.report, status=409, bound=(action, form), conflict=True)
    except service.UnknownOriginal as error:
        form.duplicate_of.errors = [str(error)]
        return _render_review(_load_or_404(report_id), status=400, bound=(action, form))
    except service.TransitionError as error:
        flash(str(error), "error")
        return _render_review(_load_or_404(report_id), status=400, bound=(action, form))
    flash(DONE_MESSAGES[action] % {"reference": report.reference}, "success")
    return redirect(url_for(".detail", report_id=report_id))


@bp.post("/<int:report_id>/comment")
@access("staff")
def comment(report_id: int):
    report = _load_or_404(report_id)
    form = CommentForm(prefix="comment")
    if not form.validate():
        return _render_review(report, status=400, bound=("comment", form))
    try:
        service.comment(report_id, current_user, form.note.data)
    except service.ReportNotFound:
        abort(404)
    except service.TransitionError as error:
        flash(str(error), "error")
        return _render_review(_load_or_404(report_id), status=400, bound=("comment", form))
    flash(_("Your comment was added."), "success")
    return redirect(url_for(".detail", report_id=report_id) + "#history")
