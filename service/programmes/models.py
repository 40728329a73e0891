"""Programmes, their participants and their matching runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

KINDS = ("mentoring", "reverse_mentoring", "cross_functional", "intro_rounds")
# The engine's purpose that ranks a kind's pairs, and the kind of mentorship a pair becomes.
PURPOSES = {
    "mentoring": "mentor",
    "reverse_mentoring": "reverse_mentor",
    "cross_functional": "cross_functional",
    "intro_rounds": "cross_functional",
}
MENTORSHIP_KINDS = {
    "mentoring": "mentorship",
    "reverse_mentoring": "reverse_mentorship",
    "cross_functional": "cross_functional",
}
STATUSES = ("open", "closed")
ROLES = ("mentee", "mentor", "either")
PUBLISH_AS = ("proposed", "active")
METHODS = ("stable", "optimal", "greedy")
RUN_STATUSES = ("queued", "running", "succeeded", "failed", "published", "discarded")


class Programme(Base):
    """A company's mentoring, reverse-mentoring, cross-functional or intro-round programme.

    ``rules`` holds the matching rules (see ``ProgrammeRulesSchema``): months within which a
    past pair is not repeated, forbidden and pinned pairs, a minimum score, capacity
    overrides per mentor and the length L of each mentee's list.
    """

    __tablename__ = "programmes"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("prg")
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    cadence_days: Mapped[int] = mapped_column(SmallInteger, default=14)
    mentorship_ends_on: Mapped[date | None] = mapped_column(Date)
    publish_as: Mapped[str] = mapped_column(String(16), default="proposed")
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    published_run_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Participant(Base):
    """A person enrolled in a programme, as mentee, mentor, or either (intro rounds)."""

    __tablename__ = "programme_participants"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("ppt")
    )
    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("programme_id", "person_id"),)


class Run(Base):
    """One matching of a programme's cohort: queued → running → succeeded (a draft) or failed.

    A draft is reviewed, then published (its pairs become mentorships) or discarded.
    ``result`` holds assignments, unmatched mentees and metrics; ``preferences`` the lists
    both sides were ranked by, so that anyone can recompute stability from the run alone.
    """

    __tablename__ = "programme_runs"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("run")
    )
    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    preferences: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
