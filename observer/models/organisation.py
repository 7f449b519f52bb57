"""Nominating organisations: parties, public associations, labour collectives, voters' groups."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from observer.models.base import Base, Localized


class Organisation(Localized, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200), unique=True)
    name_be: Mapped[str | None] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # a "route" ProcessTerm code
    alignment: Mapped[str] = mapped_column(String(32))  # an "alignment" ProcessTerm code
