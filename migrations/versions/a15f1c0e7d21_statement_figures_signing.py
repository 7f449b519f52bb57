"""statement figures, case examples, signed files, mission profile and signing keys

Revision ID: a15f1c0e7d21
Revises: a7c9e1f20017
Create Date: 2026-12-01 22:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a15f1c0e7d21"
down_revision = "a7c9e1f20017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("translation_of_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_statements_translation_of_id_statements"),
            "statements",
            ["translation_of_id"],
            ["id"],
        )
    op.create_table(
        "statement_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("show_date", sa.Boolean(), nullable=False),
        sa.Column("show_district", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_statement_cases_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_cases_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_cases")),
    )
    op.create_index(
        op.f("ix_statement_cases_statement_id"), "statement_cases", ["statement_id"]
    )
    op.create_table(
        "statement_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_files_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_files")),
        sa.UniqueConstraint(
            "statement_id", "name", name=op.f("uq_statement_files_statement_id")
        ),
    )
    op.create_index(
        op.f("ix_statement_files_statement_id"), "statement_files", ["statement_id"]
    )
    op.create_table(
        "mission_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_en", sa.String(length=200), nullable=False),
        sa.Column("place_be", sa.String(length=200), nullable=False),
        sa.Column("place_ru", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_media_type", sa.String(length=32), nullable=True),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_profile")),
    )
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_signing_keys_key_id")),
    )


def downgrade():
    op.drop_table("signing_keys")
    op.drop_table("mission_profile")
    op.drop_index(op.f("ix_statement_files_statement_id"), table_name="statement_files")
    op.drop_table("statement_files")
    op.drop_index(op.f("ix_statement_cases_statement_id"), table_name="statement_cases")
    op.drop_table("statement_cases")
    with op.batch_alter_table("statements") as batch:
        batch.drop_constraint(
            batch.f("fk_statements_translation_of_id_statements"), type_="foreignkey"
        )
        batch.drop_column("translation_of_id")
        batch.drop_column("kind")
