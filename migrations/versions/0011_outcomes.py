"""Outcomes: impressions, dismissals, feedback and versioned weights

Revision ID: 0011_outcomes
Revises: 0010_events
Create Date: 2026-12-02 06:01:54.970896
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db  # noqa: F401 - custom column types render as service.db.*

revision: str = "0011_outcomes"
down_revision: str | None = "0010_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weight_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("previous_version", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_events")),
    )
    op.create_table(
        "weight_sets",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("recommended", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_weight_sets_version")),
    )
    op.create_table(
        "dismissals",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("dismissed_id", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dismissed_id"],
            ["people.id"],
            name=op.f("fk_dismissals_dismissed_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_dismissals_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dismissals")),
    )
    with op.batch_alter_table("dismissals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dismissals_dismissed_id"), ["dismissed_id"], unique=False
        )
        batch_op.create_index(
            "uq_dismissals_person_id_dismissed_id_purpose",
            ["person_id", "dismissed_id", "purpose"],
            unique=True,
        )

    op.create_table(
        "impressions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("goal_id", sa.String(length=40), nullable=True),
        sa.Column("weights_version", sa.Integer(), nullable=False),
        sa.Column("served_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_impressions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impressions")),
    )
    with op.batch_alter_table("impressions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_impressions_person_purpose_served",
            ["person_id", "purpose", "served_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_impressions_served_at"), ["served_at"], unique=False)

    op.create_table(
        "mentorship_feedback",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("mentorship_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("goals_progressing", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorships.id"],
            name=op.f("fk_mentorship_feedback_mentorship_id_mentorships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_mentorship_feedback_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorship_feedback")),
    )
    with op.batch_alter_table("mentorship_feedback", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentorship_feedback_mentorship_created",
            ["mentorship_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_mentorship_feedback_person_created", ["person_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mentorship_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_mentorship_feedback_person_created")
        batch_op.drop_index("ix_mentorship_feedback_mentorship_created")

    op.drop_table("mentorship_feedback")
    with op.batch_alter_table("impressions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impressions_served_at"))
        batch_op.drop_index("ix_impressions_person_purpose_served")

    op.drop_table("impressions")
    with op.batch_alter_table("dismissals", schema=None) as batch_op:
        batch_op.drop_index("uq_dismissals_person_id_dismissed_id_purpose")
        batch_op.drop_index(batch_op.f("ix_dismissals_dismissed_id"))

    op.drop_table("dismissals")
    op.drop_table("weight_sets")
    op.drop_table("weight_events")
