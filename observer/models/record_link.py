"""A report citing the commission or the candidate it concerns."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from observer.models.base import Base


class ReportRecordLink(Base):
    __tablename__ = "report_record_links"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    commission_id: Mapped[int | None] = mapped_column(ForeignKey("commissions.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"), index=True)
