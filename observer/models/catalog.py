"""The campaign's catalog: stages, criteria, regions and districts. Data, editable by admins."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import Base, Localized


def new_catalog_version() -> str:
    return uuid4().hex


class Campaign(Localized, Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_be: Mapped[str | None] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))
    # Reports on this campaign are numbered R-<reference_year>-000001, ...
    reference_year: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    election_day: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Counter behind report references; incremented with UPDATE ... RETURNING so concurrent
    # submissions serialise on this row and never share a number.
    last_report_number: Mapped[int] = mapped_column(Integer, default=0)
    # A fresh random token with every change to catalog rows, so per-worker catalog snapshots
    # know they are stale (random, not a counter: a restored or recreated database never
    # repeats a token a worker has seen).
    catalog_version: Mapped[str] = mapped_column(
        String(32), default=new_catalog_version, server_default="initial"
    )

    stages: Mapped[list[Stage]] = relationship(
        back_populates="campaign", order_by="Stage.position", cascade="all, delete-orphan"
    )


class Stage(Localized, Base):
    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    code: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(200))
    name_be: Mapped[str | None] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    campaign: Mapped[Campaign] = relationship(back_populates="stages")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="stage", order_by="Criterion.position"
    )


class Criterion(Localized, Base):
    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    code: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(200))
    name_be: Mapped[str | None] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))
    description_en: Mapped[str | None] = mapped_column(Text)
    description_be: Mapped[str | None] = mapped_column(Text)
    description_ru: Mapped[str | None] = mapped_column(Text)
    references: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    stage: Mapped[Stage] = relationship(back_populates="criteria")

    @property
    def label(self) -> str:
        return self.code


class Region(Localized, Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    iso_code: Mapped[str] = mapped_column(String(8), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_be: Mapped[str | None] = mapped_column(String(120))
    name_ru: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    districts: Mapped[list[District]] = relationship(
        back_populates="region", order_by="District.name_en"
    )


class District(Localized, Base):
    __tablename__ = "districts"
    __table_args__ = (UniqueConstraint("region_id", "name_en"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_be: Mapped[str | None] = mapped_column(String(120))
    name_ru: Mapped[str | None] = mapped_column(String(120))

    region: Mapped[Region] = relationship(back_populates="districts")
