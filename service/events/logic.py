"""Use-cases of events: scheduling, joining, meetings, cards, marking squares, reflections.

An event's status is read from the clock and two facts a facilitator may record (started,
ended), never stored, so no scheduled job is needed for it to be right. A bingo's cards are
dealt when it starts: by the facilitator's start, or by the first read of a card once its
start time has passed. Every meeting, and every square marked, is an interaction of kind
``event`` logged through the interactions' own use-case, so that follow-ups fall due as for
any first meeting.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching import bingo
from service import webhooks
from service.auth import Caller, Role
from service.db import new_id, page_of
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.events.models import (
    BingoCard,
    BingoPrompt,
    BingoSquare,
    Event,
    EventMeeting,
    EventParticipant,
    Reflection,
)
from service.interactions import logic as interactions
from service.interactions.models import Interaction
from service.people.logic import require_reference
from service.people.models import Person, PersonLearning, PersonSkill
from service.skills.models import Skill

DEFAULT_DURATION = {"bingo": 15, "meetup": 60}
# What a square's category says was exchanged, from the card owner's side.
EXCHANGE = {
    "ask": {"received": ["advice"]},
    "offer": {"given": ["help"]},
    "share": {"given": ["resource"]},
    "discover": {"received": ["expertise"]},
}
CONDITION_TEXT = {
    "function_without_tie": "someone from a function you had no tie with",
    "holds_learning_skill": "someone who holds a skill on your learning list (level 3 or more)",
    "junior_who_can_teach": "someone at least two levels junior who holds a skill better than you",
    "other_division": "someone from another division",
    "senior_by_two": "someone at least two levels senior",
    "shares_learning": "someone who wants to learn a skill you want to learn",
}


# --- status -------------------------------------------------------------------------------


def ends_at(event: Event) -> datetime:
    """When the event ends by time: its duration after it started."""
    return (event.started_at or event.starts_at) + timedelta(minutes=event.duration_minutes)


def status_of(event: Event, now: datetime) -> str:
    """``scheduled``, ``running`` or ``ended``, as the clock and the facilitators say."""
    if (event.ended_at is not None and event.ended_at <= now) or now >= ends_at(event):
        return "ended"
    if event.started_at is not None or now >= event.starts_at:
        return "running"
    return "scheduled"


def shown(event: Event, now: datetime) -> Event:
    """Set what a reader sees that is read from the clock."""
    event.shown_status = status_of(event, now)  # type: ignore[attr-defined]
    event.shown_ends_at = min(ends_at(event), event.ended_at or ends_at(event))  # type: ignore[attr-defined]
    return event


# --- access -------------------------------------------------------------------------------


def get_event(session: Session, event_id: str) -> Event:
    """Return an event, or raise NotFound (every token may read every event)."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"No event has id {event_id!r}.")
    return event


def role_at(session: Session, event_id: str, person_id: str | None) -> str | None:
    """The role of a person at an event (participant, facilitator), or None."""
    if person_id is None:
        return None
    return session.scalar(
        select(EventParticipant.role).where(
            EventParticipant.event_id == event_id, EventParticipant.person_id == person_id
        )
    )


def runs(session: Session, caller: Caller, event: Event) -> bool:
    """True when the caller may run the event: an admin, or one of its facilitators."""
    return caller.is_admin or role_at(session, event.id, caller.person_id) == "facilitator"


def require_runner(session: Session, caller: Caller, event: Event) -> None:
    """Refuse anyone but an admin or a facilitator of the event."""
    if not runs(session, caller, event):
        raise Forbidden("Only the event's facilitators or an admin may do this.")


def require_present(session: Session, caller: Caller, event: Event) -> None:
    """Refuse anyone but an admin or someone at the event."""
    if not caller.is_admin and role_at(session, event.id, caller.person_id) is None:
        raise Forbidden("Only the people at this event (or an admin) may read this.")


def _acting_for(caller: Caller, person_id: str) -> Caller:
    """The caller the interactions' use-case sees when an event logs for ``person_id``.

    The event's rules have already decided who may record what; the person's own token
    keeps its private notes, anyone else logs as an admin would (without notes).
    """
    if caller.is_person(person_id):
        return caller
    return Caller(token_id=caller.token_id, role=Role.ADMIN, person_id=None, name=caller.name)


# --- events -------------------------------------------------------------------------------


