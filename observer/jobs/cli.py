"""`flask jobs worker` (the production worker: a systemd unit runs exactly this command) and
`flask jobs purge`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from observer.jobs import queue, service

jobs_cli = AppGroup("jobs", help="Background jobs (exports).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, benchmarks).")
def worker(burst: bool) -> None:
    """Work the job queue in Redis (OBSERVER_JOBS_REDIS_URL) until stopped."""
    if not queue.uses_redis():
        raise click.ClickException(
            "OBSERVER_JOBS_REDIS_URL is not set: without it jobs run inside the web process "
            "and no worker is needed."
        )
    from rq import Worker

    rq_queue = queue.rq_queue()
    service.purge_expired()
    service.fail_jobs_of_lost_workers()
    worker = Worker([rq_queue], connection=rq_queue.connection)
    click.echo(f"Working queue {current_app.config['JOBS_QUEUE_NAME']!r}")
    worker.work(burst=burst, with_scheduler=False)


@jobs_cli.command("purge")
def purge() -> None:
    """Delete jobs (and their files) whose 24 hours are over."""
    count = service.purge_expired()
    click.echo(f"{count} expired job(s) deleted")
