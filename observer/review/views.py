"""Coordinators' review: the triage queue, the review page, decisions (each taking the
coordinator on to the next report of the same queue), holds and bulk actions."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from observer.auth.access import access
from observer.labels import LABELS, QUEUE_STATUSES
from observer.review import bulk, service
from observer.review.duplicates import likely_duplicates
from observer.review.forms import (
    DECISION_FORMS,
    BulkForm,
    CommentForm,
    QueueFilterForm,
    fill_queue_choices,
    queue_args,
    queue_query,
    triage_query,
)
from observer.review.queue import (
    FIRST,
    InvalidCursor,
    counts_by_status,
    matching_count,
    open_page,
    read_position,
)
from observer.review.triage import queue_rows
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
BULK_DONE = {
    "take": _l("You now hold %(references)s."),
    "release": _l("Your hold on %(references)s is released."),
    "reject": _l("Rejected: %(references)s."),
    "duplicate": _l("Marked as duplicates: %(references)s."),
}


def _queue_url(**extra):
    return url_for(".queue", **{**queue_args(request.args), **extra})


@bp.get("/")
@access("staff")
def queue():
    return _render_queue()


def _render_queue(*, status=200, bulk_form=None):
    form = QueueFilterForm(formdata=request.args)
    fill_queue_choices(form, current_user, current_language())
    context = {"form": form, "labels": LABELS, "statuses": QUEUE_STATUSES}
    if not form.validate():
        return render_template("review/queue.html", page=None, counts={}, **context), 400
    query = queue_query(form, current_user)
    try:
        position = read_position(request.args, query.sort)
    except InvalidCursor:
        flash(_("This page link is no longer valid. Showing the first page."), "error")
        position, status = FIRST, 400
    counts = counts_by_status(query)
    matching = matching_count(query, counts)
    page = open_page(query, position, matching)
    args = queue_args(request.args)
    return (
        render_template(
            "review/queue.html",
            page=page,
            rows=queue_rows(page.reports, current_user),
            counts=counts,
            matching=matching,
            current_statuses=query.report_filter.statuses,
            page_urls={
                name: url_for(".queue", **args, **params) for name, params in page.links().items()
            },
            status_urls={s: url_for(".queue", **{**args, "status": [s]}) for s in QUEUE_STATUSES},
            queue_args=args,
            bulk_form=bulk_form or BulkForm(formdata=None),
            **context,
        ),
        status,
    )


def _load_or_404(report_id: int):
    try:
        return service.load_for_review(report_id, current_user)
    except service.ReportNotFound:
        abort(404)


def _render_review(report, *, status=200, bound=None, conflict=False, held=None):
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
            held=held,
            queue_args=queue_args(request.args),
            labels=LABELS,
            can_preview="reports.attachment_preview" in views,
            can_download="reports.attachment" in views,
        ),
        status,
    )


@bp.get("/<int:report_id>")
@access("staff")
def detail(report_id: int):
    try:
        report, held = service.open_for_review(report_id, current_user)
    except service.ReportNotFound:
        abort(404)
    return _render_review(
        report, held=held, bound=kept_forms.review_form(DECISION_FORMS, CommentForm)
    )


@bp.post("/<int:report_id>/decide/<action>")
@access("staff")
def decide(report_id: int, action: str):
    form_class = DECISION_FORMS.get(action)
    if form_class is None:
        flash(_("Unknown action."), "error")
        return _render_review(_load_or_404(report_id), status=400)
    form = form_class(prefix=action)
    if not form.validate():
        if form.version.errors:
            flash(_("This form is incomplete. Reload the page and try again."), "error")
        return _render_review(_load_or_404(report_id), status=400, bound=(action, form))
    try:
        decided = service.decide_report(
            report_id,
            current_user,
            action,
            version=form.version_seen,
            # Decide and take the next report of the same queue in one transaction.
            then_take_next_of=None
            if action == "reopen"
            else triage_query(request.args, current_user),
            **form.decision_data(),
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
    except service.HeldElsewhere as error:
        flash(str(error), "error")
        return _render_review(_load_or_404(report_id), status=409, bound=(action, form))
    except service.UnknownOriginal as error:
        form.duplicate_of.errors = [str(error)]
        return _render_review(_load_or_404(report_id), status=400, bound=(action, form))
    except service.TransitionError as error:
        flash(str(error), "error")
        return _render_review(_load_or_404(report_id), status=400, bound=(action, form))
    flash(DONE_MESSAGES[action] % {"reference": decided.reference}, "success")
    if action == "reopen":
        return redirect(url_for(".detail", report_id=report_id, **queue_args(request.args)))
    return _show_next(decided.next_id)


def _next_report(current):
    """Take the next report of the coordinator's queue after `current`, and show it."""
    return _show_next(
        service.take_next(triage_query(request.args, current_user), current_user, current)
    )


def _show_next(following: int | None):
    """The next report, already taken, shown in this same response (one request per
    decision); the queue itself when nothing is left."""
    if following is None:
        flash(_("No other report waits in this queue."), "info")
        return redirect(_queue_url())
    return _render_review(service.load_for_review(following, current_user))


@bp.post("/<int:report_id>/skip")
@access("staff")
def skip(report_id: int):
    report = _load_or_404(report_id)
    service.release(report_id, current_user)
    return _next_report(report)


@bp.post("/<int:report_id>/release")
@access("staff")
def release(report_id: int):
    report = _load_or_404(report_id)
    service.release(report_id, current_user)
    flash(_("Your hold on %(reference)s is released.", reference=report.reference), "success")
    return redirect(_queue_url())


@bp.post("/take")
@access("staff")
def take():
    count = request.form.get("count", "1")
    count = int(count) if count.isdigit() else 1
    taken = service.take_many(triage_query(request.args, current_user), current_user, count)
    if not taken:
        flash(_("No report waits in this queue that nobody holds."), "info")
        return redirect(_queue_url())
    references = ", ".join(report.reference for report in taken)
    flash(_("You now hold %(references)s.", references=references), "success")
    return redirect(url_for(".detail", report_id=taken[0].id, **queue_args(request.args)))


@bp.post("/bulk")
@access("staff")
def bulk_action():
    form = BulkForm()
    if not form.validate():
        flash(_("This form is incomplete. Reload the page and try again."), "error")
        return _render_queue(status=400, bulk_form=form)
    try:
        references = bulk.apply_bulk(
            request.form.getlist("report"),
            current_user,
            form.action.data,
            note=form.note.data,
            duplicate_of=form.duplicate_of.data,
        )
    except service.TransitionError as error:
        flash(str(error), "error")
        return _render_queue(status=409, bulk_form=form)
    flash(BULK_DONE[form.action.data] % {"references": ", ".join(references)}, "success")
    return redirect(_queue_url())


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
    return redirect(
        url_for(".detail", report_id=report_id, **queue_args(request.args)) + "#history"
    )
