"""Programmes: participants and matching runs

Revision ID: 0008_programmes
Revises: 0007_platform
Create Date: 2026-12-02 06:27:39.011064
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db  # noqa: F401 - custom column types render as service.db.*

revision: str = "0008_programmes"
down_revision: str | None = "0007_platform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("cadence_days", sa.SmallInteger(), nullable=False),
        sa.Column("mentorship_ends_on", sa.Date(), nullable=True),
        sa.Column("publish_as", sa.String(length=16), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("published_run_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_table(
        "programme_participants",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("programme_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_programme_participants_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_participants_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_participants")),
        sa.UniqueConstraint(
            "programme_id",
            "person_id",
            name=op.f("uq_programme_participants_programme_id_person_id"),
        ),
    )
    with op.batch_alter_table("programme_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_participants_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_programme_participants_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "programme_runs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("programme_id", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("preferences", sa.JSON(), nullable=True),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_runs_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_runs")),
    )
    with op.batch_alter_table("programme_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_runs_programme_id"), ["programme_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("programme_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_runs_programme_id"))

    op.drop_table("programme_runs")
    with op.batch_alter_table("programme_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_participants_programme_id"))
        batch_op.drop_index(batch_op.f("ix_programme_participants_person_id"))

    op.drop_table("programme_participants")
    op.drop_table("programmes")
