"""Findings statements: drafted from verified data, published once as a frozen PDF."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from observer.models.base import Base, UTCDateTime, utcnow


class StatementStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


statement_stages = Table(
    "statement_stages",
    Base.metadata,
    Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("stage_id", ForeignKey("stages.id"), primary_key=True),
)


class Statement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    key_findings: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    methodology: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=StatementStatus.DRAFT, index=True)
    # The publication it was started from (statements/kinds.py): launch, eve, ..., final.
    kind: Mapped[str | None] = mapped_column(String(32))
    # A language version of another statement: it publishes that statement's frozen figures.
    translation_of_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set once, at publication; never changed afterwards.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    campaign: Mapped[Campaign] = relationship()  # noqa: F821
    stages: Mapped[list[Stage]] = relationship(  # noqa: F821
        secondary=statement_stages, order_by="Stage.position"
    )
    sections: Mapped[list[StatementSection]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementSection.position",
    )
    corrects: Mapped[Statement | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])
    translation_of: Mapped[Statement | None] = relationship(
        remote_side=[id], foreign_keys=[translation_of_id]
    )
    cases: Mapped[list[StatementCase]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementCase.position",
    )
    files: Mapped[list[StatementFile]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="StatementFile.name"
    )


class StatementSection(Base):
    """One section of the body: a stage or a group of criteria, with its text."""

    __tablename__ = "statement_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    heading: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))

    statement: Mapped[Statement] = relationship(back_populates="sections")
    stage: Mapped[Stage | None] = relationship()  # noqa: F821


class StatementCase(Base):
    """A verified report chosen as a case example, in the coordinator's public wording. Where
    and when are shown at region and month level unless the coordinator chooses more."""

    __tablename__ = "statement_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    wording: Mapped[str] = mapped_column(Text)
    show_date: Mapped[bool] = mapped_column(Boolean, default=False)
    show_district: Mapped[bool] = mapped_column(Boolean, default=False)

    statement: Mapped[Statement] = relationship(back_populates="cases")
    report: Mapped[Report] = relationship()  # noqa: F821


class StatementFile(Base):
    """A published file beside the PDF (open data, detached signatures, withdrawal notice):
    stored bytes, so a signature always matches what is served."""

    __tablename__ = "statement_files"
    __table_args__ = (UniqueConstraint("statement_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))  # e.g. "figures.csv", "pdf.minisig"
    media_type: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    statement: Mapped[Statement] = relationship(back_populates="files")
