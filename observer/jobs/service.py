"""Starting jobs, finding them for their owner, reading their files, expiry."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import delete, select, update

from observer.extensions import db
from observer.jobs import queue
from observer.jobs.kinds import KINDS
from observer.jobs.runner import KEEP_FILES_FOR
from observer.models import Job, JobFileChunk, JobStatus, utcnow

log = logging.getLogger(__name__)

# A running job writes its progress at least every few seconds; one silent this long has lost
# its worker (killed, host gone) and is shown as failed instead of spinning for ever.
STALE_AFTER = timedelta(minutes=10)
PUBLIC_ID_LENGTH = 32


def start_job(kind: str, owner_id: int, params: dict) -> Job:
    """Queue a job for `owner_id`; if the queue cannot be reached the job is failed at once
    (the page says so) rather than left waiting."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    purge_expired()
    job = Job(
        public_id=secrets.token_hex(PUBLIC_ID_LENGTH // 2),
        kind=kind,
        owner_id=owner_id,
        params=params,
        status=JobStatus.QUEUED,
        expires_at=utcnow() + KEEP_FILES_FOR,
    )
    db.session.add(job)
    db.session.commit()
    try:
        queue.dispatch(job.id, job.public_id)
    except Exception:
        log.exception("could not queue job %s", job.id)
        job.status = JobStatus.FAILED
        job.error = "queue_unreachable"
        job.finished_at = utcnow()
        db.session.commit()
    return job


def job_of_owner(public_id: str, owner_id: int) -> Job | None:
    """The job if `owner_id` started it; a malformed, unknown or another person's id finds
    nothing, alike."""
    if not (
        isinstance(public_id, str)
        and len(public_id) == PUBLIC_ID_LENGTH
        and all(ch in "0123456789abcdef" for ch in public_id)
    ):
        return None
    return db.session.execute(
        select(Job).where(Job.public_id == public_id, Job.owner_id == owner_id)
    ).scalar_one_or_none()


def is_expired(job: Job) -> bool:
    return job.expires_at <= utcnow()


def shown_status(job: Job) -> str:
    """The status to show: a running job whose worker went silent counts as failed."""
    if job.status == JobStatus.RUNNING and utcnow() - job.heartbeat_at > STALE_AFTER:
        return JobStatus.FAILED
    return job.status


def shown_error(job: Job) -> str | None:
    if job.status == JobStatus.RUNNING and shown_status(job) == JobStatus.FAILED:
        return "worker_lost"
    return job.error


def percent(job: Job) -> int:
    if job.status == JobStatus.DONE:
        return 100
    if not job.total:
        return 0
    return min(99, int(100 * job.done / job.total))


def file_chunks(job: Job) -> Iterator[bytes]:
    """The finished file, one chunk per query, so a large file never sits in memory whole."""
    for seq in range(job.chunk_count):
        yield db.session.execute(
            select(JobFileChunk.data).where(JobFileChunk.job_id == job.id, JobFileChunk.seq == seq)
        ).scalar_one()


def recent_jobs(owner_id: int, limit: int = 10) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.owner_id == owner_id, Job.expires_at > utcnow())
            .order_by(Job.id.desc())
            .limit(limit)
        )
    )


def purge_expired() -> int:
    """Delete expired jobs with their files (chunks first: SQLite may run without cascades)."""
    expired = select(Job.id).where(Job.expires_at <= utcnow())
    db.session.execute(delete(JobFileChunk).where(JobFileChunk.job_id.in_(expired)))
    count = db.session.execute(delete(Job).where(Job.expires_at <= utcnow())).rowcount
    db.session.commit()
    return count


def fail_jobs_of_lost_workers() -> None:
    """Mark silent running jobs failed in the database too (the worker calls it on start)."""
    db.session.execute(
        update(Job)
        .where(
            Job.status == JobStatus.RUNNING,
            Job.heartbeat_at < utcnow() - STALE_AFTER,
        )
        .values(status=JobStatus.FAILED, error="worker_lost", finished_at=utcnow())
    )
    db.session.commit()
