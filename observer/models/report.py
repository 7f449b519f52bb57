"""Incident reports and their evidence."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from observer.models.base import Base, UTCDateTime, utcnow


class Status:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    NEEDS_INFO = "needs_info"
    ALL = ("draft", "submitted", "needs_info", "verified", "rejected", "duplicate")
    # Observers may edit only these.
    EDITABLE_BY_AUTHOR = ("draft", "needs_info")


SOURCE_TYPES = (
    "direct_observation",
    "witness_account",
    "document",
    "official_source",
    "independent_media",
    "social_media",
)
SCOPES = ("isolated", "repeated", "systematic")
SEVERITIES = (1, 2, 3, 4)
SOURCE_RELIABILITY = ("A", "B", "C", "D", "E", "F")
INFO_CREDIBILITY = (1, 2, 3, 4, 5, 6)

report_criteria = Table(
    "report_criteria",
    Base.metadata,
    Column("report_id", ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("criterion_id", ForeignKey("criteria.id"), primary_key=True),
)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_id", "status", "id"),
        Index("ix_reports_author_status", "author_id", "status"),
        # Keyset pagination of the review queue: one index per sort order, id as tie-breaker.
        Index("ix_reports_submitted_at_id", "submitted_at", "id"),
        # The triage queue and the backlog: what waits, oldest first.
        Index("ix_reports_status_submitted_at", "status", "submitted_at", "id"),
        Index("ix_reports_occurred_on_id", "occurred_on", "id"),
        Index("ix_reports_severity_id", "severity", "id"),
        # Dashboard counts (GROUP BY under a status filter) as index-only scans; see migration
        # c3e5a7f90003 and bench/dashboard.py.
        Index("ix_reports_status_criterion_stage", "status", "criterion_id", "stage_id", "id"),
        Index("ix_reports_status_region_district", "status", "region_id", "district_id", "id"),
        Index("ix_reports_status_severity", "status", "severity", "id"),
        Index("ix_reports_status_source_type", "status", "source_type", "id"),
        Index("ix_reports_status_occurred_on", "status", "occurred_on", "id"),
        # A resent OpenRosa submission (same instanceID from the same observer) is the same report.
        UniqueConstraint("author_id", "device_instance_id", name="uq_reports_author_instance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    occurred_at: Mapped[time | None] = mapped_column(Time)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    settlement: Mapped[str | None] = mapped_column(String(120))
    polling_station: Mapped[int | None] = mapped_column(Integer)
    constituency: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    narrative: Mapped[str] = mapped_column(Text)
    actors: Mapped[str | None] = mapped_column(String(500))
    people_affected: Mapped[int | None] = mapped_column(Integer)
    source_type: Mapped[str] = mapped_column(String(32))
    severity: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(16))
    complaint_lodged: Mapped[bool] = mapped_column(Boolean, default=False)
    complaint_to: Mapped[str | None] = mapped_column(String(200))
    complaint_outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=Status.DRAFT)
    source_reliability: Mapped[str | None] = mapped_column(String(1))
    info_credibility: Mapped[int | None] = mapped_column(Integer)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    # The process records the report concerns, if any (observer/records/links.py).
    commission_id: Mapped[int | None] = mapped_column(ForeignKey("commissions.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Filed from ODK Collect or Tella: the credential used and the form instance's id.
    device_credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("device_credentials.id", ondelete="SET NULL")
    )
    device_instance_id: Mapped[str | None] = mapped_column(String(64))

    __mapper_args__ = {"version_id_col": version}

    author: Mapped[User] = relationship(foreign_keys=[author_id])  # noqa: F821
    campaign: Mapped[Campaign] = relationship()  # noqa: F821
    stage: Mapped[Stage] = relationship()  # noqa: F821
    criterion: Mapped[Criterion] = relationship(foreign_keys=[criterion_id])  # noqa: F821
    further_criteria: Mapped[list[Criterion]] = relationship(  # noqa: F821
        secondary=report_criteria, order_by=lambda: _catalog_order()
    )
    region: Mapped[Region] = relationship()  # noqa: F821
    district: Mapped[District | None] = relationship()  # noqa: F821
    duplicate_of: Mapped[Report | None] = relationship(remote_side=[id])
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def from_device(self) -> bool:
        return self.device_instance_id is not None

    @property
    def grading(self) -> str | None:
        """Admiralty-code pair such as 'B2', once a coordinator has graded the report."""
        if self.source_reliability and self.info_credibility:
            return f"{self.source_reliability}{self.info_credibility}"
        return None

    def is_author(self, user) -> bool:
        return user is not None and getattr(user, "id", None) == self.author_id


def _catalog_order():
    from observer.catalog.ordering import criterion_order

    return list(criterion_order())


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    # A still frame (JPEG) of a video, shown before it plays; extracted when the file is cleaned.
    poster: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.media_type.startswith("video/")

    @property
    def is_audio(self) -> bool:
        return self.media_type.startswith("audio/")


class KeptEvidence(Base):
    """A file an observer sent with a report form that came back with a problem (a field to
    correct): already cleaned, kept for that observer alone under a random token, so they do
    not have to choose it again. Attached when the form is sent again; discarded after a day."""

    __tablename__ = "kept_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    poster: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
