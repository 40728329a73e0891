"""Logged interactions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

INTERACTION_KINDS = (
    "coffee_chat",
    "meeting",
    "video_call",
    "message",
    "social_message",
    "event",
    "mentoring_session",
)
INITIATORS = ("person", "contact")
EXCHANGES = ("advice", "introduction", "resource", "help", "feedback", "expertise")


class Interaction(Base):
    """A contact between the person who logs it and one contact."""

    __tablename__ = "interactions"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("int")
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    contact_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    initiated_by: Mapped[str] = mapped_column(String(16), default="person")
    given: Mapped[list[str]] = mapped_column(JSON, default=list)
    received: Mapped[list[str]] = mapped_column(JSON, default=list)
    goal_id: Mapped[str | None] = mapped_column(
        ForeignKey("goals.id", ondelete="SET NULL"), index=True
    )
    # Private to person_id: never shown to anyone else, admins included.
    notes: Mapped[str | None] = mapped_column(Text)
    follow_up_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_interactions_person_occurred", "person_id", "occurred_at"),
        Index("ix_interactions_contact_occurred", "contact_id", "occurred_at"),
    )
