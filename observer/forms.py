"""The base of every form: Flask-WTF, with WTForms' own messages ("Not a valid choice.") in the
request's language.

WTForms ships no Belarusian catalog, so the messages our forms can show are translated in ours
(marked below for pybabel); for anything else its own catalog is used, read once per language
and process (Flask-WTF reads and parses it again on every request, since every form's CSRF field
looks up its label: a measurable share of a report submission)."""

from __future__ import annotations

from functools import cache

from babel import support
from flask import current_app
from flask_babel import get_locale, get_translations
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice list WTForms 3.3+ wants (tuples go in 3.4)."""
    return [SelectChoice(value, label) for value, label in pairs]


def N_(message: str) -> str:
    """Marks a message for extraction only."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural for extraction only (pybabel -k N_plural:1,2)."""
    return singular, plural


# The WTForms messages our forms can show: validators and fields given no message of ours.
TRANSLATED_HERE = (
    N_("This field is required."),
    N_("Invalid input."),
    N_plural(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_plural(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid integer value."),
)


@cache
def _catalog(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    def gettext(self, string: str) -> str:
        ours = get_translations().ugettext(string)
        if ours != string:
            return ours
        return _catalog(str(get_locale())).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        ours = get_translations().ungettext(singular, plural, n)
        if ours not in (singular, plural):
            return ours
        return _catalog(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = _WTFormsMessages()


class ObserverForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return WTFORMS_MESSAGES
