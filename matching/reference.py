"""The scoring rules written pair by pair, for clarity rather than speed: the test oracle.

``ReferenceMatcher`` scores every person against the query one at a time with plain Python
arithmetic. It shares with :class:`~matching.index.MatchIndex` only the rules that are about one
person's record (what they want, their network, the wording of reasons); everything the fast
index computes over matrices — eligibility, document frequencies, the seven components,
ranking and the diversity re-ranking — is computed here again, independently, so the two can
be checked against each other. It is O(N) Python work per query: use it in tests, not in a
service.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Self

import numpy as np

from .base import Recommender, UnknownPersonError, check_query, resolve_weights
from .reasons import explain
from .records import MAX_SKILL_LEVEL, Person, Recommendation
from .scoring import (
    CLOSENESS_WEIGHT,
    COMPONENTS,
    DEFAULT_POOL_FACTOR,
    FUNCTION_NOVELTY_WEIGHT,
    MENTEE_LOAD,
    PERSPECTIVE_WEIGHTS,
    PRIORITY_WEIGHTS,
    SCORE_DECIMALS,
    SENIORITY_FIT,
    SIMILARITY_WEIGHTS,
    GoalFocus,
    Network,
    Want,
    build_wants,
    candidate_wants,
    jaccard,
    lacked_skills,
    network_of,
    target_functions,
)


def _gap(level: int, held: int) -> float:
    return (level - held) / (MAX_SKILL_LEVEL - held) if level > held else 0.0


def _round(score: float) -> float:
    # The same rounding as the index (numpy's), so that equal scores tie the same way.
    return float(np.round(score, SCORE_DECIMALS))


class ReferenceMatcher(Recommender):
    """Pair-by-pair implementation of the matching rules; slow, obvious, and the oracle.

    Parameters are those of :class:`~matching.index.MatchIndex` that change results.
    """

    def __init__(
        self,
        weights: Mapping[str, Mapping[str, float]] | None = None,
        pool_factor: int = DEFAULT_POOL_FACTOR,
    ) -> None:
        self.weights = weights
        self.pool_factor = pool_factor

    def fit(self, people: Iterable[Person]) -> Self:
        """Keep every person's record; returns self."""
        self.weights_ = resolve_weights(self.weights)
        records: dict[str, Person] = {}
        for person in people:
            if person.id in records:
                raise ValueError(f"duplicate person id {person.id!r}")
            records[person.id] = person
        self.people_ = records
        self.version_ = getattr(self, "version_", 0) + 1
        return self

    def upsert(self, person: Person) -> Self:
        """Add or replace one record; returns self."""
        if not hasattr(self, "people_"):
            self.fit([])
        self.people_[person.id] = person
        self.version_ += 1
        return self

    def remove(self, person_id: str) -> Self:
        """Forget one person; returns self."""
        if person_id not in getattr(self, "people_", {}):
            raise UnknownPersonError(person_id)
        del self.people_[person_id]
        self.version_ += 1
        return self

    def _neighbours(self, active: Mapping[str, Person]):
        def neighbours(ids):
            out = {}
            for person_id in ids:
                own = self.people_[person_id].ties
                found = {}
                for other_id, other in active.items():
                    if other_id == person_id:
                        continue
                    strength = max(own.get(other_id, 0.0), other.ties.get(person_id, 0.0))
                    if strength > 0:
                        found[other_id] = strength
                out[person_id] = found
            return out

        return neighbours

    def _manager_chain(self, person: Person) -> set[str]:
        chain, manager_id = set(), person.manager_id
        while manager_id is not None and manager_id not in chain and manager_id != person.id:
            chain.add(manager_id)
            if manager_id not in self.people_:
                break
            manager_id = self.people_[manager_id].manager_id
        return chain

    def _eligible(self, purpose: str, person: Person, candidate: Person) -> bool:
        if purpose == "mentor":
            return (
                candidate.level > person.level
                and candidate.open_to_mentor
                and candidate.active_mentees < candidate.mentor_capacity
            )
        if purpose == "reverse_mentor":
            return candidate.level < person.level and candidate.open_to_reverse_mentor
        return candidate.function != person.function

    def recommend(
        self,
        person_id: str,
        purpose: str = "mentor",
        k: int = 10,
        diversity: float = 0.3,
        goal_skills=None,
        goal_functions=None,
        *,
        exclude=(),
        weights=None,
    ) -> list[Recommendation]:
        """Up to ``k`` recommendations, computed pair by pair."""
        focus = check_query(purpose, k, diversity, goal_skills, goal_functions)
        if person_id not in getattr(self, "people_", {}):
            raise UnknownPersonError(person_id)
        resolved = self.weights_ if weights is None else resolve_weights(weights)
        person = self.people_[person_id]
        active = {pid: p for pid, p in self.people_.items() if p.active}
        frequency = Counter(skill for p in active.values() for skill in p.skills)
        n_active = len(active)

        def idf(skill: str) -> float:
            return math.log((1.0 + n_active) / (1.0 + frequency[skill])) + 1.0

        lacks: dict[str, float] = {}
        if purpose == "reverse_mentor" and focus is None:
            peers = [p for p in active.values() if p.function == person.function]
            juniors = [p for p in peers if p.level < person.level]
            seniors = [p for p in peers if p.level >= person.level]
            lacks = lacked_skills(
                Counter(skill for p in juniors for skill in p.skills),
                len(juniors),
                Counter(skill for p in seniors for skill in p.skills),
                len(seniors),
            )
        wants = build_wants(person, purpose, focus, lacks)
        targets = target_functions(person, focus)
        network = network_of(person_id, self._neighbours(active), lambda pid: active[pid].function)
        excluded = {person_id} | set(person.mentor_ids) | self._manager_chain(person) | set(exclude)
        weights = resolved[purpose]

        scored = []
        for candidate in self.people_.values():
            if not candidate.active or candidate.id in excluded:
                continue
            if not self._eligible(purpose, person, candidate):
                continue
            components = self._components(
                purpose, person, candidate, wants, targets, network, idf, focus
            )
            if components is None:
                continue
            total = 0.0
            for name in COMPONENTS:
                total += weights[name] * components[name]
            scored.append((_round(total), candidate.id, components))
        scored.sort(key=lambda item: (-item[0], item[1]))
        pool = scored[: max(k, self.pool_factor * k)]
        order = self._diversify(pool, k, diversity)
        return [
            Recommendation(
                person_id=pool[j][1],
                score=pool[j][0],
                components=pool[j][2],
                reasons=explain(purpose, person, self.people_[pool[j][1]], wants, targets, network),
            )
            for j in order
        ]

    def _components(
        self,
        purpose: str,
        person: Person,
        candidate: Person,
        wants: Mapping[str, Want],
        targets: Mapping[str, tuple[str, ...]],
        network: Network,
        idf,
        focus: GoalFocus | None,
    ) -> dict[str, float] | None:
        names = sorted(wants)
        goal_names = [skill for skill in names if wants[skill].in_goal]
        goal_total = sum(idf(skill) for skill in goal_names)
        if purpose == "cross_functional":
            profile = sorted(set(person.skills) | set(wants))
            weight = {
                skill: max(
                    person.skills.get(skill, 0) / MAX_SKILL_LEVEL,
                    wants[skill].weight if skill in wants else 0.0,
                )
                * idf(skill)
                for skill in profile
            }
            own_norm = math.sqrt(sum(value * value for value in weight.values()))
            their_norm = math.sqrt(
                sum((level * idf(skill)) ** 2 for skill, level in candidate.skills.items())
            )
            dot = 0.0
            for skill in profile:
                if skill in candidate.skills:
                    dot += weight[skill] * idf(skill) * candidate.skills[skill]
            skill_fit = dot / (own_norm * their_norm) if dot > 0 else 0.0
            in_target = candidate.function in targets
            coverage = 0.0
            for skill in goal_names:
                coverage += idf(skill) / goal_total * candidate.skills.get(skill, 0) / 5
            parts = ([1.0 if in_target else 0.0] if targets else []) + (
                [coverage] if goal_names else []
            )
            goal = sum(parts) / len(parts) if parts else 0.0
            if skill_fit <= 0 and not in_target:
                return None
            gap = abs(candidate.level - person.level)
        else:
            total = sum(wants[skill].weight * idf(skill) for skill in names)
            skill_fit, goal = 0.0, 0.0
            for skill in names:
                step = _gap(candidate.skills.get(skill, 0), person.skills.get(skill, 0))
                if step > 0:
                    skill_fit += wants[skill].weight * idf(skill) / total * step
                    if wants[skill].in_goal:
                        goal += idf(skill) / goal_total * step
            if skill_fit <= 0:
                return None
            gap = candidate.level - person.level
            gap = gap if purpose == "mentor" else -gap

        tags = jaccard(person.perspectives, candidate.perspectives)
        tag_distance = 1.0 - tags if person.perspectives | candidate.perspectives else 0.0
        perspective = (
            PERSPECTIVE_WEIGHTS["function"] * (candidate.function != person.function)
            + PERSPECTIVE_WEIGHTS["division"] * (candidate.division != person.division)
            + PERSPECTIVE_WEIGHTS["location"] * (candidate.location != person.location)
            + PERSPECTIVE_WEIGHTS["perspectives"] * tag_distance
        )
        novelty = CLOSENESS_WEIGHT * (
            1.0 - network.closeness(candidate.id)
        ) + FUNCTION_NOVELTY_WEIGHT * (1.0 - network.function_share.get(candidate.function, 0.0))
        theirs = candidate_wants(candidate)
        their_total = math.fsum(PRIORITY_WEIGHTS[code] for code in theirs.values())
        mutual = 0.0
        for skill in sorted(theirs):
            step = _gap(person.skills.get(skill, 0), candidate.skills.get(skill, 0))
            if step > 0:
                mutual += PRIORITY_WEIGHTS[theirs[skill]] * step / their_total
        if purpose == "mentor":
            availability = (
                candidate.mentor_capacity - candidate.active_mentees
            ) / candidate.mentor_capacity
        else:
            availability = 1.0 / (1.0 + MENTEE_LOAD * candidate.active_mentees)
        return {
            "skill_fit": skill_fit,
            "goal_alignment": goal,
            "seniority_fit": SENIORITY_FIT[purpose][gap],
            "perspective_diversity": perspective,
            "network_novelty": novelty,
            "mutual_benefit": mutual,
            "availability": availability,
        }

    def _diversify(self, pool, k: int, diversity: float) -> list[int]:
        size = min(k, len(pool))
        if diversity == 0:
            return list(range(size))
        people = [self.people_[pid] for _, pid, _ in pool]

        def similarity(a: Person, b: Person) -> float:
            return (
                SIMILARITY_WEIGHTS["function"] * (a.function == b.function)
                + SIMILARITY_WEIGHTS["division"] * (a.division == b.division)
                + SIMILARITY_WEIGHTS["location"] * (a.location == b.location)
                + SIMILARITY_WEIGHTS["perspectives"] * jaccard(a.perspectives, b.perspectives)
            )

        taken: list[int] = []
        nearest = [0.0] * len(pool)
        for _ in range(size):
            best, best_value = -1, -math.inf
            for j, (score, _, _) in enumerate(pool):
                if j in taken:
                    continue
                value = (1.0 - diversity) * score - diversity * nearest[j]
                if value > best_value:
                    best, best_value = j, value
            taken.append(best)
            for j in range(len(pool)):
                nearest[j] = max(nearest[j], similarity(people[best], people[j]))
        return taken
