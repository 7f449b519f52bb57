"""Public report references (R-2024-000123): sequential per campaign, never shared."""

from __future__ import annotations

from sqlalchemy import update

from observer.extensions import db
from observer.models import Campaign


def format_reference(year: int, number: int) -> str:
    return f"R-{year}-{number:06d}"


def allocate_reference(campaign_id: int) -> str:
    """Take the campaign's next number. The UPDATE locks the campaign row (PostgreSQL) or the
    database (SQLite) until the caller's transaction ends, so concurrent submissions never
    receive the same number; a rolled-back submission leaves a gap, never a duplicate."""
    # No autoflush: a report being submitted is then inserted once, with its reference.
    with db.session.no_autoflush:
        row = db.session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(last_report_number=Campaign.last_report_number + 1)
            .returning(Campaign.last_report_number, Campaign.reference_year)
        ).one()
    return format_reference(row.reference_year, row.last_report_number)
