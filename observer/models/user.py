"""Accounts: observers, coordinators and admins."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer.models.base import Base, UTCDateTime, utcnow


class Roles:
    OBSERVER = "observer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    ALL = ("observer", "coordinator", "admin")
    STAFF = ("coordinator", "admin")
    NEEDS_TWO_FACTOR = ("coordinator", "admin")


ROLES = Roles.ALL

user_regions = Table(
    "user_regions",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    observer_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    role: Mapped[str] = mapped_column(String(16), default=Roles.OBSERVER)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Last accepted TOTP time-step: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    is_active_account: Mapped[bool] = mapped_column("active", Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Lockouts since the last good sign-in: each one lasts twice as long as the one before.
    lockouts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Part of the login cookie's identity: rotating it ends every other session.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    set_password_token_hash: Mapped[str | None] = mapped_column(String(64))
    set_password_expires: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Loaded when used (coordinators' scope), not with every request's user.
    regions: Mapped[list[Region]] = relationship(  # noqa: F821
        secondary=user_regions, order_by="Region.position"
    )

    # Flask-Login
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_staff(self) -> bool:
        return self.role in Roles.STAFF

    @property
    def is_admin(self) -> bool:
        return self.role == Roles.ADMIN

    @property
    def needs_two_factor(self) -> bool:
        return self.role in Roles.NEEDS_TWO_FACTOR

    @property
    def region_ids(self) -> list[int]:
        return [r.id for r in self.regions]

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def __repr__(self) -> str:
        return f"<User {self.observer_code} {self.role}>"
