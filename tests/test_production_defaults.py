"""Production defaults that are safe by construction: the demo commands refuse to run, and the
repository's gunicorn.conf.py sizes workers from the machine and keeps query strings and
tokens out of the access log."""

from __future__ import annotations

import http.client
import importlib.util
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.harness import free_port
from observer.models import User

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "PRODUCTION": True,
    "SECRET_KEY": "a-long-production-secret",
    "PUBLIC_URL": "https://observer.example.org",
}


@pytest.mark.parametrize(
    "args", [["demo", "seed"], ["demo", "generate", "--reports", "10"]], ids=["seed", "generate"]
)
def test_demo_commands_refuse_in_production(make_app, db, args):
    production = make_app(**PRODUCTION)
    with production.app_context():  # the test's own app context would otherwise be reused
        result = production.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert "refuses to run because OBSERVER_PRODUCTION is set" in result.output
    assert "flask users create" in result.output
    assert db.session.execute(select(func.count(User.id))).scalar_one() == 0


def load_config(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_config_sizes_workers_from_the_cores(monkeypatch):
    monkeypatch.delenv("OBSERVER_WEB_WORKERS", raising=False)
    config = load_config(monkeypatch)
    assert config.workers == multiprocessing.cpu_count() * 2 + 1
    assert config.bind == "127.0.0.1:8000"
    assert 60 <= config.timeout <= 300 and config.graceful_timeout <= config.timeout
    assert "%(q)s" not in config.access_log_format and "%(r)s" not in config.access_log_format
    assert "%(f)s" not in config.access_log_format  # no referrer
    assert load_config(monkeypatch, OBSERVER_WEB_WORKERS="3").workers == 3
    assert config.redact_path("/set-password/abc123?x=1") == "/set-password/[token]"
    assert config.redact_path("/review/?q=Minsk") == "/review/"


def test_gunicorn_access_log_has_no_query_strings_or_tokens(database_url, tmp_path):
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "OBSERVER_DATABASE_URL": database_url,
        "OBSERVER_SECRET_KEY": "gunicorn-config-test",
        "OBSERVER_WEB_BIND": f"127.0.0.1:{port}",
        "OBSERVER_WEB_WORKERS": "1",
        "OBSERVER_WEB_ACCESS_LOG": str(access_log),
        "OBSERVER_WEB_ERROR_LOG": str(tmp_path / "error.log"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env
    )
    try:
        paths = ["/login?next=/review/%3Fq%3Dwitness-name", "/set-password/one-time-secret-token"]
        deadline = time.monotonic() + 60
        served = 0
        while served < len(paths) and time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", paths[served])
                connection.getresponse().read()
                connection.close()
                served += 1
            except OSError:
                time.sleep(0.3)
        assert served == len(paths), (tmp_path / "error.log").read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = access_log.read_text()
    assert '"GET /login HTTP/1.1" 200' in log
    assert '"GET /set-password/[token] HTTP/1.1" 404' in log
    assert "witness-name" not in log and "one-time-secret-token" not in log and "?" not in log
