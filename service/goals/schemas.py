"""The representations of goals."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import choice, choices, text, timestamp
from service.goals.models import GOAL_KINDS, GOAL_STATUSES
from service.people.models import FUNCTIONS


class GoalSchema(ma.Schema):
    """Something a person is deliberately working towards."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": examples.GOAL},
    )
    person_id = ma.fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "Whose goal it is. A member token may leave it out (its own person); "
            "it cannot change once set.",
            "example": examples.PERSON,
        },
    )
    title = text(200, required=True, description="A short title.", example="Modernise billing")
    kind = choice(
        GOAL_KINDS, required=True, description="What kind of goal.", example="explore_technology"
    )
    description = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=4000),
        metadata={
            "description": "Free text.",
            "example": "Move the billing batch jobs to event streaming.",
        },
    )
    target_skills = ma.fields.List(
        text(80, blank=False),
        validate=validate.Length(max=20),
        metadata={
            "description": "Skills the goal needs, by name or alias; answered with canonical "
            "names.",
            "example": ["kafka", "k8s"],
        },
    )
    target_functions = choices(
        FUNCTIONS,
        description="Functions whose people matter to the goal.",
        example=["product", "operations"],
    )
    due_on = ma.fields.Date(
        allow_none=True, metadata={"description": "Target date.", "example": "2027-03-31"}
    )
    status = choice(
        GOAL_STATUSES, load_default="active", description="Where the goal stands.", example="active"
    )
    created_at = timestamp(dump_only=True, description="When the goal was created.")
    updated_at = timestamp(dump_only=True, description="When the goal last changed.")


class GoalQueryArgsSchema(ma.Schema):
    """Filters of the goal list."""

    person_id = text(
        40,
        description="Only this person's goals (members: their own).",
        example=examples.PERSON,
    )
    status = choice(GOAL_STATUSES, description="Only goals in this status.", example="active")
    kind = choice(GOAL_KINDS, description="Only goals of this kind.", example="learn_skill")
