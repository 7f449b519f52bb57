"""reports: drop ix_reports_occurred_on, which (occurred_on, id) already serves

Every index is written on every submitted report; this one answered nothing that
ix_reports_occurred_on_id (added in b2d4e6f80002) does not.

Revision ID: e5a7c9b20005
Revises: d4f6b8a10004
Create Date: 2026-11-24 23:45:00

"""

from alembic import op

revision = "e5a7c9b20005"
down_revision = "d4f6b8a10004"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_reports_occurred_on", table_name="reports")


def downgrade():
    op.create_index("ix_reports_occurred_on", "reports", ["occurred_on"])
