"""The contract every matching engine keeps, and the checks of a query's arguments."""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Self

from .records import Person, Recommendation
from .scoring import COMPONENTS, DEFAULT_WEIGHTS, MAX_K, PURPOSES, GoalFocus


class UnknownPersonError(KeyError):
    """The person id is not in the index."""

    def __init__(self, person_id: str) -> None:
        super().__init__(person_id)
        self.person_id = person_id

    def __str__(self) -> str:
        return f"unknown person {self.person_id!r}"


class Recommender(ABC):
    """Abstract base of a matching engine, in the manner of implicit's ``RecommenderBase``.

    An engine is fitted on people, answers ``recommend`` for one person and one purpose, and
    follows changes through ``upsert`` and ``remove`` without being fitted again.
    """

    @abstractmethod
    def fit(self, people: Iterable[Person]) -> Self:
        """Learn the index from every person of the directory; returns self."""

    @abstractmethod
    def recommend(
        self,
        person_id: str,
        purpose: str = "mentor",
        k: int = 10,
        diversity: float = 0.3,
        goal_skills: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
        goal_functions: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
        *,
        exclude: Iterable[str] = (),
        weights: Mapping[str, Mapping[str, float]] | None = None,
    ) -> list[Recommendation]:
        """Up to ``k`` people for ``person_id`` to meet for ``purpose``, best first.

        ``exclude`` names people never to list (the person's dismissals); ``weights``, when
        given, replace the engine's own weights for this one query (a learnt weight set).
        """

    @abstractmethod
    def upsert(self, person: Person) -> Self:
        """Add a person or replace their record; returns self."""

    @abstractmethod
    def remove(self, person_id: str) -> Self:
        """Forget a person; raises :class:`UnknownPersonError` if absent; returns self."""


def _titled(name: str, value) -> dict[str, tuple[str, ...]]:
    """Read ``{key: goal titles}`` or a plain collection of keys (no titles)."""
    if isinstance(value, str):
        raise ValueError(f"{name} must be a mapping or a collection of names, not a string")
    if isinstance(value, Mapping):
        pairs = value.items()
    elif isinstance(value, Iterable):
        pairs = ((key, ()) for key in value)
    else:
        raise ValueError(f"{name} must be a mapping or a collection of names")
    out: dict[str, tuple[str, ...]] = {}
    for key, titles in pairs:
        if not isinstance(key, str) or not key:
            raise ValueError(f"{name} keys must be non-empty strings, got {key!r}")
        if isinstance(titles, str):
            titles = (titles,)
        elif isinstance(titles, Iterable):
            titles = tuple(titles)
        else:
            raise ValueError(f"goal titles in {name} must be strings or lists of strings")
        if not all(isinstance(title, str) and title for title in titles):
            raise ValueError(f"goal titles in {name} must be non-empty strings")
        out[key] = titles
    return out


def check_query(
    purpose: object,
    k: object,
    diversity: object,
    goal_skills: object = None,
    goal_functions: object = None,
) -> GoalFocus | None:
    """Validate a query's arguments (ValueError if invalid) and return its goal focus, if any."""
    if not isinstance(purpose, str) or purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}; got {purpose!r}")
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= MAX_K:
        raise ValueError(f"k must be an integer between 1 and {MAX_K}; got {k!r}")
    if (
        isinstance(diversity, bool)
        or not isinstance(diversity, numbers.Real)
        or not math.isfinite(diversity)
        or not 0.0 <= diversity <= 1.0
    ):
        raise ValueError(f"diversity must be a number between 0 and 1; got {diversity!r}")
    if goal_skills is None and goal_functions is None:
        return None
    return GoalFocus(
        skills=_titled("goal_skills", goal_skills) if goal_skills is not None else {},
        functions=_titled("goal_functions", goal_functions) if goal_functions is not None else {},
    )


def resolve_weights(
    weights: Mapping[str, Mapping[str, float]] | None,
) -> dict[str, dict[str, float]]:
    """Defaults overridden by ``weights``, checked, and normalised to sum to 1 per purpose."""
    weights = weights or {}
    unknown = set(weights) - set(PURPOSES)
    if unknown:
        raise ValueError(f"weights for unknown purposes: {sorted(unknown)}")
    resolved = {}
    for purpose in PURPOSES:
        merged = dict(DEFAULT_WEIGHTS[purpose])
        override = weights.get(purpose, {})
        if set(override) - set(COMPONENTS):
            raise ValueError(f"unknown components: {sorted(set(override) - set(COMPONENTS))}")
        merged.update(override)
        if not all(
            isinstance(value, numbers.Real) and math.isfinite(value) and value >= 0
            for value in merged.values()
        ):
            raise ValueError(f"weights of {purpose} must be finite and non-negative")
        total = math.fsum(merged.values())
        if total <= 0:
            raise ValueError(f"weights of {purpose} must not all be zero")
        resolved[purpose] = {name: float(merged[name]) / total for name in COMPONENTS}
    return resolved
