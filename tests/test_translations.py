"""Every user-facing string is translated into Belarusian and Russian, and the catalogs are
current: a string added to the code without a translation fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "observer" / "translations"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_plural:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def load(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def message_key(message):
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.mark.parametrize("language", ["be", "ru"])
def test_every_message_is_translated(extracted, language):
    catalog = load(language)
    missing, fuzzy = [], []
    for message in extracted:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        if (
            translated is None
            or not translated.string
            or (isinstance(translated.string, tuple) and not all(translated.string))
        ):
            missing.append(message_key(message))
        elif translated.fuzzy:
            fuzzy.append(message_key(message))
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"


@pytest.mark.parametrize("language", ["be", "ru"])
def test_placeholders_survive_translation(language):
    catalog = load(language)
    broken = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        for token in _placeholders(source):
            if token not in target:
                broken.append((source, target))
    assert broken == []


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"%\([a-z_]+\)[sd]", text))


def test_pages_speak_the_chosen_language(client):
    client.post("/language", data={"language": "be", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert 'lang="be"' in page
    assert "Уваход" in page or "Увайсці" in page  # "Sign in" in Belarusian
    client.post("/language", data={"language": "ru", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert 'lang="ru"' in page and "Войти" in page


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(as_text=True)
    assert 'lang="ru"' in page


def test_template_strings_follow_a_forced_language_and_come_back(app):
    """Templates look translations up once per request and language: a language forced for a
    part of the request (an e-mail in the recipient's language) is used there and only there."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    sign_in = '{{ _("Sign in") }}'
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(sign_in) == "Sign in"
        with force_locale("ru"):
            assert render_template_string(sign_in) == "Войти"
            with force_locale("be"):
                assert render_template_string(sign_in) == "Увайсці"
            assert render_template_string(sign_in) == "Войти"
        assert render_template_string(sign_in) == "Sign in"
    with app.test_request_context("/", headers={"Accept-Language": "be"}):
        assert render_template_string(sign_in) == "Увайсці"
        refresh()  # e.g. the user changed their language during the request
        assert render_template_string(sign_in) == "Увайсці"
