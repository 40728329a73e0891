"""The representations of feedback, feedback requests and mentorship health."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.feedback.health import STATES
from service.fields import boolean, choice, integer, timestamp

MENTORSHIP_EXAMPLE = examples.MENTORSHIP
PERSON_EXAMPLE = examples.PERSON


class FeedbackSchema(ma.Schema):
    """How one side rates a mentorship."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": "fbk_01JD3Q5X4J8Z6V2M9N7K1R0T5B"},
    )
    mentorship_id = ma.fields.String(
        dump_only=True, metadata={"description": "The mentorship.", "example": MENTORSHIP_EXAMPLE}
    )
    person_id = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "Who gave it (the mentor or the mentee).",
            "example": PERSON_EXAMPLE,
        },
    )
    rating = integer(
        1,
        5,
        required=True,
        description="How it is going, from 1 (badly) to 5 (very well).",
        example=4,
    )
    goals_progressing = boolean(
        required=True,
        description="Whether the goals of the agreement are progressing.",
        example=True,
    )
    comment = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={
            "description": "Optional, private to its author: shown to nobody else, admins "
            "included (null for them).",
            "example": "We meet every other week; the Rust module is on track.",
        },
    )
    created_at = timestamp(dump_only=True, description="When it was given.")

    @ma.post_dump(pass_original=True)
    def _private_comment(self, data, original, **_kwargs):
        data["comment"] = getattr(original, "shown_comment", None)
        return data


class FeedbackRequestSchema(ma.Schema):
    """Feedback a person owes on one of their active mentorships."""

    mentorship_id = ma.fields.String(
        metadata={"description": "The mentorship.", "example": MENTORSHIP_EXAMPLE}
    )
    counterpart_id = ma.fields.String(
        metadata={"description": "The other side of the mentorship.", "example": PERSON_EXAMPLE}
    )
    role = ma.fields.String(
        validate=validate.OneOf(("mentor", "mentee")),
        metadata={"description": "The person's side: `mentor` or `mentee`.", "example": "mentee"},
    )
    sequence = ma.fields.Integer(
        metadata={
            "description": "Which request: 1 at 30 days after acceptance, 2 at 90, 3 at 150…",
            "example": 1,
        }
    )
    due_at = timestamp(description="When it fell due.")
    next_due_at = timestamp(
        description="When the next one falls due (this one is then superseded)."
    )


class RatingSchema(ma.Schema):
    """A side's latest rating."""

    person_id = ma.fields.String(metadata={"description": "Who rated.", "example": PERSON_EXAMPLE})
    rating = ma.fields.Integer(metadata={"description": "1 to 5.", "example": 2})
    goals_progressing = ma.fields.Boolean(
        metadata={"description": "Whether they said the goals progress.", "example": False}
    )
    given_at = timestamp(description="When.")


class HealthSchema(ma.Schema):
    """How an active mentorship is going, and the evidence."""

    state = choice(
        STATES,
        description="`on_track`; `needs_check_in` (no interaction within its cadence); "
        "`at_risk` (a latest rating of 2 or less, or both sides silent for twice the cadence); "
        "`too_early` (younger than its cadence).",
        example="needs_check_in",
    )
    reasons = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "The evidence, in plain words.",
            "example": ["no contact for 23 days; the cadence is 14 days"],
        },
    )
    cadence_days = ma.fields.Integer(
        metadata={"description": "The agreed days between sessions.", "example": 14}
    )
    last_contact_at = timestamp(
        allow_none=True, description="Last interaction logged between the two, by either."
    )
    days_since_contact = ma.fields.Integer(
        metadata={
            "description": "Days since that interaction (or since acceptance, if none since).",
            "example": 23,
        }
    )
    last_feedback_at = timestamp(allow_none=True, description="Latest feedback from either side.")
    latest_ratings = ma.fields.List(
        ma.fields.Nested(RatingSchema), metadata={"description": "Each side's latest rating."}
    )
