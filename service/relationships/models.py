"""What a person sets on one of their relationships (the rest is derived)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utcnow


class RelationshipSetting(Base):
    """A person's own stay-in-touch cadence for one contact, overriding the default."""

    __tablename__ = "relationship_settings"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    cadence_days: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The row version: part of the relationship's ETag, and checked by every UPDATE and
    # DELETE, so that of concurrent writers holding one ETag only the first wins.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
