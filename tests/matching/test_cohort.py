"""Cohort matching: the batch scorer against the engine, the solvers against independent ones."""

from __future__ import annotations

import importlib
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import MatchIndex
from matching.cohort import (
    BELOW_MINIMUM_SCORE,
    MENTORS_FULL,
    NO_ELIGIBLE_MENTOR,
    Cohort,
    blocking_pairs,
    evaluate,
    gini,
    greedy,
    optimal,
    outcomes,
    solve,
    stable,
)
from matching.cohort_scores import CohortScorer

ORACLES = Path(__file__).resolve().parents[2] / ".venv" / "oracles"


def _load_hospital_resident():
    """The PyPI ``matching`` package's HospitalResident game, loaded beside our ``matching``.

    Both packages are called ``matching``: ours is set aside in ``sys.modules`` while the other
    is imported from its own directory (``make install`` puts it in ``.venv/oracles``).
    """
    if not (ORACLES / "matching").is_dir():
        pytest.fail("the oracle is missing: run `make install` (it installs matching==1.4.3)")
    ours = {k: v for k, v in sys.modules.items() if k == "matching" or k.startswith("matching.")}
    for name in ours:
        del sys.modules[name]
    sys.path.insert(0, str(ORACLES))
    try:
        return importlib.import_module("matching.games").HospitalResident
    finally:
        sys.path.remove(str(ORACLES))
        for name in [k for k in sys.modules if k == "matching" or k.startswith("matching.")]:
            del sys.modules[name]
        sys.modules.update(ours)


HospitalResident = _load_hospital_resident()


# ---------------------------------------------------------------- random cohorts


@st.composite
def cohorts(draw, max_mentees: int = 12, max_mentors: int = 6, pins: bool = False) -> Cohort:
    """A random cohort: strict preferences both sides (scores on a grid, ties included)."""
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    grid = st.integers(0, 20).map(lambda v: v / 20)
    lists = {}
    mentor_scores: dict[str, dict[str, float]] = {f"r{j}": {} for j in range(m)}
    for i in range(n):
        mentors = draw(st.lists(st.integers(0, m - 1), unique=True, max_size=m))
        scored = sorted(((f"r{j}", draw(grid)) for j in mentors), key=lambda x: (-x[1], x[0]))
        lists[f"e{i:02d}"] = scored
        for mentor_id, _ in scored:
            mentor_scores[mentor_id][f"e{i:02d}"] = draw(grid)
    capacity = {f"r{j}": draw(st.integers(1, 3)) for j in range(m)}
    pinned = {}
    if pins:
        room = dict(capacity)
        for mentee_id in draw(st.lists(st.sampled_from(sorted(lists)), unique=True, max_size=3)):
            mentor_id = draw(st.sampled_from(sorted(capacity)))
            if room[mentor_id] > 0:
                room[mentor_id] -= 1
                pinned[mentee_id] = mentor_id
    return Cohort.from_lists(lists, mentor_scores, capacity, pinned)


def _as_dicts(cohort: Cohort):
    mentees = {
        cohort.mentee_ids[i]: [cohort.mentor_ids[j] for j in row if j >= 0]
        for i, row in enumerate(cohort.choices)
    }
    mentors = {
        cohort.mentor_ids[j]: [cohort.mentee_ids[i] for i, _ in cohort.mentor_list(j)]
        for j in range(len(cohort.mentor_ids))
    }
    return mentees, mentors


def _oracle(cohort: Cohort) -> dict[str, str]:
    mentees, mentors = _as_dicts(cohort)
    # The oracle refuses empty lists: such people are unmatched in any matching.
    mentees = {e: listed for e, listed in mentees.items() if listed}
    mentors = {r: listed for r, listed in mentors.items() if listed}
    if not mentees:
        return {}
    capacity = {r: int(cohort.capacity[cohort.mentor_ids.index(r)]) for r in mentors}
    game = HospitalResident.create_from_dictionaries(mentees, mentors, capacity)
    found = game.solve(optimal="resident")
    return {
        resident.name: hospital.name
        for hospital, residents in found.items()
        for resident in residents
    }


