"""The representations of relationships, follow-ups, check-ins and network health."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import choice, integer, timestamp
from service.people.models import FUNCTIONS
from service.relationships.strength import HALF_LIFE_DAYS

TIE_STATUSES = ("ok", "due", "slipping")


class PersonSummarySchema(ma.Schema):
    """Who someone is, in brief."""

    id = ma.fields.String(metadata={"description": "Opaque id.", "example": examples.PERSON})
    name = ma.fields.String(metadata={"description": "Full name.", "example": "Grace Hopper"})
    title = ma.fields.String(
        allow_none=True, metadata={"description": "Job title.", "example": "Product Manager"}
    )
    function = ma.fields.String(
        validate=validate.OneOf(FUNCTIONS),
        metadata={"description": "Function.", "example": "product"},
    )
    division = ma.fields.String(
        allow_none=True, metadata={"description": "Division.", "example": "Payments"}
    )
    team = ma.fields.String(
        allow_none=True, metadata={"description": "Team.", "example": "Checkout"}
    )
    active = ma.fields.Boolean(
        metadata={"description": "False once they have left.", "example": True}
    )


class RelationshipSchema(ma.Schema):
    """A tie, derived from the interactions both people logged."""

    contact = ma.fields.Nested(PersonSummarySchema, metadata={"description": "The other person."})
    strength = ma.fields.Float(
        metadata={
            "description": "In [0, 1): 1 − exp(−Σ depth·2^(−age/"
            f"{HALF_LIFE_DAYS:g} days)/2), where depth is 1.0 for a mentoring session, 0.9 coffee chat, "
            "0.8 video call, 0.7 meeting, 0.4 event, 0.35 message, 0.2 social-media message.",
            "example": 0.64,
        }
    )
    interactions = ma.fields.Integer(
        metadata={"description": "Interactions logged by either side.", "example": 5}
    )
    first_contact_at = timestamp(description="The first interaction.")
    last_contact_at = timestamp(description="The latest interaction.")
    given = ma.fields.Integer(
        metadata={"description": "Things this person gave (advice, introductions…).", "example": 3}
    )
    received = ma.fields.Integer(
        metadata={"description": "Things this person received.", "example": 2}
    )
    balance = ma.fields.Integer(metadata={"description": "given − received.", "example": 1})
    by_kind = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "Interactions by kind.",
            "example": {"coffee_chat": 3, "message": 2},
        },
    )
    cadence_days = ma.fields.Integer(
        metadata={"description": "Stay-in-touch cadence in days.", "example": 90}
    )
    cadence_source = ma.fields.String(
        validate=validate.OneOf(("default", "mentorship", "custom")),
        metadata={
            "description": "`custom` (set by the person), `mentorship` (an active mentorship's cadence) or `default` (90 days).",
            "example": "default",
        },
    )
    next_check_in_at = timestamp(description="Last contact + cadence.")
    status = ma.fields.String(
        validate=validate.OneOf(TIE_STATUSES),
        metadata={
            "description": "`due` once past the next check-in; `slipping` once past the cadence by more than half again.",
            "example": "ok",
        },
    )


class CadenceSchema(ma.Schema):
    """A person's own cadence for one relationship."""

    cadence_days = integer(
        1,
        730,
        required=True,
        allow_none=True,
        description="Days between check-ins; null returns to the default.",
        example=30,
    )


class RelationshipQueryArgsSchema(ma.Schema):
    """Filters of the relationship list."""

    status = choice(TIE_STATUSES, description="Only ties in this status.", example="slipping")


class FollowUpSchema(ma.Schema):
    """A follow-up owed after an interaction."""

    interaction_id = ma.fields.String(
        metadata={
            "description": "The interaction to follow up.",
            "example": examples.INTERACTION,
        }
    )
    contact = ma.fields.Nested(
        PersonSummarySchema, metadata={"description": "Whom to follow up with."}
    )
    kind = ma.fields.String(metadata={"description": "How they met.", "example": "event"})
    occurred_at = timestamp(description="When they met.")
    follow_up_due_at = timestamp(description="When the follow-up falls due.")
    status = ma.fields.String(
        validate=validate.OneOf(("due", "overdue", "done")),
        metadata={
            "description": "`due` (not yet late), `overdue` or `done`.",
            "example": "overdue",
        },
    )


