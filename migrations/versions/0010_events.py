"""Events, meetings and Networking Bingo: prompts, cards, squares and reflections.

Revision ID: 0010_events
Revises: 0008_programmes
Create Date: 2026-12-02 06:05:16.796025
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db  # noqa: F401 - custom column types render as service.db.*

revision: str = "0010_events"
down_revision: str | None = "0008_programmes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "bingo_prompts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=True),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("condition", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bingo_prompts")),
        sa.UniqueConstraint("key", name=op.f("uq_bingo_prompts_key")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("card_size", sa.SmallInteger(), nullable=False),
        sa.Column("free_centre", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("started_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "bingo_cards",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("size", sa.SmallInteger(), nullable=False),
        sa.Column("bingos", sa.SmallInteger(), nullable=False),
        sa.Column("bingo_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_bingo_cards_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_bingo_cards_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bingo_cards")),
        sa.UniqueConstraint(
            "event_id", "person_id", name=op.f("uq_bingo_cards_event_id_person_id")
        ),
    )
    with op.batch_alter_table("bingo_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bingo_cards_person_id"), ["person_id"], unique=False)

    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_participants_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_event_participants_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "person_id", name=op.f("pk_event_participants")),
    )
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_participants_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "event_reflections",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("best_prompt_id", sa.String(length=40), nullable=True),
        sa.Column("best_answer", sa.Text(), nullable=True),
        sa.Column("structure", sa.String(length=16), nullable=True),
        sa.Column("structure_notes", sa.Text(), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["best_prompt_id"],
            ["bingo_prompts.id"],
            name=op.f("fk_event_reflections_best_prompt_id_bingo_prompts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_reflections_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_event_reflections_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_reflections")),
        sa.UniqueConstraint(
            "event_id", "person_id", name=op.f("uq_event_reflections_event_id_person_id")
        ),
    )
    with op.batch_alter_table("event_reflections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_reflections_best_prompt_id"), ["best_prompt_id"], unique=False
        )
        batch_op.create_index(
            "ix_event_reflections_event_shared", ["event_id", "shared"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_reflections_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "bingo_squares",
        sa.Column("card_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("free", sa.Boolean(), nullable=False),
        sa.Column("prompt_id", sa.String(length=40), nullable=True),
        sa.Column("text", sa.String(length=300), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("condition", sa.String(length=32), nullable=True),
        sa.Column("met_id", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("marked_at", service.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["bingo_cards.id"],
            name=op.f("fk_bingo_squares_card_id_bingo_cards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["met_id"],
            ["people.id"],
            name=op.f("fk_bingo_squares_met_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["bingo_prompts.id"],
            name=op.f("fk_bingo_squares_prompt_id_bingo_prompts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("card_id", "position", name=op.f("pk_bingo_squares")),
    )
    with op.batch_alter_table("bingo_squares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bingo_squares_met_id"), ["met_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bingo_squares_prompt_id"), ["prompt_id"], unique=False)

    op.create_table(
        "event_meetings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("first_id", sa.String(length=40), nullable=False),
        sa.Column("second_id", sa.String(length=40), nullable=False),
        sa.Column("interaction_id", sa.String(length=40), nullable=True),
        sa.Column("recorded_by", sa.String(length=40), nullable=True),
        sa.Column("occurred_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_meetings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_id"],
            ["people.id"],
            name=op.f("fk_event_meetings_first_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_event_meetings_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["second_id"],
            ["people.id"],
            name=op.f("fk_event_meetings_second_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_meetings")),
        sa.UniqueConstraint(
            "event_id",
            "first_id",
            "second_id",
            name=op.f("uq_event_meetings_event_id_first_id_second_id"),
        ),
    )
    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_meetings_first_id"), ["first_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_meetings_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_meetings_second_id"), ["second_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_meetings_second_id"))
        batch_op.drop_index(batch_op.f("ix_event_meetings_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_event_meetings_first_id"))

    op.drop_table("event_meetings")
    with op.batch_alter_table("bingo_squares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bingo_squares_prompt_id"))
        batch_op.drop_index(batch_op.f("ix_bingo_squares_met_id"))

    op.drop_table("bingo_squares")
    with op.batch_alter_table("event_reflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_reflections_person_id"))
        batch_op.drop_index("ix_event_reflections_event_shared")
        batch_op.drop_index(batch_op.f("ix_event_reflections_best_prompt_id"))

    op.drop_table("event_reflections")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participants_person_id"))

    op.drop_table("event_participants")
    with op.batch_alter_table("bingo_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bingo_cards_person_id"))

    op.drop_table("bingo_cards")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))

    op.drop_table("events")
    op.drop_table("bingo_prompts")
