"""The representations of recommendations."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from matching import PURPOSES
from service import examples
from service.fields import text
from service.network.introductions import BROKER
from service.people.schemas import PersonSchema

COMPONENT_DESCRIPTIONS = {
    "skill_fit": "How well what they teach covers what the person wants to learn, rare skills counting more.",
    "goal_alignment": "How much they serve the person's active goals (target skills and functions).",
    "seniority_fit": "How right their level is for the purpose (a little more senior for a mentor).",
    "perspective_diversity": "How different their function, division, location and background are.",
    "network_novelty": "How new they are to the person's network, new functions counting more.",
    "mutual_benefit": "What the person can teach them back.",
    "availability": "Room left in their mentoring capacity.",
}


class ComponentsSchema(ma.Schema):
    """The parts of a score, each in [0, 1]."""

    skill_fit = ma.fields.Float(
        metadata={"description": COMPONENT_DESCRIPTIONS["skill_fit"], "example": 0.82}
    )
    goal_alignment = ma.fields.Float(
        metadata={"description": COMPONENT_DESCRIPTIONS["goal_alignment"], "example": 0.5}
    )
    seniority_fit = ma.fields.Float(
        metadata={"description": COMPONENT_DESCRIPTIONS["seniority_fit"], "example": 1.0}
    )
    perspective_diversity = ma.fields.Float(
        metadata={"description": COMPONENT_DESCRIPTIONS["perspective_diversity"], "example": 0.6}
    )
    network_novelty = ma.fields.Float(
        metadata={"description": COMPONENT_DESCRIPTIONS["network_novelty"], "example": 1.0}
    )
    mutual_benefit = ma.fields.Float(
        metadata={"description": COMPONENT_DESCRIPTIONS["mutual_benefit"], "example": 0.3}
    )
    availability = ma.fields.Float(
        metadata={"description": COMPONENT_DESCRIPTIONS["availability"], "example": 0.5}
    )


class RecommendationSchema(ma.Schema):
    """One person to meet, and why."""

    person = ma.fields.Nested(
        PersonSchema, required=True, metadata={"description": "Whom to meet."}
    )
    score = ma.fields.Float(
        required=True,
        metadata={
            "description": "Weighted sum of the components, in [0, 1], rounded to 4 decimal "
            "places like each component. The list is not necessarily in the order of this "
            "score: see `items`.",
            "example": 0.7134,
        },
    )
    components = ma.fields.Nested(
        ComponentsSchema, required=True, metadata={"description": "The parts of the score."}
    )
    reasons = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={
            "description": "The evidence, in plain words.",
            "example": [
                "teaches kubernetes (level 5) — on your learning list and your goal 'Modernise billing'"
            ],
        },
    )


class RecommendationListSchema(ma.Schema):
    """Ranked recommendations for one person and one purpose."""

    person_id = ma.fields.String(
        required=True,
        metadata={"description": "Whom they are for.", "example": examples.PERSON},
    )
    purpose = ma.fields.String(
        required=True,
        validate=validate.OneOf((*PURPOSES, BROKER)),
        metadata={"description": "What for.", "example": "mentor"},
    )
    diversity = ma.fields.Float(
        required=True,
        metadata={"description": "The diversity asked for, in [0, 1].", "example": 0.3},
    )
    goal_id = ma.fields.String(
        allow_none=True,
        metadata={"description": "The goal the list serves, if one was given.", "example": None},
    )
    weights_version = ma.fields.Integer(
        required=True,
        metadata={
            "description": "The version of the weights that ranked the list (0: the built-in "
            "ones); see `/v1/matching/weights`.",
            "example": 0,
        },
    )
    items = ma.fields.List(
        ma.fields.Nested(RecommendationSchema),
        required=True,
        metadata={
            "description": "Best first, in the order of the diversity re-ranking (maximal "
            "marginal relevance): with `diversity` above 0, someone who adds a new function, "
            "division or perspective to the list may come before a higher `score`; with "
            "`diversity=0` the order is by `score`. Fewer than `limit` when fewer people "
            "qualify."
        },
    )


class RecommendationQueryArgsSchema(ma.Schema):
    """What to recommend."""

    purpose = ma.fields.String(
        load_default="mentor",
        validate=validate.OneOf((*PURPOSES, BROKER)),
        metadata={
            "description": "`mentor`: someone more senior who holds what the person wants to learn; "
            "`reverse_mentor`: someone more junior who holds what a senior person lacks; "
            "`cross_functional`: someone from another function whose work matters to the "
            "person's goals; `broker`: someone in the person's network (a contact, or a "
            "contact's contact) who would connect them fastest to the target functions of "
            "`goal_id` (or of their active goals), scored reach · warmth · (1 for a contact, "
            "½ two hops away), with empty components.",
            "example": "mentor",
        },
    )
    limit = ma.fields.Integer(
        load_default=10,
        validate=validate.Range(min=1, max=50),
        metadata={"description": "How many people, at most (1–50).", "example": 10},
    )
    diversity = ma.fields.Float(
        load_default=0.3,
        validate=validate.Range(min=0.0, max=1.0),
        allow_nan=False,
        metadata={
            "description": "0 ranks by fit alone; higher values spread the list across functions, "
            "divisions and perspectives (maximal marginal relevance).",
            "example": 0.3,
        },
    )
    goal_id = text(
        40,
        description="Serve this one goal of the person's instead of their whole learning list.",
        example=examples.GOAL,
    )
