"""The representations of dismissals."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from matching import PURPOSES
from service import examples
from service.dismissals.models import NOT_NOW_DAYS, REASONS
from service.fields import choice, timestamp


class DismissalSchema(ma.Schema):
    """A recommended person the person does not want suggested again."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": "dis_01JD3Q5X4J8Z6V2M9N7K1R0T5B"},
    )
    person_id = ma.fields.String(
        required=True,
        attribute="dismissed_id",
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "Who is dismissed (the person recommended).",
            "example": examples.PERSON,
        },
    )
    purpose = choice(
        PURPOSES,
        required=True,
        description="The recommendations it applies to (`do_not_suggest` applies to all).",
        example="mentor",
    )
    reason = choice(
        REASONS,
        required=True,
        description="`not_relevant`, `already_know`, `not_now` (hidden for "
        f"{NOT_NOW_DAYS} days) or `do_not_suggest` (never suggested again for any purpose, "
        "nor paired in programmes and intro rounds, either way round).",
        example="not_now",
    )
    created_at = timestamp(dump_only=True, description="When it was dismissed.")
    expires_at = timestamp(
        dump_only=True,
        allow_none=True,
        description="When a `not_now` dismissal ends; null for the others.",
    )
