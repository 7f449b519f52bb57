"""Review events (hash-chained, append-only) and the security audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import Base, UTCDateTime, utcnow


class ReviewEvent(Base):
    """A status change or comment on a report. `seq` orders the single global chain; `digest` is
    the SHA-256 of this event's content together with the previous event's digest."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Indexed for the election-night page's decisions per hour.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "status" or "comment"
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)
    prev_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User] = relationship()  # noqa: F821


class ChainHead(Base):
    """One row: the tip of the review-event chain. Appending locks it, so concurrent appends
    serialise and the chain never forks; it also makes deleting the newest event detectable."""

    __tablename__ = "chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_digest: Mapped[str] = mapped_column(String(64))


class AuditLog(Base):
    """Security events: sign-ins, failures, lockouts, account changes, exports, evidence access."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(48), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    details: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])  # noqa: F821
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])  # noqa: F821
