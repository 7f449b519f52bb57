"""Background jobs: the requester alone sees a job and downloads its file (every download in the
security log); foreign, malformed and expired links get a clear 4xx; a failing job keeps no
file and says why; progress on the page, refreshing itself without JavaScript; the RQ worker
command works a job queued in Redis."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from observer.dashboard import exports
from observer.jobs import service
from observer.jobs.kinds import KINDS, JobFailed
from observer.models import AuditLog, Job, JobFileChunk, JobStatus, utcnow
from tests.factories_dashboard import build_catalog, build_reports
from tests.jobs_helpers import download_finished, wait_for_job

ROOT = Path(__file__).resolve().parents[1]


def failing_kind(job, out, progress):
    """Writes half a file, then fails as a broken query would."""
    progress.set_total(10)
    out.write(b"reference,status\r\nR-1,verified\r\n")
    progress.advance(5)
    raise RuntimeError("connection lost")


def refused_kind(job, out, progress):
    raise JobFailed("not_allowed")


@pytest.fixture
def people(make_user):
    return {
        "coordinator": make_user("coordinator"),
        "other": make_user("coordinator"),
        "observer": make_user("observer"),
        "admin": make_user("admin"),
    }


@pytest.fixture
def dataset(db, people):
    build_catalog()
    return build_reports([people["observer"]], people["admin"])


def start_export(client, fmt="csv") -> str:
    response = client.post(f"/dashboard/export/reports?format={fmt}")
    assert response.status_code == 303
    return response.headers["Location"]


def test_only_the_requester_sees_and_downloads_the_file(dataset, client, login_as, people, app, db):
    login_as(people["coordinator"])
    page = start_export(client)
    download = download_finished(client, page)
    assert download.headers["Content-Disposition"].startswith('attachment; filename="observer-')
    assert int(download.headers["Content-Length"]) == len(download.data)
    for role in ("other", "observer", "admin"):
        stranger = app.test_client()
        login_as(people[role], stranger)
        for suffix in ("", "/status", "/download"):
            response = stranger.get(page + suffix)
            assert response.status_code == 404, (role, suffix)
            assert b"reference" not in response.data
    anonymous = app.test_client().get(page + "/download")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_every_download_is_in_the_security_log(dataset, client, login_as, people, db):
    login_as(people["coordinator"])
    page = start_export(client)
    first = download_finished(client, page)
    second = client.get(page + "/download")
    second.close()
    assert second.data == first.data
    logged = db.session.scalars(
        select(AuditLog).where(AuditLog.event == "export_downloaded").order_by(AuditLog.id)
    ).all()
    assert len(logged) == 2
    job = db.session.scalars(select(Job)).one()
    assert {entry.actor_id for entry in logged} == {people["coordinator"].id}
    assert logged[0].details["job"] == job.public_id
    assert logged[0].details["rows"] == job.total and logged[0].details["sha256"] == job.sha256


@pytest.mark.parametrize(
    "public_id", ["nonsense", "0" * 32, "Z" * 32, "../../etc/passwd", "a" * 200, "%00"]
)
def test_malformed_or_unknown_job_ids_answer_404(db, client, login_as, people, public_id):
    login_as(people["coordinator"])
    for suffix in ("", "/status", "/download"):
        response = client.get(f"/jobs/{public_id}{suffix}")
        assert response.status_code == 404


def test_an_expired_file_is_gone_and_purged(dataset, client, login_as, people, db):
    login_as(people["coordinator"])
    page = start_export(client)
    download_finished(client, page)
    job = db.session.scalars(select(Job)).one()
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    job.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    for suffix in ("", "/download"):
        response = client.get(page + suffix)
        assert response.status_code == 410
        assert b"24 hours" in response.data
    assert client.get(page + "/status").status_code == 410
    assert service.purge_expired() == 1
    assert db.session.execute(select(func.count()).select_from(JobFileChunk)).scalar_one() == 0
    assert client.get(page).status_code == 404


def test_a_failed_job_keeps_no_file_and_says_why(db, client, login_as, people, monkeypatch):
    monkeypatch.setitem(KINDS, "failing", "tests.test_jobs:failing_kind")
    monkeypatch.setitem(KINDS, "refused", "tests.test_jobs:refused_kind")
    login_as(people["coordinator"])
    for kind, words in (("failing", b"unexpected error"), ("refused", b"may no longer")):
        job = service.start_job(kind, people["coordinator"].id, {"format": "csv"})
        page = f"/jobs/{job.public_id}"
        assert wait_for_job(client, page)["status"] == "failed"
        shown = client.get(page)
        assert shown.status_code == 200
        assert words in shown.data
        assert b"/download" not in shown.data
        assert client.get(page + "/download").status_code == 409
    assert db.session.execute(select(func.count()).select_from(JobFileChunk)).scalar_one() == 0


def test_progress_is_shown_and_the_page_refreshes_itself_without_javascript(
    db, client, login_as, people
):
    login_as(people["coordinator"])
    job = Job(
        public_id=uuid.uuid4().hex,
        kind="reports_export",
        owner_id=people["coordinator"].id,
        params={"format": "csv"},
        status=JobStatus.RUNNING,
        total=1000,
        done=400,
        heartbeat_at=utcnow(),
        expires_at=utcnow() + timedelta(hours=24),
    )
    db.session.add(job)
    db.session.commit()
    page = client.get(f"/jobs/{job.public_id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="100" value="40">' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "400 of 1,000 reports" in page
    assert "jobs.js" in page and "<script>" not in page
    state = client.get(f"/jobs/{job.public_id}/status").get_json()
    assert state == {
        "status": "running",
        "done": 400,
        "total": 1000,
        "percent": 40,
        "page": f"/jobs/{job.public_id}",
    }
    # A worker that went silent (killed, host lost) is shown as a failure, not a spinner.
    job.heartbeat_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    page = client.get(f"/jobs/{job.public_id}").get_data(as_text=True)
    assert "stopped part-way" in page and "refresh" not in page


def test_an_unreachable_queue_fails_the_job_with_a_message(
    db, client, login_as, people, make_app, monkeypatch
):
    build_catalog()
    app = make_app(JOBS_REDIS_URL="redis://127.0.0.1:1/0")
    web = app.test_client()
    login_as(people["coordinator"], web)
    page = web.post("/dashboard/export/reports?format=csv")
    assert page.status_code == 303
    shown = web.get(page.headers["Location"])
    assert shown.status_code == 200
    assert b"job queue is not reachable" in shown.data


def test_xlsx_goes_on_in_further_sheets_past_the_row_limit(tmp_path):
    rows = [(f"R-{n}", n) for n in range(7)]
    path = tmp_path / "split.xlsx"
    with path.open("wb") as out:
        exports.write_xlsx(out, "reports", ("reference", "number"), rows, max_rows=3)
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["reports", "reports-2", "reports-3", "reports-4"]
    read = []
    for sheet in workbook.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        assert values[0] == ("reference", "number") and len(values) <= 3
        read.extend(values[1:])
    assert read == rows


@pytest.fixture
def redis_queue():
    """A queue name of our own on Redis database 11; its keys are deleted afterwards."""
    import redis

    url = "redis://127.0.0.1:6379/11"
    connection = redis.Redis.from_url(url)
    connection.ping()  # no Redis is a failure here, not a skip
    name = f"observer-test-{uuid.uuid4().hex[:10]}"
    yield url, name
    for key in connection.scan_iter(match=f"*{name}*"):
        connection.delete(key)
    connection.close()


def worker_env(database_url: str, redis_url: str, queue_name: str) -> dict:
    return {
        **os.environ,
        "OBSERVER_DATABASE_URL": database_url,
        "OBSERVER_SECRET_KEY": "test-secret-key",
        "OBSERVER_JOBS_REDIS_URL": redis_url,
        "OBSERVER_JOBS_QUEUE_NAME": queue_name,
    }


def run_worker_burst(env: dict) -> subprocess.CompletedProcess:
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run(
        [str(flask), "--app", "wsgi", "jobs", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_worker_command_works_jobs_queued_in_redis(
    dataset, make_app, login_as, people, database_url, redis_queue, db
):
    redis_url, queue_name = redis_queue
    app = make_app(JOBS_REDIS_URL=redis_url, JOBS_QUEUE_NAME=queue_name)
    web = app.test_client()
    login_as(people["coordinator"], web)
    page = start_export(web, "xlsx")
    assert b"Waiting for a free worker" in web.get(page).data  # nothing runs it in the web app
    finished = run_worker_burst(worker_env(database_url, redis_url, queue_name))
    assert finished.returncode == 0, finished.stderr[-2000:]
    download = download_finished(web, page, timeout=5)
    workbook = load_workbook(io.BytesIO(download.data), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == exports.REPORT_COLUMNS
    assert len(rows) - 1 == db.session.scalars(select(Job)).one().total > 0


def test_the_worker_refuses_to_start_without_a_queue(database_url):
    env = worker_env(database_url, "", "unused")
    finished = run_worker_burst(env)
    assert finished.returncode != 0
    assert "OBSERVER_JOBS_REDIS_URL is not set" in finished.stderr


def test_a_file_of_many_chunks_comes_back_whole(dataset, client, login_as, people, db, monkeypatch):
    from observer.jobs import runner

    monkeypatch.setattr(runner, "CHUNK_BYTES", 100)
    monkeypatch.setattr(runner, "BEAT_EVERY_CHUNKS", 3)
    login_as(people["coordinator"])
    download = download_finished(client, start_export(client))
    job = db.session.scalars(select(Job)).one()
    assert job.chunk_count == -(-len(download.data) // 100) > 3
    import hashlib

    assert hashlib.sha256(download.data).hexdigest() == job.sha256
    assert download.data.decode("utf-8-sig").count("\r\n") == job.total + 1
