"""Who is working on a report now: a coordinator's hold, so no two coordinators triage the same
report at once. One row per report ever opened in review; the row stays after the hold ends so
the election-night page can tell reports nobody has opened yet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import Base, UTCDateTime, utcnow


class ReportHold(Base):
    __tablename__ = "report_holds"
    __table_args__ = (Index("ix_report_holds_holder_expires", "holder_id", "expires_at"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    # Null once released or decided; a hold whose expires_at has passed has lapsed.
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    holder: Mapped[User | None] = relationship()  # noqa: F821
