"""Identity: the identity provider's id apart from the employee id, a userName that is not
an email, the given and family names, and manager references not resolved yet.

Revision ID: 0005_identity
Revises: 0004
Create Date: 2026-12-02 06:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_identity"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idp_id", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("user_name", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("user_name_key", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("given_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("family_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("manager_ref", sa.String(length=254), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_people_idp_id"), ["idp_id"])
        batch_op.create_unique_constraint(batch_op.f("uq_people_user_name_key"), ["user_name_key"])
        batch_op.create_index(batch_op.f("ix_people_manager_ref"), ["manager_ref"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_manager_ref"))
        batch_op.drop_constraint(batch_op.f("uq_people_user_name_key"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_people_idp_id"), type_="unique")
        batch_op.drop_column("manager_ref")
        batch_op.drop_column("family_name")
        batch_op.drop_column("given_name")
        batch_op.drop_column("user_name_key")
        batch_op.drop_column("user_name")
        batch_op.drop_column("idp_id")
