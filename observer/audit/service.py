"""Writing and checking the audit trail: review events (hash-chained) and security events."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select, update

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


def _lock_chain_head() -> ChainHead:
    """Take the chain head row for update (PostgreSQL row lock; SQLite serialises writers)."""
    head = db.session.execute(
        select(ChainHead).where(ChainHead.id == CHAIN_HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = ChainHead(id=CHAIN_HEAD_ID, last_seq=0, last_digest=GENESIS_DIGEST)
        db.session.add(head)
        db.session.flush()
    return head


def append_review_event(
    *,
    report_id: int,
    actor_id: int,
    kind: str,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> ReviewEvent:
    """Append one event to the chain inside the caller's transaction (the caller commits)."""
    if db.session.get_bind().dialect.name == "sqlite":
        # Take SQLite's write lock now, so two writers cannot both read the same head.
        db.session.execute(update(ChainHead).where(ChainHead.id == -1).values(last_seq=0))
    head = _lock_chain_head()
    event = ReviewEvent(
        seq=head.last_seq + 1,
        report_id=report_id,
        actor_id=actor_id,
        created_at=utcnow(),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        details=details,
        prev_digest=head.last_digest,
    )
    event.digest = event_digest(event_content(event), event.prev_digest)
    head.last_seq = event.seq
    head.last_digest = event.digest
    db.session.add(event)
    return event


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
