"""Judgments: assessments of the standards and follow-up of earlier recommendations.

Both kinds are proposed by one coordinator and agreed by another (the four-eyes rule lives in
observer/assessments/four_eyes.py); each step is a `JudgmentEvent` in the same hash chain as
the review events (`seq` is taken from the one chain head)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import LANGUAGES, Base, Localized, UTCDateTime, utcnow


class Scales:
    """The two rating scales; their levels are catalog data (`ScaleLevel` rows)."""

    CONCLUSION = "conclusion"
    FOLLOW_UP = "follow_up"
    ALL = ("conclusion", "follow_up")


class JudgmentStatus:
    PROPOSED = "proposed"
    AGREED = "agreed"


class ScaleLevel(Localized, Base):
    """One step of a scale: "does not meet the standard", "partially implemented"..."""

    __tablename__ = "scale_levels"
    __table_args__ = (UniqueConstraint("scale", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scale: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(120))
    name_be: Mapped[str | None] = mapped_column(String(120))
    name_ru: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    colour: Mapped[str] = mapped_column(String(7), default="#8a96a3")
    # False for "not assessed": such ratings are counted apart ("14 were not assessed").
    counts_as_assessed: Mapped[bool] = mapped_column(Boolean, default=True)
    reasoning_required: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReasonedJudgment(Localized):
    """Columns and helpers shared by assessments and follow-ups."""

    reasoning_en: Mapped[str | None] = mapped_column(Text)
    reasoning_be: Mapped[str | None] = mapped_column(Text)
    reasoning_ru: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=JudgmentStatus.PROPOSED)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    @property
    def is_agreed(self) -> bool:
        return self.status == JudgmentStatus.AGREED

    @property
    def missing_languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if not getattr(self, f"reasoning_{lang}")]

    def reasoning_in(self, locale: str | None) -> str:
        return self.localized("reasoning", locale)


class Assessment(ReasonedJudgment, Base):
    """A conclusion on one criterion for one stage (by default the criterion's own), for the
    whole country or one region. `scope_key` makes that combination unique on every backend
    (a NULL region would not be)."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("criterion_id", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    scope_key: Mapped[str] = mapped_column(String(32))
    level_id: Mapped[int] = mapped_column(ForeignKey("scale_levels.id"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    criterion: Mapped[Criterion] = relationship()  # noqa: F821
    stage: Mapped[Stage] = relationship()  # noqa: F821
    region: Mapped[Region | None] = relationship()  # noqa: F821
    level: Mapped[ScaleLevel] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])  # noqa: F821
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])  # noqa: F821
    evidence: Mapped[list[EvidenceLink]] = relationship(
        back_populates="assessment",
        order_by="EvidenceLink.position",
        cascade="all, delete-orphan",
        foreign_keys="EvidenceLink.assessment_id",
    )

    @staticmethod
    def make_scope_key(stage_id: int, region_id: int | None) -> str:
        return f"s{stage_id}-r{region_id or 0}"


recommendation_criteria = Table(
    "recommendation_criteria",
    Base.metadata,
    Column(
        "recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("criterion_id", ForeignKey("criteria.id", ondelete="CASCADE"), primary_key=True),
)


class Recommendation(Base):
    """A recommendation of an earlier mission or body (OSCE/ODIHR, UN treaty bodies, UPR...)."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(String(300))
    paragraph: Mapped[str | None] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    addressee: Mapped[str | None] = mapped_column(String(200))
    text_en: Mapped[str] = mapped_column(Text)
    text_be: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    criteria: Mapped[list[Criterion]] = relationship(  # noqa: F821
        secondary=recommendation_criteria, order_by="Criterion.code"
    )

    def text_in(self, locale: str | None) -> str:
        lang = (locale or "en")[:2]
        return (getattr(self, f"text_{lang}", None) if lang in LANGUAGES else None) or self.text_en


class FollowUp(ReasonedJudgment, Base):
    """What became of one recommendation by one campaign."""

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("campaign_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    level_id: Mapped[int] = mapped_column(ForeignKey("scale_levels.id"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recommendation: Mapped[Recommendation] = relationship()
    level: Mapped[ScaleLevel] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])  # noqa: F821
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])  # noqa: F821
    evidence: Mapped[list[EvidenceLink]] = relationship(
        back_populates="follow_up",
        order_by="EvidenceLink.position",
        cascade="all, delete-orphan",
        foreign_keys="EvidenceLink.follow_up_id",
    )


class EvidenceKind:
    REPORT = "report"
    FIGURE = "figure"
    DOCUMENT = "document"
    ALL = ("report", "figure", "document")


class EvidenceLink(Base):
    """What a judgment rests on: a verified report (by reference), a process figure (a key of
    the records' figure registry with its parameters) or a documentary source."""

    __tablename__ = "evidence_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    follow_up_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # report: kept by reference too, so a report deleted later still shows what was cited
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    report_reference: Mapped[str | None] = mapped_column(String(20))
    # figure
    figure_key: Mapped[str | None] = mapped_column(String(64))
    figure_params: Mapped[dict | None] = mapped_column(JSON)
    # figure label or document title
    label: Mapped[str | None] = mapped_column(String(300))
    # document
    address: Mapped[str | None] = mapped_column(String(500))
    published_on: Mapped[date | None] = mapped_column(Date)

    assessment: Mapped[Assessment | None] = relationship(
        back_populates="evidence", foreign_keys=[assessment_id]
    )
    follow_up: Mapped[FollowUp | None] = relationship(
        back_populates="evidence", foreign_keys=[follow_up_id]
    )
    report: Mapped[Report | None] = relationship()  # noqa: F821


class JudgmentEvent(Base):
    """A proposal, agreement or change of an assessment or follow-up. Its `seq` belongs to the
    single chain shared with review events; `details` holds the judgment as it stood after the
    event (conclusion, reasoning, evidence), so the chain keeps the argument itself."""

    __tablename__ = "judgment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_ups.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # proposed | agreed | changed
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)
    prev_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User] = relationship()  # noqa: F821
