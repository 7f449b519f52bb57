"""review queue: indexes for keyset pagination

The review queue pages by (sort column, id); with these indexes a page at any depth is an index
range scan instead of a sort of every matching report.

Revision ID: a1c0de7e0001
Revises: 5ef3326f5567
"""

from alembic import op

revision = "a1c0de7e0001"
down_revision = "5ef3326f5567"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_reports_submitted_at_id", "reports", ["submitted_at", "id"])
    op.create_index("ix_reports_occurred_on_id", "reports", ["occurred_on", "id"])
    op.create_index("ix_reports_severity_id", "reports", ["severity", "id"])


def downgrade():
    op.drop_index("ix_reports_severity_id", table_name="reports")
    op.drop_index("ix_reports_occurred_on_id", table_name="reports")
    op.drop_index("ix_reports_submitted_at_id", table_name="reports")