def _brute_force_best_total(cohort: Cohort) -> float:
    """The largest total score under capacities, by trying every assignment."""
    options = [[-1] + [k for k, j in enumerate(row) if j >= 0] for row in cohort.choices]
    best = 0.0
    for picks in itertools.product(*options):
        load = np.zeros(len(cohort.mentor_ids), dtype=int)
        total = 0.0
        for i, k in enumerate(picks):
            if k >= 0:
                load[cohort.choices[i, k]] += 1
                total += cohort.scores[i, k]
        if (load <= cohort.capacity).all():
            best = max(best, total)
    return best


def _as_ids(cohort: Cohort, assignment) -> dict[str, str]:
    return {
        cohort.mentee_ids[i]: cohort.mentor_ids[j]
        for i, j in enumerate(assignment.mentor)
        if j >= 0
    }


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- stable


@SETTINGS
@given(cohorts())
def test_stable_equals_the_hospital_resident_oracle(cohort):
    assert _as_ids(cohort, stable(cohort)) == _oracle(cohort)


@SETTINGS
@given(cohorts(pins=True))
def test_stable_has_no_blocking_pair_and_keeps_pins_and_capacities(cohort):
    assignment = stable(cohort)
    assert not blocking_pairs(cohort, assignment).any()
    assert (assignment.load(len(cohort.mentor_ids)) <= cohort.capacity).all()
    for i, j in cohort.pinned.items():
        assert assignment.mentor[i] == j
    for i, j in enumerate(assignment.mentor):
        if j >= 0 and i not in cohort.pinned:
            assert j in cohort.choices[i], "a mentee got a mentor off their list"


def _blocking_by_definition(cohort: Cohort, assignment) -> int:
    """Blocking pairs counted from the definition, pair by pair."""
    mentees, mentors = _as_dicts(cohort)
    got = _as_ids(cohort, assignment)
    pinned = {cohort.mentee_ids[i] for i in cohort.pinned}
    count = 0
    for e, listed in mentees.items():
        if e in pinned:
            continue
        for r in listed:
            if got.get(e) == r:
                break
            held = [x for x, y in got.items() if y == r]
            cap = int(cohort.capacity[cohort.mentor_ids.index(r)])
            movable = [x for x in held if x not in pinned]
            order = mentors[r]
            if len(held) < cap or any(order.index(e) < order.index(x) for x in movable):
                count += 1
    return count


@SETTINGS
@given(cohorts(pins=True), st.sampled_from(["stable", "optimal", "greedy"]))
def test_blocking_pairs_match_their_definition(cohort, method):
    assignment = solve(cohort, method)
    assert blocking_pairs(cohort, assignment).sum() == _blocking_by_definition(cohort, assignment)


# ---------------------------------------------------------------- optimal and greedy


@settings(max_examples=80, deadline=None)
@given(cohorts(max_mentees=6, max_mentors=3, pins=True))
def test_optimal_total_is_the_brute_force_best_and_at_least_greedy(cohort):
    best = optimal(cohort)
    total = evaluate(cohort, best)["total_score"]
    residual = Cohort(
        cohort.mentee_ids,
        cohort.mentor_ids,
        np.where(
            np.isin(np.arange(len(cohort.mentee_ids)), list(cohort.pinned))[:, None],
            -1,
            cohort.choices,
        ),
        cohort.scores,
        cohort.mentor_scores,
        cohort.capacity
        - np.bincount(list(cohort.pinned.values()), minlength=len(cohort.mentor_ids)),
    )
    pinned_total = sum(
        float(cohort.scores[i, list(cohort.choices[i]).index(j)])
        for i, j in cohort.pinned.items()
        if j in cohort.choices[i]
    )
    assert total == pytest.approx(_brute_force_best_total(residual) + pinned_total, abs=1e-6)
    assert total >= evaluate(cohort, greedy(cohort))["total_score"] - 1e-9
    assert evaluate(cohort, best)["capacity_violations"] == 0


def test_greedy_takes_the_best_pair_first():
    cohort = Cohort.from_lists(
        {"a": [("x", 0.9), ("y", 0.8)], "b": [("x", 0.95)]},
        {"x": {"a": 0.5, "b": 0.4}, "y": {"a": 0.5}},
        {"x": 1, "y": 1},
    )
    assert _as_ids(cohort, greedy(cohort)) == {"b": "x", "a": "y"}
    # Stable gives x to a, whom x prefers; b is left without a mentor.
    assert _as_ids(cohort, stable(cohort)) == {"a": "x"}


