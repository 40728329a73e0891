"""The representations of interactions."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import boolean, choice, choices, text, timestamp
from service.interactions.models import EXCHANGES, INITIATORS, INTERACTION_KINDS


class InteractionSchema(ma.Schema):
    """A logged contact between two people."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": examples.INTERACTION},
    )
    person_id = ma.fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "Who logs it. A member token may leave it out (its own person); "
            "it cannot change.",
            "example": examples.PERSON,
        },
    )
    contact_id = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "Whom they met; cannot change.",
            "example": examples.CONTACT,
        },
    )
    kind = choice(
        INTERACTION_KINDS, required=True, description="How they met.", example="coffee_chat"
    )
    occurred_at = timestamp(
        required=True,
        description="When (RFC 3339 with an offset; not in the future).",
        example="2026-11-20T10:30:00Z",
    )
    initiated_by = choice(
        INITIATORS, load_default="person", description="Who reached out.", example="person"
    )
    given = choices(EXCHANGES, description="What the person gave.", example=["advice"])
    received = choices(
        EXCHANGES, description="What the person received.", example=["introduction", "resource"]
    )
    goal_id = ma.fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "The logger's goal this served.",
            "example": examples.GOAL,
        },
    )
    notes = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=10000),
        attribute="visible_notes",
        metadata={
            "description": "Private notes. Returned only to the member token of `person_id`; "
            "omitted for everyone else, admins included.",
            "example": "Wants to hear how we run game days.",
        },
    )
    follow_up_due_at = timestamp(
        allow_none=True, description="When a follow-up is due.", example="2026-11-21T10:30:00Z"
    )
    follow_up_done = boolean(
        load_default=False, description="Whether the follow-up happened.", example=False
    )
    created_at = timestamp(dump_only=True, description="When it was logged.")
    updated_at = timestamp(dump_only=True, description="When it last changed.")

    @ma.post_load
    def _notes_by_their_name(self, data: dict, **_kwargs: object) -> dict:
        # `notes` is dumped from `visible_notes` (see reveal_notes) but stored as `notes`.
        if "visible_notes" in data:
            data["notes"] = data.pop("visible_notes")
        return data


class InteractionQueryArgsSchema(ma.Schema):
    """Filters of the interaction list."""

    person_id = text(
        40,
        description="Only interactions logged by this person.",
        example=examples.PERSON,
    )
    contact_id = text(
        40,
        description="Only interactions with this contact.",
        example=examples.CONTACT,
    )
    since = timestamp(
        description="Only those at or after this time.", example="2026-01-01T00:00:00Z"
    )
    until = timestamp(description="Only those before this time.", example="2026-07-01T00:00:00Z")
    kind = choice(
        INTERACTION_KINDS, description="Only interactions of this kind.", example="coffee_chat"
    )