def active_prompts(session: Session) -> list[BingoPrompt]:
    """The prompts cards are drawn from, in a stable order."""
    return list(
        session.scalars(select(BingoPrompt).where(BingoPrompt.active).order_by(BingoPrompt.id))
    )


def _check_catalogue(session: Session, size: int, free_centre: bool) -> None:
    needed = bingo.squares_to_fill(size, free_centre)
    have = session.scalar(select(func.count()).select_from(BingoPrompt).where(BingoPrompt.active))
    if (have or 0) < needed:
        raise Conflict(
            f"The prompt catalogue holds {have} active prompts; a {size}×{size} card needs "
            f"{needed}. Add prompts (or run `rapport bingo load-prompts`), or choose a smaller card."
        )


def _require_people(session: Session, person_ids: Iterable[str], pointer: str) -> None:
    for k, person_id in enumerate(person_ids):
        require_reference(session, person_id, f"{pointer}/{k}")


_EVENT_FIELDS = (
    "title",
    "starts_at",
    "location",
    "link",
    "description",
    "open",
    "capacity",
    "card_size",
    "free_centre",
)


def create_event(session: Session, caller: Caller, data: dict[str, Any], now: datetime) -> Event:
    """Schedule an event; a member who creates one facilitates it."""
    facilitators = list(dict.fromkeys(data.get("facilitator_ids") or []))
    _require_people(session, facilitators, "/facilitator_ids")
    if caller.is_member and caller.person_id not in facilitators:
        assert caller.person_id is not None
        facilitators.append(caller.person_id)
    event = Event(kind=data["kind"], created_at=now, updated_at=now)
    for name in _EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.duration_minutes = data.get("duration_minutes") or DEFAULT_DURATION[event.kind]
    event.seed = (
        data["seed"] if data.get("seed") is not None else random.SystemRandom().randrange(2**31)
    )
    event.card_size = event.card_size or 4
    event.free_centre = True if event.free_centre is None else event.free_centre
    event.open = True if event.open is None else event.open
    if event.kind == "bingo":
        _check_catalogue(session, event.card_size, event.free_centre)
    session.add(event)
    session.flush()
    for person_id in facilitators:
        session.add(
            EventParticipant(
                event_id=event.id, person_id=person_id, role="facilitator", joined_at=now
            )
        )
    session.flush()
    return event


def facilitator_ids(session: Session, event_id: str) -> list[str]:
    """The facilitators of an event, in the order they were added."""
    return list(
        session.scalars(
            select(EventParticipant.person_id)
            .where(EventParticipant.event_id == event_id, EventParticipant.role == "facilitator")
            .order_by(EventParticipant.joined_at, EventParticipant.person_id)
        )
    )


def participant_count(session: Session, event_id: str) -> int:
    """How many participants (facilitators apart) an event has."""
    return (
        session.scalar(
            select(func.count())
            .select_from(EventParticipant)
            .where(EventParticipant.event_id == event_id, EventParticipant.role == "participant")
        )
        or 0
    )


def describe(session: Session, event: Event, now: datetime) -> Event:
    """Fill in what the representation reads besides the row."""
    shown(event, now)
    event.facilitator_ids = facilitator_ids(session, event.id)  # type: ignore[attr-defined]
    event.participant_count = participant_count(session, event.id)  # type: ignore[attr-defined]
    return event


@dataclass(frozen=True)
class EventFilters:
    """The filters of the event list."""

    kind: str | None = None
    status: str | None = None
    person_id: str | None = None


def list_events(
    session: Session, filters: EventFilters, now: datetime, *, offset: int, limit: int
) -> tuple[list[Event], int]:
    """Return one page of events, latest start first, and how many in all."""
    query = select(Event)
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    if filters.person_id:
        query = query.where(
            Event.id.in_(
                select(EventParticipant.event_id).where(
                    EventParticipant.person_id == filters.person_id
                )
            )
        )
    if filters.status:
        # The status is read from the clock (status_of), never stored: filtered here.
        wanted = [e.id for e in session.scalars(query) if status_of(e, now) == filters.status]
        query = select(Event).where(Event.id.in_(wanted))
    return page_of(
        session, query, Event.starts_at.desc(), Event.id.desc(), offset=offset, limit=limit
    )


