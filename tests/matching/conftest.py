"""Fixtures of the matching tests: hypothesis strategies of random companies, and builders.

Strategies are handed out by session-scoped fixtures (drawn inside tests with ``st.data()``),
so the test modules import nothing from each other and work under any pytest import mode.
"""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from matching import Goal, Person

FUNCTIONS = ("engineering", "product", "sales", "marketing")
DIVISIONS = ("payments", "platform", "growth")
LOCATIONS = ("berlin", "lisbon")
SKILLS = ("kubernetes", "rust", "python", "sql", "pricing", "negotiation", "figma", "go")
TAGS = ("career-changer", "phd", "bootcamp", "ex-startup")
# An id that is never in the company: ties and managers may point outside the directory.
GHOST = "ghost"

_strength = st.sampled_from([0.0, 0.2, 0.5, 1.0])
_goal = st.builds(
    Goal,
    title=st.sampled_from(["Modernise billing", "Launch pricing", "Grow as a lead"]),
    skills=st.frozensets(st.sampled_from(SKILLS), max_size=2),
    functions=st.frozensets(st.sampled_from(FUNCTIONS), max_size=2),
)


@st.composite
def _person(draw, person_id: str, ids: list[str]) -> Person:
    others = st.sampled_from([*ids, GHOST])
    return Person(
        id=person_id,
        function=draw(st.sampled_from(FUNCTIONS)),
        level=draw(st.integers(1, 8)),
        division=draw(st.sampled_from(DIVISIONS)),
        location=draw(st.sampled_from(LOCATIONS)),
        skills=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=5)),
        learning=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=4)),
        perspectives=draw(st.frozensets(st.sampled_from(TAGS), max_size=3)),
        manager_id=draw(st.none() | others),
        # Biased towards available mentors, or most mentor lists would be empty.
        open_to_mentor=draw(st.sampled_from([True, True, False])),
        mentor_capacity=draw(st.integers(0, 3)),
        active_mentees=draw(st.sampled_from([0, 0, 0, 1, 2, 3])),
        open_to_reverse_mentor=draw(st.booleans()),
        active=draw(st.sampled_from([True, True, True, False])),
        ties=draw(st.dictionaries(others, _strength, max_size=4)),
        mentor_ids=draw(st.frozensets(others, max_size=1)),
        goals=tuple(draw(st.lists(_goal, max_size=2))),
    )


@st.composite
def _company(draw, min_people: int = 3, max_people: int = 14) -> list[Person]:
    ids = [f"p{i}" for i in range(draw(st.integers(min_people, max_people)))]
    return [draw(_person(person_id, ids)) for person_id in ids]


@st.composite
def _history(draw):
    """A starting company and a sequence of upserts (new records, new people) and removes."""
    ids = [f"p{i}" for i in range(draw(st.integers(2, 14)))]
    versions = [draw(_person(person_id, ids)) for person_id in ids]
    start = [person for person in versions if draw(st.booleans())]
    steps = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("remove"), st.sampled_from(ids)),
                st.tuples(
                    st.just("upsert"),
                    st.sampled_from(ids).flatmap(lambda person_id: _person(person_id, ids)),
                ),
            ),
            min_size=1,
            max_size=20,
        )
    )
    return start, steps


def _manager_chain(people: dict[str, Person], person: Person) -> set[str]:
    """Everyone above the person, walked independently of the engines."""
    chain, manager_id = set(), person.manager_id
    while manager_id is not None and manager_id not in chain and manager_id != person.id:
        chain.add(manager_id)
        manager_id = people[manager_id].manager_id if manager_id in people else None
    return chain


def _breaches(people: dict[str, Person], person: Person, purpose: str, found) -> list[str]:
    """Every hard rule a list of recommendations breaks, described; empty when none."""
    out = []
    wanted = set(person.learning) | {skill for goal in person.goals for skill in goal.skills}
    targets = {function for goal in person.goals for function in goal.functions}
    chain = _manager_chain(people, person)
    ids = [item.person_id for item in found]
    if len(set(ids)) != len(ids):
        out.append("someone appears twice")
    for item in found:
        them = people[item.person_id]
        if them.id == person.id:
            out.append("recommended the person to themself")
        if not them.active:
            out.append(f"{them.id} is inactive")
        if them.id in chain:
            out.append(f"{them.id} is in the manager chain")
        if them.id in person.mentor_ids:
            out.append(f"{them.id} is already a mentor")
        teaches = {s for s, level in them.skills.items() if level > person.skills.get(s, 0)}
        if purpose == "mentor":
            if them.level <= person.level:
                out.append(f"mentor {them.id} is not more senior")
            if not them.open_to_mentor:
                out.append(f"mentor {them.id} is not open to mentoring")
            if them.active_mentees >= them.mentor_capacity:
                out.append(f"mentor {them.id} is at capacity")
            if not teaches & wanted:
                out.append(f"mentor {them.id} teaches nothing wanted")
        elif purpose == "reverse_mentor":
            if them.level >= person.level:
                out.append(f"reverse mentor {them.id} is not more junior")
            if not them.open_to_reverse_mentor:
                out.append(f"reverse mentor {them.id} is not open to it")
            lacked = {s for s in teaches if s not in person.skills}
            if not teaches & wanted and not lacked:
                out.append(f"reverse mentor {them.id} teaches nothing wanted or lacked")
        else:
            if them.function == person.function:
                out.append(f"cross-functional {them.id} is in the same function")
            profile = set(person.skills) | wanted
            if them.function not in targets and not set(them.skills) & profile:
                out.append(f"cross-functional {them.id} shares nothing with the person")
    return out


@pytest.fixture(scope="session")
def breaches():
    """``breaches(people_by_id, person, purpose, found)``: the hard rules a list breaks."""
    return _breaches


@pytest.fixture(scope="session")
def companies():
    """Strategy: a random company (3–14 people) with ties, managers and goals that interlock."""
    return _company()


@pytest.fixture(scope="session")
def histories():
    """Strategy: ``(starting people, [("upsert", Person) | ("remove", id), ...])``."""
    return _history()


@pytest.fixture(scope="session")
def person():
    """Build a Person with sensible defaults: ``person("p1", level=5, skills={...})``."""

    def build(person_id: str, **fields) -> Person:
        fields.setdefault("function", "engineering")
        fields.setdefault("level", 3)
        return Person(id=person_id, **fields)

    return build
