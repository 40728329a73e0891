"""The influence map: stored graph metrics, snapshots, decision-makers

Revision ID: 0012_network
Revises: 0011_outcomes
Create Date: 2026-12-02 06:06:52.731501
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db  # noqa: F401 - custom column types render as service.db.*

revision: str = "0012_network"
down_revision: str | None = "0011_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_interactions_ties_by_person",
        "interactions",
        ["person_id", "contact_id", "occurred_at", "kind"],
    )
    op.create_index(
        "ix_interactions_ties_by_contact",
        "interactions",
        ["contact_id", "person_id", "occurred_at", "kind"],
    )
    op.create_table(
        "network_snapshots",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("computed_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("directory_version", sa.BigInteger(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("ties", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("betweenness_pivots", sa.Integer(), nullable=True),
        sa.Column("modularity", sa.Float(), nullable=True),
        sa.Column("communities", sa.JSON(), nullable=False),
        sa.Column("decision_functions", sa.JSON(), nullable=False),
        sa.Column("divisions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_snapshots")),
    )
    with op.batch_alter_table("network_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_snapshots_computed_at"), ["computed_at"], unique=False
        )

    op.create_table(
        "network_decision_makers",
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("flagged_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_network_decision_makers_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_network_decision_makers")),
    )
    op.create_table(
        "network_person_metrics",
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("influence", sa.Float(), nullable=False),
        sa.Column("influence_percentile", sa.Float(), nullable=False),
        sa.Column("betweenness", sa.Float(), nullable=False),
        sa.Column("brokerage_percentile", sa.Float(), nullable=False),
        sa.Column("constraint", sa.Float(), nullable=True),
        sa.Column("effective_size", sa.Float(), nullable=True),
        sa.Column("ties", sa.Integer(), nullable=False),
        sa.Column("divisions_bridged", sa.Integer(), nullable=False),
        sa.Column("reach_people", sa.Integer(), nullable=False),
        sa.Column("reach_divisions", sa.Integer(), nullable=False),
        sa.Column("community", sa.Integer(), nullable=True),
        sa.Column("decision_hops", sa.JSON(), nullable=False),
        sa.Column("computed_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_network_person_metrics_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_network_person_metrics")),
    )
    with op.batch_alter_table("network_person_metrics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_person_metrics_betweenness"), ["betweenness"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_network_person_metrics_influence"), ["influence"], unique=False
        )


def downgrade() -> None:
    op.drop_index("ix_interactions_ties_by_contact", table_name="interactions")
    op.drop_index("ix_interactions_ties_by_person", table_name="interactions")
    with op.batch_alter_table("network_person_metrics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_person_metrics_influence"))
        batch_op.drop_index(batch_op.f("ix_network_person_metrics_betweenness"))

    op.drop_table("network_person_metrics")
    op.drop_table("network_decision_makers")
    with op.batch_alter_table("network_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_snapshots_computed_at"))

    op.drop_table("network_snapshots")