def update_event(
    session: Session, caller: Caller, event: Event, changes: dict[str, Any], now: datetime
) -> Event:
    """Change a scheduled event (once it runs, only its title, place and description)."""
    require_runner(session, caller, event)
    later = {"title", "location", "link", "description"}
    if status_of(event, now) != "scheduled" and set(changes) - later:
        raise Conflict(
            "Once an event has started only its title, location, link and description change."
        )
    if "facilitator_ids" in changes:
        wanted = list(dict.fromkeys(changes.pop("facilitator_ids") or []))
        _require_people(session, wanted, "/facilitator_ids")
        if not wanted:
            raise Invalid.field("/facilitator_ids", "An event keeps at least one facilitator.")
        current = set(facilitator_ids(session, event.id))
        for row in session.scalars(
            select(EventParticipant).where(EventParticipant.event_id == event.id)
        ):
            if row.person_id in current and row.person_id not in wanted:
                session.delete(row)
            elif row.person_id in wanted:
                row.role = "facilitator"
        present = set(
            session.scalars(
                select(EventParticipant.person_id).where(EventParticipant.event_id == event.id)
            )
        )
        for person_id in wanted:
            if person_id not in present:
                session.add(
                    EventParticipant(
                        event_id=event.id, person_id=person_id, role="facilitator", joined_at=now
                    )
                )
    for name in _EVENT_FIELDS + ("duration_minutes",):
        if name in changes:
            setattr(event, name, changes[name])
    if event.kind == "bingo" and {"card_size", "free_centre"} & set(changes):
        _check_catalogue(session, event.card_size, event.free_centre)
    event.updated_at = now
    session.flush()
    return event


def start(session: Session, caller: Caller, event: Event, now: datetime) -> Event:
    """Start a scheduled event now; a bingo deals its cards (or nothing is written)."""
    require_runner(session, caller, event)
    status = status_of(event, now)
    if status == "ended":
        raise Conflict("The event has ended.")
    if event.started_at is None:
        event.started_at = min(now, event.starts_at)
        event.updated_at = now
    session.flush()
    if event.kind == "bingo":
        deal_cards(session, event, now)
    return event


def end(session: Session, caller: Caller, event: Event, now: datetime) -> Event:
    """End a running event now."""
    require_runner(session, caller, event)
    status = status_of(event, now)
    if status != "running":
        raise Conflict(f"Only a running event can be ended; this one is {status}.")
    event.ended_at = now
    event.updated_at = now
    session.flush()
    webhooks.publish(
        session, "event.ended", {"id": event.id, "title": event.title, "ended_at": now.isoformat()}
    )
    return event


# --- participants -------------------------------------------------------------------------


def list_participants(
    session: Session, event: Event, *, offset: int, limit: int
) -> tuple[list[Any], int]:
    """Return one page of an event's people, facilitators first, with their profiles."""
    query = (
        select(EventParticipant, Person)
        .join(Person, Person.id == EventParticipant.person_id)
        .where(EventParticipant.event_id == event.id)
    )
    total = (
        session.scalar(
            select(func.count())
            .select_from(EventParticipant)
            .where(EventParticipant.event_id == event.id)
        )
        or 0
    )
    rows = session.execute(
        query.order_by(EventParticipant.role, Person.name, Person.id).offset(offset).limit(limit)
    ).all()
    out = []
    for participant, person in rows:
        participant.name = person.name
        participant.function = person.function
        participant.division = person.division
        out.append(participant)
    return out, total


def join(
    session: Session, caller: Caller, event: Event, person_id: str | None, role: str, now: datetime
) -> EventParticipant:
    """Add someone to an event: members join open events themselves; runners enrol anyone.

    A participant who joins a running bingo is dealt a card at once.
    """
    person_id = person_id or caller.person_id
    if person_id is None:
        raise Invalid.field("/person_id", "Give the person to enrol.")
    if not caller.is_person(person_id) or role == "facilitator":
        require_runner(session, caller, event)
    elif not event.open and not runs(session, caller, event):
        raise Forbidden("This event is by invitation: a facilitator enrols its participants.")
    require_reference(session, person_id, "/person_id")
    person = session.get(Person, person_id)
    assert person is not None
    if not person.active:
        raise Invalid.field("/person_id", "This person is no longer active.")
    status = status_of(event, now)
    if status == "ended":
        raise Conflict("The event has ended; nobody joins it any more.")
    if role_at(session, event.id, person_id) is not None:
        raise Conflict("This person is already at the event.")
    if (
        role == "participant"
        and event.capacity is not None
        and participant_count(session, event.id) >= event.capacity
    ):
        raise Conflict(f"The event is full ({event.capacity} participants).")
    participant = EventParticipant(event_id=event.id, person_id=person_id, role=role, joined_at=now)
    session.add(participant)
    session.flush()
    if event.kind == "bingo" and role == "participant" and status == "running":
        deal_cards(session, event, now)
    participant.name = person.name  # type: ignore[attr-defined]
    participant.function = person.function  # type: ignore[attr-defined]
    participant.division = person.division  # type: ignore[attr-defined]
    return participant


