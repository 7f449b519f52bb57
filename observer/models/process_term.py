"""Codes of the process records that are data, not code: alignments, nomination routes (also
organisation kinds) and metrics of official figures, each with its names in en/be/ru."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from observer.models.base import Base, Localized

VOCABULARIES = ("alignment", "route", "metric")


class ProcessTerm(Localized, Base):
    __tablename__ = "process_terms"
    __table_args__ = (UniqueConstraint("vocabulary", "code", name="uq_process_terms_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(120))
    name_be: Mapped[str | None] = mapped_column(String(120))
    name_ru: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Metrics only: "percent" (a value over 100 is refused) or "count".
    unit: Mapped[str | None] = mapped_column(String(16))
