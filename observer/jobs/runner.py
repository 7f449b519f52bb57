"""Runs any job: claims it, hands its function a temporary file and a progress reporter, and
stores the finished file in the database in one transaction with the job's `done` status, so a
file is offered only when every byte of it is there. A failure keeps nothing but its message.

The same function runs in the RQ worker (production) and in a thread of the web process (the
embedded default)."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import timedelta
from time import monotonic

from sqlalchemy import insert, update

from observer.extensions import db
from observer.jobs.kinds import JobFailed, JobOutput, function_for
from observer.models import Job, JobFileChunk, JobStatus, utcnow

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
BEAT_EVERY_CHUNKS = 64
KEEP_FILES_FOR = timedelta(hours=24)
# Progress is written at most this often, so a fast job is not slowed by its own bookkeeping.
PROGRESS_SECONDS = 0.5


class Progress:
    """What a job reports while it runs: a total, then how much of it is done. Each write is
    its own short transaction on a connection of its own (the page reads it from another
    process), so it never commits, or waits on, the job's own reading."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = 0
        self._written_at = 0.0

    def set_total(self, total: int) -> None:
        self._write(total=total, done=0)

    def advance(self, count: int) -> None:
        self.done += count
        if monotonic() - self._written_at >= PROGRESS_SECONDS:
            self._write(done=self.done)

    def beat(self) -> None:
        """Still alive, nothing new to count (e.g. while the file is being stored)."""
        self._write()

    def _write(self, **values) -> None:
        with db.engine.begin() as connection:
            connection.execute(
                update(Job).where(Job.id == self.job_id).values(heartbeat_at=utcnow(), **values)
            )
        self._written_at = monotonic()


def run_job(job_id: int) -> str:
    """Run the queued job `job_id`; returns its final status (or 'skipped' if it was not
    queued: run already, or gone)."""
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return "skipped"
    job = db.session.get(Job, job_id)
    function = function_for(job.kind)
    with tempfile.TemporaryFile() as out:
        try:
            progress = Progress(job_id)
            output = function(job, out, progress)
            _store_file(job_id, out, output, progress)
        except JobFailed as failure:
            _fail(job_id, failure.code)
        except Exception:
            log.exception("job %s (%s) failed", job_id, job.kind)
            _fail(job_id, "internal")
    db.session.remove()
    return db.session.get(Job, job_id).status


def _store_file(job_id: int, out, output: JobOutput, progress: Progress) -> None:
    """Copy the file into the database and mark the job done, in one transaction; the heartbeat
    goes on meanwhile (half a gigabyte takes a while), so the job never looks abandoned."""
    out.seek(0)
    # SQLite has one writer at a time: a heartbeat from another connection would wait for this
    # very transaction. There the job runs in the web process, whose page is the heartbeat.
    beats = db.engine.dialect.name != "sqlite"
    digest = hashlib.sha256()
    size = 0
    seq = 0
    while chunk := out.read(CHUNK_BYTES):
        db.session.execute(insert(JobFileChunk).values(job_id=job_id, seq=seq, data=chunk))
        digest.update(chunk)
        size += len(chunk)
        seq += 1
        if beats and seq % BEAT_EVERY_CHUNKS == 0:
            progress.beat()
    now = utcnow()
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            status=JobStatus.DONE,
            done=output.rows,
            total=output.rows,
            filename=output.filename,
            media_type=output.media_type,
            size=size,
            sha256=digest.hexdigest(),
            chunk_count=seq,
            finished_at=now,
            heartbeat_at=now,
            expires_at=now + KEEP_FILES_FOR,
        )
    )
    db.session.commit()


def _fail(job_id: int, code: str) -> None:
    db.session.rollback()
    now = utcnow()
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=JobStatus.FAILED, error=code, finished_at=now, heartbeat_at=now)
    )
    db.session.commit()
