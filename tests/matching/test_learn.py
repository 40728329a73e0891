"""Learning weights: a planted data set whose answer is known, the evaluation and the guards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy.stats import spearmanr
from sklearn.metrics import ndcg_score, roc_auc_score

from matching import COMPONENTS, DEFAULT_WEIGHTS
from matching.learn import (
    LoggedItem,
    LoggedList,
    WeightLearner,
    adopted_weights,
    check_features,
    decide,
    exposure_gini,
    gini,
    list_ndcg,
    ndcg_at_k,
    position_auc,
    weighted_auc,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
# Planted preferences: the reverse of the default order, so that learning has to move.
PLANTED = dict(zip(COMPONENTS, (0.02, 0.05, 0.08, 0.30, 0.10, 0.40, 0.05), strict=True))


def planted_lists(n_lists: int, seed: int = 0, purpose: str = "mentor", strength: float = 12.0):
    """Lists of ten random candidates; a candidate turns out well with P = σ(s·(planted·c − b))."""
    rng = np.random.default_rng(seed)
    weights = np.asarray([PLANTED[name] for name in COMPONENTS])
    lists = []
    for i in range(n_lists):
        components = rng.random((10, len(COMPONENTS)))
        utility = components @ weights
        p = 1.0 / (1.0 + np.exp(-strength * (utility - 0.62)))
        good = rng.random(10) < p
        items = tuple(
            LoggedItem(
                f"c{i}-{j}", j + 1, dict(zip(COMPONENTS, row.tolist(), strict=True)), bool(g)
            )
            for j, (row, g) in enumerate(zip(components, good, strict=True))
        )
        lists.append(LoggedList(f"l{i}", f"p{i % 50}", purpose, START + timedelta(hours=i), items))
    return lists


def test_learning_recovers_the_planted_weight_order():
    learner = WeightLearner(n_bootstrap=200).fit(planted_lists(3000))
    learnt = learner.weights_["mentor"]
    rho = spearmanr([learnt[c] for c in COMPONENTS], [PLANTED[c] for c in COMPONENTS]).statistic
    assert rho > 0.9
    assert max(learnt, key=learnt.get) == "mutual_benefit"
    assert sum(learnt.values()) == pytest.approx(1.0)
    report = learner.reports_["mentor"]
    assert report.significant and report.ndcg_gain.value > 0
    assert report.auc_candidate.value > report.auc_current.value
    assert report.auc_candidate.low <= report.auc_candidate.value <= report.auc_candidate.high
    # Purposes without data keep the current weights, unevaluated.
    assert learner.weights_["reverse_mentor"] == dict(DEFAULT_WEIGHTS["reverse_mentor"])
    assert not learner.reports_["reverse_mentor"].evaluated


def test_the_split_is_by_time_the_latest_lists_are_held_out():
    lists = planted_lists(200)
    shuffled = list(reversed(lists))
    report = WeightLearner(n_bootstrap=50, test_share=0.25).fit(shuffled).reports_["mentor"]
    assert (report.train_lists, report.test_lists) == (150, 50)
    assert report.split_at == lists[150].served_at


def test_adoption_is_refused_without_enough_outcomes():
    learner = WeightLearner(n_bootstrap=200).fit(planted_lists(3000))
    outcomes = learner.reports_["mentor"].outcomes
    refused = decide(learner.reports_, min_outcomes=outcomes + 1)
    assert not refused.adopt
    assert any("needed to adopt" in reason for reason in refused.reasons)
    accepted = decide(learner.reports_, min_outcomes=outcomes)
    assert accepted.adopt
    adopted = adopted_weights(learner.reports_, min_outcomes=outcomes)
    assert adopted["mentor"] == learner.weights_["mentor"]
    assert adopted["cross_functional"] == dict(DEFAULT_WEIGHTS["cross_functional"])


def test_adoption_is_refused_without_a_significant_gain():
    # Outcomes that ignore the components: nothing to learn, nothing significant.
    rng = np.random.default_rng(3)
    lists = [
        LoggedList(
            f"l{i}",
            "p",
            "mentor",
            START + timedelta(hours=i),
            tuple(
                LoggedItem(
                    f"c{j}",
                    j + 1,
                    dict(zip(COMPONENTS, rng.random(7).tolist(), strict=True)),
                    bool(rng.random() < 0.2),
                )
                for j in range(10)
            ),
        )
        for i in range(300)
    ]
    learner = WeightLearner(n_bootstrap=200).fit(lists)
    decision = decide(learner.reports_, min_outcomes=10)
    assert not decision.adopt
    assert not learner.reports_["mentor"].significant


def test_the_exposure_guard_refuses_a_more_concentrated_candidate():
    learner = WeightLearner(n_bootstrap=100).fit(planted_lists(2000))
    kept = decide(learner.reports_, min_outcomes=1, gini_current=0.30, gini_candidate=0.31)
    refused = decide(learner.reports_, min_outcomes=1, gini_current=0.30, gini_candidate=0.40)
    assert kept.adopt and not refused.adopt
    assert "exposure Gini" in refused.reasons[-1]


def test_protected_attributes_are_never_features():
    with pytest.raises(ValueError, match="protected"):
        check_features([*COMPONENTS, "gender"])
    item = LoggedItem("c", 1, {"skill_fit": 0.5, "age": 40.0}, True)
    with pytest.raises(ValueError, match="protected"):
        item.features()
    with pytest.raises(ValueError, match="engine components"):
        check_features(["skill_fit", "salary"])


def test_ndcg_agrees_with_scikit_learn():
    rng = np.random.default_rng(1)
    for _ in range(50):
        gains = rng.integers(0, 3, size=12).astype(float)
        if not gains.any():
            continue
        scores = np.arange(12, 0, -1, dtype=float)  # the order given is the ranking
        assert ndcg_at_k(gains, 10) == pytest.approx(ndcg_score([gains], [scores], k=10))
    assert np.isnan(ndcg_at_k([0, 0, 0]))


def test_gini_of_known_distributions():
    assert gini([1, 1, 1, 1]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    # Brute force: mean absolute difference over twice the mean.
    values = np.random.default_rng(2).random(30)
    brute = np.abs(values[:, None] - values[None, :]).mean() / (2 * values.mean())
    assert gini(values) == pytest.approx(brute)
    # Everyone in one list at the top positions, others never shown, is very unequal.
    assert exposure_gini([["a", "b"]] * 5, population=["a", "b", "c", "d"]) > gini([1, 1, 1, 1])


def test_weighted_auc_agrees_with_scikit_learn():
    rng = np.random.default_rng(4)
    for _ in range(30):
        labels = rng.random(200) < 0.3
        scores = np.round(rng.random(200), 2)  # with ties
        weights = rng.integers(0, 4, 200).astype(float)
        expected = roc_auc_score(labels, scores, sample_weight=weights)
        assert weighted_auc(labels, scores, weights) == pytest.approx(expected)
    assert np.isnan(weighted_auc(np.ones(3, bool), np.arange(3.0), np.ones(3)))


def test_a_logged_list_is_re_ranked_by_the_weights_given():
    checked = 0
    for logged in planted_lists(20, seed=5):
        if not any(item.good for item in logged.items):
            continue
        by_planted = sorted(
            logged.items, key=lambda i: -sum(PLANTED[c] * v for c, v in i.components.items())
        )
        expected = ndcg_at_k([float(i.good) for i in by_planted])
        assert list_ndcg(logged, PLANTED) == pytest.approx(expected)
        checked += 1
    assert checked >= 5


def test_position_auc_compares_only_items_shown_at_the_same_position():
    rng = np.random.default_rng(6)
    labels = rng.random(120) < 0.4
    scores = np.round(rng.random(120), 1)
    positions = rng.integers(1, 4, 120)
    weights = rng.integers(1, 3, 120).astype(float)
    won = pairs = 0.0
    for i in range(120):
        for j in range(120):
            if positions[i] == positions[j] and labels[i] and not labels[j]:
                w = weights[i] * weights[j]
                won += w * (1.0 if scores[i] > scores[j] else 0.5 if scores[i] == scores[j] else 0)
                pairs += w
    assert position_auc(labels, scores, positions, weights) == pytest.approx(won / pairs)


def test_position_bias_alone_is_not_a_gain():
    # Outcomes driven by position only: the stratified AUC of any weights is about 0.5.
    rng = np.random.default_rng(8)
    lists = [
        LoggedList(
            f"l{i}",
            "p",
            "mentor",
            START + timedelta(hours=i),
            tuple(
                LoggedItem(
                    f"c{j}",
                    j + 1,
                    dict(zip(COMPONENTS, rng.random(7).tolist(), strict=True)),
                    bool(rng.random() < 0.5 / (j + 1)),
                )
                for j in range(10)
            ),
        )
        for i in range(600)
    ]
    report = WeightLearner(n_bootstrap=100).fit(lists).reports_["mentor"]
    assert abs(report.position_auc_current.value - 0.5) < 0.05
    assert not report.significant
