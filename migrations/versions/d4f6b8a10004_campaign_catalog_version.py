"""campaigns.catalog_version: lets workers keep a catalog snapshot and know when it is stale

Revision ID: d4f6b8a10004
Revises: c3e5a7f90003
Create Date: 2026-11-24 21:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4f6b8a10004"
down_revision = "c3e5a7f90003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "catalog_version", sa.String(length=32), server_default="initial", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("catalog_version")
