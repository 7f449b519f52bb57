"""device credentials (OpenRosa), reports filed from a device, video posters

Revision ID: a7c9e1f20017
Revises: 2a800cd01331
Create Date: 2026-12-01 22:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a7c9e1f20017"
down_revision = "2a800cd01331"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "device_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_device_credentials_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["users.id"],
            name=op.f("fk_device_credentials_revoked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_credentials")),
        sa.UniqueConstraint("username", name=op.f("uq_device_credentials_username")),
    )
    op.create_index(op.f("ix_device_credentials_user_id"), "device_credentials", ["user_id"])
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("device_credential_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("device_instance_id", sa.String(length=64), nullable=True))
        batch.create_foreign_key(
            op.f("fk_reports_device_credential_id_device_credentials"),
            "device_credentials",
            ["device_credential_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint(
            "uq_reports_author_instance", ["author_id", "device_instance_id"]
        )
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("poster", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("kept_evidence") as batch:
        batch.add_column(sa.Column("poster", sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table("kept_evidence") as batch:
        batch.drop_column("poster")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("poster")
    with op.batch_alter_table("reports") as batch:
        batch.drop_constraint("uq_reports_author_instance", type_="unique")
        batch.drop_constraint(
            op.f("fk_reports_device_credential_id_device_credentials"), type_="foreignkey"
        )
        batch.drop_column("device_instance_id")
        batch.drop_column("device_credential_id")
    op.drop_index(op.f("ix_device_credentials_user_id"), table_name="device_credentials")
    op.drop_table("device_credentials")
