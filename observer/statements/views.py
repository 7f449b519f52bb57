"""Staff views: list, compose, preview, publish, withdraw and correct statements."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from observer import confirm
from observer.auth.access import access, is_recently_reauthenticated
from observer.extensions import db
from observer.models import Campaign, Statement, StatementStatus
from observer.safekeeping import kept_forms
from observer.statements import service
from observer.statements.forms import (
    EMPTY_SLOTS,
    ActionForm,
    PublishForm,
    StatementForm,
    WithdrawForm,
)
from observer.statements.labels import STATEMENT_LANGUAGES, counting_rules
from observer.statements.text import blocks
from observer.templating import current_language

bp = Blueprint("statements", __name__, url_prefix="/admin/statements")

STATUS_NAMES = {
    StatementStatus.DRAFT: _l("Draft"),
    StatementStatus.PUBLISHED: _l("Published"),
    StatementStatus.WITHDRAWN: _l("Withdrawn"),
}


@bp.context_processor
def statement_names():
    return {"status_names": STATUS_NAMES}


@bp.app_template_filter("text_blocks")
def text_blocks(text):
    """Plain statement text as paragraphs and lists (used by staff and public pages)."""
    return blocks(text)


def _statement_or_404(statement_id: int) -> Statement:
    return db.get_or_404(Statement, statement_id)


def _catalog():
    campaigns = list(
        db.session.execute(
            select(Campaign).options(selectinload(Campaign.stages)).order_by(Campaign.starts_on)
        ).scalars()
    )
    return campaigns, {c.id: list(c.stages) for c in campaigns}


def _prepare(form: StatementForm, extra_slots: int = EMPTY_SLOTS) -> StatementForm:
    for _slot in range(extra_slots):
        form.sections.append_entry()
    campaigns, stages = _catalog()
    form.set_choices(campaigns, stages, current_language())
    return form


def _reauth_redirect(target: str):
    """Publishing and withdrawing need a fresh password + code; None when it is fresh."""
    if is_recently_reauthenticated(int(current_app.config["REAUTH_MINUTES"]) * 60):
        return None
    flash(_("Confirm your password and a fresh code to continue."), "info")
    return redirect(url_for("auth.reauth", next=target))


def _refuse_published(statement: Statement):
    flash(
        _(
            "This statement has been published and can no longer be changed. "
            "Create a correction instead."
        ),
        "warning",
    )
    return redirect(url_for("statements.detail", statement_id=statement.id))


@bp.get("/")
@access("staff")
def index():
    return render_template("statements/index.html", statements=service.staff_statements())


@bp.route("/new", methods=["GET", "POST"])
@access("staff")
def new():
    kept_fields = kept_forms.formdata("statements.new")  # back after an idle sign-out
    form = StatementForm(formdata=kept_fields) if kept_fields else StatementForm()
    if kept_fields:
        _prepare(form, extra_slots=0)
    elif request.method == "GET":
        language = current_language() if current_language() in STATEMENT_LANGUAGES else "en"
        form.language.data = language
        form.methodology.data = counting_rules(language)
        campaigns, _stages = _catalog()
        if campaigns:
            form.campaign.data = campaigns[-1].id
            form.period_start.data = campaigns[-1].starts_on
            form.period_end.data = campaigns[-1].ends_on
        _prepare(form, extra_slots=2)
    else:
        _prepare(form, extra_slots=0)
    return _save(form, None)


@bp.route("/<int:statement_id>/edit", methods=["GET", "POST"])
@access("staff")
def edit(statement_id: int):
    statement = _statement_or_404(statement_id)
    if statement.status != StatementStatus.DRAFT:
        return _refuse_published(statement)
    kept_fields = kept_forms.formdata("statements.edit")  # back after an idle sign-out
    if kept_fields:
        form = _prepare(StatementForm(formdata=kept_fields), extra_slots=0)
    elif request.method == "GET":
        form = StatementForm(data=_form_data(statement))
        _prepare(form)
    else:
        form = _prepare(StatementForm(), extra_slots=0)
    return _save(form, statement)


def _save(form: StatementForm, statement: Statement | None):
    if request.method == "POST" and form.add_section.data:
        form.sections.append_entry()
        form.set_choices(*_catalog(), current_language())
        return _render_form(form, statement)
    if request.method == "POST":
        if form.validate():
            try:
                if statement is None:
                    statement = service.create_statement(current_user, form.to_input())
                else:
                    service.update_statement(statement, form.to_input())
            except service.StatementError as error:
                db.session.rollback()
                flash(str(error), "error")
                return _render_form(form, statement, status=422)
            db.session.commit()
            flash(_("The draft has been saved."), "success")
            return redirect(url_for("statements.detail", statement_id=statement.id))
        return _render_form(form, statement, status=422)
    return _render_form(form, statement)


def _render_form(form, statement, status: int = 200):
    return render_template("statements/form.html", form=form, statement=statement), status


def _form_data(statement: Statement) -> dict:
    return {
        "campaign": statement.campaign_id,
        "stages": [stage.id for stage in statement.stages],
        "period_start": statement.period_start,
        "period_end": statement.period_end,
        "language": statement.language,
        "title": statement.title,
        "key_findings": statement.key_findings,
        "recommendations": statement.recommendations,
        "methodology": statement.methodology,
        "sections": [
            {"heading": s.heading, "body": s.body, "stage": s.stage_id, "position": s.position}
            for s in statement.sections
        ],
    }


@bp.get("/<int:statement_id>")
@access("staff")
def detail(statement_id: int):
    statement = _statement_or_404(statement_id)
    if statement.status == StatementStatus.DRAFT:
        snapshot = service.draft_snapshot(statement)
    else:
        snapshot = statement.snapshot
    return render_template(
        "statements/detail.html",
        statement=statement,
        snapshot=snapshot,
        action_form=ActionForm(),
        corrections=service.public_corrections(statement),
    )


@bp.get("/<int:statement_id>/preview.pdf")
@access("staff")
def preview(statement_id: int):
    statement = _statement_or_404(statement_id)
    response = make_response(service.render_pdf(statement))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{statement.slug}-preview.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:statement_id>/publish", methods=["GET", "POST"])
@access("staff")
def publish(statement_id: int):
    statement = _statement_or_404(statement_id)
    if statement.status != StatementStatus.DRAFT:
        return _refuse_published(statement)
    stale = _reauth_redirect(url_for("statements.publish", statement_id=statement.id))
    if stale is not None:
        return stale
    form = PublishForm()
    if form.validate_on_submit():
        try:
            service.publish(statement, current_user)
        except service.StatementError as error:
            flash(str(error), "error")
            return redirect(url_for("statements.detail", statement_id=statement_id))
        db.session.commit()
        flash(_("The statement has been published."), "success")
        return redirect(url_for("statements.detail", statement_id=statement.id))
    return render_template(
        "statements/publish.html",
        statement=statement,
        form=form,
        snapshot=service.draft_snapshot(statement),
    )


@bp.route("/<int:statement_id>/withdraw", methods=["GET", "POST"])
@access("staff")
def withdraw(statement_id: int):
    statement = _statement_or_404(statement_id)
    if statement.status != StatementStatus.PUBLISHED:
        flash(_("Only a published statement can be withdrawn."), "warning")
        return redirect(url_for("statements.detail", statement_id=statement.id))
    stale = _reauth_redirect(url_for("statements.withdraw", statement_id=statement.id))
    if stale is not None:
        return stale
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            service.withdraw(statement, current_user, form.reason.data)
        except service.StatementError as error:
            flash(str(error), "error")
            return redirect(url_for("statements.detail", statement_id=statement_id))
        db.session.commit()
        flash(_("The statement has been withdrawn."), "success")
        return redirect(url_for("statements.detail", statement_id=statement.id))
    status = 422 if request.method == "POST" else 200
    return render_template("statements/withdraw.html", statement=statement, form=form), status


@bp.post("/<int:statement_id>/correct")
@access("staff")
def correct(statement_id: int):
    original = _statement_or_404(statement_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("statements.detail", statement_id=original.id))
    try:
        draft = service.start_correction(original, current_user)
    except service.StatementError as error:
        flash(str(error), "warning")
        return redirect(url_for("statements.detail", statement_id=original.id))
    db.session.commit()
    flash(_("A correction has been drafted from the original. Edit it and publish it."), "success")
    return redirect(url_for("statements.edit", statement_id=draft.id))


@bp.post("/<int:statement_id>/delete")
@access("staff")
def delete(statement_id: int):
    statement = _statement_or_404(statement_id)
    if statement.status != StatementStatus.DRAFT:
        return _refuse_published(statement)
    if ActionForm().validate_on_submit() and not confirm.is_confirmed():
        return confirm.ask(
            _("Delete the draft statement “%(title)s”?", title=statement.title),
            _("Delete draft"),
            url_for("statements.detail", statement_id=statement.id),
        )
    if ActionForm().validate_on_submit():
        service.delete_draft(statement)
        db.session.commit()
        flash(_("The draft has been deleted."), "success")
    return redirect(url_for("statements.index"))
