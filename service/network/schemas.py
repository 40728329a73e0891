"""The representations of the influence map. Every measure's formula is in its description."""

from __future__ import annotations

import marshmallow as ma

from service import examples
from service.fields import choice, text
from service.people.models import FUNCTIONS

PERSON_ID = examples.PERSON
CARD_EXAMPLE = {
    "id": PERSON_ID,
    "name": "Ana Lima",
    "title": "Product Manager",
    "function": "product",
    "division": "Payments",
    "team": "Checkout 2",
    "level": 5,
}
MEASURES_EXAMPLE = {
    "influence": 0.00042,
    "influence_percentile": 0.93,
    "betweenness": 0.012,
    "brokerage_percentile": 0.97,
    "constraint": 0.18,
    "effective_size": 6.4,
    "ties": 12,
    "divisions_bridged": 3,
    "reach_people": 140,
    "reach_divisions": 4,
    "community": 3,
}

INFLUENCE = (
    "PageRank of the person on the weighted graph of every tie (interactions, mentorships, "
    "reporting lines): x = 0.85·xP + 0.15/N, with P the ties' weights normalised per person "
    "(a person without ties links to everyone). Sums to 1 over the company."
)
BETWEENNESS = (
    "Betweenness centrality on the informal ties (interactions and mentorships), by hops: "
    "Σ_{s≠v≠t} σ_st(v)/σ_st ÷ ((N−1)(N−2)/2), the share of shortest paths between two other "
    "people that pass through this person. Exact up to `RAPPORT_NETWORK_EXACT_BETWEENNESS` "
    "people (2,000), above that estimated from `RAPPORT_NETWORK_PIVOTS` random sources (256), "
    "scaled by N/k."
)
CONSTRAINT = (
    "Burt's constraint on the informal ties: c_i = Σ_j (p_ij + Σ_q p_iq·p_qj)², with p_ij = "
    "w_ij/Σ_k w_ik. Near 1 for a closed circle where everyone knows everyone; low for a "
    "broker between otherwise unconnected people. Null without ties."
)
EFFECTIVE_SIZE = (
    "Burt's effective size on the informal ties: Σ_j (1 − Σ_{q≠j} p_iq·m_jq), with m_jq = "
    "w_jq / max_k w_jk: the number of contacts less their redundancy, i.e. how many separate "
    "groups the person reaches. Null without ties."
)


class PersonCardSchema(ma.Schema):
    """Who someone is, as the influence map shows them."""

    id = ma.fields.String(
        required=True, metadata={"description": "The person's id.", "example": PERSON_ID}
    )
    name = ma.fields.String(
        required=True, metadata={"description": "Full name.", "example": "Ana Lima"}
    )
    title = ma.fields.String(
        allow_none=True, metadata={"description": "Job title.", "example": "Product Manager"}
    )
    function = ma.fields.String(
        required=True, metadata={"description": "Function.", "example": "product"}
    )
    division = ma.fields.String(
        allow_none=True, metadata={"description": "Division.", "example": "Payments"}
    )
    team = ma.fields.String(
        allow_none=True, metadata={"description": "Team.", "example": "Checkout 2"}
    )
    level = ma.fields.Integer(
        required=True, metadata={"description": "Level, 1 junior … 8 distinguished.", "example": 5}
    )


class MeasuresSchema(ma.Schema):
    """One person's graph measures, as of the latest computation."""

    influence = ma.fields.Float(metadata={"description": INFLUENCE, "example": 0.00042})
    influence_percentile = ma.fields.Float(
        metadata={
            "description": "Share of active people with a lower influence, in [0, 1].",
            "example": 0.93,
        }
    )
    betweenness = ma.fields.Float(metadata={"description": BETWEENNESS, "example": 0.012})
    brokerage_percentile = ma.fields.Float(
        metadata={
            "description": "Share of active people with a lower betweenness, in [0, 1].",
            "example": 0.97,
        }
    )
    constraint = ma.fields.Float(
        allow_none=True, metadata={"description": CONSTRAINT, "example": 0.18}
    )
    effective_size = ma.fields.Float(
        allow_none=True, metadata={"description": EFFECTIVE_SIZE, "example": 6.4}
    )
    ties = ma.fields.Integer(
        metadata={
            "description": "Number of informal ties (interactions, mentorships).",
            "example": 12,
        }
    )
    divisions_bridged = ma.fields.Integer(
        metadata={
            "description": "Number of divisions other than their own that their informal ties reach.",
            "example": 3,
        }
    )
    reach_people = ma.fields.Integer(
        metadata={
            "description": "People within two hops over every tie (reporting lines included).",
            "example": 140,
        }
    )
    reach_divisions = ma.fields.Integer(
        metadata={"description": "Divisions of the people within two hops.", "example": 4}
    )
    community = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "The Louvain community (on the weighted informal ties, resolution "
            "1) the person belongs to; 0 is the largest.",
            "example": 3,
        },
    )


