"""Hardening: audit events, token provenance and expiry, relationship versions, skill creators.

Revision ID: 0006_hardening
Revises: 0005_identity
Create Date: 2026-12-02 06:09:41.570206
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db  # noqa: F401 - custom column types render as service.db.*

revision: str = "0006_hardening"
down_revision: str | None = "0005_identity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", service.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_token_id", sa.String(length=40), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("token_id", sa.String(length=40), nullable=True),
        sa.Column("person_id", sa.String(length=40), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_actor_token_id"), ["actor_token_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_events_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_token_id"), ["token_id"], unique=False)

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        # Tokens issued before this revision came from the command line.
        batch_op.add_column(
            sa.Column("issued_via", sa.String(length=16), nullable=False, server_default="cli")
        )
        batch_op.add_column(sa.Column("issued_by", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("expires_at", service.db.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("relationship_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))

    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_skills_created_by"), ["created_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skills_created_by"))
        batch_op.drop_column("created_by")

    with op.batch_alter_table("relationship_settings", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
        batch_op.drop_column("issued_by")
        batch_op.drop_column("issued_via")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_token_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_person_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_token_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
