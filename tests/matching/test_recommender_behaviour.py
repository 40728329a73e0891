"""Behaviour every matching engine must have, written once and run against each engine.

In the manner of implicit's ``recommender_base_test.py``: ``RecommenderBehaviour`` holds the
tests, and each ``Test…`` class at the bottom says how to build its engine.
"""

from __future__ import annotations

import math
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import (
    COMPONENTS,
    PURPOSES,
    Goal,
    MatchIndex,
    Person,
    Recommender,
    ReferenceMatcher,
    UnknownPersonError,
)
from matching.base import resolve_weights

# The mixin runs each property once per engine class; hypothesis flags that as "differing
# executors", which is exactly the intent here, so that one health check is switched off.
PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)


def constructed_diversity_case(person) -> list[Person]:
    """Six strong mentors in one function and division, four slightly weaker elsewhere."""
    mentee = person("mentee", level=2, learning={"kubernetes": 1}, division="platform")
    same = [
        person(
            f"same{i}",
            level=5,
            skills={"kubernetes": 5},
            division="platform",
            location="berlin",
            open_to_mentor=True,
            mentor_capacity=2,
        )
        for i in range(6)
    ]
    elsewhere = [
        person(
            f"else{i}",
            level=5,
            function=function,
            skills={"kubernetes": 4},
            division=division,
            location="lisbon",
            open_to_mentor=True,
            mentor_capacity=2,
        )
        for i, (function, division) in enumerate(
            [("data", "growth"), ("product", "payments"), ("operations", "retail"), ("data", "ads")]
        )
    ]
    return [mentee, *same, *elsewhere]


