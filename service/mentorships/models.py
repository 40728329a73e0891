"""Mentorships."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

KINDS = ("mentorship", "reverse_mentorship", "cross_functional")
STATUSES = ("proposed", "active", "declined", "completed", "cancelled")
# Statuses in which a mentorship still holds its pair (one at a time per pair and kind).
OPEN_STATUSES = ("proposed", "active")


class Mentorship(Base):
    """A mentor and a mentee, from proposal to completion.

    ``status`` is what was last recorded; an active mentorship whose ``ends_on`` has passed
    *reads* as completed (see :func:`service.mentorships.logic.effective_status`), so no
    scheduled job is needed for the answer to be right.
    """

    __tablename__ = "mentorships"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("men")
    )
    mentor_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    mentee_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    # The side that proposed: only the other side may accept or decline.
    proposed_by: Mapped[str] = mapped_column(String(40))
    goal_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    cadence_days: Mapped[int] = mapped_column(SmallInteger, default=14)
    ends_on: Mapped[date | None] = mapped_column(Date)
    message: Mapped[str | None] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    closure_reason: Mapped[str | None] = mapped_column(Text)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_mentorships_mentor_status", "mentor_id", "status"),
        # One open mentorship per pair and kind, even under concurrent proposals.
        Index(
            "uq_mentorships_open_pair",
            "mentor_id",
            "mentee_id",
            "kind",
            unique=True,
            sqlite_where=text("status IN ('proposed', 'active')"),
            postgresql_where=text("status IN ('proposed', 'active')"),
        ),
    )

    def changed_people(self) -> tuple[str, str]:
        """Both people's matching records depend on this mentorship (mentors, capacity)."""
        return (self.mentor_id, self.mentee_id)