# --- meetings -----------------------------------------------------------------------------


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def meeting_of(session: Session, event_id: str, a: str, b: str) -> EventMeeting | None:
    """The meeting of two people at an event, if there was one."""
    first, second = _pair(a, b)
    return session.scalar(
        select(EventMeeting).where(
            EventMeeting.event_id == event_id,
            EventMeeting.first_id == first,
            EventMeeting.second_id == second,
        )
    )


def _log_meeting(
    session: Session,
    caller: Caller,
    event: Event,
    person_id: str,
    contact_id: str,
    exchange: dict[str, Any],
    now: datetime,
    follow_up_after: timedelta,
) -> EventMeeting:
    interaction = interactions.create_interaction(
        session,
        _acting_for(caller, person_id),
        {
            "person_id": person_id,
            "contact_id": contact_id,
            "kind": "event",
            "occurred_at": exchange.get("occurred_at") or now,
            "initiated_by": "person",
            "given": exchange.get("given", []),
            "received": exchange.get("received", []),
            **({"notes": exchange["notes"]} if exchange.get("notes") else {}),
        },
        now,
        follow_up_after,
    )
    first, second = _pair(person_id, contact_id)
    meeting = EventMeeting(
        event_id=event.id,
        first_id=first,
        second_id=second,
        interaction_id=interaction.id,
        recorded_by=caller.person_id,
        occurred_at=interaction.occurred_at,
        created_at=now,
    )
    session.add(meeting)
    session.flush()
    return meeting


def record_meeting(
    session: Session,
    caller: Caller,
    event: Event,
    data: dict[str, Any],
    now: datetime,
    follow_up_after: timedelta,
) -> EventMeeting:
    """Record that two people met at the event, once per pair: an interaction of kind event."""
    person_id = data.get("person_id") or caller.person_id
    if person_id is None:
        raise Invalid.field("/person_id", "Give the person who met someone.")
    if not caller.is_person(person_id):
        require_runner(session, caller, event)
    contact_id = data["contact_id"]
    if contact_id == person_id:
        raise Invalid.field("/contact_id", "A meeting is with someone else.")
    for pointer, someone in (("/person_id", person_id), ("/contact_id", contact_id)):
        require_reference(session, someone, pointer)
        if role_at(session, event.id, someone) is None:
            raise Invalid.field(pointer, f"Person {someone!r} is not at this event.")
    if status_of(event, now) == "scheduled":
        raise Conflict("The event has not started: nobody has met there yet.")
    occurred_at = data.get("occurred_at")
    if occurred_at is not None and occurred_at < (event.started_at or event.starts_at):
        raise Invalid.field("/occurred_at", "A meeting at the event happens once it started.")
    if meeting_of(session, event.id, person_id, contact_id) is not None:
        raise Conflict("These two people's meeting at this event is already recorded.")
    return _log_meeting(session, caller, event, person_id, contact_id, data, now, follow_up_after)


def list_meetings(
    session: Session, event: Event, *, offset: int, limit: int
) -> tuple[list[EventMeeting], int]:
    """Return one page of an event's meetings, in the order they happened."""
    query = select(EventMeeting).where(EventMeeting.event_id == event.id)
    return page_of(
        session, query, EventMeeting.occurred_at, EventMeeting.id, offset=offset, limit=limit
    )


# --- cards --------------------------------------------------------------------------------


