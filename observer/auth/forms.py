"""Forms for signing in, two-factor, the account page and passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from observer.auth import passwords
from observer.forms import ObserverForm, select_choices
from observer.i18n import LANGUAGE_NAMES

ROLE_NAMES = {
    "observer": _l("Observer"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}

PASSWORD_PROBLEMS = {
    "too_short": _l("Use at least %(count)s characters.", count=passwords.MIN_LENGTH),
    "too_common": _l("This password is too common or too simple. Please choose another."),
}


def strong_password(form, field) -> None:
    problem = passwords.password_problem(field.data or "")
    if problem:
        raise ValidationError(PASSWORD_PROBLEMS[problem])


def code_field(label=None) -> StringField:
    # Authenticator apps show 6 digits; "numeric" brings up the digit keypad on phones.
    return StringField(
        label or _l("6-digit code"),
        validators=[DataRequired(message=_l("Enter the code from your authenticator app."))],
        render_kw={
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "pattern": "[0-9 ]*",
            "maxlength": 8,
        },
    )


class LoginForm(ObserverForm):
    email = StringField(
        _l("Email"),
        validators=[DataRequired(message=_l("Enter your email address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "inputmode": "email", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class TwoFactorForm(ObserverForm):
    code = code_field()
    submit = SubmitField(_l("Continue"))


class TwoFactorSetupForm(ObserverForm):
    code = code_field(_l("Code shown by the app"))
    submit = SubmitField(_l("Turn on two-factor"))


class TwoFactorDisableForm(ObserverForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Turn off two-factor"))


class AccountForm(ObserverForm):
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(message=_l("Enter a name.")), Length(max=120)],
        render_kw={"autocomplete": "nickname"},
    )
    locale = SelectField(_l("Preferred language"), choices=select_choices(LANGUAGE_NAMES.items()))
    submit = SubmitField(_l("Save"))


class NewPasswordMixin:
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Enter a new password.")), strong_password],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Repeat the new password.")),
            EqualTo("new_password", message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ObserverForm, NewPasswordMixin):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Change password"))


class SetPasswordForm(ObserverForm, NewPasswordMixin):
    submit = SubmitField(_l("Set password"))


class ReauthForm(ObserverForm):
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("6-digit code"),
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 8},
    )
    submit = SubmitField(_l("Confirm"))
