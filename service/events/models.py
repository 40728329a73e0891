"""Events, their participants and meetings, and Networking Bingo: prompts, cards, reflections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from matching.bingo import CATEGORIES, CONDITIONS
from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

EVENT_KINDS = ("bingo", "meetup")
EVENT_STATUSES = ("scheduled", "running", "ended")
ROLES = ("participant", "facilitator")
STRUCTURE_EFFECTS = ("helped", "hindered", "mixed")


class Event(Base):
    """A gathering whose meetings become interactions; a bingo deals cards when it starts.

    The status is read from the clock (see :func:`service.events.logic.status_of`): an event
    runs from ``starts_at`` (or from when a facilitator started it) for ``duration_minutes``,
    unless a facilitator ended it sooner.
    """

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("eve")
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_minutes: Mapped[int] = mapped_column(SmallInteger)
    location: Mapped[str | None] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    # Members may join by themselves; otherwise a facilitator or an admin enrols them.
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    card_size: Mapped[int] = mapped_column(SmallInteger, default=4)
    free_centre: Mapped[bool] = mapped_column(Boolean, default=True)
    # Every card of the event is drawn from this seed (and the player's id).
    seed: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class EventParticipant(Base):
    """Someone at an event: a participant (who plays) or a facilitator (who runs it)."""

    __tablename__ = "event_participants"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="participant")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EventMeeting(Base):
    """Two people who met at an event, once per pair, and the interaction that records it."""

    __tablename__ = "event_meetings"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("mee")
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # The pair in id order, so that (a, b) and (b, a) are one meeting.
    first_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    second_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[str | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), index=True
    )
    recorded_by: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("event_id", "first_id", "second_id"),)


class BingoPrompt(Base):
    """A prompt of the catalogue: what to do with the person met, and who that may be."""

    __tablename__ = "bingo_prompts"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("pro")
    )
    # The default catalogue's name for a prompt, so that loading it twice adds nothing.
    key: Mapped[str | None] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(16))
    condition: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class BingoCard(Base):
    """One participant's card at a bingo event."""

    __tablename__ = "bingo_cards"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("car")
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    size: Mapped[int] = mapped_column(SmallInteger)
    bingos: Mapped[int] = mapped_column(SmallInteger, default=0)
    # When the card's first line was complete.
    bingo_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("event_id", "person_id"),)


class BingoSquare(Base):
    """One square of a card: the prompt as it was dealt, and whom it was filled with."""

    __tablename__ = "bingo_squares"

    card_id: Mapped[str] = mapped_column(
        ForeignKey("bingo_cards.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    free: Mapped[bool] = mapped_column(Boolean, default=False)
    prompt_id: Mapped[str | None] = mapped_column(
        ForeignKey("bingo_prompts.id", ondelete="SET NULL"), index=True
    )
    # The prompt as printed: a later edit of the catalogue does not change a dealt card.
    text: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(16))
    condition: Mapped[str | None] = mapped_column(String(32))
    met_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # Private to the card's owner.
    note: Mapped[str | None] = mapped_column(Text)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Reflection(Base):
    """A participant's answers to the debrief questions; private to facilitators unless shared."""

    __tablename__ = "event_reflections"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("ref")
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    best_prompt_id: Mapped[str | None] = mapped_column(
        ForeignKey("bingo_prompts.id", ondelete="SET NULL"), index=True
    )
    best_answer: Mapped[str | None] = mapped_column(Text)
    structure: Mapped[str | None] = mapped_column(String(16))
    structure_notes: Mapped[str | None] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        Index("ix_event_reflections_event_shared", "event_id", "shared"),
    )


__all__ = [
    "CATEGORIES",
    "CONDITIONS",
    "EVENT_KINDS",
    "EVENT_STATUSES",
    "ROLES",
    "STRUCTURE_EFFECTS",
    "BingoCard",
    "BingoPrompt",
    "BingoSquare",
    "Event",
    "EventMeeting",
    "EventParticipant",
    "Reflection",
]
