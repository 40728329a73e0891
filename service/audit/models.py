"""The stored form of audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

ACTIONS = ("token.issued", "token.revoked", "token.used")


class AuditEvent(Base):
    """Who did what, when, with which token and from where. Never changed once written.

    Ids are kept without foreign keys: the log outlives the tokens and people it names.
    """

    __tablename__ = "audit_events"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("aud")
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    # Who acted: the token of the request (None from the command line or a login).
    actor_token_id: Mapped[str | None] = mapped_column(id_column_type(), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    # The token issued, revoked or used, and the person it acts for.
    token_id: Mapped[str | None] = mapped_column(id_column_type(), index=True)
    person_id: Mapped[str | None] = mapped_column(id_column_type(), index=True)
    client_address: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[str] = mapped_column(String(500), default="")


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse to change or delete an audit event through the ORM."""
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, AuditEvent):
            raise ValueError("Audit events are append-only.")