def players(
    session: Session, person_ids: list[str], before: datetime | None = None
) -> list[bingo.Player]:
    """The players as the conditions see them; ties counted from interactions before ``before``."""
    people = {
        row.id: row
        for row in session.execute(
            select(Person.id, Person.function, Person.level, Person.division).where(
                Person.id.in_(person_ids)
            )
        )
    }
    skills: dict[str, dict[str, int]] = defaultdict(dict)
    for person_id, name, level in session.execute(
        select(PersonSkill.person_id, Skill.name, PersonSkill.level)
        .join(Skill, Skill.id == PersonSkill.skill_id)
        .where(PersonSkill.person_id.in_(person_ids))
    ):
        skills[person_id][name] = level
    learning: dict[str, set[str]] = defaultdict(set)
    for person_id, name in session.execute(
        select(PersonLearning.person_id, Skill.name)
        .join(Skill, Skill.id == PersonLearning.skill_id)
        .where(PersonLearning.person_id.in_(person_ids))
    ):
        learning[person_id].add(name)
    tie_functions: dict[str, set[str]] = defaultdict(set)
    for mine, theirs in (
        (Interaction.person_id, Interaction.contact_id),
        (Interaction.contact_id, Interaction.person_id),
    ):
        query = (
            select(mine, Person.function)
            .join(Person, Person.id == theirs)
            .where(mine.in_(person_ids))
            .distinct()
        )
        if before is not None:
            query = query.where(Interaction.occurred_at < before)
        for person_id, function in session.execute(query):
            tie_functions[person_id].add(function)
    return [
        bingo.Player(
            id=person_id,
            function=people[person_id].function,
            level=people[person_id].level,
            division=people[person_id].division,
            skills=skills[person_id],
            learning=frozenset(learning[person_id]),
            tie_functions=frozenset(tie_functions[person_id]),
        )
        for person_id in person_ids
    ]


def participant_ids(session: Session, event_id: str) -> list[str]:
    """The participants (facilitators apart) of an event, in a stable order."""
    return list(
        session.scalars(
            select(EventParticipant.person_id)
            .where(EventParticipant.event_id == event_id, EventParticipant.role == "participant")
            .order_by(EventParticipant.person_id)
        )
    )


def deal_cards(session: Session, event: Event, now: datetime) -> int:
    """Deal a card to each participant who has none yet; return how many were dealt.

    Cards are drawn from the event's seed by :func:`matching.bingo.deal`; a room or a
    catalogue too small for the card size is a 409 and nothing is dealt.
    """
    ids = participant_ids(session, event.id)
    dealt = set(session.scalars(select(BingoCard.person_id).where(BingoCard.event_id == event.id)))
    missing = [person_id for person_id in ids if person_id not in dealt]
    if not missing:
        return 0
    prompts = {p.id: p for p in active_prompts(session)}
    grids: dict[str, list[str | None]] = defaultdict(list)
    for card_id, prompt_id in session.execute(
        select(BingoSquare.card_id, BingoSquare.prompt_id)
        .join(BingoCard, BingoCard.id == BingoSquare.card_id)
        .where(BingoCard.event_id == event.id)
        .order_by(BingoSquare.card_id, BingoSquare.position)
    ):
        grids[card_id].append(prompt_id)
    taken = {tuple(grid) for grid in grids.values()}
    room = bingo.Room(players(session, ids, before=now))
    try:
        drawn = bingo.deal(
            room,
            [bingo.Prompt(p.id, p.category, p.condition) for p in prompts.values()],
            size=event.card_size,
            free_centre=event.free_centre,
            seed=event.seed,
            player_ids=missing,
            taken=taken,
        )
    except bingo.CardError as error:
        raise Conflict(f"Cards cannot be dealt: {error}") from error
    card_rows, square_rows = [], []
    for card in drawn:
        card_id = new_id("car")
        card_rows.append(
            {
                "id": card_id,
                "event_id": event.id,
                "person_id": card.player_id,
                "size": card.size,
                "bingos": 0,
                "created_at": now,
            }
        )
        for position, prompt_id in enumerate(card.prompt_ids):
            prompt = prompts[prompt_id] if prompt_id else None
            square_rows.append(
                {
                    "card_id": card_id,
                    "position": position,
                    "free": prompt is None,
                    "prompt_id": prompt_id,
                    "text": prompt.text if prompt else None,
                    "category": prompt.category if prompt else None,
                    "condition": prompt.condition if prompt else None,
                }
            )
    # Bulk inserts: a start deals hundreds of cards in one request. A concurrent dealer fails
    # on the unique card per person and nothing of this batch is written.
    with session.begin_nested():
        session.execute(BingoCard.__table__.insert(), card_rows)
        session.execute(BingoSquare.__table__.insert(), square_rows)
    return len(card_rows)