class TieSchema(ma.Schema):
    """One of the person's own ties."""

    person = ma.fields.Nested(
        PersonCardSchema, required=True, metadata={"description": "The contact."}
    )
    strength = ma.fields.Float(
        required=True,
        metadata={
            "description": "The tie's weight in (0, 1]: 1 − Π(1 − w) over its kinds; "
            "interactions give 1 − exp(−Σ depth·2^(−age/90 days)/2), an active mentorship "
            "0.6, a completed one 0.3, a reporting line 0.5.",
            "example": 0.74,
        },
    )
    kinds = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={
            "description": "The kinds of evidence: interaction, mentorship, reporting.",
            "example": ["interaction", "mentorship"],
        },
    )
    last_contact_month = ma.fields.String(
        allow_none=True,
        metadata={"description": "Month of the last interaction (YYYY-MM).", "example": "2026-11"},
    )
    evidence = ma.fields.String(
        required=True,
        metadata={
            "description": "The tie explained.",
            "example": "you met Ana 3 times since September 2026 (last in November 2026)",
        },
    )


class ReachableSchema(ma.Schema):
    """Someone within two hops."""

    person = ma.fields.Nested(PersonCardSchema, required=True, metadata={"description": "Who."})
    hops = ma.fields.Integer(
        required=True, metadata={"description": "1: a tie of yours; 2: a tie of one.", "example": 2}
    )
    via = ma.fields.Nested(
        PersonCardSchema,
        allow_none=True,
        metadata={
            "description": "For two hops, the contact who reaches them most warmly.",
            "example": CARD_EXAMPLE,
        },
    )
    influence_percentile = ma.fields.Float(
        required=True, metadata={"description": "Their influence percentile.", "example": 0.99}
    )
    brokerage_percentile = ma.fields.Float(
        required=True, metadata={"description": "Their brokerage percentile.", "example": 0.95}
    )


class DecisionDistanceSchema(ma.Schema):
    """How far the nearest decision-maker of one function is."""

    function = ma.fields.String(
        required=True, metadata={"description": "A function.", "example": "product"}
    )
    hops = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "Hops over every tie to the nearest decision-maker (level 7 and "
            "above, or flagged) of that function; null beyond six hops.",
            "example": 2,
        },
    )


class InfluenceMapSchema(ma.Schema):
    """A person's own influence map."""

    person_id = ma.fields.String(
        required=True, metadata={"description": "Whose map.", "example": PERSON_ID}
    )
    computed_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "When the stored measures were computed; null before the first run.",
            "example": "2026-12-01T06:00:00+00:00",
        },
    )
    measures = ma.fields.Nested(
        MeasuresSchema,
        allow_none=True,
        metadata={
            "description": "The person's measures; null if computed before they joined.",
            "example": MEASURES_EXAMPLE,
        },
    )
    strongest_ties = ma.fields.List(
        ma.fields.Nested(TieSchema),
        required=True,
        metadata={"description": "The five strongest ties, strongest first."},
    )
    influencers_within_reach = ma.fields.List(
        ma.fields.Nested(ReachableSchema),
        required=True,
        metadata={"description": "The five most influential people within two hops."},
    )
    brokers_within_reach = ma.fields.List(
        ma.fields.Nested(ReachableSchema),
        required=True,
        metadata={"description": "The five people with the highest betweenness within two hops."},
    )
    decision_makers = ma.fields.List(
        ma.fields.Nested(DecisionDistanceSchema),
        required=True,
        metadata={"description": "Each function with decision-makers, and how far they are."},
    )
    unreachable_divisions = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={
            "description": "Divisions with nobody within two hops.",
            "example": ["Growth"],
        },
    )
    next_step = ma.fields.String(
        required=True,
        metadata={
            "description": "One introduction to ask for.",
            "example": "Ana Lima bridges you to Growth: ask Ana for an introduction to Bo Chen.",
        },
    )


class HopSchema(ma.Schema):
    """One hop of a path, explained."""

    from_ = ma.fields.Nested(
        PersonCardSchema, data_key="from", required=True, metadata={"description": "From."}
    )
    to = ma.fields.Nested(PersonCardSchema, required=True, metadata={"description": "To."})
    evidence = ma.fields.String(
        required=True,
        metadata={
            "description": "Why the tie exists: from the person's own records on their own "
            "hop; on other hops only that the tie exists, its last month and reporting lines.",
            "example": "Ana and Bo know each other (last contact October 2026)",
        },
    )
    kinds = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={
            "description": "Kinds of evidence (on other hops, only a reporting line).",
            "example": ["interaction"],
        },
    )
    last_contact_month = ma.fields.String(
        allow_none=True,
        metadata={"description": "Month of the tie's last interaction.", "example": "2026-10"},
    )
    strength = ma.fields.Float(
        allow_none=True,
        metadata={"description": "The tie's weight, on the person's own hop only.", "example": 0.6},
    )


