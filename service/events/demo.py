"""A demo Networking Bingo: fifteen minutes three days ago, played, followed up and reflected on.

Played through the events' own use-cases, so every rule holds (cards drawn from the seed,
at most two squares per person, conditions checked, one interaction per pair) and the debrief
reads as a real one would.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Caller, Role
from service.errors import Problem
from service.events import logic
from service.events.catalogue import load_default_prompts
from service.events.models import BingoCard, BingoSquare, EventMeeting
from service.interactions.logic import create_interaction
from service.people.models import FUNCTIONS, Person

PLAYERS = 16
FOLLOW_UP = timedelta(hours=24)
ANSWERS = (
    "She told me exactly which dashboard the finance team trusts, and who owns it.",
    "A concrete story about a failed launch, not generic advice.",
    "He named two people I should talk to about the pricing migration.",
    "Asking what slows them down got an honest answer about our API reviews.",
    "The question about their first 90 days got the most candid answer of the day.",
)
STRUCTURE_NOTES = {
    "helped": (
        "The card gave me a reason to walk up to people I would never have approached.",
        "Having a specific prompt made the first minute easy.",
    ),
    "hindered": ("Fifteen minutes was too short: I rushed conversations to fill squares.",),
    "mixed": (
        "Good icebreaker, but the conditioned squares had me hunting for people instead of talking.",
    ),
}


def _room(session: Session, rng: random.Random) -> tuple[Person, list[Person]]:
    """A facilitator and players from as many functions and divisions as the company has."""
    people = list(
        session.scalars(select(Person).where(Person.active).order_by(Person.id).limit(400))
    )
    rng.shuffle(people)
    chosen: list[Person] = []
    for function in FUNCTIONS:
        chosen.extend([p for p in people if p.function == function][:2])
    rest = [p for p in people if p not in chosen]
    chosen = (chosen + rest)[: PLAYERS + 1]
    return chosen[0], chosen[1:]


def load_demo_event(session: Session, seed: int, now: datetime) -> int:
    """Load the default prompts and play an ended bingo; return how many squares were filled."""
    rng = random.Random(f"bingo:{seed}")
    load_default_prompts(session)
    host, players = _room(session, rng)
    if len(players) < PLAYERS:
        return 0  # a company too small for a room
    admin = Caller(token_id="demo", role=Role.ADMIN, person_id=None, name="demo")
    starts = (now - timedelta(days=3)).replace(hour=16, minute=0, second=0, microsecond=0)
    event = logic.create_event(
        session,
        admin,
        {
            "title": "Engineering all-hands: Networking Bingo",
            "kind": "bingo",
            "starts_at": starts,
            "location": "Lisbon, 3rd floor atrium",
            "description": "Fifteen minutes, one card each, real conversations. Debrief after.",
            "card_size": 4,
            "seed": seed,
            "facilitator_ids": [host.id],
        },
        starts - timedelta(days=7),
    )
    for person in players:
        logic.join(session, admin, event, person.id, "participant", starts - timedelta(days=2))
    logic.start(session, admin, event, starts)
    cards = {
        c.person_id: c
        for c in session.scalars(select(BingoCard).where(BingoCard.event_id == event.id))
    }
    by_id = {p.id: p for p in players}
    filled = 0
    for minute in range(1, 15):
        for person in rng.sample(players, len(players)):
            if rng.random() > 0.55:
                continue  # still talking
            card = cards[person.id]
            open_squares = [
                s.position
                for s in session.scalars(
                    select(BingoSquare).where(
                        BingoSquare.card_id == card.id,
                        BingoSquare.met_id.is_(None),
                        BingoSquare.free.is_(False),
                    )
                )
            ]
            if not open_squares:
                continue
            position = rng.choice(open_squares)
            when = starts + timedelta(minutes=minute, seconds=rng.randint(0, 59))
            for other in rng.sample(players, len(players)):
                try:
                    logic.mark_square(
                        session,
                        Caller(token_id="demo", role=Role.MEMBER, person_id=person.id, name="demo"),
                        event,
                        card,
                        position,
                        {"person_id": other.id},
                        when,
                        FOLLOW_UP,
                    )
                except Problem:
                    continue  # not someone this square asks for, or met twice already
                filled += 1
                break
    _follow_up(session, event.id, rng, by_id)
    _reflect(session, event, players, rng, starts + timedelta(minutes=16))
    session.flush()
    return filled


def _follow_up(session: Session, event_id: str, rng: random.Random, by_id: dict) -> None:
    """Some pairs write to each other the next morning, a few later, most never."""
    meetings = list(session.scalars(select(EventMeeting).where(EventMeeting.event_id == event_id)))
    for meeting in meetings:
        roll = rng.random()
        if roll < 0.35:
            delay = timedelta(hours=rng.uniform(14, 22))
        elif roll < 0.5:
            delay = timedelta(hours=rng.uniform(30, 60))
        else:
            continue
        when = meeting.occurred_at + delay
        writer = rng.choice((meeting.first_id, meeting.second_id))
        other = meeting.second_id if writer == meeting.first_id else meeting.first_id
        create_interaction(
            session,
            Caller(token_id="demo", role=Role.ADMIN, person_id=None, name="demo"),
            {
                "person_id": writer,
                "contact_id": other,
                "kind": rng.choice(("message", "coffee_chat", "video_call")),
                "occurred_at": when,
                "given": [rng.choice(("resource", "introduction", "help"))],
            },
            when,
        )


def _reflect(session: Session, event, players: list[Person], rng: random.Random, when) -> None:
    for person in rng.sample(players, 11):
        card_prompts = [
            s.prompt_id
            for s in session.scalars(
                select(BingoSquare)
                .join(BingoCard, BingoCard.id == BingoSquare.card_id)
                .where(
                    BingoCard.event_id == event.id,
                    BingoCard.person_id == person.id,
                    BingoSquare.met_id.is_not(None),
                )
            )
        ]
        structure = rng.choices(("helped", "hindered", "mixed"), weights=(6, 2, 3))[0]
        logic.reflect(
            session,
            Caller(token_id="demo", role=Role.MEMBER, person_id=person.id, name="demo"),
            event,
            {
                "best_prompt_id": rng.choice(card_prompts) if card_prompts else None,
                "best_answer": rng.choice(ANSWERS),
                "structure": structure,
                "structure_notes": rng.choice(STRUCTURE_NOTES[structure]),
                "shared": rng.random() < 0.6,
            },
            when,
        )
