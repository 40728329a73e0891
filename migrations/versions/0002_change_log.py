"""The directory change log: a version counter and who changed in each version.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:20:42.600284
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directory_changes",
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("version", "person_id", name=op.f("pk_directory_changes")),
    )
    state = op.create_table(
        "directory_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_state")),
    )
    # The one row of the counter; its row lock orders the writers.
    op.bulk_insert(state, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("directory_state")
    op.drop_table("directory_changes")
