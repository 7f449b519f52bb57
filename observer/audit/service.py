"""Writing and checking the audit trail: one hash chain of review events and judgment events
(assessments, recommendation follow-ups), and the security log.

The two event tables share one sequence and one chain head: each event's `prev_digest` is the
digest of the event before it in `seq` order, whichever table holds that one, so
`flask audit verify` walks both in one pass and names the first broken event of any kind."""

from __future__ import annotations

import heapq
from datetime import UTC
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from observer.audit.chain import GENESIS_DIGEST, ChainBreak, event_digest, verify_chain
from observer.extensions import db
from observer.models import AuditLog, ChainHead, JudgmentEvent, ReviewEvent, utcnow

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


def judgment_event_content(event) -> dict[str, Any]:
    """The fields a judgment event's digest covers: every column but its id and the digests.
    `chain` tells it apart from a review event, so a row moved between tables breaks."""
    return {
        "chain": "judgment",
        "seq": event.seq,
        "assessment_id": event.assessment_id,
        "follow_up_id": event.follow_up_id,
        "actor_id": event.actor_id,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "kind": event.kind,
        "note": event.note,
        "details": event.details,
    }


CHAIN_HEADS = ChainHead.__table__
EVENTS = ReviewEvent.__table__
JUDGMENT_EVENTS = JudgmentEvent.__table__

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
    _write_event(EVENTS, event_content, values, prev_digest)
    return seq


def append_judgment_event(
    *,
    actor_id: int,
    kind: str,
    assessment_id: int | None = None,
    follow_up_id: int | None = None,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Append an assessment or follow-up event to the same chain, in the caller's transaction
    (the judgment must already be flushed). Returns the event's sequence number."""
    seq, prev_digest = _advance_chain_head()
    values = {
        "seq": seq,
        "assessment_id": assessment_id,
        "follow_up_id": follow_up_id,
        "actor_id": actor_id,
        "created_at": utcnow(),
        "kind": kind,
        "note": note,
        "details": details,
    }
    _write_event(JUDGMENT_EVENTS, judgment_event_content, values, prev_digest)
    return seq


_NEW_TIP = (
    update(CHAIN_HEADS)
    .where(CHAIN_HEADS.c.id == CHAIN_HEAD_ID)
    .values(last_digest=bindparam("new_digest"))
)
_INSERTS = {EVENTS.name: insert(EVENTS), JUDGMENT_EVENTS.name: insert(JUDGMENT_EVENTS)}


def _write_event(table, content_of, values: dict[str, Any], prev_digest: str) -> None:
    digest = event_digest(content_of(SimpleNamespace(**values)), prev_digest)
    db.session.execute(
        _INSERTS[table.name], {**values, "prev_digest": prev_digest, "digest": digest}
    )
    db.session.execute(_NEW_TIP, {"new_digest": digest})


def verify_review_chain(batch_size: int = 5000) -> ChainBreak | None:
    """Walk the whole chain (review and judgment events, merged in `seq` order); the first
    break, or None. `chain_event_kind(seq)` says which kind of event a break names."""
    head = db.session.execute(
        select(ChainHead.last_seq, ChainHead.last_digest).where(ChainHead.id == CHAIN_HEAD_ID)
    ).first()
    head_seq = head.last_seq if head else 0
    head_digest = head.last_digest if head else GENESIS_DIGEST
    events = heapq.merge(
        _stream(ReviewEvent, _REVIEW_COLUMNS, event_content, batch_size),
        _stream(JudgmentEvent, _JUDGMENT_COLUMNS, judgment_event_content, batch_size),
        key=lambda event: event[0],
    )
    return verify_chain(events, head_seq, head_digest)


# Plain column rows, not ORM objects: the identity map would hand back any event the session
# already holds (its in-memory state, not what the database now says), and clearing the session
# to save memory would detach the caller's objects.
_REVIEW_COLUMNS = (
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
_JUDGMENT_COLUMNS = (
    JudgmentEvent.seq,
    JudgmentEvent.id,
    JudgmentEvent.assessment_id,
    JudgmentEvent.follow_up_id,
    JudgmentEvent.actor_id,
    JudgmentEvent.created_at,
    JudgmentEvent.kind,
    JudgmentEvent.note,
    JudgmentEvent.details,
    JudgmentEvent.prev_digest,
    JudgmentEvent.digest,
)


def _stream(model, columns, content_of, batch_size: int):
    last = 0
    while True:
        rows = db.session.execute(
            select(*columns).where(model.seq > last).order_by(model.seq).limit(batch_size)
        ).all()
        if not rows:
            return
        for row in rows:
            yield row.seq, row.id, content_of(row), row.prev_digest, row.digest
        last = rows[-1].seq


def chain_event_kind(seq: int) -> str:
    """'review' or 'judgment': which table holds the event with this sequence number (for a
    missing event, the kind of neither: 'missing')."""
    if db.session.execute(select(ReviewEvent.id).where(ReviewEvent.seq == seq)).first():
        return "review"
    if db.session.execute(select(JudgmentEvent.id).where(JudgmentEvent.seq == seq)).first():
        return "judgment"
    return "missing"


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
