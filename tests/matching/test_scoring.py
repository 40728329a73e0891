"""The rules every engine shares: weights, query checks, lacked skills, networks, diversity."""

from __future__ import annotations

import numpy as np
import pytest

from matching import DEFAULT_WEIGHTS, PURPOSES
from matching.base import check_query, resolve_weights
from matching.scoring import (
    LACK_MIN_HOLDERS,
    TWO_HOP_DISCOUNT,
    diversify,
    lacked_skills,
    network_of,
)


def test_default_weights_sum_to_one_and_overrides_are_normalised():
    for purpose in PURPOSES:
        assert sum(DEFAULT_WEIGHTS[purpose].values()) == pytest.approx(1.0)
    weights = resolve_weights({"mentor": {"availability": 0.0, "skill_fit": 1.7}})
    assert sum(weights["mentor"].values()) == pytest.approx(1.0)
    assert weights["mentor"]["availability"] == 0.0
    assert weights["reverse_mentor"] == pytest.approx(dict(DEFAULT_WEIGHTS["reverse_mentor"]))


@pytest.mark.parametrize(
    "weights",
    [
        {"coffee": {}},
        {"mentor": {"skill_fit": -1.0}},
        {"mentor": {"skill_fit": float("inf")}},
        {"mentor": dict.fromkeys(DEFAULT_WEIGHTS["mentor"], 0.0)},
    ],
)
def test_bad_weights_are_refused(weights):
    with pytest.raises(ValueError):
        resolve_weights(weights)


def test_a_goal_focus_reads_titles_or_plain_names():
    assert check_query("mentor", 10, 0.3) is None
    focus = check_query("mentor", 10, 0.3, {"sql": "Own the warehouse"}, ["sales"])
    assert dict(focus.skills) == {"sql": ("Own the warehouse",)}
    assert dict(focus.functions) == {"sales": ()}
    assert dict(check_query("mentor", 1, 0, goal_functions={"sales": ["A"]}).skills) == {}


def test_a_skill_is_lacked_when_it_is_new_among_juniors():
    juniors = {"rust": 3, "go": 2, "zig": 30, "git": 30}
    seniors = {"zig": 2, "git": 60}
    # Of 30 juniors and 100 seniors: rust 10 % vs none (new); go too few holders; zig 100 %
    # vs 2 % (new); git 100 % vs 60 % (common at every level, not new).
    lacked = lacked_skills(juniors, 30, seniors, 100)
    assert lacked == pytest.approx({"rust": 0.1, "zig": 1.0})
    assert lacked_skills(juniors, 31, seniors, 100).keys() == {"zig"}  # rust now under 10 %
    assert lacked_skills({"rust": LACK_MIN_HOLDERS}, 10, {}, 0) == {"rust": 0.3}
    assert lacked_skills(juniors, 0, seniors, 100) == {}


def test_a_friend_of_a_friend_is_half_as_close_as_the_weaker_tie():
    ties = {
        "me": {"ann": 0.8, "bob": 0.4},
        "ann": {"me": 0.8, "cat": 0.3, "dan": 1.0},
        "bob": {"me": 0.4, "dan": 1.0},
    }
    functions = {"ann": "sales", "bob": "engineering", "cat": "legal", "dan": "legal"}
    network = network_of("me", lambda ids: {i: ties.get(i, {}) for i in ids}, functions.get)
    assert network.closeness("ann") == 0.8
    assert network.closeness("cat") == pytest.approx(TWO_HOP_DISCOUNT * 0.3)
    assert network.via["dan"] == ("ann", 0.8)  # the stronger path wins
    assert network.closeness("eve") == 0.0
    assert network.function_share == pytest.approx({"sales": 2 / 3, "engineering": 1 / 3})


def test_diversify_keeps_the_order_at_zero_and_trades_score_for_difference():
    scores = np.array([0.9, 0.89, 0.5])
    same = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert diversify(scores, same.__getitem__, 2, 0.0) == [0, 1]
    assert diversify(scores, same.__getitem__, 2, 0.7) == [0, 2]
    assert diversify(scores, same.__getitem__, 5, 0.7) == [0, 2, 1]
