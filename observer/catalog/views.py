"""Admin pages for the catalog: stages and criteria of a campaign, regions and districts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from observer.auth.access import access
from observer.catalog import queries, service
from observer.catalog.forms import CriterionForm, StageForm
from observer.extensions import db
from observer.forms import select_choices
from observer.models import Campaign, Criterion, Stage
from observer.templating import localized

bp = Blueprint("catalog", __name__, url_prefix="/admin/catalog")


def _chosen_campaign() -> Campaign | None:
    """The campaign named by ?campaign=<slug>, else the active one."""
    slug = request.args.get("campaign", "").strip()
    if slug:
        campaign = queries.campaign_by_slug(slug)
        if campaign is None:
            abort(404)
        return campaign
    return queries.active_campaign()


def _index_url(campaign: Campaign | None, anchor: str | None = None) -> str:
    return url_for("catalog.index", campaign=campaign.slug if campaign else None, _anchor=anchor)


@bp.get("/")
@access("admin")
def index():
    campaign = _chosen_campaign()
    stages, criteria_by_stage = [], {}
    if campaign is not None:
        stages = queries.stages_for(campaign, active_only=False)
        for criterion in queries.criteria_for(campaign, active_only=False):
            criteria_by_stage.setdefault(criterion.stage_id, []).append(criterion)
    campaigns = (
        db.session.execute(select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc()))
        .scalars()
        .all()
    )
    return render_template(
        "catalog/index.html",
        campaign=campaign,
        campaigns=campaigns,
        stages=stages,
        criteria_by_stage=criteria_by_stage,
        counts=queries.catalog_counts(),
    )


@bp.get("/regions")
@access("admin")
def regions():
    return render_template("catalog/regions.html", regions=queries.regions_with_districts())


# --- criteria ------------------------------------------------------------------------------


def _stage_choices(form: CriterionForm, campaign_id: int) -> None:
    form.stage_id.choices = select_choices(
        (stage.id, localized(stage) + ("" if stage.active else " " + _("(inactive)")))
        for stage in queries.stages_for(campaign_id, active_only=False)
    )


def _show_rule_error(form, error: service.CatalogRuleError) -> None:
    db.session.rollback()
    target = getattr(form, error.field, None)
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


@bp.route("/criteria/new", methods=["GET", "POST"])
@access("admin")
def new_criterion():
    campaign = _chosen_campaign()
    if campaign is None:
        abort(404)
    form = CriterionForm()
    _stage_choices(form, campaign.id)
    if request.method == "GET" and request.args.get("stage", "").isdigit():
        form.stage_id.data = int(request.args["stage"])
    if form.validate_on_submit():
        try:
            criterion = service.create_criterion(
                campaign, form.values(), form.stage_id.data, current_user.id
            )
        except service.CatalogRuleError as error:
            _show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Criterion %(code)s created.", code=criterion.code), "success")
            return redirect(_index_url(campaign, f"stage-{criterion.stage_id}"))
    status = 422 if form.errors else 200
    return render_template(
        "catalog/criterion_form.html", form=form, campaign=campaign, criterion=None
    ), status


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_criterion(criterion_id: int):
    criterion = db.get_or_404(Criterion, criterion_id)
    campaign = db.session.get(Campaign, criterion.campaign_id)
    form = CriterionForm(obj=criterion)
    _stage_choices(form, campaign.id)
    if form.validate_on_submit():
        try:
            service.update_criterion(criterion, form.values(), form.stage_id.data, current_user.id)
        except service.CatalogRuleError as error:
            _show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Criterion %(code)s saved.", code=criterion.code), "success")
            return redirect(_index_url(campaign, f"stage-{criterion.stage_id}"))
    status = 422 if form.errors else 200
    return render_template(
        "catalog/criterion_form.html", form=form, campaign=campaign, criterion=criterion
    ), status


def _toggle_criterion(criterion_id: int, active: bool):
    criterion = db.get_or_404(Criterion, criterion_id)
    service.set_criterion_active(criterion, active, current_user.id)
    db.session.commit()
    if active:
        flash(_("Criterion %(code)s is active again.", code=criterion.code), "success")
    else:
        flash(
            _(
                "Criterion %(code)s is deactivated: it is no longer offered on the report form; "
                "reports already filed keep it.",
                code=criterion.code,
            ),
            "success",
        )
    campaign = db.session.get(Campaign, criterion.campaign_id)
    return redirect(_index_url(campaign, f"stage-{criterion.stage_id}"))


@bp.post("/criteria/<int:criterion_id>/deactivate")
@access("admin")
def deactivate_criterion(criterion_id: int):
    return _toggle_criterion(criterion_id, active=False)


@bp.post("/criteria/<int:criterion_id>/reactivate")
@access("admin")
def reactivate_criterion(criterion_id: int):
    return _toggle_criterion(criterion_id, active=True)


# --- stages --------------------------------------------------------------------------------


@bp.route("/stages/new", methods=["GET", "POST"])
@access("admin")
def new_stage():
    campaign = _chosen_campaign()
    if campaign is None:
        abort(404)
    form = StageForm()
    if form.validate_on_submit():
        try:
            stage = service.create_stage(campaign, form.values(), current_user.id)
        except service.CatalogRuleError as error:
            _show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Stage “%(name)s” created.", name=localized(stage)), "success")
            return redirect(_index_url(campaign, f"stage-{stage.id}"))
    status = 422 if form.errors else 200
    return render_template(
        "catalog/stage_form.html", form=form, campaign=campaign, stage=None
    ), status


@bp.route("/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_stage(stage_id: int):
    stage = db.get_or_404(Stage, stage_id)
    campaign = stage.campaign
    form = StageForm(obj=stage)
    if form.validate_on_submit():
        try:
            service.update_stage(stage, form.values(), current_user.id)
        except service.CatalogRuleError as error:
            _show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Stage “%(name)s” saved.", name=localized(stage)), "success")
            return redirect(_index_url(campaign, f"stage-{stage.id}"))
    status = 422 if form.errors else 200
    return render_template(
        "catalog/stage_form.html", form=form, campaign=campaign, stage=stage
    ), status


def _toggle_stage(stage_id: int, active: bool):
    stage = db.get_or_404(Stage, stage_id)
    service.set_stage_active(stage, active, current_user.id)
    db.session.commit()
    if active:
        flash(_("Stage “%(name)s” is active again.", name=localized(stage)), "success")
    else:
        flash(
            _(
                "Stage “%(name)s” is deactivated: its criteria are no longer offered on the "
                "report form.",
                name=localized(stage),
            ),
            "success",
        )
    return redirect(_index_url(stage.campaign, f"stage-{stage.id}"))


@bp.post("/stages/<int:stage_id>/deactivate")
@access("admin")
def deactivate_stage(stage_id: int):
    return _toggle_stage(stage_id, active=False)


@bp.post("/stages/<int:stage_id>/reactivate")
@access("admin")
def reactivate_stage(stage_id: int):
    return _toggle_stage(stage_id, active=True)
