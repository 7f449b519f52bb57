"""Device credentials: an observer's revocable secret for ODK Collect or Tella (OpenRosa)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import Base, UTCDateTime, utcnow


class DeviceCredential(Base):
    """A username and a random password that file reports over OpenRosa and do nothing else.
    Only the SHA-256 of the password is kept: it is 32 random bytes, so a slow hash would add
    nothing but latency to every submission."""

    __tablename__ = "device_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    username: Mapped[str] = mapped_column(String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])  # noqa: F821

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
