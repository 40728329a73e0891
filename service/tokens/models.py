"""The stored form of API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow


class ApiToken(Base):
    """A bearer token: its role, the person a member token is bound to, and its hash."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("tok")
    )
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # How it was issued: `cli` (by the operator), `api` (by an admin), `login` (minted from
    # the person's own identity-provider login); and the token that issued it, if one did.
    issued_via: Mapped[str] = mapped_column(String(16), default="cli")
    issued_by: Mapped[str | None] = mapped_column(id_column_type())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
