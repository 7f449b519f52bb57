"""Election commissions by level, and every nominee put forward for them."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import Base, Localized

OUTCOMES = ("appointed", "not_appointed")


class CommissionLevel(Localized, Base):
    __tablename__ = "commission_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_be: Mapped[str | None] = mapped_column(String(120))
    name_ru: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Members are public officials, yet their names stay inside the mission unless it decides
    # otherwise, level by level.
    member_names_public: Mapped[bool] = mapped_column(Boolean, default=False)


class Commission(Base):
    """`name` is what identifies it within its level and region: the constituency number for a
    DEC, the district's English name for a TEC, the precinct number for a PEC."""

    __tablename__ = "commissions"
    __table_args__ = (
        UniqueConstraint("campaign_id", "level_id", "region_id", "name", name="uq_commissions_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    level_id: Mapped[int] = mapped_column(ForeignKey("commission_levels.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    name: Mapped[str] = mapped_column(String(120))

    level: Mapped[CommissionLevel] = relationship()
    members: Mapped[list[CommissionMember]] = relationship(back_populates="commission")


class CommissionMember(Base):
    """A nominee: who nominated them, by which route, and whether they were appointed."""

    __tablename__ = "commission_members"
    __table_args__ = (
        UniqueConstraint("commission_id", "name", name="uq_commission_members_name"),
        Index("ix_commission_members_outcome", "outcome", "organisation_id", "route"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commissions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    route: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))

    commission: Mapped[Commission] = relationship(back_populates="members")
