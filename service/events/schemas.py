"""The representations of events, meetings, prompts, cards, reflections and debriefs."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.events.models import (
    CATEGORIES,
    CONDITIONS,
    EVENT_KINDS,
    EVENT_STATUSES,
    ROLES,
    STRUCTURE_EFFECTS,
)
from service.fields import UtcDateTime, boolean, choice, integer, text, timestamp
from service.interactions.models import EXCHANGES
from service.people.models import FUNCTIONS

PERSON = examples.PERSON
OTHER = examples.PERSON
EVENT = "eve_01JD3Q5X4J8Z6V2M9N7K1R0T5B"
PROMPT = "pro_01JD3Q5X4J8Z6V2M9N7K1R0T5B"
CARD = "car_01JD3Q5X4J8Z6V2M9N7K1R0T5B"


def _string(description: str, example: object, **kwargs: object) -> ma.fields.String:
    return ma.fields.String(metadata={"description": description, "example": example}, **kwargs)  # type: ignore[arg-type]


def _int(description: str, example: int, **kwargs: object) -> ma.fields.Integer:
    return ma.fields.Integer(metadata={"description": description, "example": example}, **kwargs)  # type: ignore[arg-type]


def _rate(description: str) -> ma.fields.Float:
    return ma.fields.Float(allow_none=True, metadata={"description": description, "example": 0.75})


class EventSchema(ma.Schema):
    """A gathering whose meetings become interactions: a meetup, or a Networking Bingo."""

    id = _string("Opaque id.", EVENT, dump_only=True)
    title = text(
        200,
        required=True,
        description="What the event is called.",
        example="Platform offsite: Networking Bingo",
    )
    kind = choice(
        EVENT_KINDS,
        required=True,
        description="`bingo` (cards of prompts) or `meetup`.",
        example="bingo",
    )
    starts_at = timestamp(
        required=True,
        description="When it starts; it runs from then unless a facilitator starts it earlier.",
    )
    duration_minutes = integer(
        5,
        600,
        description="How long it runs (default 15 minutes for a bingo, 60 for a meetup).",
        example=15,
    )
    location = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Where it happens.", "example": "Lisbon, 3rd floor atrium"},
    )
    link = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={
            "description": "The call link, for a remote event.",
            "example": "https://meet.example.com/bingo",
        },
    )
    description = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=4000),
        metadata={
            "description": "What to expect.",
            "example": "Fifteen minutes, one card, real conversations.",
        },
    )
    open = boolean(
        load_default=True,
        description="Whether members join by themselves; otherwise facilitators enrol people.",
        example=True,
    )
    capacity = integer(
        2,
        10000,
        allow_none=True,
        description="Most participants (facilitators apart); none for no limit.",
        example=30,
    )
    card_size = integer(
        3, 5, load_default=4, description="A bingo card is 3×3, 4×4 or 5×5.", example=4
    )
    free_centre = boolean(
        load_default=True,
        description="Whether an odd-sized card has a free centre square.",
        example=True,
    )
    seed = integer(
        0,
        2**31 - 1,
        load_only=True,
        description="The seed the cards are drawn from (random when left out): the same seed, "
        "people and catalogue give the same cards.",
        example=20261202,
    )
    facilitator_ids = ma.fields.List(
        text(40),
        validate=validate.Length(max=10),
        metadata={
            "description": "Who runs it. A member who creates an event facilitates it.",
            "example": [PERSON],
        },
    )
    status = _string(
        "scheduled → running → ended, read from the clock and from the facilitators' start and end.",
        "running",
        dump_only=True,
        attribute="shown_status",
        validate=validate.OneOf(EVENT_STATUSES),
    )
    ends_at = UtcDateTime(
        format="iso",
        dump_only=True,
        attribute="shown_ends_at",
        metadata={
            "description": "When it ends (or ended).",
            "example": "2026-11-20T10:45:00+00:00",
        },
    )
    started_at = timestamp(
        dump_only=True, allow_none=True, description="When a facilitator started it."
    )
    ended_at = timestamp(
        dump_only=True, allow_none=True, description="When a facilitator ended it."
    )
    participant_count = _int("How many participants (facilitators apart).", 12, dump_only=True)
    created_at = timestamp(dump_only=True, description="When it was created.")
    updated_at = timestamp(dump_only=True, description="When it last changed.")


class EventQueryArgsSchema(ma.Schema):
    """Filters of the event list."""

    kind = choice(EVENT_KINDS, description="Only events of this kind.", example="bingo")
    status = choice(
        EVENT_STATUSES, description="Only events in this status now.", example="running"
    )
    person_id = text(40, description="Only events this person is at.", example=PERSON)


class EventParticipantSchema(ma.Schema):
    """Someone at an event."""

    person_id = text(
        40,
        description="Who joins; a member token may leave it out (itself). Facilitators and admins "
        "enrol anyone.",
        example=PERSON,
    )
    role = choice(
        ROLES,
        load_default="participant",
        description="`participant` (plays) or `facilitator` (runs the event).",
        example="participant",
    )
    name = _string("The person's name.", "Ada Lovelace", dump_only=True)
    function = _string(
        "The person's function.", "engineering", dump_only=True, validate=validate.OneOf(FUNCTIONS)
    )
    division = _string("The person's division.", "Platform", dump_only=True, allow_none=True)
    joined_at = timestamp(dump_only=True, description="When they joined.")


class MeetingSchema(ma.Schema):
    """Two people who met at an event; recorded as an interaction of kind `event`."""

    id = _string("Opaque id.", "mee_01JD3Q5X4J8Z6V2M9N7K1R0T5B", dump_only=True)
    person_id = text(
        40,
        load_only=True,
        description="Who logs the meeting (a member token: itself, when left out).",
        example=PERSON,
    )
    contact_id = text(
        40, required=True, load_only=True, description="Whom they met.", example=OTHER
    )
    occurred_at = timestamp(load_only=True, description="When they met (default: now).")
    given = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(EXCHANGES)),
        load_only=True,
        validate=validate.Length(max=len(EXCHANGES)),
        metadata={"description": "What the person gave.", "example": ["advice"]},
    )
    received = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(EXCHANGES)),
        load_only=True,
        validate=validate.Length(max=len(EXCHANGES)),
        metadata={"description": "What the person received.", "example": ["introduction"]},
    )
    notes = ma.fields.String(
        load_only=True,
        validate=validate.Length(max=4000),
        metadata={
            "description": "Private notes of the person who logs it (their own token only).",
            "example": "Follow up about the on-call rota.",
        },
    )
    event_id = _string("The event.", EVENT, dump_only=True)
    first_id = _string("One of the two people (the smaller id).", PERSON, dump_only=True)
    second_id = _string("The other person.", OTHER, dump_only=True)
    interaction_id = _string(
        "The interaction that records it.",
        examples.INTERACTION,
        dump_only=True,
        allow_none=True,
    )
    met_at = UtcDateTime(
        format="iso",
        dump_only=True,
        attribute="occurred_at",
        metadata={"description": "When they met.", "example": "2026-11-20T10:05:00+00:00"},
    )


class PromptSchema(ma.Schema):
    """A prompt of the Networking Bingo catalogue."""

    id = _string("Opaque id.", PROMPT, dump_only=True)
    text = text(
        300,
        blank=False,
        required=True,
        description="What to do with the person met.",
        example="Ask for an article or resource that changed how they work",
    )
    category = choice(
        CATEGORIES,
        required=True,
        description="`ask`, `offer`, `share` or `discover`.",
        example="ask",
    )
    condition = ma.fields.String(
        allow_none=True,
        validate=validate.OneOf(CONDITIONS),
        metadata={
            "description": "Who the person met must be, checked from profiles: "
            "`function_without_tie` (a function the player has no tie with), "
            "`holds_learning_skill` (holds a skill on the player's learning list at level 3+), "
            "`junior_who_can_teach` (two levels junior or more, holds a skill better), "
            "`other_division`, `senior_by_two`, `shares_learning`.",
            "example": "other_division",
        },
    )
    active = boolean(load_default=True, description="Whether new cards draw it.", example=True)
    key = _string(
        "Its name in the default catalogue, if it comes from there.",
        "ask-article",
        dump_only=True,
        allow_none=True,
    )
    created_at = timestamp(dump_only=True, description="When it was added.")
    updated_at = timestamp(dump_only=True, description="When it last changed.")


class PromptQueryArgsSchema(ma.Schema):
    """Filters of the prompt catalogue."""

    category = choice(CATEGORIES, description="Only prompts of this category.", example="offer")
    active = ma.fields.Boolean(
        metadata={"description": "Only active (true) or retired (false) prompts.", "example": True}
    )


class SquareSchema(ma.Schema):
    """One square of a card."""

    index = _int("Its place on the card, row by row from 0.", 5)
    free = ma.fields.Boolean(
        metadata={"description": "The free centre (marked from the start).", "example": False}
    )
    prompt_id = _string("The prompt it was dealt.", PROMPT, allow_none=True)
    text = _string(
        "The prompt, as printed.",
        "Share a mistake you made and what it taught you",
        allow_none=True,
    )
    category = _string("The prompt's category.", "share", allow_none=True)
    condition = _string(
        "Who the person met must be, if the prompt says.", "other_division", allow_none=True
    )
    marked = ma.fields.Boolean(metadata={"description": "Whether it is filled.", "example": True})
    met_id = _string("Whom it was filled with.", OTHER, allow_none=True)
    met_name = _string("Their name.", "Grace Hopper", allow_none=True)
    note = _string(
        "The owner's private note (their own token only).",
        "Sends the runbook tomorrow.",
        attribute="visible_note",
        allow_none=True,
    )
    marked_at = timestamp(allow_none=True, description="When it was filled.")


class CardSchema(ma.Schema):
    """A participant's card."""

    id = _string("Opaque id.", CARD)
    event_id = _string("The event.", EVENT)
    person_id = _string("Whose card it is.", PERSON)
    person_name = _string("Their name.", "Ada Lovelace", allow_none=True)
    size = _int("Squares per side.", 4)
    squares = ma.fields.List(
        ma.fields.Nested(SquareSchema), metadata={"description": "Row by row."}
    )
    bingos = _int("Complete lines (rows, columns, diagonals).", 1)
    bingo_at = timestamp(allow_none=True, description="When its first line was complete.")
    created_at = timestamp(description="When it was dealt.")


