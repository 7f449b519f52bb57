"""Public report references (R-2024-000123): sequential per campaign, never shared."""

from __future__ import annotations

from sqlalchemy import update

from observer.extensions import db
from observer.models import Campaign


def format_reference(year: int, number: int) -> str:
    return f"R-{year}-{number:06d}"


CAMPAIGNS = Campaign.__table__
_NEXT_NUMBER = (
    update(CAMPAIGNS)
    .values(last_report_number=CAMPAIGNS.c.last_report_number + 1)
    .returning(CAMPAIGNS.c.last_report_number, CAMPAIGNS.c.reference_year)
)


def allocate_reference(campaign_id: int) -> str:
    """Take the campaign's next number. The UPDATE locks the campaign row (PostgreSQL) or the
    database (SQLite) until the caller's transaction ends, so concurrent submissions never
    receive the same number; a rolled-back submission leaves a gap, never a duplicate."""
    # No autoflush: a report being submitted is then inserted once, already numbered. A Core
    # statement on the table, as it runs on every submission.
    with db.session.no_autoflush:
        row = db.session.execute(_NEXT_NUMBER.where(CAMPAIGNS.c.id == campaign_id)).one()
    return format_reference(row.reference_year, row.last_report_number)