def ensure_dealt(session: Session, event: Event, now: datetime) -> None:
    """Deal a running or ended bingo's cards if its start time passed without a facilitator.

    Two readers dealing at once would both insert the same cards: the loser's insert fails
    on the unique card per person and it reads the winner's cards instead.
    """
    if event.kind != "bingo" or status_of(event, now) == "scheduled":
        return
    try:
        deal_cards(session, event, min(now, ends_at(event)))
    except IntegrityError:
        session.expire_all()


def squares_of(session: Session, card: BingoCard) -> list[BingoSquare]:
    """The squares of a card, in grid order."""
    return list(
        session.scalars(
            select(BingoSquare).where(BingoSquare.card_id == card.id).order_by(BingoSquare.position)
        )
    )


def describe_card(session: Session, caller: Caller, card: BingoCard) -> BingoCard:
    """Fill in a card's squares, with the names of the people met; notes only for the owner."""
    squares = squares_of(session, card)
    met = {s.met_id for s in squares if s.met_id}
    names = {
        person_id: name
        for person_id, name in session.execute(
            select(Person.id, Person.name).where(Person.id.in_(met))
        )
    }
    owner = session.get(Person, card.person_id)
    for square in squares:
        square.index = square.position  # type: ignore[attr-defined]
        square.marked = square.free or square.met_id is not None  # type: ignore[attr-defined]
        square.met_name = names.get(square.met_id)  # type: ignore[attr-defined]
        square.visible_note = square.note if caller.is_person(card.person_id) else None  # type: ignore[attr-defined]
    card.squares = squares  # type: ignore[attr-defined]
    card.person_name = owner.name if owner else None  # type: ignore[attr-defined]
    return card


def my_card(session: Session, caller: Caller, event: Event, now: datetime) -> BingoCard:
    """The caller's card at a bingo (dealt if its start time has passed)."""
    if event.kind != "bingo":
        raise NotFound("A meetup has no cards.")
    if role_at(session, event.id, caller.person_id) != "participant":
        raise NotFound("You are not a participant of this event, so you have no card.")
    ensure_dealt(session, event, now)
    card = session.scalar(
        select(BingoCard).where(
            BingoCard.event_id == event.id, BingoCard.person_id == caller.person_id
        )
    )
    if card is None:
        raise NotFound("Cards are dealt when the event starts.")
    return card


def get_card(
    session: Session, caller: Caller, event: Event, card_id: str, now: datetime
) -> BingoCard:
    """A card of the event, for its owner, the event's facilitators or an admin."""
    ensure_dealt(session, event, now)
    card = session.get(BingoCard, card_id)
    if card is None or card.event_id != event.id:
        raise NotFound(f"No card of this event has id {card_id!r}.")
    if not caller.is_person(card.person_id) and not runs(session, caller, event):
        raise NotFound(f"No card of this event has id {card_id!r}.")
    return card


def list_cards(
    session: Session, caller: Caller, event: Event, now: datetime, *, offset: int, limit: int
) -> tuple[list[BingoCard], int]:
    """Return one page of an event's cards (for its runners), first bingos first."""
    require_runner(session, caller, event)
    ensure_dealt(session, event, now)
    query = select(BingoCard).where(BingoCard.event_id == event.id)
    return page_of(
        session,
        query,
        BingoCard.bingo_at.is_(None),
        BingoCard.bingo_at,
        BingoCard.id,
        offset=offset,
        limit=limit,
    )


