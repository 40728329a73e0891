"""The representations of mentorships."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.feedback.health import STATES as HEALTH_STATES
from service.feedback.schemas import HealthSchema
from service.fields import choice, integer, text, timestamp
from service.mentorships.models import KINDS, STATUSES


class MentorshipSchema(ma.Schema):
    """A mentorship and its agreement."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": examples.MENTORSHIP},
    )
    mentor_id = text(
        40,
        required=True,
        description="Who teaches (more junior in a reverse mentorship).",
        example=examples.MENTOR,
    )
    mentee_id = text(40, required=True, description="Who learns.", example=examples.PERSON)
    kind = choice(
        KINDS,
        required=True,
        description="`mentorship`, `reverse_mentorship` (a junior teaches a senior) or `cross_functional`.",
        example="mentorship",
    )
    status = ma.fields.String(
        dump_only=True,
        attribute="shown_status",
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "proposed → active or declined; active → completed or cancelled. An active "
            "mentorship past `ends_on` reads as completed.",
            "example": "active",
        },
    )
    proposed_by = text(
        40,
        description="Which side proposed (only the other side accepts or declines). A member token is "
        "always the proposer; an admin may name either side (default: the mentee).",
        example=examples.PERSON,
    )
    goals = ma.fields.List(
        ma.fields.String(validate=validate.Length(min=1, max=40)),
        attribute="goal_ids",
        validate=validate.Length(max=10),
        metadata={
            "description": "Ids of the mentee's goals this mentorship serves.",
            "example": [examples.GOAL],
        },
    )
    cadence_days = integer(
        1,
        180,
        load_default=14,
        description="Days between sessions; also the check-in cadence of the pair.",
        example=14,
    )
    ends_on = ma.fields.Date(
        allow_none=True,
        metadata={"description": "Last day of the agreement.", "example": "2027-06-30"},
    )
    message = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={
            "description": "What the proposer hopes for.",
            "example": "Could you help me find my way into Rust?",
        },
    )
    decline_reason = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Why it was declined.", "example": "No time this quarter."},
    )
    closure_reason = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Why it ended.", "example": "Goal achieved."},
    )
    accepted_at = timestamp(dump_only=True, allow_none=True, description="When it was accepted.")
    ended_at = timestamp(
        dump_only=True, allow_none=True, description="When it was declined, completed or cancelled."
    )
    created_at = timestamp(dump_only=True, description="When it was proposed.")
    updated_at = timestamp(dump_only=True, description="When it last changed.")
    health = ma.fields.Nested(
        HealthSchema,
        dump_only=True,
        allow_none=True,
        attribute="shown_health",
        metadata={
            "description": "How it is going, with the evidence; null unless active.",
            "example": {
                "state": "needs_check_in",
                "reasons": ["no contact for 23 days; the cadence is 14 days"],
                "cadence_days": 14,
                "last_contact_at": "2026-11-02T10:00:00+00:00",
                "days_since_contact": 23,
                "last_feedback_at": None,
                "latest_ratings": [],
            },
        },
    )


class ReasonSchema(ma.Schema):
    """Why a mentorship is declined, completed or cancelled."""

    reason = ma.fields.String(
        validate=validate.Length(min=1, max=2000),
        metadata={
            "description": "In a sentence; required to complete.",
            "example": "Goal achieved: the migration shipped.",
        },
    )


class MentorshipQueryArgsSchema(ma.Schema):
    """Filters of the mentorship list."""

    person_id = text(
        40,
        description="Mentorships in which this person is mentor or mentee.",
        example=examples.PERSON,
    )
    mentor_id = text(40, description="Only this mentor's.", example=examples.MENTOR)
    mentee_id = text(40, description="Only this mentee's.", example=examples.PERSON)
    status = choice(
        STATUSES,
        description="Only mentorships in this status (as it reads today).",
        example="active",
    )
    kind = choice(KINDS, description="Only mentorships of this kind.", example="reverse_mentorship")
    health = choice(
        HEALTH_STATES,
        description="Only active mentorships in this health state (`on_track`, "
        "`needs_check_in`, `at_risk`, `too_early`).",
        example="at_risk",
    )
