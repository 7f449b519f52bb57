"""review queue: indexes for keyset pagination at any depth

Revision ID: b2d4e6f80002
Revises: 5ef3326f5567
Create Date: 2026-11-24 21:00:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op

revision = "b2d4e6f80002"
down_revision = "5ef3326f5567"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_submitted_at_id", ["submitted_at", "id"], unique=False)
        batch_op.create_index("ix_reports_occurred_on_id", ["occurred_on", "id"], unique=False)
        batch_op.create_index("ix_reports_severity_id", ["severity", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_severity_id")
        batch_op.drop_index("ix_reports_occurred_on_id")
        batch_op.drop_index("ix_reports_submitted_at_id")
