"""Forms of the user administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from observer.auth.forms import ROLE_NAMES, select_choices
from observer.forms import ObserverForm
from observer.i18n import LANGUAGE_NAMES

ROLE_CHOICES = list(ROLE_NAMES.items())
ROLE_SELECT = select_choices(ROLE_CHOICES)


def region_choices(regions, localize) -> list:
    return select_choices((r.id, f"{localize(r)} ({r.iso_code})") for r in regions)


class UserFilterForm(ObserverForm):
    class Meta:
        csrf = False  # a GET filter, bookmarkable

    q = StringField(_l("Search"), validators=[Optional(), Length(max=254)])
    role = SelectField(
        _l("Role"), choices=select_choices([("", _l("Any role")), *ROLE_CHOICES]), default=""
    )
    state = SelectField(
        _l("State"),
        choices=select_choices(
            [("", _l("Any")), ("active", _l("Active")), ("inactive", _l("Deactivated"))]
        ),
        default="",
    )


class CreateUserForm(ObserverForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter an email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Enter a name.")), Length(max=120)]
    )
    role = SelectField(_l("Role"), choices=ROLE_SELECT, default="observer")
    regions = SelectMultipleField(_l("Regions"), coerce=int, validators=[Optional()])
    locale = SelectField(
        _l("Language"),
        choices=select_choices([("", _l("Browser default")), *LANGUAGE_NAMES.items()]),
        default="",
    )
    submit = SubmitField(_l("Create account"))


class RoleForm(ObserverForm):
    role = SelectField(_l("Role"), choices=ROLE_SELECT)
    submit = SubmitField(_l("Change role"))


class RegionsForm(ObserverForm):
    regions = SelectMultipleField(_l("Regions"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save regions"))


class ActionForm(ObserverForm):
    """A button-only form: carries the CSRF token for deactivate, reset and similar."""

    submit = SubmitField(_l("Confirm"))


class ImportForm(ObserverForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file."))])
    submit = SubmitField(_l("Import"))
