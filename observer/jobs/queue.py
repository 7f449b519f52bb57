"""Where jobs run. With OBSERVER_JOBS_REDIS_URL set (production): on an RQ queue in Redis,
worked by `flask --app wsgi jobs worker` on any host. Without it (the embedded default): in a
thread of the web process that queued it. Either way the job's row, progress and file live in
the database; the queue carries only the job's id."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from observer.extensions import db
from observer.jobs.runner import run_job


def uses_redis(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("JOBS_REDIS_URL"))


def rq_queue(app: Flask | None = None):
    from redis import Redis
    from rq import Queue

    config = (app or current_app).config
    return Queue(
        config["JOBS_QUEUE_NAME"],
        connection=Redis.from_url(config["JOBS_REDIS_URL"]),
        default_timeout=int(config["JOBS_TIMEOUT_SECONDS"]),
    )


def dispatch(job_id: int, public_id: str) -> None:
    """Hand a committed, queued job to whatever runs jobs here. Raises if the queue cannot be
    reached (the caller marks the job failed). In Redis the job is named by its random public
    id, so that databases sharing one Redis (tests, benchmarks) never take each other's jobs."""
    app = current_app._get_current_object()
    if uses_redis(app):
        rq_queue(app).enqueue(
            perform,
            job_id,
            job_id=f"observer-job-{public_id}",
            result_ttl=3600,
            failure_ttl=86400,
        )
        return
    thread = threading.Thread(
        target=_run_in_app, args=(app, job_id), name=f"observer-job-{job_id}", daemon=True
    )
    thread.start()


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)


def perform(job_id: int) -> str:
    """What the RQ work horse calls. It is a fresh fork of the worker, which runs inside the
    app's context: connections inherited from the parent must not be shared, so the pool is
    renewed first."""
    db.engine.dispose(close=False)
    return run_job(job_id)
