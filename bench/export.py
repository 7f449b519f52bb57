"""A whole mission's reports CSV export, run as the background job it is in production (the
real RQ worker, `flask --app wsgi jobs worker --burst`, on Redis), against PostgreSQL's own
`COPY (SELECT the same columns) TO STDOUT` over the same rows. Ratio job / COPY, target <= 5.

The job's time runs from the worker taking the job to the file being stored in the database
(its `started_at` .. `finished_at`); COPY's from the query to its last byte written to a local
file. The worker's peak memory (the largest RSS of the worker and its work horse) is printed too.
With --xlsx the XLSX export is run after the CSV one and reported the same way (no ratio:
PostgreSQL has no XLSX).

The data: a clone of the template database (--template, default observer_template_1m, made
by `flask demo generate --reports 1000000 --seed 1 --observers 500`) when it exists, otherwise
a fresh database filled by `flask demo generate`.

    python bench/export.py [--reports 1000000] [--template observer_template_1m] [--xlsx] [--keep]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid

from common import (  # noqa: I001 - puts the project on sys.path first
    ADMIN_EMAIL,
    ROOT,
    Database,
    machine,
    make_app,
    prepare,
    server_env,
)

TARGET = 5.0
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
EXPORTED_STATUSES = ("submitted", "needs_info", "verified", "rejected", "duplicate")

# The same columns, in the same order and spelling, as observer/dashboard/exports.py writes.
COPY_SQL = """
COPY (
  SELECT r.reference, r.status, s.code, c.code,
         (SELECT string_agg(fc.code, '; ' ORDER BY fc.code)
            FROM report_criteria rc JOIN criteria fc ON fc.id = rc.criterion_id
           WHERE rc.report_id = r.id),
         r.occurred_on, to_char(r.occurred_at, 'HH24:MI'), g.iso_code, g.name_en, d.name_en,
         r.settlement, r.polling_station, r.constituency, r.title, r.narrative, r.actors,
         r.people_affected, r.source_type, r.severity, r.scope,
         CASE WHEN r.complaint_lodged THEN 'yes' ELSE 'no' END, r.complaint_to,
         r.complaint_outcome, r.source_reliability || r.info_credibility, o.reference,
         date_trunc('second', r.submitted_at AT TIME ZONE 'UTC'), u.observer_code
    FROM reports r
    JOIN users u ON u.id = r.author_id
    JOIN stages s ON s.id = r.stage_id
    JOIN criteria c ON c.id = r.criterion_id
    JOIN regions g ON g.id = r.region_id
    LEFT JOIN districts d ON d.id = r.district_id
    LEFT JOIN reports o ON o.id = r.duplicate_of_id
   WHERE r.status IN ({statuses})
   ORDER BY r.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def clone_or_generate(database: Database, template: str, reports: int, app_factory) -> None:
    from sqlalchemy import text

    with database.admin.connect() as conn:
        found = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}
        ).first()
        if found:
            started = time.perf_counter()
            conn.execute(text(f'CREATE DATABASE "{database.name}" TEMPLATE "{template}"'))
            print(f"cloned {template} in {time.perf_counter() - started:.0f} s")
    if not found:
        database.create()
    app = app_factory()
    prepare(app)
    if not found:
        from observer.demo.generate import generate_reports
        from observer.extensions import db

        with app.app_context():
            generate_reports(reports, seed=1, observers=500, batch_size=10_000)
            db.session.remove()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))


def run_job_in_worker(app, url: str, queue_name: str, fmt: str) -> tuple[float, int, int, int]:
    """Queue one export job and work it with the production worker command; returns the job's
    seconds, its rows, its file's bytes and the worker's peak RSS in KiB."""
    from observer.auth.service import find_user_by_email
    from observer.dashboard.export_jobs import KIND
    from observer.extensions import db
    from observer.jobs import service
    from observer.models import Job

    with app.app_context():
        owner = find_user_by_email(ADMIN_EMAIL)
        params = {"format": fmt, "locale": "en", "filters": {"status": list(EXPORTED_STATUSES)}}
        job_id = service.start_job(KIND, owner.id, params).id
    env = {
        **os.environ,
        **server_env(url),
        "OBSERVER_JOBS_REDIS_URL": REDIS_URL,
        "OBSERVER_JOBS_QUEUE_NAME": queue_name,
    }
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "jobs", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(worker.pid, 0)
    if status != 0:
        raise SystemExit(f"the worker exited with status {status}")
    with app.app_context():
        job = db.session.get(Job, job_id)
        if job.status != "done":
            raise SystemExit(f"the {fmt} job ended {job.status} ({job.error})")
        seconds = (job.finished_at - job.started_at).total_seconds()
        return seconds, job.total, job.size, usage.ru_maxrss


def copy_baseline(url: str) -> tuple[float, int, int]:
    import psycopg
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(False)
    statuses = ", ".join(f"'{s}'" for s in EXPORTED_STATUSES)
    with psycopg.connect(libpq) as conn, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        with conn.cursor().copy(COPY_SQL.format(statuses=statuses)) as copy:
            for data in copy:
                out.write(data)
        out.flush()
        seconds = time.perf_counter() - started
        size = out.tell()
        out.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
    return seconds, size, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--template", default="observer_template_1m")
    parser.add_argument("--xlsx", action="store_true", help="also time the XLSX export")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    database = Database(f"observer_bench_export_{uuid.uuid4().hex[:8]}")
    queue_name = f"observer-bench-{uuid.uuid4().hex[:8]}"
    try:
        clone_or_generate(database, args.template, args.reports, lambda: make_app(database.url))
        app = make_app(database.url, JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE_NAME=queue_name)
        job_s, rows, size, rss_kib = run_job_in_worker(app, database.url, queue_name, "csv")
        print(
            f"csv job: {rows:,} reports, {size:,} bytes in {job_s:.1f} s; "
            f"worker peak RSS {rss_kib / 1024:.0f} MB"
        )
        copy_s, copy_size, copy_lines = copy_baseline(database.url)
        print(f"COPY: {copy_size:,} bytes ({copy_lines:,} lines) in {copy_s:.1f} s")
        if args.xlsx:
            x_s, x_rows, x_size, x_rss = run_job_in_worker(app, database.url, queue_name, "xlsx")
            print(
                f"xlsx job: {x_rows:,} reports, {x_size:,} bytes in {x_s:.1f} s; "
                f"worker peak RSS {x_rss / 1024:.0f} MB"
            )
        print(f"ratio csv-job/COPY {job_s / copy_s:.2f} (target <= {TARGET:g})")
    finally:
        import redis

        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(match=f"*{queue_name}*"):
            connection.delete(key)
        if not args.keep:
            database.drop()


if __name__ == "__main__":
    sys.exit(main())
