"""Plain records the engine reads and returns: a person, a goal, a recommendation."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

MIN_LEVEL, MAX_LEVEL = 1, 8
MIN_SKILL_LEVEL, MAX_SKILL_LEVEL = 1, 5
MIN_PRIORITY, MAX_PRIORITY = 1, 3


def _integer(name: str, value: object, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int in [low, high], or raise ValueError naming the field."""
    if type(value) is not int:
        # bool is an Integral, but True as a level is a caller's bug, not a level of 1.
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        value = int(value)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def _graded(name: str, grades: Mapping[str, object], low: int, high: int) -> dict[str, int]:
    """Copy ``{skill: level or priority}``, checking names and the range of every value."""
    out = {}
    for skill, value in grades.items():
        # The common case (a plain int in range) is checked inline: records are built by the
        # million in a benchmark, and by the thousand on every directory sync.
        if type(value) is not int or not low <= value <= high:
            value = _integer(f"{name} of skill {skill!r}", value, low, high)
        if type(skill) is not str or not skill:
            _name("skill", skill)
        out[skill] = value
    return out


def _name(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def _names(name: str, values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise ValueError(f"{name} must be a collection of strings, not one string")
    out = frozenset(values)
    for value in out:
        if type(value) is not str or not value:
            _name(name, value)
    return out


@dataclass(frozen=True, slots=True)
class Goal:
    """One active goal of a person: its title and the skills and functions it targets."""

    title: str
    skills: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _name("goal title", self.title)
        object.__setattr__(self, "skills", _names("goal skills", self.skills))
        object.__setattr__(self, "functions", _names("goal functions", self.functions))


@dataclass(frozen=True, slots=True)
class Person:
    """What the engine knows of one person; skill names arrive canonical (lowercase).

    ``skills`` maps a skill to the level held (1–5); ``learning`` maps a skill to its priority
    (1 = highest, 3 = lowest); ``ties`` maps another person's id to the strength of the
    relationship in [0, 1]; ``mentor_ids`` are the person's current mentors; ``goals`` are the
    person's *active* goals (the caller leaves achieved and abandoned ones out).
    ``active_mentees`` is the number of mentorships the person currently gives.
    Mappings are copied into read-only views, so a record never changes once built.
    """

    id: str
    function: str
    level: int
    division: str = ""
    location: str = ""
    team: str = ""
    skills: Mapping[str, int] = field(default_factory=dict)
    learning: Mapping[str, int] = field(default_factory=dict)
    perspectives: frozenset[str] = frozenset()
    manager_id: str | None = None
    open_to_mentor: bool = False
    mentor_capacity: int = 0
    active_mentees: int = 0
    open_to_reverse_mentor: bool = False
    seeking_mentor: bool = False
    active: bool = True
    ties: Mapping[str, float] = field(default_factory=dict)
    mentor_ids: frozenset[str] = frozenset()
    goals: tuple[Goal, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        _name("id", self.id)
        _name("function", self.function)
        set_(self, "level", _integer("level", self.level, MIN_LEVEL, MAX_LEVEL))
        for name in ("division", "location", "team"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string")
        skills = _graded("level", self.skills, MIN_SKILL_LEVEL, MAX_SKILL_LEVEL)
        learning = _graded("priority", self.learning, MIN_PRIORITY, MAX_PRIORITY)
        ties = {}
        for other, strength in self.ties.items():
            if type(other) is not str or not other:
                _name("tie", other)
            if type(strength) is not float and (
                isinstance(strength, bool) or not isinstance(strength, numbers.Real)
            ):
                raise ValueError(f"tie strength to {other!r} must be a number")
            value = float(strength)
            if not (0.0 <= value <= 1.0):  # also rejects NaN
                raise ValueError(f"tie strength to {other!r} must be in [0, 1], got {strength!r}")
            ties[other] = value
        set_(self, "skills", MappingProxyType(skills))
        set_(self, "learning", MappingProxyType(learning))
        set_(self, "ties", MappingProxyType(ties))
        set_(self, "perspectives", _names("perspectives", self.perspectives))
        set_(self, "mentor_ids", _names("mentor_ids", self.mentor_ids))
        if self.manager_id is not None:
            _name("manager_id", self.manager_id)
        set_(self, "mentor_capacity", _integer("mentor_capacity", self.mentor_capacity, 0))
        set_(self, "active_mentees", _integer("active_mentees", self.active_mentees, 0))
        for name in ("open_to_mentor", "open_to_reverse_mentor", "seeking_mentor", "active"):
            set_(self, name, bool(getattr(self, name)))
        goals = tuple(self.goals)
        if not all(isinstance(goal, Goal) for goal in goals):
            raise ValueError("goals must be Goal records")
        set_(self, "goals", goals)

    # Equal records have equal ids, so the id is a sound hash (the mappings are unhashable).
    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One person to meet: the score in [0, 1], its components and reasons a person can read."""

    person_id: str
    score: float
    components: dict[str, float]
    reasons: list[str]

    def __post_init__(self) -> None:
        if not math.isfinite(self.score):
            raise ValueError("score must be finite")
