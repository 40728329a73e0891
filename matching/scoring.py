"""The scoring rules shared by every engine: purposes, components, weights and tables.

Each engine computes the components its own way (``MatchIndex`` over sparse matrices,
``ReferenceMatcher`` pair by pair); what a component *means* is fixed here, once. The
formulas are written out in ``matching/README.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from .records import MAX_SKILL_LEVEL, Person

PURPOSES = ("mentor", "reverse_mentor", "cross_functional")

COMPONENTS = (
    "skill_fit",
    "goal_alignment",
    "seniority_fit",
    "perspective_diversity",
    "network_novelty",
    "mutual_benefit",
    "availability",
)


def _frozen(table: dict[str, dict[str, float]]) -> Mapping[str, Mapping[str, float]]:
    return MappingProxyType({key: MappingProxyType(value) for key, value in table.items()})


# Each purpose's weights sum to 1, so a score stays in [0, 1]. Skill fit leads for mentoring;
# a cross-functional contact is judged as much by goals, perspective and novelty as by skills.
DEFAULT_WEIGHTS = _frozen(
    {
        "mentor": {
            "skill_fit": 0.35,
            "goal_alignment": 0.15,
            "seniority_fit": 0.15,
            "perspective_diversity": 0.05,
            "network_novelty": 0.10,
            "mutual_benefit": 0.05,
            "availability": 0.15,
        },
        "reverse_mentor": {
            "skill_fit": 0.40,
            "goal_alignment": 0.15,
            "seniority_fit": 0.05,
            "perspective_diversity": 0.10,
            "network_novelty": 0.10,
            "mutual_benefit": 0.10,
            "availability": 0.10,
        },
        "cross_functional": {
            "skill_fit": 0.25,
            "goal_alignment": 0.25,
            "seniority_fit": 0.05,
            "perspective_diversity": 0.15,
            "network_novelty": 0.15,
            "mutual_benefit": 0.05,
            "availability": 0.10,
        },
    }
)

# Weight of a wanted skill, indexed by code: 0 = a goal's target skill, 1–3 = learning priority.
GOAL_PRIORITY = 0
PRIORITY_WEIGHTS = (1.0, 1.0, 2.0 / 3.0, 1.0 / 3.0)

# A skill a senior person "lacks" (reverse mentoring) — a newer technology they missed: held by
# at least LACK_MIN_HOLDERS and LACK_MIN_SHARE of the more junior active people of their own
# function, at least LACK_SKEW times as common among them as among those at the person's level
# and above (so it is new, not merely common), and not held by the person at all.
LACK_WEIGHT = 1.0 / 3.0
LACK_MIN_SHARE = 0.10
LACK_MIN_HOLDERS = 3
LACK_SKEW = 2.0

# Seniority fit by level gap. Mentor: candidate minus person, best two or three levels up (close
# enough to remember, far enough to know). Reverse: person minus candidate, the wider the
# fresher. Cross-functional: absolute gap, peers talk most freely.
SENIORITY_FIT = MappingProxyType(
    {
        "mentor": (0.0, 0.8, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2),
        "reverse_mentor": (0.0, 0.7, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0),
        "cross_functional": (1.0, 0.85, 0.7, 0.55, 0.4, 0.25, 0.1, 0.1),
    }
)

# Perspective diversity: what differs between the person and the candidate.
PERSPECTIVE_WEIGHTS = MappingProxyType(
    {"function": 0.30, "division": 0.25, "location": 0.15, "perspectives": 0.30}
)

# Similarity of two candidates, for the diversity re-ranking and intra-list diversity.
SIMILARITY_WEIGHTS = MappingProxyType(
    {"function": 0.35, "division": 0.30, "location": 0.10, "perspectives": 0.25}
)

# Network novelty = CLOSENESS_WEIGHT·(1 − closeness) + FUNCTION_WEIGHT·(1 − share of the
# person's ties in the candidate's function); a friend of a friend is half as close as the
# weaker of the two ties.
CLOSENESS_WEIGHT = 0.6
FUNCTION_NOVELTY_WEIGHT = 0.4
TWO_HOP_DISCOUNT = 0.5

# Availability outside mentoring: 1 / (1 + MENTEE_LOAD · active mentorships).
MENTEE_LOAD = 0.5

# Score rounding: makes exact ties of mathematically equal scores robust to summation order,
# so that ties break by id the same way however the index was built.
SCORE_DECIMALS = 10

MAX_K = 1000
DEFAULT_POOL_FACTOR = 5


def idf(document_frequency, n_active):
    """Smoothed inverse document frequency of a skill (scikit-learn's ``smooth_idf`` form)."""
    return np.log((1.0 + n_active) / (1.0 + np.asarray(document_frequency, dtype=float))) + 1.0


def skill_gap(level, held):
    """Share of the way from ``held`` to mastery that a teacher at ``level`` covers (0 if none)."""
    level = np.asarray(level, dtype=float)
    held = np.asarray(held, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = (level - held) / (MAX_SKILL_LEVEL - held)
    return np.where(level > held, gap, 0.0)


@dataclass(frozen=True, slots=True)
class GoalFocus:
    """A query restricted to one goal: its target skills and functions, each with goal titles."""

    skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    functions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Want:
    """Why the person wants a skill, and how much it weighs in their query."""

    weight: float
    priority: int | None = None  # learning-list priority, 1–3
    goals: tuple[str, ...] = ()  # titles of the goals that target the skill
    in_goal: bool = False  # a goal targets it (also true for a titleless goal focus)
    lack_share: float | None = None  # share of more junior function peers who hold it


def candidate_wants(person: Person) -> dict[str, int]:
    """What a person wants to learn as priority codes: learning list and active goals' skills."""
    wants = dict(person.learning)
    for goal in person.goals:
        for skill in goal.skills:
            wants[skill] = GOAL_PRIORITY
    return wants


def build_wants(
    person: Person, purpose: str, focus: GoalFocus | None, lacks: Mapping[str, float]
) -> dict[str, Want]:
    """The skills a query looks for, with their weights and provenance.

    Without a goal focus: the learning list (weight by priority) and the target skills of the
    person's active goals (weight 1), plus, for reverse mentoring only, the skills the person
    lacks (``lacks`` maps them to the share of junior peers holding them). With a focus: exactly
    the focus's skills, weight 1 each.
    """
    if focus is not None:
        return {
            skill: Want(1.0, goals=titles, in_goal=True) for skill, titles in focus.skills.items()
        }
    wants = {
        skill: Want(PRIORITY_WEIGHTS[priority], priority=priority)
        for skill, priority in person.learning.items()
    }
    for goal in person.goals:
        for skill in sorted(goal.skills):
            known = wants.get(skill)
            wants[skill] = Want(
                1.0,
                priority=known.priority if known else None,
                goals=(known.goals if known else ()) + (goal.title,),
                in_goal=True,
            )
    if purpose == "reverse_mentor":
        for skill, share in lacks.items():
            if skill not in wants and skill not in person.skills:
                wants[skill] = Want(LACK_WEIGHT, lack_share=share)
    return wants


def lacked_skills(
    junior_holders: Mapping[str, int],
    n_juniors: int,
    senior_holders: Mapping[str, int],
    n_seniors: int,
) -> dict[str, float]:
    """Skills that are new among the more junior function peers, with their junior share.

    ``junior_holders`` counts holders among the ``n_juniors`` more junior active people of the
    person's function; ``senior_holders`` among the ``n_seniors`` at the person's level or above.
    """
    if n_juniors <= 0:
        return {}
    lacked = {}
    for skill, count in junior_holders.items():
        share = count / n_juniors
        above = senior_holders.get(skill, 0) / n_seniors if n_seniors else 0.0
        if count >= LACK_MIN_HOLDERS and share >= LACK_MIN_SHARE and share >= LACK_SKEW * above:
            lacked[skill] = share
    return lacked


def target_functions(person: Person, focus: GoalFocus | None) -> dict[str, tuple[str, ...]]:
    """Functions the person's goals (or the focused goal) target, with the goal titles."""
    if focus is not None:
        return dict(focus.functions)
    targets: dict[str, tuple[str, ...]] = {}
    for goal in person.goals:
        for function in sorted(goal.functions):
            targets[function] = targets.get(function, ()) + (goal.title,)
    return targets


@dataclass(frozen=True, slots=True)
class Network:
    """A person's neighbourhood as seen from their ties, for novelty and introductions."""

    direct: Mapping[str, float]  # undirected tie strength to each active neighbour
    via: Mapping[str, tuple[str, float]]  # friend of a friend: best intermediary, path strength
    function_share: Mapping[str, float]  # share of tie strength per function

    @property
    def has_ties(self) -> bool:
        """Whether the person has any tie to an active person."""
        return bool(self.direct)

    def closeness(self, person_id: str) -> float:
        """How close the person already is to someone, in [0, 1]."""
        two_hop = self.via[person_id][1] if person_id in self.via else 0.0
        return max(self.direct.get(person_id, 0.0), TWO_HOP_DISCOUNT * two_hop)


def network_of(
    person_id: str,
    neighbours: Callable[[Sequence[str]], Mapping[str, Mapping[str, float]]],
    function_of: Callable[[str], str],
) -> Network:
    """Build a person's :class:`Network`.

    ``neighbours(ids)`` returns, for each id, its active neighbours and the undirected strength
    of each tie (the stronger of the two directions, zero-strength ties left out).
    """
    direct = dict(neighbours([person_id])[person_id])
    # Sorted, so that among equally strong paths the intermediary with the smallest id wins.
    hops = sorted(direct)
    via: dict[str, tuple[str, float]] = {}
    second = neighbours(hops) if hops else {}
    for middle in hops:
        first_strength = direct[middle]
        for other, strength in second[middle].items():
            if other == person_id:
                continue
            path = min(first_strength, strength)
            if path > (via[other][1] if other in via else 0.0):
                via[other] = (middle, path)
    by_function: dict[str, list[float]] = {}
    for other, strength in direct.items():
        by_function.setdefault(function_of(other), []).append(strength)
    total = math.fsum(direct.values())
    share = (
        {function: math.fsum(values) / total for function, values in by_function.items()}
        if total > 0
        else {}
    )
    return Network(direct=direct, via=via, function_share=share)


def diversify(scores: np.ndarray, similarity: Callable[[int], np.ndarray], k: int, diversity):
    """Greedy maximal marginal relevance over a pool sorted best first; returns pool positions.

    Each step takes the candidate maximising ``(1 − diversity)·score − diversity·max_sim``,
    where ``max_sim`` is its largest similarity to those already taken; ties go to the better
    ranked. ``similarity(j)`` is candidate j's similarity to every pool member. At diversity 0
    this is the pool's order.
    """
    n = len(scores)
    size = min(k, n)
    if diversity == 0:
        return list(range(size))
    taken: list[int] = []
    nearest = np.zeros(n)
    free = np.ones(n, dtype=bool)
    for _ in range(size):
        value = (1.0 - diversity) * scores - diversity * nearest
        value[~free] = -np.inf
        best = int(np.argmax(value))
        taken.append(best)
        free[best] = False
        nearest = np.maximum(nearest, similarity(best))
    return taken


def jaccard(first: Iterable[str], second: Iterable[str]) -> float:
    """Jaccard similarity of two tag sets; 0 when both are empty (no shared evidence)."""
    first, second = set(first), set(second)
    union = len(first | second)
    return len(first & second) / union if union else 0.0