class IntroPathSchema(ma.Schema):
    """The warmest way to reach someone."""

    person_id = ma.fields.String(
        required=True, metadata={"description": "Who asks.", "example": PERSON_ID}
    )
    to = ma.fields.String(
        required=True,
        metadata={"description": "Whom to reach.", "example": examples.DECISION_MAKER},
    )
    hops = ma.fields.Integer(
        required=True, metadata={"description": "Number of ties, 1 to 3.", "example": 2}
    )
    path = ma.fields.List(
        ma.fields.Nested(HopSchema),
        required=True,
        metadata={"description": "The hops in order, from the person to the target."},
    )


class IntroPathQueryArgsSchema(ma.Schema):
    """Whom to reach."""

    to = text(
        40,
        required=True,
        description="The id of the person to reach.",
        example=examples.DECISION_MAKER,
    )


class LandscapeTeamSchema(ma.Schema):
    """A team that holds or is learning a skill."""

    division = ma.fields.String(
        allow_none=True, metadata={"description": "The team's division.", "example": "Platform"}
    )
    team = ma.fields.String(
        required=True, metadata={"description": "The team.", "example": "Runtime 3"}
    )
    team_size = ma.fields.Integer(
        required=True, metadata={"description": "Active people in the team.", "example": 9}
    )
    people = ma.fields.Integer(
        required=True,
        metadata={"description": "People in the team involved with the skill.", "example": 4},
    )
    experts = ma.fields.Integer(
        required=True, metadata={"description": "Holding it at level 4–5.", "example": 1}
    )
    practitioners = ma.fields.Integer(
        required=True, metadata={"description": "Holding it at level 2–3.", "example": 2}
    )
    explorers = ma.fields.Integer(
        required=True,
        metadata={
            "description": "Holding it at level 1, learning it, or targeting it in an active goal.",
            "example": 1,
        },
    )
    hops = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "Length of the warm path, if one was found.", "example": 2},
    )
    path = ma.fields.List(
        ma.fields.Nested(HopSchema),
        allow_none=True,
        metadata={
            "description": "For a member, the warmest path (≤ 3 hops) to the team's person "
            "involved with the skill who is most warmly reached; null when none, or for admins."
        },
    )


class LandscapeSchema(ma.Schema):
    """Where a skill lives in the company."""

    skill = ma.fields.String(
        required=True, metadata={"description": "The canonical skill.", "example": "rust"}
    )
    teams = ma.fields.List(
        ma.fields.Nested(LandscapeTeamSchema),
        required=True,
        metadata={"description": "Teams of this page, the most people involved first."},
    )


class AnalystFiltersSchema(ma.Schema):
    """Whom an analyst view is about."""

    function = choice(FUNCTIONS, description="Only people of this function.", example="product")
    division = text(120, description="Only people of this division.", example="Payments")


class RankedPersonSchema(ma.Schema):
    """A person and their measures."""

    person = ma.fields.Nested(PersonCardSchema, required=True, metadata={"description": "Who."})
    measures = ma.fields.Nested(
        MeasuresSchema, required=True, metadata={"description": "Their measures."}
    )


class CommunitySchema(ma.Schema):
    """A community found in the informal ties (aggregates only)."""

    id = ma.fields.Integer(
        required=True, metadata={"description": "0 is the largest community.", "example": 2}
    )
    size = ma.fields.Integer(required=True, metadata={"description": "People.", "example": 48})
    internal_ties = ma.fields.Integer(
        required=True, metadata={"description": "Ties inside the community.", "example": 130}
    )
    functions = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        required=True,
        metadata={
            "description": "People by function; functions with fewer than the anonymity "
            "threshold are summed as `other`.",
            "example": {"engineering": 30, "other": 18},
        },
    )
    divisions = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": "People by division, likewise.", "example": {"Platform": 40}},
    )


class DivisionLinkSchema(ma.Schema):
    """Ties from one division to another."""

    division = ma.fields.String(
        required=True, metadata={"description": "The other division.", "example": "Growth"}
    )
    ties = ma.fields.Integer(required=True, metadata={"description": "Ties.", "example": 12})
    strength = ma.fields.Float(
        required=True, metadata={"description": "Sum of their weights.", "example": 4.2}
    )


class DivisionRowSchema(ma.Schema):
    """One row of the division tie matrix."""

    division = ma.fields.String(
        required=True, metadata={"description": "The division.", "example": "Payments"}
    )
    people = ma.fields.Integer(
        required=True, metadata={"description": "Active people in it.", "example": 300}
    )
    ties_inside = ma.fields.Integer(
        required=True, metadata={"description": "Informal ties inside it.", "example": 900}
    )
    ties_outside = ma.fields.Integer(
        required=True, metadata={"description": "Informal ties to other divisions.", "example": 120}
    )
    internal_share = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "Share of its tie strength that stays inside: the silo index, in [0, 1].",
            "example": 0.88,
        },
    )
    links = ma.fields.List(
        ma.fields.Nested(DivisionLinkSchema),
        required=True,
        metadata={"description": "Its ties to every other shown division."},
    )
