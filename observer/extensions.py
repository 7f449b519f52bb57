"""Extension objects, instantiated only: create_app binds them to an app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from observer.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def enable_sqlite_pragmas(engine) -> None:
    """SQLite ignores foreign keys unless asked on every connection; waits on a busy writer.
    Its built-in lower() folds ASCII only, so case-insensitive search (ILIKE is compiled to
    lower() LIKE lower()) would miss "Выбарчы" for "выбарчы": Python's lower() replaces it, as
    PostgreSQL's does for Cyrillic."""
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
