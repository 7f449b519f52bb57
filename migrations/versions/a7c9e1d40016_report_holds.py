"""report_holds: a coordinator's hold on a report under review, and when it was first opened;
indexes for the triage queue (waiting reports, oldest first) and decisions per hour

Revision ID: a7c9e1d40016
Revises: a15f1c0e7d21
Create Date: 2026-12-01 22:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a7c9e1d40016"
down_revision = "a15f1c0e7d21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_holds",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["users.id"],
            name=op.f("fk_report_holds_holder_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_holds_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_report_holds")),
    )
    op.create_index(
        "ix_report_holds_holder_expires", "report_holds", ["holder_id", "expires_at"]
    )
    op.create_index(
        "ix_reports_status_submitted_at", "reports", ["status", "submitted_at", "id"]
    )
    op.create_index(op.f("ix_review_events_created_at"), "review_events", ["created_at"])


def downgrade():
    op.drop_index(op.f("ix_review_events_created_at"), table_name="review_events")
    op.drop_index("ix_reports_status_submitted_at", table_name="reports")
    op.drop_index("ix_report_holds_holder_expires", table_name="report_holds")
    op.drop_table("report_holds")
