"""Helpers shared by the auth and users tests."""

from __future__ import annotations

import pytest
from flask import g, request_started


@pytest.fixture(autouse=True)
def fresh_login_state(app):
    """The `db` fixture keeps one app context open for the whole test, and test requests reuse
    it, so per-request caches on `g` (Flask-Login's user, Flask-Babel's locale) would carry one
    request's user and language into the next. Forget them at the start of every request, as a
    real server does by giving each request a fresh context."""

    def forget(sender, **extra):
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)
