"""assessments and recommendations: scale levels (with the default scales), assessments,
the recommendations registry and its per-campaign follow-ups, evidence links, and judgment
events (hash-chained in the same chain as review events). The default scale levels are data,
created by the app when a scale has none (observer/assessments/scales.py), so a freshly
upgraded database stays empty and `flask restore` can fill it.

Revision ID: ffe77f5063ef
Revises: f6b8d0c30006
Create Date: 2026-12-01 21:52:49.691739

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ffe77f5063ef"
down_revision = "f6b8d0c30006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("paragraph", sa.String(length=32), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("addressee", sa.String(length=200), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_be", sa.Text(), nullable=True),
        sa.Column("text_ru", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendations")),
        sa.UniqueConstraint("code", name=op.f("uq_recommendations_code")),
    )
    op.create_table(
        "scale_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scale", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("name_be", sa.String(length=120), nullable=True),
        sa.Column("name_ru", sa.String(length=120), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=7), nullable=False),
        sa.Column("counts_as_assessed", sa.Boolean(), nullable=False),
        sa.Column("reasoning_required", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scale_levels")),
        sa.UniqueConstraint("scale", "code", name=op.f("uq_scale_levels_scale")),
    )
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("reasoning_en", sa.Text(), nullable=True),
        sa.Column("reasoning_be", sa.Text(), nullable=True),
        sa.Column("reasoning_ru", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreed_by_id"], ["users.id"], name=op.f("fk_follow_ups_agreed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_follow_ups_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["level_id"], ["scale_levels.id"], name=op.f("fk_follow_ups_level_id_scale_levels")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_follow_ups_proposed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_follow_ups_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint(
            "campaign_id", "recommendation_id", name=op.f("uq_follow_ups_campaign_id")
        ),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_ups_recommendation_id"), ["recommendation_id"], unique=False
        )

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("scope_key", sa.String(length=32), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("reasoning_en", sa.Text(), nullable=True),
        sa.Column("reasoning_be", sa.Text(), nullable=True),
        sa.Column("reasoning_ru", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreed_by_id"], ["users.id"], name=op.f("fk_assessments_agreed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_assessments_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["criteria.id"], name=op.f("fk_assessments_criterion_id_criteria")
        ),
        sa.ForeignKeyConstraint(
            ["level_id"], ["scale_levels.id"], name=op.f("fk_assessments_level_id_scale_levels")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_assessments_proposed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_assessments_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stages.id"], name=op.f("fk_assessments_stage_id_stages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("criterion_id", "scope_key", name=op.f("uq_assessments_criterion_id")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessments_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "recommendation_criteria",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criteria.id"],
            name=op.f("fk_recommendation_criteria_criterion_id_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_recommendation_criteria_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "recommendation_id", "criterion_id", name=op.f("pk_recommendation_criteria")
        ),
    )
    op.create_table(
        "evidence_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("report_reference", sa.String(length=20), nullable=True),
        sa.Column("figure_key", sa.String(length=64), nullable=True),
        sa.Column("figure_params", sa.JSON(), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_evidence_links_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_evidence_links_follow_up_id_follow_ups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_evidence_links_report_id_reports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_links")),
    )
    with op.batch_alter_table("evidence_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_links_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_links_follow_up_id"), ["follow_up_id"], unique=False
        )

    op.create_table(
        "judgment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("prev_digest", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_judgment_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_judgment_events_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_judgment_events_follow_up_id_follow_ups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgment_events")),
        sa.UniqueConstraint("seq", name=op.f("uq_judgment_events_seq")),
    )
    with op.batch_alter_table("judgment_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_judgment_events_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_judgment_events_follow_up_id"), ["follow_up_id"], unique=False
        )



def downgrade():
    with op.batch_alter_table("judgment_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_judgment_events_follow_up_id"))
        batch_op.drop_index(batch_op.f("ix_judgment_events_assessment_id"))

    op.drop_table("judgment_events")
    with op.batch_alter_table("evidence_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_links_follow_up_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_links_assessment_id"))

    op.drop_table("evidence_links")
    op.drop_table("recommendation_criteria")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_campaign_id"))

    op.drop_table("assessments")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_recommendation_id"))

    op.drop_table("follow_ups")
    op.drop_table("scale_levels")
    op.drop_table("recommendations")