def mark_square(
    session: Session,
    caller: Caller,
    event: Event,
    card: BingoCard,
    position: int,
    data: dict[str, Any],
    now: datetime,
    follow_up_after: timedelta,
) -> BingoCard:
    """Fill a square with the person met, under the playing rules, and log the meeting."""
    if caller.is_member and not caller.is_person(card.person_id):
        raise Forbidden("Only the card's owner marks its squares.")
    if data.get("note") and not caller.is_person(card.person_id):
        raise Forbidden("A square's note is private to the card's owner.")
    # One marker of a card at a time: touching the card's row first holds its lock until the
    # request ends (a row lock on PostgreSQL, the write lock on SQLite), so that two marks at
    # once cannot both see a person's second square free, or fill one square twice.
    session.execute(
        update(BingoCard)
        .where(BingoCard.id == card.id)
        .values(bingos=BingoCard.bingos)
        .execution_options(synchronize_session=False)
    )
    square = session.get(BingoSquare, (card.id, position))
    if square is None:
        raise NotFound(f"This card has no square {position}: squares are 0 to {card.size**2 - 1}.")
    status = status_of(event, now)
    if status != "running":
        raise Conflict(
            "The event has ended: squares can no longer be marked."
            if status == "ended"
            else "The event has not started yet."
        )
    if square.free:
        raise Conflict("The free square needs no one.")
    if square.met_id is not None:
        raise Conflict("This square is already marked.")
    met_id = data["person_id"]
    if met_id == card.person_id:
        raise Invalid.field("/person_id", "A square is filled with someone else, not yourself.")
    require_reference(session, met_id, "/person_id")
    if role_at(session, event.id, met_id) != "participant":
        raise Invalid.field("/person_id", f"Person {met_id!r} is not a participant of this event.")
    used = session.scalar(
        select(func.count())
        .select_from(BingoSquare)
        .where(BingoSquare.card_id == card.id, BingoSquare.met_id == met_id)
    )
    if used and used >= bingo.MAX_SQUARES_PER_PERSON:
        raise Invalid.field(
            "/person_id",
            f"This person already fills {bingo.MAX_SQUARES_PER_PERSON} squares of your card: "
            "meet someone else.",
        )
    if square.condition is not None:
        owner, other = players(session, [card.person_id, met_id], before=card.created_at)
        if not bingo.satisfies(square.condition, owner, other):
            raise Invalid.field(
                "/person_id",
                f"This square asks for {CONDITION_TEXT[square.condition]}; this person is not.",
            )
    if meeting_of(session, event.id, card.person_id, met_id) is None:
        exchange = dict(EXCHANGE.get(square.category or "", {}))
        if data.get("note"):
            exchange["notes"] = data["note"]
        _log_meeting(session, caller, event, card.person_id, met_id, exchange, now, follow_up_after)
    square.met_id = met_id
    square.note = data.get("note")
    square.marked_at = now
    session.flush()
    filled = {s.position for s in squares_of(session, card) if s.free or s.met_id}
    card.bingos = bingo.bingos(card.size, filled)
    if card.bingos and card.bingo_at is None:
        card.bingo_at = now
    session.flush()
    return card


# --- reflections --------------------------------------------------------------------------


def reflect(
    session: Session, caller: Caller, event: Event, data: dict[str, Any], now: datetime
) -> Reflection:
    """Record a participant's answers to the debrief questions (once per event)."""
    person_id = caller.person_id
    if role_at(session, event.id, person_id) != "participant":
        raise Forbidden("Only the event's participants reflect on it.")
    if status_of(event, now) == "scheduled":
        raise Conflict("Reflect once the event has started.")
    best = data.get("best_prompt_id")
    if best is not None:
        on_card = session.scalar(
            select(func.count())
            .select_from(BingoSquare)
            .join(BingoCard, BingoCard.id == BingoSquare.card_id)
            .where(
                BingoCard.event_id == event.id,
                BingoCard.person_id == person_id,
                BingoSquare.prompt_id == best,
            )
        )
        if not on_card:
            raise Invalid.field("/best_prompt_id", "Name a prompt of your own card.")
    if session.scalar(
        select(Reflection.id).where(
            Reflection.event_id == event.id, Reflection.person_id == person_id
        )
    ):
        raise Conflict("You already reflected on this event.")
    reflection = Reflection(event_id=event.id, person_id=person_id, created_at=now)
    for name in ("best_prompt_id", "best_answer", "structure", "structure_notes", "shared"):
        if name in data:
            setattr(reflection, name, data[name])
    session.add(reflection)
    session.flush()
    return reflection


def list_reflections(
    session: Session, caller: Caller, event: Event, *, offset: int, limit: int
) -> tuple[list[Reflection], int]:
    """Facilitators and admins read every reflection; others the shared ones and their own."""
    query = select(Reflection).where(Reflection.event_id == event.id)
    if not runs(session, caller, event):
        query = query.where(
            or_(Reflection.shared.is_(True), and_(Reflection.person_id == caller.person_id))
        )
    return page_of(session, query, Reflection.created_at, Reflection.id, offset=offset, limit=limit)
