"""The fast index against independent oracles, and its update, export and threading contract."""

from __future__ import annotations

import random
import threading
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics.pairwise import cosine_similarity

from matching import PURPOSES, MatchIndex, Person, ReferenceMatcher
from matching.index import _ColumnStore

PROPERTY = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _everyone(index: MatchIndex, person_id: str, purpose: str):
    """The whole list at pure fit, as {id: recommendation}."""
    found = index.recommend(person_id, purpose, k=1000, diversity=0.0)
    return {item.person_id: item for item in found}


def _eligible(people, person, purpose, breaches) -> set[str]:
    """Everyone the hard rules allow, judged one at a time by the independent checker."""
    return {
        other.id
        for other in people.values()
        if not breaches(people, person, purpose, [SimpleNamespace(person_id=other.id)])
    }


@PROPERTY
@given(data=st.data())
def test_teaching_skill_fit_matches_a_dense_oracle_and_retrieval_is_exact(
    data, companies, breaches
):
    people = data.draw(companies)
    by_id = {p.id: p for p in people}
    index = MatchIndex().fit(people)
    ids, levels = index.skill_matrix("teach", "level")
    levels = levels.toarray()
    row = {person_id: i for i, person_id in enumerate(ids)}
    for person in data.draw(st.lists(st.sampled_from(people), max_size=4)):
        held = np.zeros(len(index.vocabulary_))
        for skill, level in person.skills.items():
            held[index.vocabulary_[skill]] = level
        for purpose in ("mentor", "reverse_mentor"):
            weights = index.query_vector(person.id, purpose).toarray()[0]
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = np.where(levels > held, (levels - held) / (5 - held), 0.0)
            oracle = gap @ weights
            found = _everyone(index, person.id, purpose)
            for person_id, item in found.items():
                assert item.components["skill_fit"] == pytest.approx(oracle[row[person_id]])
            allowed = _eligible(by_id, person, purpose, breaches)
            assert set(found) == {i for i in allowed if oracle[row[i]] > 1e-12}


@PROPERTY
@given(data=st.data())
def test_cross_functional_skill_fit_is_the_tfidf_cosine_and_retrieval_is_exact(
    data, companies, breaches
):
    people = data.draw(companies)
    by_id = {p.id: p for p in people}
    index = MatchIndex().fit(people)
    ids, teach = index.skill_matrix("teach", "tfidf")
    row = {person_id: i for i, person_id in enumerate(ids)}
    for person in data.draw(st.lists(st.sampled_from(people), max_size=4)):
        cosine = cosine_similarity(index.query_vector(person.id, "cross_functional"), teach)[0]
        found = _everyone(index, person.id, "cross_functional")
        for person_id, item in found.items():
            assert item.components["skill_fit"] == pytest.approx(cosine[row[person_id]])
        targets = {f for goal in person.goals for f in goal.functions}
        allowed = _eligible(by_id, person, "cross_functional", breaches)
        expected = {i for i in allowed if cosine[row[i]] > 1e-12 or by_id[i].function in targets}
        assert set(found) == expected


@PROPERTY
@given(data=st.data())
def test_the_index_agrees_with_the_pair_by_pair_reference(data, companies):
    people = data.draw(companies)
    fast, slow = MatchIndex().fit(people), ReferenceMatcher().fit(people)
    skills = st.sampled_from(["kubernetes", "rust", "sql", "pricing", "unheard-of"])
    for person in data.draw(st.lists(st.sampled_from(people), max_size=3)):
        focus = data.draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "goal_skills": st.dictionaries(skills, st.just(["A goal"]), max_size=2),
                    "goal_functions": st.none() | st.just({"sales": ["A goal"]}),
                }
            )
        )
        for purpose in PURPOSES:
            k = data.draw(st.integers(1, 8))
            diversity = data.draw(st.sampled_from([0.0, 0.3, 1.0]))
            a = fast.recommend(person.id, purpose, k=k, diversity=diversity, **(focus or {}))
            b = slow.recommend(person.id, purpose, k=k, diversity=diversity, **(focus or {}))
            assert [x.person_id for x in a] == [x.person_id for x in b]
            assert [x.reasons for x in a] == [x.reasons for x in b]
            for x, y in zip(a, b, strict=True):
                assert x.score == pytest.approx(y.score, abs=1e-9)
                assert x.components == pytest.approx(y.components, abs=1e-9)


