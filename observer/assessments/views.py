"""Coordinators' pages: the assessment matrix and follow-up summary, an assessment's page
(reasoning, evidence, history, agreement), proposing and changing, the recommendations
registry with this campaign's ratings, and the recommendations file upload. Staff only:
observers never see judgments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from observer.assessments import service
from observer.assessments.evidence import as_text, evidence_warnings
from observer.assessments.figures import assessment_matrix, follow_up_summary, summary_sentence
from observer.assessments.forms import (
    LANGUAGE_LABELS,
    AgreeForm,
    AssessmentForm,
    FollowUpForm,
    RecommendationsUploadForm,
    ScaleLevelForm,
)
from observer.assessments.four_eyes import JudgmentError, StaleJudgment
from observer.assessments.pages import (
    assessment_choices,
    campaign_or_404,
    follow_up_chart,
    recommendation_rows,
    regional_assessments,
)
from observer.assessments.recommendations import recommendation_kind
from observer.assessments.scales import (
    LEVEL_FIELDS,
    ScaleError,
    ensure_default_scales,
    levels_of,
    save_level,
)
from observer.auth.access import access
from observer.extensions import db
from observer.imports import run_import
from observer.models import Criterion, ScaleLevel, Scales
from observer.templating import current_language

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


@bp.before_request
def default_scales_ready():
    """A new database gets the default scales on the first visit of a staff member (the app's
    access guard has already refused everyone else)."""

    if ensure_default_scales():
        db.session.commit()


@bp.get("/")
@access("staff")
def index():
    campaign = campaign_or_404(request.args.get("campaign"))
    language = current_language()
    summary = follow_up_summary(campaign.id, language)
    return render_template(
        "assessments/index.html",
        campaign=campaign,
        matrix=assessment_matrix(campaign.id, language, agreed_only=False),
        summary=summary,
        sentence=summary_sentence(summary),
        chart=follow_up_chart(summary),
    )


def _load_assessment(assessment_id: int):
    try:
        return service.load_assessment(assessment_id)
    except service.JudgmentNotFound:
        abort(404)


def _render_assessment(assessment, *, status=200, agree_error=None):
    agree_form = AgreeForm(formdata=None)
    agree_form.version.data = str(assessment.version)
    return (
        render_template(
            "assessments/detail.html",
            assessment=assessment,
            warnings=evidence_warnings(assessment.evidence),
            events=service.history(assessment_id=assessment.id),
            regional=regional_assessments(assessment),
            agree_form=agree_form,
            agree_error=agree_error,
            language_labels=LANGUAGE_LABELS,
            level_names=_level_names(Scales.CONCLUSION),
        ),
        status,
    )


def _level_names(scale: str) -> dict[str, str]:
    language = current_language()
    return {level.code: level.name_in(language) for level in levels_of(scale, active_only=False)}


@bp.get("/<int:assessment_id>")
@access("staff")
def detail(assessment_id: int):
    return _render_assessment(_load_assessment(assessment_id))


@bp.post("/<int:assessment_id>/agree")
@access("staff")
def agree(assessment_id: int):
    assessment = _load_assessment(assessment_id)
    form = AgreeForm()
    try:
        service.agree_assessment(assessment, current_user, _version(form))
    except JudgmentError as error:
        assessment = _load_assessment(assessment_id)
        status = 409 if isinstance(error, StaleJudgment) else 400
        return _render_assessment(assessment, status=status, agree_error=error)
    flash(_("The assessment is agreed."), "success")
    return redirect(url_for(".detail", assessment_id=assessment.id))


def _version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


def _assessment_form(campaign, assessment=None, formdata=None):
    form = AssessmentForm(formdata=formdata)
    form.fill_levels(Scales.CONCLUSION, current_language())
    assessment_choices(form, campaign, current_language())
    return form


def _render_form(form, campaign, assessment=None, status=200, general=()):
    return (
        render_template(
            "assessments/form.html",
            form=form,
            campaign=campaign,
            assessment=assessment,
            levels=levels_of(Scales.CONCLUSION),
            general_errors=general,
        ),
        status,
    )


@bp.route("/new", methods=["GET", "POST"])
@access("staff")
def new():
    campaign = campaign_or_404(request.values.get("campaign"))
    if request.method == "GET":
        form = _assessment_form(campaign)
        form.criterion.data = request.args.get("criterion", type=int)
        form.stage.data = request.args.get("stage", type=int) or 0
        form.region.data = request.args.get("region", type=int) or 0
        if form.criterion.data:
            existing = service.find_assessment(
                service.AssessmentScope(form.criterion.data, None, form.region.data or None),
                form.stage.data or _own_stage(form.criterion.data),
            )
            if existing is not None:
                return redirect(url_for(".edit", assessment_id=existing.id))
        return _render_form(form, campaign)
    form = _assessment_form(campaign, formdata=request.form)
    if not form.validate():
        return _render_form(form, campaign, status=400)
    scope = service.AssessmentScope(
        form.criterion.data, form.stage.data or None, form.region.data or None
    )
    try:
        assessment = service.propose_assessment(current_user, scope, form.content())
    except JudgmentError as error:
        return _render_form(form, campaign, status=400, general=form.show_problems(error))
    flash(_("The assessment is proposed. Another coordinator must agree it."), "success")
    return redirect(url_for(".detail", assessment_id=assessment.id))


def _own_stage(criterion_id: int) -> int:

    criterion = db.session.get(Criterion, criterion_id)
    return criterion.stage_id if criterion else 0


@bp.route("/<int:assessment_id>/edit", methods=["GET", "POST"])
@access("staff")
def edit(assessment_id: int):
    assessment = _load_assessment(assessment_id)
    campaign = campaign_or_404(None, campaign_id=assessment.campaign_id)
    if request.method == "GET":
        form = _assessment_form(campaign)
        _fill_judgment(form, assessment)
        return _render_form(form, campaign, assessment)
    form = _assessment_form(campaign, formdata=request.form)
    if not form.validate():
        return _render_form(form, campaign, assessment, status=400)
    try:
        changed = service.change_assessment(
            assessment, current_user, form.seen_version(), form.content()
        )
    except JudgmentError as error:
        assessment = _load_assessment(assessment_id)
        status = 409 if isinstance(error, StaleJudgment) else 400
        form.version.data = str(assessment.version)
        return _render_form(form, campaign, assessment, status, form.show_problems(error))
    if changed:
        flash(
            _("The assessment is changed and waits for another coordinator's agreement."), "success"
        )
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for(".detail", assessment_id=assessment.id))


def _fill_judgment(form, judgment) -> None:
    form.level.data = judgment.level.code
    for lang in ("en", "be", "ru"):
        getattr(form, f"reasoning_{lang}").data = getattr(judgment, f"reasoning_{lang}") or ""
    for name, text in as_text(judgment.evidence).items():
        getattr(form, name).data = text
    form.version.data = str(judgment.version)
    if hasattr(form, "criterion"):
        form.criterion.data = judgment.criterion_id
        form.stage.data = judgment.stage_id
        form.region.data = judgment.region_id or 0


# --- recommendations -----------------------------------------------------------------------


@bp.get("/recommendations")
@access("staff")
def recommendations():
    campaign = campaign_or_404(request.args.get("campaign"))
    rating = request.args.get("rating") or None
    return render_template(
        "assessments/recommendations.html",
        campaign=campaign,
        rows=recommendation_rows(campaign.id, rating),
        levels=levels_of(Scales.FOLLOW_UP),
        rating=rating,
    )


def _render_recommendation(
    recommendation, campaign, *, form=None, status=200, general=(), agree_error=None
):
    follow_up = service.find_follow_up(recommendation.id, campaign.id)
    if form is None:
        form = FollowUpForm(formdata=None)
        form.fill_levels(Scales.FOLLOW_UP, current_language())
        if follow_up is not None:
            _fill_judgment(form, follow_up)
    agree_form = AgreeForm(formdata=None)
    agree_form.version.data = str(follow_up.version) if follow_up else ""
    return (
        render_template(
            "assessments/recommendation.html",
            recommendation=recommendation,
            campaign=campaign,
            follow_up=follow_up,
            warnings=evidence_warnings(follow_up.evidence) if follow_up else {},
            events=service.history(follow_up_id=follow_up.id) if follow_up else [],
            form=form,
            agree_form=agree_form,
            agree_error=agree_error,
            general_errors=general,
            language_labels=LANGUAGE_LABELS,
            level_names=_level_names(Scales.FOLLOW_UP),
        ),
        status,
    )


def _load_recommendation(recommendation_id: int):
    try:
        return service.load_recommendation(recommendation_id)
    except service.JudgmentNotFound:
        abort(404)


@bp.route("/recommendations/<int:recommendation_id>", methods=["GET", "POST"])
@access("staff")
def recommendation(recommendation_id: int):
    recommendation = _load_recommendation(recommendation_id)
    campaign = campaign_or_404(request.values.get("campaign"))
    if request.method == "GET":
        return _render_recommendation(recommendation, campaign)
    form = FollowUpForm(formdata=request.form)
    form.fill_levels(Scales.FOLLOW_UP, current_language())
    if not form.validate():
        return _render_recommendation(recommendation, campaign, form=form, status=400)
    try:
        _follow_up, changed = service.rate_follow_up(
            current_user, recommendation, campaign.id, form.content(), form.seen_version()
        )
    except JudgmentError as error:
        general = form.show_problems(error)
        status = 409 if isinstance(error, StaleJudgment) else 400
        return _render_recommendation(
            recommendation, campaign, form=form, status=status, general=general
        )
    if changed:
        flash(_("The rating is proposed. Another coordinator must agree it."), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for(".recommendation", recommendation_id=recommendation.id))


@bp.post("/recommendations/<int:recommendation_id>/agree")
@access("staff")
def agree_rating(recommendation_id: int):
    recommendation = _load_recommendation(recommendation_id)
    campaign = campaign_or_404(request.values.get("campaign"))
    follow_up = service.find_follow_up(recommendation.id, campaign.id)
    if follow_up is None:
        abort(404)
    try:
        service.agree_follow_up(follow_up, current_user, _version(AgreeForm()))
    except JudgmentError as error:
        status = 409 if isinstance(error, StaleJudgment) else 400
        return _render_recommendation(recommendation, campaign, status=status, agree_error=error)
    flash(_("The rating is agreed."), "success")
    return redirect(url_for(".recommendation", recommendation_id=recommendation.id))


@bp.route("/recommendations/upload", methods=["GET", "POST"])
@access("staff")
def upload():

    campaign = campaign_or_404(request.values.get("campaign"))
    form = RecommendationsUploadForm()
    plan, status = None, 200
    if request.method == "POST":
        if form.validate():
            upload_file = form.file.data
            kind = recommendation_kind(campaign.id, current_user)
            plan = run_import(
                kind, upload_file.read(), upload_file.filename or "", dry_run=form.dry_run.data
            )
            status = 200 if plan.ok else 400
        else:
            status = 400
    return (
        render_template(
            "assessments/upload.html",
            form=form,
            campaign=campaign,
            plan=plan,
            dry_run=bool(form.dry_run.data),
            rating_codes=[level.code for level in levels_of(Scales.FOLLOW_UP)],
        ),
        status,
    )


# --- the scales (catalog data, admins) -----------------------------------------------------

SCALE_TITLES = {
    Scales.CONCLUSION: _l("Conclusions on the standards"),
    Scales.FOLLOW_UP: _l("Follow-up of recommendations"),
}


@bp.get("/scales")
@access("admin")
def scales():
    return render_template(
        "assessments/scales.html",
        scales={scale: levels_of(scale, active_only=False) for scale in Scales.ALL},
        titles=SCALE_TITLES,
    )


def _render_level_form(form, scale, level=None, status=200):
    return (
        render_template(
            "assessments/scale_form.html", form=form, scale=scale, level=level, titles=SCALE_TITLES
        ),
        status,
    )


def _save_level(form, scale, level=None):

    if not form.validate():
        return _render_level_form(form, scale, level, 400)
    values = {name: getattr(form, name).data for name in ("code", *LEVEL_FIELDS)}
    try:
        save_level(scale, values, level)
    except ScaleError as error:
        db.session.rollback()
        form.show_problems(error)
        return _render_level_form(form, scale, level, 400)
    db.session.commit()
    flash(_("The scale is saved."), "success")
    return redirect(url_for(".scales"))


@bp.route("/scales/<scale>/new", methods=["GET", "POST"])
@access("admin")
def new_level(scale: str):
    if scale not in Scales.ALL:
        abort(404)
    form = ScaleLevelForm()
    if request.method == "GET":
        form.colour.data, form.active.data = "#8a96a3", True
        form.counts_as_assessed.data = form.reasoning_required.data = True
        return _render_level_form(form, scale)
    return _save_level(form, scale)


@bp.route("/scales/levels/<int:level_id>", methods=["GET", "POST"])
@access("admin")
def edit_level(level_id: int):

    level = db.session.get(ScaleLevel, level_id)
    if level is None:
        abort(404)
    if request.method == "GET":
        return _render_level_form(ScaleLevelForm(obj=level), level.scale, level)
    return _save_level(ScaleLevelForm(), level.scale, level)
