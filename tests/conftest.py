"""Fixtures: one migrated database per test session (SQLite file, or a uniquely named PostgreSQL
database when OBSERVER_TEST_DATABASE_URL is set), emptied after every test; small factories."""

from __future__ import annotations

import os
import uuid
from time import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from observer import create_app
from observer.extensions import db as _db
from observer.models import Base

DEFAULT_PASSWORD = "correct horse battery staple"


def _postgres_database(admin_url: str):
    """Create a uniquely named database; returns (its URL, a function that drops it)."""
    url = make_url(admin_url)
    name = f"observer_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure to reach PostgreSQL ends the run
        pytest.exit(f"PostgreSQL is unreachable at {admin_url}: {error}", returncode=3)

    def drop():
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    admin_url = os.environ.get("OBSERVER_TEST_DATABASE_URL")
    if admin_url:
        url, drop = _postgres_database(admin_url)
        yield url
        drop()
    else:
        if os.environ.get("OBSERVER_TEST_REQUIRE_POSTGRES"):
            pytest.exit("OBSERVER_TEST_DATABASE_URL is not set", returncode=3)
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "observer-test.sqlite")


@pytest.fixture(scope="session")
def base_config(database_url, tmp_path_factory):
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SIGNING_KEY_PATH": str(tmp_path_factory.mktemp("keys") / "mission-signing.key"),
    }


@pytest.fixture(scope="session")
def make_app(base_config):
    """Build another app on the same test database with some settings changed."""

    def build(**overrides):
        return create_app({**base_config, **overrides})

    return build


def compile_translations() -> None:
    """Compile the .po catalogs (make does it too) so a bare `pytest` sees every language."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[1] / "observer" / "translations"
    for po_path in root.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)


@pytest.fixture(scope="session")
def app(make_app):
    from flask_migrate import upgrade

    compile_translations()
    application = make_app()
    with application.app_context():
        upgrade(revision="heads")
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def test_side_app(app, make_app):
    """A twin of `app` on the same database, whose context the test code runs in.

    Flask reuses an active app context of the *same* app for a request, which would let
    requests share `g` (the signed-in user) and the SQLAlchemy session with the test and with
    each other. With the test inside a twin's context, every request gets its own context,
    session and `g`, exactly as in production."""
    return make_app()


@pytest.fixture
def db(app, test_side_app):
    """The database, inside an app context; every table is emptied after the test."""
    with test_side_app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def catalog(db):
    """The default 2024 catalog (campaign, stages, criteria, regions, districts)."""
    from observer.catalog.seed import load_default_catalog

    load_default_catalog()
    db.session.commit()
    from observer.models import Campaign

    return db.session.execute(db.select(Campaign)).scalar_one()


@pytest.fixture
def make_user(db):
    from observer.auth.service import create_user
    from observer.auth.totp import new_secret

    counter = {"n": 0}

    def build(role="observer", email=None, password=DEFAULT_PASSWORD, two_factor=None, **kw):
        counter["n"] += 1
        email = email or f"{role}{counter['n']}@example.org"
        user = create_user(
            email,
            kw.pop("display_name", f"{role.title()} Person {counter['n']}"),
            role,
            password=password,
            **kw,
        )
        if two_factor is None:
            two_factor = role in ("coordinator", "admin")
        if two_factor:
            user.totp_secret = new_secret()
            user.totp_enabled = True
        db.session.commit()
        return user

    return build


def login(client, user) -> None:
    """Sign a user in directly (the sign-in flow itself is tested in tests/test_auth.py)."""
    from observer.auth import sessions

    session_id = sessions.open_session(user, max_hours=24)
    _db.session.commit()
    with client.session_transaction() as session:
        session[sessions.SESSION_ID_KEY] = session_id
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["last_seen"] = time()
        session["reauth_at"] = time()


@pytest.fixture
def login_as(client):
    def sign_in(user, target_client=None):
        login(target_client or client, user)
        return target_client or client

    return sign_in


@pytest.fixture(autouse=True)
def mission_signing_key(request):
    """Tests that use the database get the mission's signing key (publishing signs files)."""
    if "db" not in request.fixturenames or request.node.get_closest_marker("no_signing_key"):
        yield None
        return
    request.getfixturevalue("db")
    from observer.statements import keys

    path = keys.key_path()
    if path.exists():
        path.unlink()
    row = keys.create_key()
    _db.session.commit()
    yield row
