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
from observer.statements import cases, html_figures, mission, service
from observer.statements.figures import providers, tr
from observer.statements.forms import (
    EMPTY_SLOTS,
    ActionForm,
    CaseForm,
    MissionProfileForm,
    PublishForm,
    StatementForm,
    TemplateForm,
    TranslateForm,
    WithdrawForm,
)
from observer.statements.labels import STATEMENT_LANGUAGES, counting_rules, label, language_of
from observer.statements.pdf_figures import cell_value, shown_rows, table_cell
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


@bp.app_context_processor
def figure_helpers():
    """What templates/statements/_figure.html needs to show frozen figures."""

    def figure_value(value, language, column=None):
        return table_cell(value, column or {}, language_of(language))

    return {
        "figure_blocks": html_figures.blocks,
        "figure_chart": html_figures.svg_bar_chart,
        "figure_label": tr,
        "figure_cell": lambda row, language, threshold: cell_value(
            row, language_of(language), threshold
        ),
        "figure_rows": shown_rows,
        "figure_groups": lambda data: {g["key"]: g for g in data.get("groups", ())},
        "figure_note": lambda language, n: label(language, "suppression_note", n=n),
        "figure_value": figure_value,
        "figure_text": lambda language, key: label(language_of(language), key),
        "figure_case_number": lambda language, n: label(language, "case_n", n=n),
    }


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


def _template_form() -> TemplateForm:
    form = TemplateForm()
    campaigns, _stages = _catalog()
    form.set_choices(campaigns, current_language())
    if request.method == "GET" and campaigns:
        form.campaign.data = campaigns[-1].id
        form.language.data = (
            current_language() if current_language() in STATEMENT_LANGUAGES else "en"
        )
    return form


@bp.get("/")
@access("staff")
def index():
    return render_template(
        "statements/index.html",
        statements=service.staff_statements(),
        template_form=_template_form(),
    )


@bp.post("/from-template")
@access("staff")
def from_template():
    form = _template_form()
    if not form.validate_on_submit():
        flash(_("Choose a publication, a language and a campaign."), "error")
        return redirect(url_for("statements.index"))
    campaign = db.session.get(Campaign, form.campaign.data)
    try:
        draft = service.from_template(current_user, campaign, form.kind.data, form.language.data)
    except service.StatementError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("statements.index"))
    db.session.commit()
    flash(_("The draft has its chapters in order: replace every prompt with your text."), "success")
    return redirect(url_for("statements.edit", statement_id=draft.id))


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


def _render_detail(statement: Statement, status: int = 200, case_form=None):
    problems: list[str] = []
    if statement.status == StatementStatus.DRAFT:
        snapshot, problems = service.draft_check(statement)
    else:
        snapshot = statement.snapshot
    translate_form = TranslateForm()
    translate_form.language.choices = [
        choice for choice in translate_form.language.choices if choice.value != statement.language
    ]
    return render_template(
        "statements/detail.html",
        statement=statement,
        snapshot=snapshot,
        problems=problems,
        action_form=ActionForm(),
        case_form=case_form or CaseForm(formdata=None),
        translate_form=translate_form,
        figure_providers=providers(),
        corrections=service.public_corrections(statement),
    ), status


@bp.get("/<int:statement_id>")
@access("staff")
def detail(statement_id: int):
    return _render_detail(_statement_or_404(statement_id))


@bp.post("/<int:statement_id>/cases")
@access("staff")
def add_case(statement_id: int):
    statement = _statement_or_404(statement_id)
    form = CaseForm()
    if not form.validate_on_submit():
        return _render_detail(statement, 422, case_form=form)
    try:
        cases.add_case(
            statement,
            form.reference.data,
            form.wording.data,
            bool(form.show_date.data),
            bool(form.show_district.data),
        )
    except service.StatementError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_detail(statement, 422, case_form=form)
    db.session.commit()
    flash(_("The case example has been added: place it with [[cases]]."), "success")
    return redirect(url_for("statements.detail", statement_id=statement.id) + "#cases")


@bp.post("/<int:statement_id>/cases/<int:case_id>/delete")
@access("staff")
def remove_case(statement_id: int, case_id: int):
    statement = _statement_or_404(statement_id)
    if ActionForm().validate_on_submit():
        try:
            cases.remove_case(statement, case_id)
        except service.StatementError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("statements.detail", statement_id=statement.id))
        db.session.commit()
        flash(_("The case example has been removed."), "success")
    return redirect(url_for("statements.detail", statement_id=statement.id) + "#cases")


@bp.post("/<int:statement_id>/translate")
@access("staff")
def translate(statement_id: int):
    original = _statement_or_404(statement_id)
    form = TranslateForm()
    if not form.validate_on_submit():
        return redirect(url_for("statements.detail", statement_id=original.id))
    try:
        draft = service.start_translation(original, current_user, form.language.data)
        cases.copy_cases(draft.translation_of, draft)
    except service.StatementError as error:
        db.session.rollback()
        flash(str(error), "warning")
        return redirect(url_for("statements.detail", statement_id=original.id))
    db.session.commit()
    flash(_("A translation has been drafted: it will publish the original's figures."), "success")
    return redirect(url_for("statements.edit", statement_id=draft.id))


@bp.get("/<int:statement_id>/preview.pdf")
@access("staff")
def preview(statement_id: int):
    statement = _statement_or_404(statement_id)
    if statement.status == StatementStatus.DRAFT:
        pdf, problems = service.draft_preview(statement)
        if problems:
            flash(_("The draft cannot be previewed until these problems are fixed."), "error")
            return _render_detail(statement, 422)
    else:
        pdf = service.render_pdf(statement)
    response = make_response(pdf)
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


@bp.route("/mission", methods=["GET", "POST"])
@access("admin")
def mission_profile():
    """The mission's logo, place and contact on every statement's cover."""
    profile = service.mission_profile()
    form = MissionProfileForm(obj=profile) if request.method == "GET" else MissionProfileForm()
    if form.validate_on_submit():
        upload = request.files.get(form.logo.name)
        logo = None
        if upload is not None and upload.filename:
            logo = (upload.filename, upload.read())
        try:
            mission.save_profile(
                {
                    "en": form.place_en.data or "",
                    "be": form.place_be.data or "",
                    "ru": form.place_ru.data or "",
                },
                form.contact.data or "",
                logo=logo,
                remove_logo=bool(form.remove_logo.data),
            )
        except service.StatementError as error:
            db.session.rollback()
            form.logo.errors = [*form.logo.errors, str(error)]
            return render_template("statements/mission.html", form=form, profile=profile), 422
        db.session.commit()
        flash(_("The mission's details have been saved."), "success")
        return redirect(url_for("statements.mission_profile"))
    status = 422 if request.method == "POST" else 200
    return render_template("statements/mission.html", form=form, profile=profile), status


@bp.get("/mission/logo")
@access("admin")
def mission_logo():
    profile = service.mission_profile()
    if profile is None or not profile.logo:
        return make_response("", 404)
    response = make_response(profile.logo)
    response.headers["Content-Type"] = profile.logo_media_type
    response.headers["Cache-Control"] = "no-store"
    return response