class MarkSchema(ma.Schema):
    """Whom a square was filled with."""

    person_id = text(40, required=True, description="The participant met.", example=OTHER)
    note = ma.fields.String(
        validate=validate.Length(max=2000),
        metadata={
            "description": "A private note, seen only by the card's owner.",
            "example": "Knows the billing history.",
        },
    )


class PaperArgsSchema(ma.Schema):
    """The paper a card is printed on."""

    paper = choice(
        ("a4", "letter"), load_default="a4", description="`a4` or `letter`.", example="letter"
    )


class ReflectionSchema(ma.Schema):
    """A participant's answers to the debrief questions."""

    id = _string("Opaque id.", "ref_01JD3Q5X4J8Z6V2M9N7K1R0T5B", dump_only=True)
    person_id = _string("Who reflected.", PERSON, dump_only=True)
    best_prompt_id = ma.fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "Which question (a prompt of your card) drew the most useful answer.",
            "example": PROMPT,
        },
    )
    best_answer = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=4000),
        metadata={
            "description": "What made that answer useful.",
            "example": "She named the two people who own the data contracts.",
        },
    )
    structure = ma.fields.String(
        allow_none=True,
        validate=validate.OneOf(STRUCTURE_EFFECTS),
        metadata={
            "description": "Whether the structure `helped`, `hindered` or both (`mixed`) genuine connection.",
            "example": "helped",
        },
    )
    structure_notes = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=4000),
        metadata={
            "description": "How it helped or hindered.",
            "example": "The prompts gave me a reason to walk up to strangers.",
        },
    )
    shared = boolean(
        load_default=False,
        description="Share it with everyone at the event (otherwise only facilitators read it).",
        example=True,
    )
    created_at = timestamp(dump_only=True, description="When it was written.")


