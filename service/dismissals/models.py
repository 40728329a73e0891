"""Dismissed recommendations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

REASONS = ("not_relevant", "already_know", "not_now", "do_not_suggest")
# `not_now` hides a person for this many days; the other reasons last until deleted.
NOT_NOW_DAYS = 90


class Dismissal(Base):
    """A person's "not for me" about someone recommended to them, for one purpose.

    ``do_not_suggest`` applies to every purpose, to programmes and to intro rounds, both
    ways: neither of the two is suggested to the other.
    """

    __tablename__ = "dismissals"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("dis")
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    dismissed_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set for `not_now` only: the person comes back in lists after this moment.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index(
            "uq_dismissals_person_id_dismissed_id_purpose",
            "person_id",
            "dismissed_id",
            "purpose",
            unique=True,
        ),
    )
