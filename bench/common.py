"""Helpers every benchmark shares: a throw-away PostgreSQL database, the app on it, timing, and
the machine description recorded with the results."""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET = "bench-secret-key"
OBSERVER_EMAIL = "bench-observer@example.org"
ADMIN_EMAIL = "bench-admin@example.org"
PASSWORD = "bench password for loopback only"


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            kib = int(line.split()[1])
    return f"{os.cpu_count()} cores, {kib / 1048576:.0f} GiB, {cpu}"


class Database:
    """A PostgreSQL database for one benchmark run: created, and dropped unless kept."""

    def __init__(self, name: str | None = None):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.name = name or f"observer_bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.url = make_url(ADMIN_URL).set(database=self.name).render_as_string(False)

    def exists(self) -> bool:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": self.name}
            )
            return found.first() is not None

    def create(self) -> Database:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": self.name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
        self.admin.dispose()


def make_app(url: str, **overrides):
    from observer import create_app

    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_ENABLED": False,
            **overrides,
        }
    )


def prepare(app) -> None:
    """Migrate, load the catalog, and add one observer and one admin with passwords."""
    from flask_migrate import upgrade

    from observer.auth.service import create_user, find_user_by_email
    from observer.auth.totp import new_secret
    from observer.catalog.seed import load_default_catalog
    from observer.extensions import db

    with app.app_context():
        upgrade(revision="heads")
        load_default_catalog()
        for email, role in ((OBSERVER_EMAIL, "observer"), (ADMIN_EMAIL, "admin")):
            if find_user_by_email(email) is None:
                user = create_user(email, f"Bench {role}", role, password=PASSWORD)
                if user.needs_two_factor:  # staff must have enrolled before any staff page
                    user.totp_secret, user.totp_enabled = new_secret(), True
        db.session.commit()


def server_env(url: str) -> dict[str, str]:
    return {
        "OBSERVER_DATABASE_URL": url,
        "OBSERVER_SECRET_KEY": SECRET,
        "OBSERVER_LOGIN_RATE_LIMIT": "10000 per minute",
        "OBSERVER_LOGIN_ADDRESS_RATE_LIMIT": "10000 per minute",
        "OBSERVER_RATELIMIT_STORAGE_URI": "memory://",
    }


def signed_in_client(app, email: str):
    """A test client whose session is signed in (as after password and code), for timing pages
    in-process without the sign-in flow."""
    from observer.auth import sessions
    from observer.auth.service import find_user_by_email
    from observer.extensions import db

    with app.app_context():
        user = find_user_by_email(email)
        user_id = user.get_id()
        server_session = sessions.open_session(user, max_hours=24)
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session[sessions.SESSION_ID_KEY] = server_session
        session["_user_id"] = user_id
        session["_fresh"] = True
        session["last_seen"] = time.time()
        session["reauth_at"] = time.time()
    return client


def median_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def paired_medians(first, second, repeat: int) -> tuple[float, float]:
    """Median times of two functions run alternately, so both see the same background load
    (other processes on a small machine make single timings noisy)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, bucket in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"
