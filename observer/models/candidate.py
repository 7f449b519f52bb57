"""Elections of the campaign, their candidates and each candidate's way through the pipeline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import Base, Localized

# The order of the pipeline; a candidate's status is the last step reached.
CANDIDATE_OUTCOMES = ("nominated", "registered", "refused", "withdrawn", "elected")
GENDERS = ("f", "m")
APPEAL_OUTCOMES = ("upheld", "dismissed", "pending")


class Election(Localized, Base):
    __tablename__ = "elections"
    __table_args__ = (UniqueConstraint("campaign_id", "code", name="uq_elections_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    code: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(200))
    name_be: Mapped[str | None] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))
    seats: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class RefusalReason(Localized, Base):
    """Why a registration was refused; matched by its English name, new ones added on load."""

    __tablename__ = "refusal_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200), unique=True)
    name_be: Mapped[str | None] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))


class Candidate(Base):
    __tablename__ = "candidates"
    __table_args__ = (
        UniqueConstraint("election_id", "constituency", "name", name="uq_candidates_key"),
        Index("ix_candidates_election_status", "election_id", "status", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"))
    constituency: Mapped[str] = mapped_column(String(64))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(1))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    route: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    nominated_on: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date | None] = mapped_column(Date)
    refused_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    elected_on: Mapped[date | None] = mapped_column(Date)
    refusal_reason_id: Mapped[int | None] = mapped_column(ForeignKey("refusal_reasons.id"))
    appeal_outcome: Mapped[str | None] = mapped_column(String(16))
    appealed_on: Mapped[date | None] = mapped_column(Date)

    election: Mapped[Election] = relationship()
    refusal_reason: Mapped[RefusalReason | None] = relationship()