class FirstBingoSchema(ma.Schema):
    """A card that completed a line, in the order they were called."""

    rank = _int("1 for the first bingo.", 1)
    card_id = _string("The card.", CARD)
    person_id = _string("Whose card.", PERSON)
    name = _string("Their name.", "Ada Lovelace", allow_none=True)
    bingo_at = timestamp(description="When the first line was complete.")
    bingos = _int("Complete lines now.", 2)


class FunctionsMetSchema(ma.Schema):
    """How many functions a participant met."""

    person_id = _string("The participant.", PERSON)
    name = _string("Their name.", "Ada Lovelace")
    functions_met = _int("Distinct functions of the people met.", 4)
    functions = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Those functions.", "example": ["sales", "legal"]},
    )
    people_met = _int("People met (for context; the board ranks functions).", 5)


class LeaderboardSchema(ma.Schema):
    """First bingos, and who met the most functions (not the most people)."""

    event_id = _string("The event.", EVENT)
    first_bingos = ma.fields.List(
        ma.fields.Nested(FirstBingoSchema), metadata={"description": "In order."}
    )
    most_functions = ma.fields.List(
        ma.fields.Nested(FunctionsMetSchema),
        metadata={"description": "Most functions first; among equals, fewer people first."},
    )


class PromptFigureSchema(ma.Schema):
    """How a prompt did at the event."""

    prompt_id = _string("The prompt.", PROMPT, allow_none=True)
    text = _string("The prompt as printed.", "Ask for an article or resource", allow_none=True)
    category = _string("Its category.", "ask", allow_none=True)
    on_cards = _int("Cards that had it.", 6)
    completed = _int("Cards on which it was filled.", 4)
    completion_rate = _rate("completed / on_cards.")


