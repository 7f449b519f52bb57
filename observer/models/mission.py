"""The mission's identity on its statements (cover, public site) and its signing keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from observer.models.base import Base, UTCDateTime, utcnow


class MissionProfile(Base):
    """One row: logo (cleaned like evidence), place and contact; the name is configuration."""

    __tablename__ = "mission_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_en: Mapped[str] = mapped_column(String(200), default="")
    place_be: Mapped[str] = mapped_column(String(200), default="")
    place_ru: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_media_type: Mapped[str | None] = mapped_column(String(32))
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def place_in(self, language: str) -> str:
        return getattr(self, f"place_{language}", "") or self.place_en or ""


class SigningKey(Base):
    """A public signing key of the mission (the private key is a file, never in the database)."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)  # minisign key id, hex
    public_key: Mapped[str] = mapped_column(Text)  # minisign .pub file contents
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
