"""The representations of weight sets."""

from __future__ import annotations

import marshmallow as ma

from service.fields import timestamp
from service.weights.models import ACTIONS

WEIGHTS_EXAMPLE = {
    "mentor": {
        "skill_fit": 0.35,
        "goal_alignment": 0.15,
        "seniority_fit": 0.15,
        "perspective_diversity": 0.05,
        "network_novelty": 0.10,
        "mutual_benefit": 0.05,
        "availability": 0.15,
    }
}


class WeightSetSchema(ma.Schema):
    """A versioned set of matching weights and its offline evaluation."""

    id = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "Opaque id; `default` for the engine's built-in weights.",
            "example": "wts_01JD3Q5X4J8Z6V2M9N7K1R0T5B",
        },
    )
    version = ma.fields.Integer(
        dump_only=True,
        metadata={
            "description": "The version recommendations name (`weights_version`); 0 is the "
            "built-in weights, learnt sets count up from 1.",
            "example": 3,
        },
    )
    current = ma.fields.Boolean(
        dump_only=True,
        metadata={"description": "Whether recommendations use it now.", "example": True},
    )
    weights = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float()),
        dump_only=True,
        metadata={
            "description": "Per purpose, the weight of each of the seven components (summing "
            "to 1).",
            "example": WEIGHTS_EXAMPLE,
        },
    )
    evaluation = ma.fields.Dict(
        dump_only=True,
        metadata={
            "description": "How it was learnt and measured: lists and outcomes read, and per "
            "purpose the time split, the logistic regression's coefficients, AUC and NDCG@10 "
            "of the held-out lists re-ranked by these weights and by the current ones, with "
            "95% bootstrap intervals, and the exposure Gini of both on the last month's "
            "queries. Empty for the built-in weights.",
            "example": {"lists": 1840, "outcomes": {"accepted": 212, "interacted": 301}},
        },
    )
    recommended = ma.fields.Boolean(
        dump_only=True,
        metadata={
            "description": "Whether the learning's rules (enough outcomes, a significant gain, "
            "the exposure guard) adopted it.",
            "example": False,
        },
    )
    reasons = ma.fields.List(
        ma.fields.String(),
        dump_only=True,
        metadata={
            "description": "Why it was or was not adopted, per purpose.",
            "example": ["mentor: 87 good outcomes, 200 needed to adopt"],
        },
    )
    created_at = timestamp(
        dump_only=True, allow_none=True, description="When it was learnt (null: built in)."
    )


class WeightEventSchema(ma.Schema):
    """One change of the current weights."""

    action = ma.fields.String(
        dump_only=True,
        metadata={
            "description": f"What happened: {' or '.join(ACTIONS)}.",
            "enum": list(ACTIONS),
            "example": "adopt",
        },
    )
    version = ma.fields.Integer(
        dump_only=True, metadata={"description": "The version current after it.", "example": 3}
    )
    previous_version = ma.fields.Integer(
        dump_only=True, metadata={"description": "The version it replaced.", "example": 0}
    )
    actor = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "Who: `learning` (the weekly job) or the admin token's name.",
            "example": "learning",
        },
    )
    at = timestamp(dump_only=True, description="When.")


class WeightsOverviewSchema(ma.Schema):
    """The weights in use, the candidates, and the history of changes."""

    current = ma.fields.Nested(
        WeightSetSchema, metadata={"description": "The weight set recommendations use now."}
    )
    candidates = ma.fields.List(
        ma.fields.Nested(WeightSetSchema),
        metadata={"description": "Learnt sets never adopted, newest first (kept as reports)."},
    )
    history = ma.fields.List(
        ma.fields.Nested(WeightEventSchema),
        metadata={"description": "Adoptions and roll-backs, newest first."},
    )
