"""Writing and checking the audit trail: review events (hash-chained) and security events."""

from __future__ import annotations

from datetime import UTC
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from observer.audit.chain import GENESIS_DIGEST, ChainBreak, event_digest, verify_chain
from observer.extensions import db
from observer.models import AuditLog, ChainHead, ReviewEvent, utcnow

CHAIN_HEAD_ID = 1


def event_content(event) -> dict[str, Any]:
    """The fields the digest covers. Times are stored to the microsecond in UTC on every backend."""
    return {
        "seq": event.seq,
        "report_id": event.report_id,
        "actor_id": event.actor_id,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
        "details": event.details,
    }


CHAIN_HEADS = ChainHead.__table__
EVENTS = ReviewEvent.__table__

# Core statements on the tables, not ORM objects: appending runs on every submission and
# decision, and these three statements are all it needs (no unit-of-work flush, no reload).
_ADVANCE_HEAD = (
    update(CHAIN_HEADS)
    .where(CHAIN_HEADS.c.id == CHAIN_HEAD_ID)
    .values(last_seq=CHAIN_HEADS.c.last_seq + 1)
    .returning(CHAIN_HEADS.c.last_seq, CHAIN_HEADS.c.last_digest)
)


def _advance_chain_head() -> tuple[int, str]:
    """The next sequence number and the digest of the current tip. The UPDATE locks the head
    row (PostgreSQL) or the database (SQLite) until the caller's transaction ends, so concurrent
    appends serialise and the chain never forks."""
    row = db.session.execute(_ADVANCE_HEAD).first()
    if row is None:  # the very first event of this database
        try:
            with db.session.begin_nested():
                db.session.execute(
                    insert(CHAIN_HEADS).values(
                        id=CHAIN_HEAD_ID, last_seq=0, last_digest=GENESIS_DIGEST
                    )
                )
        except IntegrityError:
            pass  # a concurrent first append created it; the UPDATE waits for that commit
        row = db.session.execute(_ADVANCE_HEAD).one()
    return row.last_seq, row.last_digest


def append_review_event(
    *,
    report_id: int,
    actor_id: int,
    kind: str,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Append one event to the chain inside the caller's transaction (the caller commits; the
    report must already be flushed). Returns the event's sequence number."""
    seq, prev_digest = _advance_chain_head()
    values = {
        "seq": seq,
        "report_id": report_id,
        "actor_id": actor_id,
        "created_at": utcnow(),
        "kind": kind,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
        "details": details,
    }
    digest = event_digest(event_content(SimpleNamespace(**values)), prev_digest)
    db.session.execute(insert(EVENTS).values(**values, prev_digest=prev_digest, digest=digest))
    db.session.execute(
        update(CHAIN_HEADS).where(CHAIN_HEADS.c.id == CHAIN_HEAD_ID).values(last_digest=digest)
    )
    return seq


def verify_review_chain(batch_size: int = 5000) -> ChainBreak | None:
    head = db.session.execute(
        select(ChainHead.last_seq, ChainHead.last_digest).where(ChainHead.id == CHAIN_HEAD_ID)
    ).first()
    head_seq = head.last_seq if head else 0
    head_digest = head.last_digest if head else GENESIS_DIGEST

    # Plain column rows, not ORM objects: the identity map would hand back any event the
    # session already holds (its in-memory state, not what the database now says), and clearing
    # the session to save memory would detach the caller's objects.
    columns = (
        ReviewEvent.seq,
        ReviewEvent.id,
        ReviewEvent.report_id,
        ReviewEvent.actor_id,
        ReviewEvent.created_at,
        ReviewEvent.kind,
        ReviewEvent.from_status,
        ReviewEvent.to_status,
        ReviewEvent.note,
        ReviewEvent.details,
        ReviewEvent.prev_digest,
        ReviewEvent.digest,
    )

    def stream():
        last = 0
        while True:
            rows = db.session.execute(
                select(*columns)
                .where(ReviewEvent.seq > last)
                .order_by(ReviewEvent.seq)
                .limit(batch_size)
            ).all()
            if not rows:
                return
            for row in rows:
                yield row.seq, row.id, event_content(row), row.prev_digest, row.digest
            last = rows[-1].seq

    return verify_chain(stream(), head_seq, head_digest)


def log_security_event(
    event: str,
    *,
    actor_id: int | None = None,
    subject_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Record a security event in the caller's transaction."""
    entry = AuditLog(event=event, actor_id=actor_id, subject_id=subject_id, details=details)
    db.session.add(entry)
    return entry
