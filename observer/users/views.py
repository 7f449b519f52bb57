"""User administration: list, create, change, CSV import. Admins only."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from observer.auth.access import access
from observer.auth.forms import ROLE_NAMES
from observer.auth.service import AccountError
from observer.extensions import db
from observer.links import external_url
from observer.models import ROLES, User
from observer.templating import localized
from observer.users import service
from observer.users.forms import (
    ActionForm,
    CreateUserForm,
    ImportForm,
    RegionsForm,
    RoleForm,
    UserFilterForm,
    region_choices,
)

bp = Blueprint("users", __name__, url_prefix="/admin/users")

CHANGE_LABELS = {"name": _l("name"), "role": _l("role"), "regions": _l("regions")}
PAGE_SIZE = 100
IMPORT_MAX_BYTES = 2 * 1024 * 1024


@bp.context_processor
def users_template_values() -> dict:
    return {"role_names": ROLE_NAMES}


def _link_hours() -> int:
    return int(current_app.config["SET_PASSWORD_LINK_HOURS"])


def _link_url(token: str) -> str:
    return external_url("auth.set_password", token=token)


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/")
@access("admin")
def index():
    form = UserFilterForm(request.args)
    query = select(User).options(selectinload(User.regions)).order_by(User.id)
    # Each filter applies on its own: one odd value in a bookmarked URL does not void the rest.
    search = (request.args.get("q") or "").strip().lower()[:254]
    if search:
        pattern = f"%{search}%"
        query = query.where(
            or_(
                User.email.ilike(pattern),
                User.display_name.ilike(pattern),
                User.observer_code.ilike(pattern),
            )
        )
    role = request.args.get("role")
    if role in ROLES:
        query = query.where(User.role == role)
    state = request.args.get("state")
    if state in ("active", "inactive"):
        query = query.where(User.is_active_account.is_(state == "active"))
    after = request.args.get("after", type=int)
    if after:
        query = query.where(User.id > after)
    users = list(db.session.execute(query.limit(PAGE_SIZE + 1)).scalars())
    next_url = None
    if len(users) > PAGE_SIZE:
        users = users[:PAGE_SIZE]
        args = {k: v for k, v in request.args.items() if k != "after"}
        next_url = url_for("users.index", after=users[-1].id, **args)
    return render_template("users/index.html", users=users, form=form, next_url=next_url)


@bp.route("/new", methods=["GET", "POST"])
@access("admin")
def create():
    form = CreateUserForm()
    form.regions.choices = region_choices(service.all_regions(), localized)
    if form.validate_on_submit():
        try:
            user, token = service.create_account(
                email=form.email.data,
                display_name=form.display_name.data,
                role=form.role.data,
                regions=service.regions_by_ids(form.regions.data),
                locale=form.locale.data or None,
                actor=current_user,
                link_hours=_link_hours(),
            )
        except AccountError:
            db.session.rollback()
            form.email.errors.append(_("An account with this email exists already."))
        else:
            db.session.commit()
            return render_template(
                "users/link.html", user=user, link=_link_url(token), hours=_link_hours(), new=True
            )
    status = 400 if form.errors else 200
    return render_template("users/create.html", form=form), status


@bp.get("/<int:user_id>")
@access("admin")
def detail(user_id: int):
    user = _get_user(user_id)
    return render_template("users/detail.html", user=user, **_detail_forms(user))


def _detail_forms(user: User, **overrides) -> dict:
    regions_form = overrides.pop("regions_form", None) or RegionsForm(
        formdata=None, regions=user.region_ids
    )
    regions_form.regions.choices = region_choices(service.all_regions(), localized)
    forms = {
        "role_form": RoleForm(formdata=None, role=user.role),
        "regions_form": regions_form,
        "action_form": ActionForm(),
    }
    forms.update(overrides)
    return forms


def _apply(user_id: int, action, done_message: str):
    """Run one admin action on a user; rule violations come back as a message, not a 500."""
    user = _get_user(user_id)
    try:
        changed = action(user)
    except AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("users.detail", user_id=user.id))
    db.session.commit()
    if changed is not False:
        flash(done_message, "success")
    return redirect(url_for("users.detail", user_id=user.id))


def _valid_action_form():
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.post("/<int:user_id>/deactivate")
@access("admin")
def deactivate(user_id: int):
    _valid_action_form()
    return _apply(
        user_id,
        lambda u: service.deactivate(u, current_user),
        _("The account is deactivated and its sessions have ended."),
    )


@bp.post("/<int:user_id>/reactivate")
@access("admin")
def reactivate(user_id: int):
    _valid_action_form()
    return _apply(
        user_id,
        lambda u: service.reactivate(u, current_user),
        _("The account is active again."),
    )


@bp.post("/<int:user_id>/role")
@access("admin")
def change_role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        user = _get_user(user_id)
        return render_template(
            "users/detail.html", user=user, **_detail_forms(user, role_form=form)
        ), 400
    return _apply(
        user_id,
        lambda u: service.change_role(u, form.role.data, current_user),
        _("The role is changed."),
    )


@bp.post("/<int:user_id>/regions")
@access("admin")
def set_regions(user_id: int):
    form = RegionsForm()
    form.regions.choices = region_choices(service.all_regions(), localized)
    if not form.validate_on_submit():
        user = _get_user(user_id)
        return render_template(
            "users/detail.html", user=user, **_detail_forms(user, regions_form=form)
        ), 400
    return _apply(
        user_id,
        lambda u: service.set_regions(u, service.regions_by_ids(form.regions.data), current_user),
        _("The regions are saved."),
    )


@bp.post("/<int:user_id>/reset-two-factor")
@access("admin")
def reset_two_factor(user_id: int):
    _valid_action_form()
    return _apply(
        user_id,
        lambda u: service.reset_two_factor(u, current_user),
        _("Two-factor is reset; the person sets it up again at their next sign-in."),
    )


@bp.post("/<int:user_id>/link")
@access("admin")
def issue_link(user_id: int):
    _valid_action_form()
    user = _get_user(user_id)
    if not user.is_active:
        flash(_("Reactivate the account before issuing a link."), "error")
        return redirect(url_for("users.detail", user_id=user.id))
    token = service.issue_link(user, current_user, _link_hours())
    db.session.commit()
    return render_template(
        "users/link.html", user=user, link=_link_url(token), hours=_link_hours(), new=False
    )


@bp.route("/import", methods=["GET", "POST"])
@access("admin")
def import_csv():
    form = ImportForm()
    if form.validate_on_submit():
        raw = form.file.data.read(IMPORT_MAX_BYTES + 1)
        text = None
        if len(raw) > IMPORT_MAX_BYTES:
            form.file.errors.append(_("The file is larger than 2 MB."))
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors.append(_("Save the file as CSV with UTF-8 encoding."))
        if text is not None:
            try:
                result = service.import_users_csv(text, current_user, _link_hours())
            except AccountError as error:
                db.session.rollback()
                form.file.errors.append(str(error))
            else:
                if not result.ok:
                    db.session.rollback()
                    return render_template("users/import.html", form=form, result=result), 400
                db.session.commit()
                links = [(user, _link_url(token)) for user, token in result.created]
                updates = [
                    (row, ", ".join(str(CHANGE_LABELS[c]) for c in row.changes))
                    for row in result.to_update
                ]
                return render_template(
                    "users/import_done.html",
                    result=result,
                    links=links,
                    updates=updates,
                    hours=_link_hours(),
                )
    status = 400 if form.errors else 200
    return render_template("users/import.html", form=form, result=None), status
