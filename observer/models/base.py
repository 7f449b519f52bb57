"""Declarative base with a naming convention, so Alembic migrations name constraints stably."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

LANGUAGES = ("en", "be", "ru")


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = (
                value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value
            )
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Localized:
    """Rows with name_en/name_be/name_ru (and maybe description_*) columns."""

    def localized(self, field: str, locale: str | None) -> str:
        lang = (locale or "en")[:2]
        value = getattr(self, f"{field}_{lang}", None) if lang in LANGUAGES else None
        return value or getattr(self, f"{field}_en") or ""

    def name_in(self, locale: str | None) -> str:
        return self.localized("name", locale)
