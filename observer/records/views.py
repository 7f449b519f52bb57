"""Process records pages: loading files, the admins' catalog pages, and the coordinators'
figures (commissions, candidates, official figures) with the records behind each figure."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from observer.auth.access import access
from observer.catalog.queries import active_campaign
from observer.extensions import db
from observer.forms import select_choices
from observer.models import CommissionLevel, Organisation, Region
from observer.records import charts, figures, formatting, links, service, terms
from observer.records.forms import LoadForm, NamesPublicForm, OrganisationForm, SourceCopyForm
from observer.records.kinds import NoActiveCampaign
from observer.templating import current_language, localized

bp = Blueprint("records", __name__, url_prefix="/records")

MAX_FILE_BYTES = 40 * 1024 * 1024
KIND_TITLES = {
    "organisations": _l("Nominating organisations"),
    "commissions": _l("Commission nominees"),
    "candidates": _l("Candidates"),
    "figures": _l("Official figures"),
}
STATUS_LABELS = {
    "nominated": _l("nominated"),
    "registered": _l("registered"),
    "refused": _l("refused"),
    "withdrawn": _l("withdrawn"),
    "elected": _l("elected"),
}
GENDER_LABELS = {"f": _l("woman"), "m": _l("man")}
APPEAL_LABELS = {
    "upheld": _l("appeal upheld"),
    "dismissed": _l("appeal dismissed"),
    "pending": _l("appeal pending"),
}
MINIMUM_COLUMNS = {
    "organisations": "name_en,name_be,name_ru,kind,alignment",
    "commissions": "level,commission,region,district,member,nominated_by,route,outcome",
    "candidates": (
        "election,constituency,region,candidate,gender,nominated_by,route,outcome,reason,decided_on"
    ),
    "figures": "metric,region,as_of,value,unit,source_url,retrieved_at",
}


@bp.app_template_filter("share")
def share_filter(value):
    return formatting.share(value)


@bp.app_template_filter("count")
def count_filter(value):
    return formatting.count(value)


def label(row: dict, key: str = "labels") -> str:
    names = row.get(key) or {}
    return names.get(current_language()) or names.get("en") or row.get("group") or ""


@bp.app_context_processor
def record_helpers():
    return {
        "record_label": label,
        "records_url": records_url,
        "value_text": _value_text,
        "cited_commission": links.commission_text,
        "cited_candidate": links.candidate_text,
    }


def records_url(kind: str, filters: dict) -> str:
    endpoint = {"nominees": ".nominees", "candidates": ".candidate_list", "figures": ".figures"}
    return url_for(endpoint[kind], **{k: v for k, v in filters.items() if v is not None})


def _campaign_with_terms():
    """For the pages that list or edit the codes themselves: the shipped ones exist first."""
    campaign = active_campaign()
    terms.ensure_defaults(campaign)
    db.session.commit()
    return campaign


def _no_campaign():
    return render_template("records/no_campaign.html"), 404


# --- loading ----------------------------------------------------------------------------------


def _load_page(kind: str, endpoint: str):
    form = LoadForm()
    plan, dry_run = None, False
    status = 200
    if form.validate_on_submit():
        dry_run = bool(form.dry_run.data)
        data = form.file.data.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            form.file.errors.append(_("The file is larger than 40 MB; split it."))
        else:
            try:
                plan = service.load_file(
                    kind,
                    data,
                    form.file.data.filename or "",
                    dry_run=dry_run,
                    actor_id=current_user.id,
                )
            except NoActiveCampaign:
                form.file.errors.append(_("There is no active campaign: load the catalog first."))
        if plan is not None and not plan.ok:
            status = 400
        elif plan is not None and dry_run:
            form.dry_run.data = False  # checked: the next step is loading the same file
    if form.errors:
        status = 400
    return render_template(
        "records/load.html",
        form=form,
        plan=plan,
        dry_run=dry_run,
        kind=kind,
        title=KIND_TITLES[kind],
        columns=MINIMUM_COLUMNS[kind],
        action=url_for(endpoint, kind=kind) if endpoint == ".load" else url_for(endpoint),
    ), status


@bp.route("/load/<kind>", methods=["GET", "POST"])
@access("staff")
def load(kind: str):
    if kind not in ("commissions", "candidates", "figures"):
        abort(404)
    return _load_page(kind, ".load")


@bp.route("/organisations/load", methods=["GET", "POST"])
@access("admin")
def load_organisations():
    return _load_page("organisations", ".load_organisations")


# --- admin pages ------------------------------------------------------------------------------


@bp.get("/organisations")
@access("admin")
def organisations():
    _campaign_with_terms()
    return render_template(
        "records/organisations.html",
        organisations=service.organisations(),
        kinds={t.code: t for t in terms.terms("route")},
        alignments={t.code: t for t in terms.terms("alignment")},
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_organisation(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    form.kind.choices = select_choices((t.code, localized(t)) for t in terms.terms("route"))
    form.alignment.choices = select_choices(
        (t.code, localized(t)) for t in terms.terms("alignment")
    )
    if form.validate_on_submit():
        form.populate_obj(organisation)
        for name in ("name_be", "name_ru"):
            setattr(organisation, name, getattr(organisation, name) or None)
        try:
            db.session.commit()
        except IntegrityError:  # the English name is the natural key: another has it
            db.session.rollback()
            form.name_en.errors.append(_("Another organisation has this English name."))
        else:
            flash(_("Organisation saved."), "success")
            return redirect(url_for(".organisations"))
    status = 400 if form.errors else 200
    return render_template(
        "records/organisation_form.html", form=form, organisation=organisation
    ), status


@bp.get("/levels")
@access("admin")
def levels():
    _campaign_with_terms()
    forms = {
        level.id: NamesPublicForm(prefix=f"level{level.id}", public=level.member_names_public)
        for level in service.levels()
    }
    return render_template("records/levels.html", levels=service.levels(), forms=forms)


@bp.post("/levels/<int:level_id>")
@access("admin")
def set_names_public(level_id: int):
    level = db.get_or_404(CommissionLevel, level_id)
    form = NamesPublicForm(prefix=f"level{level.id}")
    if not form.validate_on_submit():
        abort(400)
    service.set_names_public(level, bool(form.public.data), current_user.id)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".levels"))


# --- coordinators' figures --------------------------------------------------------------------


@bp.get("/")
@access("staff")
def index():
    campaign = active_campaign()
    return render_template("records/index.html", campaign=campaign)


def _composition_charts(rows: list[dict], prefix: str) -> dict[str, object]:
    by_level: dict[str, list] = {}
    for row in rows:
        by_level.setdefault(row["level"], []).append(row)
    result = {}
    for level, items in by_level.items():
        title = _(
            "%(level)s: appointed members by nominating group",
            level=label(items[0], "level_labels"),
        )
        result[level] = charts.share_chart(
            f"{prefix}-{level}",
            title,
            [
                (
                    label(r),
                    r["share"],
                    f"{formatting.share(r['share'])} ({formatting.count(r['count'])})",
                )
                for r in items
            ],
        )
    return result


@bp.get("/commissions")
@access("staff")
def commissions():
    campaign = active_campaign()
    if campaign is None:
        return _no_campaign()
    by = request.args.get("by", "alignment")
    if by not in ("alignment", "route"):
        by = "alignment"
    composition = figures.commission_composition(campaign.id, by=by)
    per_region = figures.commission_composition(campaign.id, by=by, per_region=True)
    return render_template(
        "records/commissions.html",
        by=by,
        composition=composition,
        composition_charts=_composition_charts(composition, "composition"),
        per_region=per_region,
        inclusion=figures.inclusion_rates(campaign.id, by=by),
    )


def _filters(names: tuple[str, ...]) -> dict[str, str]:
    return {
        name: request.args.get(name, "").strip()[:64] for name in names if request.args.get(name)
    }


@bp.get("/commissions/nominees")
@access("staff")
def nominees():
    campaign = active_campaign()
    if campaign is None:
        return _no_campaign()
    filters = _filters(("level", "alignment", "route", "outcome", "region", "commission"))
    return render_template(
        "records/nominees.html",
        listing=service.nominees(campaign.id, filters),
        filters=filters,
        routes={t.code: t for t in terms.terms("route")},
    )


@bp.get("/candidates")
@access("staff")
def candidates():
    campaign = active_campaign()
    if campaign is None:
        return _no_campaign()
    pipeline = figures.candidate_pipeline(campaign.id)
    reasons = figures.refusals_by_reason(campaign.id)
    organisations = figures.registered_by_organisation(campaign.id)
    pipeline_charts = {}
    for item in pipeline:
        steps = [
            (_("Registered"), item["registered_share"], item["registered"]),
            (_("Refused"), item["refused_share"], item["refused"]),
            (_("Women among nominees"), item["women_share_nominated"], item["women"]),
            (_("Women among registered"), item["women_share_registered"], item["registered_women"]),
        ]
        pipeline_charts[item["election"]] = charts.share_chart(
            f"pipeline-{item['election']}",
            _("%(election)s: candidate pipeline", election=label(item)),
            [
                (name, share, f"{formatting.share(share)} ({formatting.count(n)})")
                for name, share, n in steps
            ],
        )
    organisation_charts = {}
    for election in {row["election"] for row in organisations}:
        items = [row for row in organisations if row["election"] == election][:12]
        organisation_charts[election] = charts.share_chart(
            f"organisations-{election}",
            _("Registered candidates by nominating organisation"),
            [
                (
                    label(r),
                    r["share"],
                    f"{formatting.share(r['share'])} ({formatting.count(r['count'])})",
                )
                for r in items
            ],
        )
    return render_template(
        "records/candidates.html",
        pipeline=pipeline,
        pipeline_charts=pipeline_charts,
        reasons=reasons,
        organisations=organisations,
        organisation_charts=organisation_charts,
    )


@bp.get("/candidates/list")
@access("staff")
def candidate_list():
    campaign = active_campaign()
    if campaign is None:
        return _no_campaign()
    filters = _filters(
        ("election", "status", "reason", "organisation", "route", "gender", "appeal", "id")
    )
    return render_template(
        "records/candidate_list.html",
        listing=service.candidates(campaign.id, filters),
        filters=filters,
        status_labels=STATUS_LABELS,
        gender_labels=GENDER_LABELS,
        appeal_labels=APPEAL_LABELS,
        route_labels={t.code: localized(t) for t in terms.terms("route")},
    )


@bp.get("/figures")
@access("staff")
def figures_page():
    campaign = active_campaign()
    if campaign is None:
        return _no_campaign()
    metrics = terms.terms("metric")
    codes = [m.code for m in metrics]
    metric = request.args.get("metric") or "early_turnout"
    if metric not in codes:
        metric = codes[0] if codes else ""
    region_filter = request.args.get("region")
    series = figures.official_series(campaign.id, metric, region_filter or None)
    if region_filter == "":
        series = figures.official_series(campaign.id, metric, "")
    curves: dict[str, list] = {}
    for row in series:
        name = label(row, "region_labels") if row["region"] else _("All country")
        curves.setdefault(name, []).append(
            (datetime.fromisoformat(row["as_of"]), row["value"], _value_text(row))
        )
    top = max((r["value"] for r in series), default=0)
    chart = charts.time_curves(
        "official-series",
        _(
            "%(metric)s by area over time",
            metric=localized(next((m for m in metrics if m.code == metric), None)),
        ),
        sorted(curves.items(), key=lambda item: item[0]),
        peak=_round_up(top),
    )
    moments = sorted({row["as_of"] for row in series})
    pivot: dict[str, dict] = {}
    for row in series:
        area = pivot.setdefault(row["region"] or "", {"row": row, "cells": {}})
        area["cells"].setdefault(row["as_of"], []).append(row)
    beside = _incidents_beside(campaign.id, series)
    return render_template(
        "records/figures.html",
        metrics=metrics,
        metric_names={m.code: localized(m) for m in metrics},
        metric=metric,
        series=series,
        chart=chart,
        moments=moments,
        pivot=sorted(
            pivot.values(),
            key=lambda a: (a["row"]["region"] is not None, label(a["row"], "region_labels")),
        ),
        beside=beside,
        conflicts=figures.figure_conflicts(campaign.id),
        copy_form=SourceCopyForm(),
    )


def _round_up(value: float) -> float | None:
    """The chart's top: the next multiple of 10 (of 100 for larger counts) above the values."""
    if not value:
        return None
    step = 10 if value <= 100 else 10 ** (len(str(int(value))) - 1)
    return float(-(-value // step) * step)


def _value_text(row: dict) -> str:
    if row["unit"] == "percent":
        return formatting.share(row["value"], decimals="0#")
    return formatting.decimal(row["value"], 0 if float(row["value"]).is_integer() else 2)


def _incidents_beside(campaign_id: int, series: list[dict]) -> list[dict]:
    """Verified incident reports of the stage the figures describe, per region, with links to
    the review queue showing them."""
    if not series:
        return []
    stage = service.stage_at(campaign_id, datetime.fromisoformat(series[-1]["as_of"]))
    if stage is None:
        return []
    counts = service.verified_reports_by_region(campaign_id, stage.id)
    regions = db.session.execute(db.select(Region).order_by(Region.position)).scalars()
    return [
        {
            "stage": stage,
            "region": region,
            "reports": counts.get(region.id, 0),
            "url": url_for(
                "review.queue", status=["verified"], stage=[stage.id], region=[region.id]
            ),
        }
        for region in regions
    ]


@bp.route("/figures/<int:figure_id>/source", methods=["GET", "POST"])
@access("staff")
def source_copy(figure_id: int):
    figure = service.figure(figure_id)
    if figure is None:
        abort(404)
    if request.method == "GET":
        if figure.source_copy is None:
            abort(404)
        copy = figure.source_copy
        return send_file(
            BytesIO(copy.data),
            mimetype=copy.media_type,
            as_attachment=True,
            download_name=copy.original_name,
        )
    form = SourceCopyForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.file.errors) or _("Choose a file."), "error")
        return redirect(url_for(".figures_page", metric=figure.metric)), 303
    try:
        service.attach_source_copy(
            figure, form.file.data.filename or "", form.file.data.read(), current_user.id
        )
    except service.SourceRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(".figures_page", metric=figure.metric)), 303
    db.session.commit()
    flash(_("The copy of the source is kept."), "success")
    return redirect(url_for(".figures_page", metric=figure.metric, _anchor=f"figure-{figure.id}"))
