"""Language choice: the user's preference, else the session's switcher, else Accept-Language."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_translations
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "be": "Беларуская", "ru": "Русский"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands: messages in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def request_translations():
    """The translations of the current language, looked up once per request and language.

    Flask-Babel finds them anew for every string (three trips through the request context and
    the locale's name), and a page has a hundred strings. The memo lives in Flask-Babel's own
    per-request state next to the locale it was made for, so a changed or forced locale
    (`force_locale`, `refresh`) finds it stale and looks again."""
    if not g:
        return get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    memo = getattr(state, "observer_translations", None)
    if memo is not None and locale is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        state.observer_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def install_template_gettext(app) -> None:
    """Templates translate through request_translations() (Flask-Babel's own callables, but
    without the per-string lookups)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