class CategoryFigureSchema(ma.Schema):
    """How a category did at the event."""

    category = _string("The category.", "offer", allow_none=True)
    on_cards = _int("Squares of it on cards.", 30)
    completed = _int("Of those, filled.", 12)
    completion_rate = _rate("completed / on_cards.")


class NewTiesSchema(ma.Schema):
    """Pairs who met at the event and had never interacted before."""

    total = _int("New ties.", 14)
    cross_function = _int("Of those, between two functions.", 9)
    cross_division = _int("Of those, between two divisions.", 6)


class FollowUpFiguresSchema(ma.Schema):
    """What happened after the first meetings (updated as follow-ups happen)."""

    window_hours = _int("The follow-up window.", 24)
    first_meetings = _int("First meetings at the event.", 14)
    done_within_window = _int("Followed by another interaction within the window.", 5)
    done_later = _int("Followed up, but later.", 2)
    pending = _int("Not yet, and the window is still open.", 3)
    missed = _int("Not followed up, and the window has closed.", 4)


class BestPromptSchema(ma.Schema):
    """A prompt named in reflections as drawing the most useful answer."""

    text = _string("The prompt.", "Ask what they learnt the hard way")
    votes = _int("Reflections naming it.", 3)


class ReflectionFiguresSchema(ma.Schema):
    """What the reflections say, in numbers."""

    total = _int("Reflections written.", 8)
    shared = _int("Of those, shared.", 5)
    structure = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "How many said the structure helped, hindered or was mixed.",
            "example": {"helped": 5, "hindered": 1, "mixed": 2},
        },
    )
    best_prompts = ma.fields.List(
        ma.fields.Nested(BestPromptSchema), metadata={"description": "Most named first."}
    )


class SharedReflectionSchema(ma.Schema):
    """A reflection its author shared."""

    name = _string("Who wrote it.", "Ada Lovelace")
    best_prompt = _string(
        "The question that drew the most useful answer.",
        "Ask what they learnt the hard way",
        allow_none=True,
    )
    best_answer = _string("What made it useful.", "A concrete story, not advice.", allow_none=True)
    structure = _string("helped, hindered or mixed.", "helped", allow_none=True)
    structure_notes = _string("How.", "The card gave me an excuse to start.", allow_none=True)


class DebriefSchema(ma.Schema):
    """What the event built, and what to discuss."""

    event_id = _string("The event.", EVENT)
    status = _string("The event's status now.", "ended")
    participants = _int("Participants.", 12)
    cards = _int("Cards dealt.", 12)
    squares_on_cards = _int("Squares to fill on all cards (free ones apart).", 180)
    squares_completed = _int("Of those, filled.", 71)
    cards_with_bingo = _int("Cards with at least one complete line.", 3)
    prompts = ma.fields.List(
        ma.fields.Nested(PromptFigureSchema),
        metadata={"description": "Per prompt, best completed first."},
    )
    categories = ma.fields.List(
        ma.fields.Nested(CategoryFigureSchema), metadata={"description": "Per category."}
    )
    never_completed = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "Prompts dealt that nobody managed.",
            "example": ["Offer to pair on a problem they are stuck on"],
        },
    )
    meetings = _int("Meetings recorded (one per pair).", 40)
    new_ties = ma.fields.Nested(
        NewTiesSchema, metadata={"description": "Ties formed at the event."}
    )
    follow_ups = ma.fields.Nested(
        FollowUpFiguresSchema, metadata={"description": "Follow-ups of the first meetings."}
    )
    reflections = ma.fields.Nested(
        ReflectionFiguresSchema, metadata={"description": "The reflections, counted."}
    )
    shared_reflections = ma.fields.List(
        ma.fields.Nested(SharedReflectionSchema), metadata={"description": "The shared ones."}
    )
    discussion_points = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "Three points for the group, computed from the figures.",
            "example": ["Nobody managed “Offer to pair”."],
        },
    )