# ---------------------------------------------------------------- metrics and explanations


def test_gini_of_equal_and_concentrated_loads():
    assert gini(np.array([2, 2, 2])) == 0.0
    assert gini(np.array([0, 0, 3])) == pytest.approx(2 / 3)


def test_outcomes_explain_ranks_and_unmatched_reasons():
    cohort = Cohort.from_lists(
        {
            "ann": [("ava", 0.9), ("ben", 0.5)],
            "bob": [("ava", 0.8), ("ben", 0.7)],
            "cat": [("ava", 0.3)],
            "dan": [],
            "eve": [],
        },
        {"ava": {"ann": 0.2, "bob": 0.9, "cat": 0.1}, "ben": {"ann": 0.5, "bob": 0.5}},
        {"ava": 1, "ben": 1},
    )
    cohort.eligible = np.array([2, 2, 1, 0, 3])
    assignment = stable(cohort)
    told = {cohort.mentee_ids[o.mentee]: o for o in outcomes(cohort, assignment, "stable")}
    assert told["bob"].explanation == "ava was your first choice; they had room."
    assert told["bob"].rank == 1
    assert told["ann"].explanation == (
        "Your first choice, ava, was filled by mentees they could help more; "
        "ben was your 2nd choice and had room."
    )
    assert told["cat"].reason == MENTORS_FULL
    assert told["dan"].reason == NO_ELIGIBLE_MENTOR
    assert told["eve"].reason == BELOW_MINIMUM_SCORE
    metrics = evaluate(cohort, assignment, {"ann": "x", "ava": "y", "bob": "y", "ben": "x"})
    assert metrics["matched"] == 2
    assert metrics["mean_rank"] == 1.5 and metrics["worst_rank"] == 2
    assert metrics["blocking_pairs"] == 0
    assert metrics["cross_division_share"] == 0.0


# ---------------------------------------------------------------- the batch scorer


def _engine_lists(people, purpose, mentee_ids, mentor_ids, scorer):
    """What MatchIndex, one query at a time, says of each mentee and each cohort mentor."""
    index = MatchIndex().fit(people)
    by_id = {p.id: p for p in people}
    out = {}
    for mentee_id in mentee_ids:
        if not by_id[mentee_id].active:
            continue
        found = index.recommend(mentee_id, purpose=purpose, k=1000, diversity=0.0)
        out[mentee_id] = {
            r.person_id: (r.score, r.components)
            for r in found
            if r.person_id in mentor_ids and mentee_id not in scorer._chain(by_id[r.person_id])  # noqa: SLF001
        }
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), purpose=st.sampled_from(["mentor", "reverse_mentor", "cross_functional"]))
def test_batch_scores_equal_the_engine_query_by_query(companies, data, purpose):
    people = data.draw(companies)
    # The engine lists only mentors open to it with room: the cohort's mentors are those.
    if purpose == "mentor":
        pool = [p for p in people if p.open_to_mentor and p.active_mentees < p.mentor_capacity]
    elif purpose == "reverse_mentor":
        pool = [p for p in people if p.open_to_reverse_mentor]
    else:
        pool = list(people)
    mentor_ids = {p.id for p in pool}
    mentee_ids = {p.id for p in people}
    scorer = CohortScorer(purpose, length=50, block=data.draw(st.integers(1, 5))).fit(people)
    prefs = scorer.preferences(mentee_ids, mentor_ids)
    engine = _engine_lists(people, purpose, sorted(mentee_ids), mentor_ids, scorer)
    for i, mentee_id in enumerate(prefs.mentee_ids):
        listed = {
            prefs.mentor_ids[j]: prefs.scores[i, k]
            for k, j in enumerate(prefs.choices[i])
            if j >= 0
        }
        expected = engine.get(mentee_id, {})
        assert set(listed) == set(expected), mentee_id
        for mentor_id, score in listed.items():
            assert score == pytest.approx(expected[mentor_id][0], abs=1e-9)
            value, components, reasons = scorer.pair(mentee_id, mentor_id)
            assert value == pytest.approx(score, abs=1e-9)
            for name, component in components.items():
                assert component == pytest.approx(expected[mentor_id][1][name], abs=1e-9)
            assert reasons
        # Best first, ties by mentor id.
        order = [
            (-listed[prefs.mentor_ids[j]], prefs.mentor_ids[j]) for j in prefs.choices[i] if j >= 0
        ]
        assert order == sorted(order)


