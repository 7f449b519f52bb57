"""Figures the authorities publish, each with its source; sources that disagree are all kept."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, Numeric, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from observer.models.base import Base, UTCDateTime, utcnow


class SourceCopy(Base):
    """A stored copy of a source (a PDF, or a page saved as an image), cleaned like evidence."""

    __tablename__ = "source_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OfficialFigure(Base):
    """`as_of` is the moment the figure describes, in the country's time as published; no
    region means the whole country."""

    __tablename__ = "official_figures"
    __table_args__ = (
        Index(
            "ix_official_figures_key",
            "campaign_id",
            "metric",
            "region_id",
            "as_of",
            "source_url",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    metric: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    as_of: Mapped[datetime] = mapped_column(DateTime)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str] = mapped_column(String(16))
    source_url: Mapped[str] = mapped_column(String(500))
    retrieved_at: Mapped[datetime | None] = mapped_column(DateTime)
    source_copy_id: Mapped[int | None] = mapped_column(ForeignKey("source_copies.id"))

    source_copy: Mapped[SourceCopy | None] = relationship()