class FollowUpQueryArgsSchema(ma.Schema):
    """Filters of the follow-up list."""

    status = choice(
        ("due", "overdue", "done"),
        description="Without it: the due and the overdue.",
        example="overdue",
    )


class CheckInSchema(ma.Schema):
    """A relationship due for a check-in."""

    contact = ma.fields.Nested(
        PersonSummarySchema, metadata={"description": "Whom to check in with."}
    )
    last_contact_at = timestamp(description="The latest interaction.")
    cadence_days = ma.fields.Integer(
        metadata={"description": "The relationship's cadence.", "example": 90}
    )
    next_check_in_at = timestamp(description="When the check-in fell due.")
    days_overdue = ma.fields.Integer(
        metadata={"description": "Whole days since it fell due.", "example": 12}
    )
    status = ma.fields.String(
        validate=validate.OneOf(("due", "slipping")),
        metadata={
            "description": "`slipping` once past the cadence by more than half again.",
            "example": "due",
        },
    )


class CheckInQueryArgsSchema(ma.Schema):
    """Filters of the check-in list."""

    status = choice(("due", "slipping"), description="Without it: both.", example="slipping")


class MeasureSchema(ma.Schema):
    """One measurement of a network, with a finding and a next step."""

    name = ma.fields.String(
        validate=validate.OneOf(
            (
                "breadth",
                "reciprocity",
                "channel_mix",
                "follow_up",
                "depth",
                "goal_coverage",
                "check_ins",
            )
        ),
        metadata={"description": "Which measure.", "example": "channel_mix"},
    )
    value = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "The measured value (null when there is nothing to measure).",
            "example": 0.62,
        },
    )
    finding = ma.fields.String(
        metadata={
            "description": "What the value means, in plain words.",
            "example": "31 of your 50 interactions were social-media messages.",
        }
    )
    next_step = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "A suggestion, or null when all is well.",
            "example": "Turn online contacts into coffee chats or video calls.",
        },
    )
    details = ma.fields.Dict(
        metadata={
            "description": "The counts behind the value.",
            "example": {"interactions": 50, "social_messages": 31},
        }
    )


HEALTH_DESCRIPTION = """
Each measure covers the past 365 days (the *network* is everyone the person interacted with in
that window, logged by either side) and is computed as follows:

- `breadth`: Shannon entropy of the contacts' functions divided by ln 11 (the number of
  functions), in [0, 1]; details give the counts of functions and divisions. Below 0.35 the
  network is narrow.
- `reciprocity`: given ÷ (given + received), counting each item of `given` and `received`
  (the contact's log counts the other way round); 0.5 is balanced, below 0.35 the person mostly
  takes, above 0.65 mostly gives. Null without exchanges.
- `channel_mix`: share of interactions that are `social_message`; above 0.5 is overreliance on
  social media.
- `follow_up`: of the first meetings whose follow-up window (24 hours by default) has closed,
  the share followed by another interaction with the same person within that window.
- `depth`: of the contacts first met more than 30 days ago, the share met exactly once
  ("hubbub networking" above 0.5).
- `goal_coverage`: share of active goals served by the network: an interaction logged for the
  goal, a contact holding one of its target skills at level 3 or more, or a contact working
  in one of its target functions. Details list each goal and who serves it.
- `check_ins`: the number of relationships due for a check-in or slipping away (any age).
""".strip()


class NetworkHealthSchema(ma.Schema):
    """The health of a person's network, measure by measure."""

    person_id = ma.fields.String(
        metadata={"description": "Whose network.", "example": examples.PERSON}
    )
    as_of = timestamp(description="When it was measured.")
    window_days = ma.fields.Integer(
        metadata={"description": "The window of the measures, in days.", "example": 365}
    )
    contacts = ma.fields.Integer(
        metadata={"description": "People interacted with in the window.", "example": 42}
    )
    measures = ma.fields.List(
        ma.fields.Nested(MeasureSchema), metadata={"description": "The measures, in a fixed order."}
    )