def test_lists_are_cut_to_length_and_forbidden_pairs_never_listed(person):
    mentors = [
        person(f"m{j}", level=6, skills={"rust": 1 + j % 5}, open_to_mentor=True, mentor_capacity=2)
        for j in range(8)
    ]
    mentee = person("e0", level=2, learning={"rust": 1})
    scorer = CohortScorer("mentor", length=3).fit([*mentors, mentee])
    prefs = scorer.preferences(["e0"], [m.id for m in mentors], forbidden=[("e0", "m4")])
    listed = [prefs.mentor_ids[j] for j in prefs.choices[0]]
    # rust levels 1–5 repeat; m4 (level 5) is forbidden; m2 and m7 tie at 3: by id.
    assert listed == ["m3", "m2", "m7"]
    assert prefs.eligible[0] == 7
    cut = scorer.preferences(["e0"], [m.id for m in mentors], min_score=0.99)
    assert (cut.choices == -1).all() and cut.eligible[0] == 8


# ---------------------------------------------------------------- intro rounds


@SETTINGS
@given(st.integers(2, 15), st.data())
def test_intro_groups_place_everyone_in_pairs_and_one_trio_when_odd(n, data):
    from matching.cohort import intro_groups

    values = data.draw(st.lists(st.integers(0, 10), min_size=n * n, max_size=n * n))
    score = np.asarray(values, dtype=float).reshape(n, n)
    score = (score + score.T) / 2
    allowed = np.ones((n, n), dtype=bool)
    banned = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n)
    )
    for a, b in banned:
        allowed[a, b] = allowed[b, a] = False
    groups = intro_groups(score, allowed)
    placed = sorted(p for g in groups for p in g)
    assert placed == list(range(n))
    sizes = sorted(len(g) for g in groups)
    assert sizes == [2] * (n // 2) if n % 2 == 0 else sizes == [2] * (n // 2 - 1) + [3]


def test_intro_groups_never_repeat_a_banned_pair_when_others_are_free():
    from matching.cohort import intro_groups

    score = np.ones((4, 4))
    score[0, 1] = score[1, 0] = 9.0  # the best pair, but they met last round
    allowed = np.ones((4, 4), dtype=bool)
    allowed[0, 1] = allowed[1, 0] = False
    groups = intro_groups(score, allowed)
    assert sorted(len(g) for g in groups) == [2, 2]
    assert all(set(g) != {0, 1} for g in groups)
    trios = intro_groups(np.ones((6, 6)), np.ones((6, 6), dtype=bool), group_size=3)
    assert sorted(len(g) for g in trios) == [3, 3]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), method=st.sampled_from(["stable", "optimal", "greedy"]))
def test_no_solver_makes_a_forbidden_pair_or_exceeds_a_capacity(companies, data, method):
    people = data.draw(companies)
    ids = sorted(p.id for p in people)
    mentors = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1))
    mentees = [i for i in ids if i not in mentors]
    forbidden = set(
        data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(mentors)), max_size=6))
    )
    prefs = CohortScorer("mentor").fit(people).preferences(mentees, mentors, forbidden=forbidden)
    capacity = [data.draw(st.integers(1, 2)) for _ in prefs.mentor_ids]
    cohort = Cohort(
        prefs.mentee_ids,
        prefs.mentor_ids,
        prefs.choices,
        prefs.scores,
        prefs.mentor_scores,
        capacity,
        eligible=prefs.eligible,
    )
    assignment = solve(cohort, method)
    pairs = set(_as_ids(cohort, assignment).items())
    assert not pairs & forbidden
    assert evaluate(cohort, assignment)["capacity_violations"] == 0
    if method == "stable":
        assert evaluate(cohort, assignment)["blocking_pairs"] == 0
