"""Observer: election observation platform. `create_app` builds the Flask app in named steps."""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask

from observer import config as config_module

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _resource_dir(name: str) -> str:
    """templates/ and migrations/ sit beside the package in a checkout; a wheel carries them
    inside it (see setup.py)."""
    inside = os.path.join(PACKAGE_DIR, name)
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(PACKAGE_DIR), name)


TEMPLATE_DIR = _resource_dir("templates")
MIGRATIONS_DIR = _resource_dir("migrations")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=TEMPLATE_DIR,
        static_folder="static",
        instance_relative_config=True,
    )
    configure(app, config)
    register_extensions(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_blueprints(app)
    register_cli(app)
    register_error_handlers(app)
    return app


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    settings = config_module.defaults(app.instance_path)
    settings = config_module.from_environment(settings, os.environ)
    settings.update(overrides or {})
    if not settings.get("SECRET_KEY"):
        if settings.get("PRODUCTION"):
            raise RuntimeError("OBSERVER_SECRET_KEY must be set in production")
        settings["SECRET_KEY"] = _instance_secret(app.instance_path)
    if settings.get("PRODUCTION") and not settings.get("PUBLIC_URL"):
        raise RuntimeError(
            "OBSERVER_PUBLIC_URL must be set in production (e.g. https://observer.example.org)"
        )
    app.config.update(config_module.finalise(settings))
    if int(app.config["PROXY_COUNT"]) > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only the last PROXY_COUNT addresses in X-Forwarded-For were written by our proxies;
        # anything before them is whatever the client sent.
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _instance_secret(instance_path: str) -> str:
    """Development convenience: a random key kept in the instance folder, made on first use."""
    path = os.path.join(instance_path, "secret_key")
    if os.path.exists(path):
        with open(path) as handle:
            return handle.read().strip()
    os.makedirs(instance_path, exist_ok=True)
    key = secrets.token_hex(32)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
        handle.write(key)
    return key


def register_extensions(app: Flask) -> None:
    from observer.extensions import (
        babel,
        csrf,
        db,
        enable_sqlite_pragmas,
        limiter,
        login_manager,
        migrate,
    )
    from observer.i18n import install_template_gettext, select_locale

    db.init_app(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(PACKAGE_DIR, "translations"),
    )
    install_template_gettext(app)
    limiter.init_app(app)

    from observer.auth.service import load_user_from_session_id
    from observer.catalog.snapshot import watch_catalog_changes

    login_manager.user_loader(load_user_from_session_id)
    watch_catalog_changes()


def register_request_hooks(app: Flask) -> None:
    from observer.auth.access import enforce_access
    from observer.security import add_security_headers, expire_idle_session

    # Idle expiry first, so an expired session is judged as anonymous by the access guard.
    app.before_request_funcs.setdefault(None, [])[:0] = [expire_idle_session, enforce_access]
    app.after_request(add_security_headers)


def register_template_helpers(app: Flask) -> None:
    from observer.templating import init_templating

    init_templating(app)


def register_blueprints(app: Flask) -> None:
    from observer.assessments.views import bp as assessments_bp
    from observer.audit.views import bp as audit_bp
    from observer.auth.views import bp as auth_bp
    from observer.backlog.views import bp as backlog_bp
    from observer.catalog.views import bp as catalog_bp
    from observer.dashboard.views import bp as dashboard_bp
    from observer.jobs.views import bp as jobs_bp
    from observer.openrosa.pages import bp as devices_bp
    from observer.openrosa.views import bp as openrosa_bp
    from observer.public.views import bp as public_bp
    from observer.records.views import bp as records_bp
    from observer.reports.views import bp as reports_bp
    from observer.review.views import bp as review_bp
    from observer.statements.views import bp as statements_bp
    from observer.users.views import bp as users_bp

    for blueprint in (
        public_bp,
        auth_bp,
        users_bp,
        catalog_bp,
        reports_bp,
        review_bp,
        backlog_bp,
        dashboard_bp,
        statements_bp,
        assessments_bp,
        audit_bp,
        jobs_bp,
        records_bp,
        openrosa_bp,
        devices_bp,
    ):
        app.register_blueprint(blueprint)


def register_cli(app: Flask) -> None:
    from observer.cli import register_commands

    register_commands(app)


def register_error_handlers(app: Flask) -> None:
    from observer.errors import init_error_handlers

    init_error_handlers(app)
