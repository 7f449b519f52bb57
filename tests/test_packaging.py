"""Reproducible installs: a wheel built from the repository's files carries the compiled be/ru/en
catalogs, the templates and the migrations; installed with the lock file into a fresh virtualenv
it migrates a database and serves a Belarusian page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.packaging

SERVE_IN_BELARUSIAN = """
import sys
import observer
from flask_migrate import upgrade
from observer import create_app

print(observer.__file__)
app = create_app({"DATABASE_URL": "sqlite:///" + sys.argv[1], "SECRET_KEY": "packaging-test"})
with app.app_context():
    upgrade()
page = app.test_client().get("/login", headers={"Accept-Language": "be"})
print(page.status_code)
print(page.get_data(as_text=True))
"""


def repository_files() -> list[str]:
    """What a fresh clone holds (tracked files and new ones not ignored): no compiled .mo."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in repository_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    assert not list(source.glob("observer/translations/*/LC_MESSAGES/*.mo"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(source)],
        check=True,
        timeout=600,
    )
    (built,) = dist.glob("observer-*.whl")
    return built


def test_the_wheel_carries_compiled_catalogs_templates_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in ("be", "ru", "en"):
        assert f"observer/translations/{language}/LC_MESSAGES/messages.mo" in names
    assert "observer/templates/base.html" in names
    assert "observer/migrations/env.py" in names
    assert any(re.match(r"observer/migrations/versions/\w+\.py$", n) for n in names)


def test_the_wheel_installed_from_the_lock_serves_belarusian(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run(
        [*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")], check=True, timeout=900
    )
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, timeout=300)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OBSERVER_", "PYTHON"))}
    served = subprocess.run(
        [str(venv / "bin" / "python"), "-c", SERVE_IN_BELARUSIAN, str(tmp_path / "db.sqlite")],
        cwd=tmp_path,  # away from the checkout: only the installed package can be imported
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert served.returncode == 0, served.stderr[-3000:]
    location, status, page = served.stdout.split("\n", 2)
    assert location.startswith(str(venv))  # the wheel's copy, not the checkout
    assert status == "200"
    assert 'lang="be"' in page
    assert "Увайсці" in page
