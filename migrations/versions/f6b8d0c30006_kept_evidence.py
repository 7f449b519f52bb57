"""kept_evidence: files sent with a report form that came back with a problem, kept for their
observer so that they need not be chosen again

Revision ID: f6b8d0c30006
Revises: e5a7c9b20005
Create Date: 2026-11-24 23:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f6b8d0c30006"
down_revision = "e5a7c9b20005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_kept_evidence_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_evidence")),
        sa.UniqueConstraint("token", name=op.f("uq_kept_evidence_token")),
    )
    op.create_index(op.f("ix_kept_evidence_owner_id"), "kept_evidence", ["owner_id"])
    op.create_index(op.f("ix_kept_evidence_created_at"), "kept_evidence", ["created_at"])


def downgrade():
    op.drop_index(op.f("ix_kept_evidence_created_at"), table_name="kept_evidence")
    op.drop_index(op.f("ix_kept_evidence_owner_id"), table_name="kept_evidence")
    op.drop_table("kept_evidence")
