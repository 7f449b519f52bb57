"""The export of a whole mission under the README's production setup: gunicorn (its worker
timeout set short, 3 s), the suite's database (PostgreSQL in CI's second run) and the real
queue worker (`flask --app wsgi jobs worker` on Redis). Every report comes out, in order, in
CSV and XLSX: the exports run in the worker, never inside a request, so gunicorn's timeout
cannot cut them; the file is downloaded through gunicorn in pieces. (Before, the CSV stopped
at gunicorn's timeout.)"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pyotp
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bench.harness import Client, Gunicorn
from observer.models import Report, Status
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[1]
REPORTS = 12_000
GUNICORN_TIMEOUT = 3
SECRET = "production-export-test-secret"


@pytest.fixture
def queue():
    import redis

    url = "redis://127.0.0.1:6379/11"
    connection = redis.Redis.from_url(url)
    connection.ping()  # no Redis is a failure, not a skip
    name = f"observer-test-{uuid.uuid4().hex[:10]}"
    yield url, name
    for key in connection.scan_iter(match=f"*{name}*"):
        connection.delete(key)
    connection.close()


def sign_in_with_code(client: Client, user) -> None:
    token = client.csrf_token("/login")
    status, headers, _ = client.post(
        "/login", {"csrf_token": token, "email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert status == 302 and headers["Location"].endswith("/login/code")
    token = client.csrf_token("/login/code")
    code = pyotp.TOTP(user.totp_secret).now()
    status, _, _ = client.post("/login/code", {"csrf_token": token, "code": code})
    assert status == 302


def export(client: Client, fmt: str, timeout: float = 300) -> tuple[bytes, dict]:
    page = f"/dashboard/export/reports?format={fmt}"
    token = client.csrf_token(page)
    status, headers, _ = client.post(page, {"csrf_token": token})
    assert status == 303, status
    job_page = headers["Location"]
    deadline = time.monotonic() + timeout
    while True:
        status, _, body = client.get(job_page + "/status")
        state = json.loads(body)
        if state["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, state
        time.sleep(0.5)
    assert state["status"] == "done", state
    status, headers, body = client.get(job_page + "/download")
    assert status == 200
    assert int(headers["Content-Length"]) == len(body)
    return body, state


def test_a_whole_mission_exports_every_row_under_gunicorn_and_the_worker(
    db, make_user, database_url, queue, tmp_path
):
    from observer.demo.generate import generate_reports

    generate_reports(REPORTS, seed=1, observers=20, batch_size=5000)
    db.session.commit()
    coordinator = make_user("coordinator")
    expected = db.session.scalars(
        select(Report.reference).where(Report.status == Status.VERIFIED).order_by(Report.id)
    ).all()
    assert len(expected) > 5_000

    redis_url, queue_name = queue
    env = {
        "OBSERVER_DATABASE_URL": database_url,
        "OBSERVER_SECRET_KEY": SECRET,
        "OBSERVER_LOGIN_RATE_LIMIT": "1000 per minute",
        "OBSERVER_RATELIMIT_STORAGE_URI": "memory://",
        "OBSERVER_JOBS_REDIS_URL": redis_url,
        "OBSERVER_JOBS_QUEUE_NAME": queue_name,
    }
    worker_log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "jobs", "worker"],
        cwd=ROOT,
        env={**__import__("os").environ, **env},
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        with Gunicorn(env=env, log_dir=tmp_path, timeout=GUNICORN_TIMEOUT) as server:
            client = Client(server.port, timeout=60)
            sign_in_with_code(client, coordinator)
            status, _, body = client.get("/dashboard/export/reports?format=csv")
            assert status == 200
            assert re.search(rf"{len(expected):,} reports".encode(), body)

            data, _ = export(client, "csv")
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
            assert [row[0] for row in rows[1:]] == expected  # every report, in order, once

            data, state = export(client, "xlsx")
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            references = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
            assert references == expected and state["total"] == len(expected)
            from observer.models import Job

            db.session.expire_all()
            job_ids = db.session.scalars(select(Job.public_id)).all()
            status, _, _ = Client(server.port).get(f"/jobs/{uuid.uuid4().hex}")
            assert status == 302  # signed out: to sign-in, never a file
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_log.close()
    log = (tmp_path / "worker.log").read_text()
    assert "Traceback" not in log
    for job_id in job_ids:  # both ran in the worker, not in a web request
        assert f"observer-job-{job_id}" in log
