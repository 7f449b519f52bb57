"""Device credential pages: an observer creates one per phone (shown once, as text and as ODK
Collect's settings QR code), sees when each was last used and revokes it; staff revoke any."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from observer import confirm
from observer.auth.access import access
from observer.auth.totp import qr_svg_data_uri
from observer.forms import ObserverForm
from observer.openrosa import credentials

bp = Blueprint("devices", __name__, url_prefix="/account/devices")


class NewDeviceForm(ObserverForm):
    name = StringField(
        _l("Name of the phone"),
        validators=[DataRequired(_l("Give the phone a name.")), Length(max=credentials.NAME_MAX)],
        render_kw={"placeholder": _l("e.g. my Android phone"), "autocomplete": "off"},
    )
    submit = SubmitField(_l("Create a device credential"))


def server_url() -> str:
    return url_for("openrosa.form_list", _external=True).rsplit("/formList", 1)[0]


@bp.route("/", methods=["GET", "POST"])
@access("signed_in")
def index():
    form = NewDeviceForm()
    issued = None
    if form.validate_on_submit():
        issued = credentials.create_credential(current_user, form.name.data)
    response = render_template(
        "openrosa/devices.html",
        form=form if issued is None else NewDeviceForm(formdata=None),
        issued=issued,
        server_url=server_url(),
        qr=_qr(issued),
        devices=credentials.credentials_of(current_user.id),
    )
    status = 422 if request.method == "POST" and issued is None else 200
    # The password is on this page only: never kept by a cache.
    return response, status, {"Cache-Control": "no-store"}


def _qr(issued):
    if issued is None:
        return None
    text = credentials.collect_settings(server_url(), issued.username, issued.password)
    return qr_svg_data_uri(text)


@bp.get("/all")
@access("staff")
def all_devices():
    return render_template("openrosa/all_devices.html", rows=credentials.live_credentials())


@bp.post("/<int:credential_id>/revoke")
@access("signed_in")
def revoke(credential_id: int):
    credential = credentials.find(credential_id)
    if credential is None or not credentials.can_revoke(current_user, credential):
        abort(404)
    back = (
        url_for("devices.index")
        if credential.user_id == current_user.id
        else url_for("devices.all_devices")
    )
    if not confirm.is_confirmed():
        return confirm.ask(
            _("Revoke the credential “%(name)s”?", name=credential.name),
            _("Revoke"),
            back,
            _(
                "The phone will no longer be able to send reports with it. Reports it already "
                "sent are kept."
            ),
        )
    credentials.revoke(current_user, credential)
    flash(_("The credential “%(name)s” is revoked.", name=credential.name), "success")
    return redirect(back)
