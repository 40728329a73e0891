"""Feedback on mentorships."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow


class MentorshipFeedback(Base):
    """How one side rates a mentorship at one moment; the comment is private to its author."""

    __tablename__ = "mentorship_feedback"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("fbk")
    )
    mentorship_id: Mapped[str] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    goals_progressing: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_mentorship_feedback_mentorship_created", "mentorship_id", "created_at"),
        Index("ix_mentorship_feedback_person_created", "person_id", "created_at"),
    )
