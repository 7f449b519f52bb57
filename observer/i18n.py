"""Language choice: the user's preference, else the session's switcher, else Accept-Language."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
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