def _company(size: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    skills = [f"skill-{i}" for i in range(40)]
    ids = [f"p{i}" for i in range(size)]
    return [
        Person(
            id=person_id,
            function=rng.choice(["engineering", "product", "sales", "data"]),
            level=rng.randint(1, 8),
            division=rng.choice(["a", "b", "c"]),
            skills={s: rng.randint(1, 5) for s in rng.sample(skills, 5)},
            learning={s: rng.randint(1, 3) for s in rng.sample(skills, 3)},
            open_to_mentor=rng.random() < 0.5,
            mentor_capacity=2,
            open_to_reverse_mentor=rng.random() < 0.5,
            ties={other: 0.5 for other in rng.sample(ids, 3)},
            manager_id=rng.choice(ids),
        )
        for person_id in ids
    ]


def _changed(person: Person, rng: random.Random) -> Person:
    fields = {name: getattr(person, name) for name in Person.__dataclass_fields__}
    fields["skills"] = {f"skill-{rng.randint(0, 45)}": rng.randint(1, 5) for _ in range(4)}
    fields["level"] = rng.randint(1, 8)
    return Person(**fields)


def test_updates_never_rebuild_the_index(monkeypatch):
    people = _company(2000, seed=1)
    index = MatchIndex().fit(people)
    builds = []
    original = _ColumnStore.build
    monkeypatch.setattr(
        _ColumnStore, "build", lambda self, *a, **k: builds.append(1) or original(self, *a, **k)
    )
    rng = random.Random(2)
    for person in rng.sample(people, 200):
        index.upsert(_changed(person, rng))
    for person in rng.sample(people, 20):
        index.remove(person.id)
    # 200 rewrites of ~5 entries each stay far below the compaction threshold.
    assert builds == []


def test_compaction_folds_updates_in_and_drops_removed_rows():
    people = _company(300, seed=3)
    index = MatchIndex(compaction_ratio=0.01, compaction_min_entries=32).fit(people)
    rng = random.Random(4)
    current = {p.id: p for p in people}
    for person in rng.sample(people, 120):
        if rng.random() < 0.3:
            index.remove(person.id)
            del current[person.id]
        else:
            current[person.id] = _changed(person, rng)
            index.upsert(current[person.id])
    assert index._n_dead < 0.01 * len(current) + 4
    assert len(index) == len(current)
    fresh = MatchIndex().fit(current.values())
    for person_id in rng.sample(sorted(current), 30):
        for purpose in PURPOSES:
            a = index.recommend(person_id, purpose, diversity=0.3)
            b = fresh.recommend(person_id, purpose, diversity=0.3)
            assert [(x.person_id, x.reasons) for x in a] == [(x.person_id, x.reasons) for x in b]
            assert [x.score for x in a] == pytest.approx([x.score for x in b], abs=1e-9)


def test_the_version_changes_on_every_mutation():
    people = _company(20, seed=5)
    index = MatchIndex().fit(people)
    seen = {index.version_}
    index.upsert(people[0])
    seen.add(index.version_)
    index.remove(people[1].id)
    seen.add(index.version_)
    index.fit(people)
    seen.add(index.version_)
    assert len(seen) == 4
    index.recommend(people[0].id)
    assert index.version_ in seen


def test_queries_running_during_updates_never_fail_and_end_consistent():
    people = _company(400, seed=6)
    index = MatchIndex(compaction_min_entries=64).fit(people)
    failures: list[BaseException] = []
    answered = []
    stop = threading.Event()

    def ask(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            try:
                person_id = rng.choice(people).id
                purpose = rng.choice(PURPOSES)
                found = index.recommend(person_id, purpose, k=5, diversity=0.0)
                scores = [item.score for item in found]
                assert scores == sorted(scores, reverse=True)
                answered.append(1)
            except KeyError:
                pass  # asked for someone removed a moment ago
            except Exception as error:  # reported by the main thread
                failures.append(error)
                return

    askers = [threading.Thread(target=ask, args=(seed,)) for seed in range(3)]
    for thread in askers:
        thread.start()
    rng = random.Random(7)
    current = {p.id: p for p in people}
    while not answered:  # let the askers get going before the first update
        threading.Event().wait(0.001)
    for person in rng.choices(people, k=300):
        if person.id in current and rng.random() < 0.2:
            index.remove(person.id)
            del current[person.id]
        else:
            current[person.id] = _changed(person, rng)
            index.upsert(current[person.id])
    stop.set()
    for thread in askers:
        thread.join()
    assert failures == []
    assert len(answered) > 3
    fresh = MatchIndex().fit(current.values())
    for person_id in sorted(current)[:25]:
        for purpose in PURPOSES:
            a = [x.person_id for x in index.recommend(person_id, purpose)]
            assert a == [x.person_id for x in fresh.recommend(person_id, purpose)]


def test_exports_describe_the_same_matrices_the_index_scores():
    people = _company(50, seed=8)
    index = MatchIndex().fit(people)
    ids, levels = index.skill_matrix()
    assert ids == [p.id for p in people]
    assert levels.shape == (50, len(index.vocabulary_))
    assert levels.nnz == sum(len(p.skills) for p in people)
    _, wants = index.skill_matrix("want")
    assert wants.nnz == sum(len(p.learning) for p in people)
    frequency = np.asarray((levels > 0).sum(axis=0)).ravel()
    expected = np.log((1 + 50) / (1 + frequency)) + 1
    assert index.idf() == pytest.approx(expected)
    _, tfidf = index.skill_matrix("teach", "tfidf")
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    assert norms == pytest.approx(1.0)
    assert index.query_vector(people[0].id).sum() == pytest.approx(1.0)
    assert index.memory_bytes() > 0
    with pytest.raises(ValueError):
        index.skill_matrix("hobbies")


def test_records_are_required_and_an_unfitted_index_starts_empty():
    with pytest.raises(TypeError):
        MatchIndex().fit([{"id": "p1"}])
    with pytest.raises(TypeError):
        MatchIndex().upsert({"id": "p1"})
    index = MatchIndex()
    assert len(index) == 0 and "p1" not in index
    index.upsert(Person(id="p1", function="sales", level=3))
    assert len(index) == 1 and "p1" in index
    assert index.recommend("p1", "cross_functional") == []


@pytest.mark.parametrize(
    "parameters",
    [{"pool_factor": 0}, {"pool_factor": 2.5}, {"weights": {"mentor": {"charm": 1.0}}}],
)
def test_invalid_parameters_are_refused_at_fit(parameters):
    with pytest.raises(ValueError):
        MatchIndex(**parameters).fit([])
