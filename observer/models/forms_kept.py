"""What keeps a person's work across an idle sign-out and a double press: forms posted after
the session expired, and the one-time tokens of forms already received."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from observer.models.base import Base, UTCDateTime, utcnow


class KeptForm(Base):
    """A form posted after the session had expired, kept for the account the expired session
    named (for a day): its fields, with the files already cleaned into kept_evidence."""

    __tablename__ = "kept_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(300))
    fields: Mapped[list] = mapped_column(JSON)  # [[name, value], ...] in posted order
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UsedFormToken(Base):
    """A one-time form token that has been received, and where its result is: a second post of
    the same form (double press, resend) is answered with that result instead of a duplicate."""

    __tablename__ = "used_form_tokens"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(64))
    result_path: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
