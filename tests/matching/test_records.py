"""Records are plain, immutable and checked when built."""

from __future__ import annotations

import dataclasses
import math

import pytest

from matching import Goal, Person


def test_a_person_is_immutable_and_hashable_by_id():
    person = Person(id="p1", function="sales", level=3, skills={"sql": 2}, ties={"p2": 0.5})
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.level = 4
    with pytest.raises(TypeError):
        person.skills["sql"] = 5
    same = Person(id="p1", function="sales", level=3, skills={"sql": 2}, ties={"p2": 0.5})
    assert person == same and hash(person) == hash(same)
    assert {person, same} == {person}


def test_collections_are_normalised():
    person = Person(
        id="p1",
        function="sales",
        level=3,
        perspectives=["phd", "phd"],
        mentor_ids=["p2"],
        goals=[Goal("Sell more", ["pricing"], ["product"])],
    )
    assert person.perspectives == frozenset({"phd"})
    assert person.mentor_ids == frozenset({"p2"})
    assert person.goals == (Goal("Sell more", frozenset({"pricing"}), frozenset({"product"})),)


@pytest.mark.parametrize(
    "fields",
    [
        {"id": ""},
        {"function": ""},
        {"level": 0},
        {"level": 9},
        {"level": True},
        {"level": 2.5},
        {"skills": {"sql": 0}},
        {"skills": {"sql": 6}},
        {"skills": {"": 3}},
        {"learning": {"sql": 4}},
        {"ties": {"p2": 1.5}},
        {"ties": {"p2": math.nan}},
        {"ties": {"p2": "0.5"}},
        {"mentor_capacity": -1},
        {"active_mentees": -1},
        {"perspectives": "phd"},
        {"goals": ("Sell more",)},
        {"division": None},
    ],
)
def test_invalid_fields_raise_value_error(fields):
    base = {"id": "p1", "function": "sales", "level": 3}
    with pytest.raises(ValueError):
        Person(**{**base, **fields})


def test_a_goal_needs_a_title():
    with pytest.raises(ValueError):
        Goal("")