class RecommenderBehaviour:
    """Properties any recommender must satisfy. Subclasses implement ``make``."""

    def make(self) -> Recommender:
        """A new, unfitted engine."""
        raise NotImplementedError

    # ---------------------------------------------------------------- hard rules and shape

    @PROPERTY
    @given(data=st.data())
    def test_hard_rules_are_never_broken(self, data, companies, breaches):
        people = data.draw(companies)
        by_id = {p.id: p for p in people}
        engine = self.make().fit(people)
        for person in data.draw(st.lists(st.sampled_from(people), max_size=3)):
            for purpose in PURPOSES:
                k = data.draw(st.integers(1, 12))
                diversity = data.draw(st.sampled_from([0.0, 0.3, 0.7, 1.0]))
                found = engine.recommend(person.id, purpose, k=k, diversity=diversity)
                assert len(found) <= k
                assert breaches(by_id, person, purpose, found) == []

    @PROPERTY
    @given(data=st.data())
    def test_scores_are_weighted_sums_of_components_in_unit_interval(self, data, companies):
        people = data.draw(companies)
        engine = self.make().fit(people)
        weights = resolve_weights(None)
        person = data.draw(st.sampled_from(people))
        for purpose in PURPOSES:
            for item in engine.recommend(person.id, purpose, k=20):
                assert set(item.components) == set(COMPONENTS)
                assert all(0.0 <= value <= 1.0 for value in item.components.values())
                total = math.fsum(weights[purpose][c] * v for c, v in item.components.items())
                assert item.score == pytest.approx(total, abs=1e-9)
                assert item.reasons

    @PROPERTY
    @given(data=st.data())
    def test_at_diversity_zero_the_list_is_the_best_scores_then_ids(self, data, companies):
        people = data.draw(companies)
        engine = self.make().fit(people)
        person = data.draw(st.sampled_from(people))
        for purpose in PURPOSES:
            everyone = engine.recommend(person.id, purpose, k=len(people), diversity=0.0)
            keys = [(-item.score, item.person_id) for item in everyone]
            assert keys == sorted(keys)
            top = engine.recommend(person.id, purpose, k=3, diversity=0.0)
            assert [item.person_id for item in top] == [item.person_id for item in everyone[:3]]

    @PROPERTY
    @given(data=st.data())
    def test_results_do_not_depend_on_the_order_people_arrive_in(self, data, companies):
        people = data.draw(companies)
        shuffled = data.draw(st.permutations(people))
        first, second = self.make().fit(people), self.make().fit(shuffled)
        person = data.draw(st.sampled_from(people))
        for purpose in PURPOSES:
            a = first.recommend(person.id, purpose, k=8, diversity=0.5)
            b = second.recommend(person.id, purpose, k=8, diversity=0.5)
            assert [(x.person_id, x.reasons) for x in a] == [(x.person_id, x.reasons) for x in b]
            assert [x.score for x in a] == pytest.approx([x.score for x in b], abs=1e-9)

    # ---------------------------------------------------------------- incremental updates

    def updatable(self) -> list[Recommender]:
        """Engines to put through update histories (an engine may have several update paths)."""
        return [self.make()]

    @settings(PROPERTY, max_examples=25)
    @given(data=st.data())
    def test_incremental_updates_equal_a_fresh_fit(self, data, histories):
        start, steps = data.draw(histories)
        diversity = data.draw(st.sampled_from([0.0, 0.3, 0.7]))
        for engine in self.updatable():
            engine.fit(start)
            current = {p.id: p for p in start}
            for action, subject in steps:
                if action == "upsert":
                    engine.upsert(subject)
                    current[subject.id] = subject
                elif subject in current:
                    engine.remove(subject)
                    del current[subject]
                else:
                    with pytest.raises(UnknownPersonError):
                        engine.remove(subject)
            fresh = self.make().fit(current.values())
            for person_id in current:
                for purpose in PURPOSES:
                    a = engine.recommend(person_id, purpose, k=6, diversity=diversity)
                    b = fresh.recommend(person_id, purpose, k=6, diversity=diversity)
                    assert [x.person_id for x in a] == [x.person_id for x in b]
                    assert [x.score for x in a] == pytest.approx([x.score for x in b], abs=1e-9)
                    assert [x.reasons for x in a] == [x.reasons for x in b]
            for gone in {subject for action, subject in steps if action == "remove"} - set(current):
                with pytest.raises(UnknownPersonError):
                    engine.recommend(gone)

    def test_an_inactive_person_is_a_subject_but_never_a_candidate(self, person):
        mentee = person("mentee", level=2, learning={"rust": 1})
        mentor = person(
            "mentor", level=5, skills={"rust": 5}, open_to_mentor=True, mentor_capacity=1
        )
        engine = self.make().fit([mentee, mentor])
        assert [r.person_id for r in engine.recommend("mentee")] == ["mentor"]
        engine.upsert(Person(**{**_fields(mentor), "active": False}))
        assert engine.recommend("mentee") == []
        engine.upsert(Person(**{**_fields(mentee), "active": False}))
        assert engine.recommend("mentee") == []
        engine.upsert(mentor)
        assert [r.person_id for r in engine.recommend("mentee")] == ["mentor"]

    # ---------------------------------------------------------------- explanations

    @PROPERTY
    @given(data=st.data())
    def test_reasons_name_real_evidence(self, data, companies):
        people = data.draw(companies)
        by_id = {p.id: p for p in people}
        engine = self.make().fit(people)
        person = data.draw(st.sampled_from(people))
        wanted = set(person.learning) | {s for goal in person.goals for s in goal.skills}
        for purpose in PURPOSES:
            for item in engine.recommend(person.id, purpose, k=5):
                them = by_id[item.person_id]
                text = " | ".join(item.reasons)
                quoted = re.findall(r"(?:teaches|works with|knows) ([\w-]+) \(level (\d)", text)
                quoted += re.findall(r"([\w-]+) \(level (\d)\)", text)
                for skill, level in quoted:
                    assert them.skills.get(skill) == int(level), text
                if purpose == "cross_functional":
                    assert quoted or f"works in {them.function}" in text, text
                    continue
                taught = re.findall(r"teaches ([\w-]+) \(level (\d)", text)
                assert taught, text
                for skill, level in taught:
                    assert int(level) > person.skills.get(skill, 0)
                    assert skill in wanted or skill not in person.skills
                assert f"level {them.level}" in text

    def test_reasons_quote_the_goal_the_network_and_what_is_taught_back(self, person):
        mentee = person(
            "mentee",
            level=3,
            skills={"rust": 4},
            learning={"kubernetes": 1},
            goals=(Goal("Modernise billing", frozenset({"kubernetes"})),),
            ties={"peer": 0.8},
        )
        peer = person("peer", level=3)
        mentor = person(
            "mentor",
            level=5,
            skills={"kubernetes": 5},
            learning={"rust": 2},
            open_to_mentor=True,
            mentor_capacity=2,
        )
        marketer = person("marketer", function="marketing", level=3, skills={"rust": 2})
        engine = self.make().fit([mentee, peer, mentor, marketer])
        [found] = engine.recommend("mentee", "mentor")
        assert found.reasons[0] == (
            "teaches kubernetes (level 5) — on your learning list (priority 1) "
            "and on your goal 'Modernise billing'"
        )
        assert "level 5, 2 levels above you" in found.reasons
        assert "you can teach them rust in return" in found.reasons
        assert "has 2 of 2 mentoring slots free" in found.reasons
        [contact] = engine.recommend("mentee", "cross_functional")
        assert contact.person_id == "marketer"
        assert "works in marketing, a function you have no ties with" in contact.reasons
        assert "shares skills with you: rust (level 2)" in contact.reasons

    # ---------------------------------------------------------------- purposes and goals

    def test_reverse_mentoring_finds_what_the_senior_lacks(self, person):
        staff = person("staff", level=7, skills={"java": 5})
        juniors = [
            person(f"junior{i}", level=2, skills={"rust": 4}, open_to_reverse_mentor=True)
            for i in range(3)
        ] + [person("junior3", level=2, skills={"java": 2}, open_to_reverse_mentor=True)]
        engine = self.make().fit([staff, *juniors])
        found = engine.recommend("staff", "reverse_mentor")
        assert {r.person_id for r in found} == {"junior0", "junior1", "junior2"}
        assert found[0].reasons[0] == (
            "teaches rust (level 4) — new with the more junior people in engineering: "
            "75% of them hold it, you don't"
        )
        # Focused on a goal, the query looks for that goal's skills only.
        assert engine.recommend("staff", "reverse_mentor", goal_skills={"go": ["Try go"]}) == []

    def test_a_goal_focus_replaces_the_learning_list(self, person):
        mentee = person("mentee", level=2, learning={"rust": 1, "sql": 1})
        rust = person("rust", level=4, skills={"rust": 5}, open_to_mentor=True, mentor_capacity=1)
        sql = person("sql", level=4, skills={"sql": 5}, open_to_mentor=True, mentor_capacity=1)
        engine = self.make().fit([mentee, rust, sql])
        assert {r.person_id for r in engine.recommend("mentee")} == {"rust", "sql"}
        [only] = engine.recommend("mentee", goal_skills={"sql": ["Own the warehouse"]})
        assert only.person_id == "sql"
        assert "on your goal 'Own the warehouse'" in only.reasons[0]
        assert only.components["goal_alignment"] == pytest.approx(1.0)
        assert engine.recommend("mentee", goal_skills=["sql"])[0].person_id == "sql"

    def test_cross_functional_contacts_come_from_target_functions(self, person):
        engineer = person(
            "engineer",
            level=4,
            skills={"python": 4},
            goals=(Goal("Price the API", frozenset({"pricing"}), frozenset({"sales"})),),
        )
        seller = person("seller", function="sales", level=4)  # no shared skill, but targeted
        pricer = person("pricer", function="sales", level=4, skills={"pricing": 5})
        stranger = person("stranger", function="legal", level=4)  # nothing in common
        colleague = person("colleague", level=4, skills={"pricing": 5})  # same function
        engine = self.make().fit([engineer, seller, pricer, stranger, colleague])
        found = engine.recommend("engineer", "cross_functional")
        assert [r.person_id for r in found] == ["pricer", "seller"]
        assert "works in sales, a function your goal 'Price the API' targets" in found[0].reasons
        focused = engine.recommend("engineer", "cross_functional", goal_functions={"legal": []})
        assert [r.person_id for r in focused] == ["stranger"]

    def test_the_manager_chain_mentors_and_full_mentors_are_excluded(self, person):
        mentee = person(
            "mentee", level=2, learning={"go": 1}, manager_id="lead", mentor_ids={"old"}
        )
        common = {"skills": {"go": 5}, "open_to_mentor": True, "mentor_capacity": 2}
        people = [
            mentee,
            person("lead", level=5, manager_id="director", **common),
            person("director", level=7, **common),
            person("old", level=5, **common),
            person("full", level=5, active_mentees=2, **common),
            person("free", level=5, active_mentees=1, **common),
        ]
        engine = self.make().fit(people)
        assert [r.person_id for r in engine.recommend("mentee")] == ["free"]

    def test_a_list_is_shorter_than_k_rather_than_padded(self, person):
        mentee = person("mentee", level=2, learning={"go": 1})
        people = [mentee] + [
            person(f"m{i}", level=5, skills={"go": i + 1}, open_to_mentor=True, mentor_capacity=1)
            for i in range(5)
        ]
        people.append(person("idle", level=6, open_to_mentor=True, mentor_capacity=3))
        engine = self.make().fit(people)
        assert len(engine.recommend("mentee", k=10)) == 5

    # ---------------------------------------------------------------- diversity

    def test_diversity_widens_the_list_on_a_constructed_case(self, person):
        engine = self.make().fit(constructed_diversity_case(person))
        people = {p.id: p for p in constructed_diversity_case(person)}

        def spread(diversity):
            found = engine.recommend("mentee", k=5, diversity=diversity)
            return (
                len({people[r.person_id].function for r in found}),
                len({people[r.person_id].division for r in found}),
            )

        assert spread(0.0) == (1, 1)
        assert spread(0.7)[0] > 1 and spread(0.7)[1] > 1

    def test_diversity_widens_lists_across_a_random_company(self):
        rng = random.Random(7)
        people = []
        for i in range(160):
            people.append(
                Person(
                    id=f"p{i}",
                    function=rng.choice(["engineering"] * 3 + ["data", "product", "sales"]),
                    level=rng.randint(1, 8),
                    division=rng.choice(["a", "b", "c", "d", "e"]),
                    location=rng.choice(["x", "y"]),
                    skills={s: rng.randint(1, 5) for s in rng.sample("abcdefghijkl", 4)},
                    learning={s: rng.randint(1, 3) for s in rng.sample("abcdefghijkl", 3)},
                    open_to_mentor=rng.random() < 0.6,
                    mentor_capacity=3,
                    open_to_reverse_mentor=rng.random() < 0.6,
                )
            )
        by_id = {p.id: p for p in people}
        engine = self.make().fit(people)
        spread = {0.0: 0, 0.7: 0}
        for subject in people[:40]:
            for purpose in PURPOSES:
                for diversity in spread:
                    found = engine.recommend(subject.id, purpose, k=8, diversity=diversity)
                    spread[diversity] += len({by_id[r.person_id].function for r in found})
                    spread[diversity] += len({by_id[r.person_id].division for r in found})
        assert spread[0.7] > spread[0.0]

    # ---------------------------------------------------------------- validation

    @pytest.mark.parametrize(
        "arguments",
        [
            {"purpose": "boss"},
            {"purpose": None},
            {"k": 0},
            {"k": -1},
            {"k": 1.5},
            {"k": True},
            {"k": 1001},
            {"diversity": -0.1},
            {"diversity": 1.01},
            {"diversity": math.nan},
            {"diversity": "0.3"},
            {"diversity": True},
            {"goal_skills": "kubernetes"},
            {"goal_skills": {"kubernetes": [""]}},
            {"goal_skills": {"kubernetes": 5}},
            {"goal_functions": {"": []}},
        ],
    )
    def test_invalid_arguments_raise_value_error(self, person, arguments):
        engine = self.make().fit([person("p1")])
        with pytest.raises(ValueError):
            engine.recommend("p1", **arguments)

    def test_an_unknown_person_raises_key_error(self, person):
        engine = self.make().fit([person("p1")])
        with pytest.raises(KeyError):
            engine.recommend("nobody")
        with pytest.raises(UnknownPersonError):
            engine.remove("nobody")
        with pytest.raises(UnknownPersonError):
            self.make().recommend("p1")

    def test_fit_rejects_duplicate_ids(self, person):
        with pytest.raises(ValueError):
            self.make().fit([person("p1"), person("p1")])

    @PROPERTY
    @given(data=st.data())
    def test_excluded_people_are_never_listed_and_the_rest_keep_their_order(self, data, companies):
        people = data.draw(companies)
        engine = self.make().fit(people)
        subject = data.draw(st.sampled_from(people))
        for purpose in PURPOSES:
            full = [r.person_id for r in engine.recommend(subject.id, purpose, k=50, diversity=0.0)]
            dismissed = set(data.draw(st.lists(st.sampled_from([p.id for p in people]))))
            found = engine.recommend(subject.id, purpose, k=50, diversity=0.0, exclude=dismissed)
            assert [r.person_id for r in found] == [i for i in full if i not in dismissed]

    @PROPERTY
    @given(data=st.data())
    def test_weights_given_to_a_query_act_as_an_engine_built_with_them(self, data, companies):
        people = data.draw(companies)
        values = st.floats(min_value=0.01, max_value=1.0)
        weights = {purpose: {c: data.draw(values) for c in COMPONENTS} for purpose in PURPOSES}
        default, tuned = self.make().fit(people), type(self.make())(weights=weights).fit(people)
        subject = data.draw(st.sampled_from(people))
        for purpose in PURPOSES:
            asked = default.recommend(subject.id, purpose, k=20, weights=weights)
            built = tuned.recommend(subject.id, purpose, k=20)
            assert [(r.person_id, r.score) for r in asked] == [
                (r.person_id, r.score) for r in built
            ]


def _fields(record: Person) -> dict:
    return {name: getattr(record, name) for name in Person.__dataclass_fields__}


class TestMatchIndex(RecommenderBehaviour):
    """The fast index. Updates are checked on both of its paths: with the changes living in
    the update tail (defaults, for a company this small), and with the tail folded back into
    the CSC base every few updates."""

    def make(self) -> Recommender:
        return MatchIndex()

    def updatable(self) -> list[Recommender]:
        return [MatchIndex(), MatchIndex(compaction_ratio=0.1, compaction_min_entries=6)]


class TestReferenceMatcher(RecommenderBehaviour):
    """The pair-by-pair oracle must keep the same promises."""

    def make(self) -> Recommender:
        return ReferenceMatcher()
