"""Learning the engine's weights from what happened after recommendations were served.

Plain records in (:class:`LoggedList`: one list served, each item with its seven components and
whether it led to a good outcome), plain results out (:class:`PurposeReport`: candidate weights
and their offline evaluation against the current ones). scikit-learn fits the model; nothing
here knows about the service. ``matching/LEARNING.md`` documents the method.

>>> learner = WeightLearner().fit(lists, current=current_weights)   # doctest: +SKIP
>>> learner.weights_["mentor"], learner.reports_["mentor"].ndcg_gain  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Self

import numpy as np
from sklearn.linear_model import LogisticRegression

from .base import resolve_weights
from .scoring import COMPONENTS, PURPOSES

# The model reads the engine's seven components and nothing else. Attributes that the law
# protects never reach it: a feature named like one is refused outright, even if a caller
# were to compute it.
FEATURES = COMPONENTS
PROTECTED_ATTRIBUTES = frozenset(
    {
        "age",
        "disability",
        "ethnicity",
        "gender",
        "gender_identity",
        "marital_status",
        "nationality",
        "pregnancy",
        "race",
        "religion",
        "sex",
        "sexual_orientation",
    }
)


def check_features(names: Iterable[str]) -> tuple[str, ...]:
    """Return ``names`` if they are engine components only; ValueError otherwise."""
    names = tuple(names)
    protected = sorted(set(names) & PROTECTED_ATTRIBUTES)
    if protected:
        raise ValueError(f"protected attributes are never features: {protected}")
    unknown = sorted(set(names) - set(COMPONENTS))
    if unknown:
        raise ValueError(f"features must be engine components; unknown: {unknown}")
    return names


@dataclass(frozen=True)
class LoggedItem:
    """One person shown in a served list, with the components they were scored on."""

    candidate_id: str
    position: int
    components: Mapping[str, float]
    good: bool

    def features(self) -> list[float]:
        """The components in :data:`FEATURES` order."""
        check_features(self.components)
        return [float(self.components.get(name, 0.0)) for name in FEATURES]


@dataclass(frozen=True)
class LoggedList:
    """One recommendation list as it was served, and what came of each item."""

    list_id: str
    person_id: str
    purpose: str
    served_at: datetime
    items: tuple[LoggedItem, ...]

    @property
    def outcomes(self) -> int:
        """How many of its items led to a good outcome."""
        return sum(item.good for item in self.items)


@dataclass(frozen=True)
class Interval:
    """A point estimate with a bootstrap confidence interval."""

    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float | None]:
        """Plain numbers, for JSON (None where undefined)."""
        return {
            name: value if math.isfinite(value) else None
            for name, value in (("value", self.value), ("low", self.low), ("high", self.high))
        }


@dataclass
class PurposeReport:
    """The candidate weights of one purpose, and how they compare with the current ones."""

    purpose: str
    lists: int
    items: int
    outcomes: int
    train_lists: int = 0
    test_lists: int = 0
    split_at: datetime | None = None
    coefficients: dict[str, float] = field(default_factory=dict)
    candidate: dict[str, float] = field(default_factory=dict)
    current: dict[str, float] = field(default_factory=dict)
    auc_current: Interval | None = None
    auc_candidate: Interval | None = None
    ndcg_current: Interval | None = None
    ndcg_candidate: Interval | None = None
    ndcg_gain: Interval | None = None
    # AUC among items shown at the same position, pooled over positions: position bias
    # cancels, since an item is only ever compared with others shown at the same place.
    position_auc_current: Interval | None = None
    position_auc_candidate: Interval | None = None
    position_auc_gain: Interval | None = None
    note: str = ""

    @property
    def evaluated(self) -> bool:
        """True when the candidate was measured on held-out lists."""
        return self.ndcg_gain is not None

    @property
    def significant(self) -> bool:
        """True for a significant gain: the whole interval of the position-stratified AUC gain
        above zero, and the NDCG@10 gain not significantly negative."""
        if self.ndcg_gain is None or self.position_auc_gain is None:
            return False
        return self.position_auc_gain.low > 0.0 and not self.ndcg_gain.high < 0.0

    def as_dict(self) -> dict:
        """Plain values, for JSON."""

        def interval(value: Interval | None) -> dict[str, float] | None:
            return value.as_dict() if value is not None else None

        return {
            "purpose": self.purpose,
            "lists": self.lists,
            "items": self.items,
            "outcomes": self.outcomes,
            "train_lists": self.train_lists,
            "test_lists": self.test_lists,
            "split_at": self.split_at.isoformat() if self.split_at else None,
            "coefficients": self.coefficients,
            "candidate": self.candidate,
            "current": self.current,
            "auc_current": interval(self.auc_current),
            "auc_candidate": interval(self.auc_candidate),
            "ndcg_current": interval(self.ndcg_current),
            "ndcg_candidate": interval(self.ndcg_candidate),
            "ndcg_gain": interval(self.ndcg_gain),
            "position_auc_current": interval(self.position_auc_current),
            "position_auc_candidate": interval(self.position_auc_candidate),
            "position_auc_gain": interval(self.position_auc_gain),
            "significant": self.significant,
            "note": self.note,
        }


def score(components: np.ndarray, weights: Mapping[str, float]) -> np.ndarray:
    """The engine's score of rows of components (:data:`FEATURES` order) under ``weights``."""
    vector = np.asarray([weights[name] for name in FEATURES], dtype=np.float64)
    return components @ vector


def ndcg_at_k(gains_in_order: Sequence[float], k: int = 10) -> float:
    """NDCG@k of gains listed in ranked order (graded or binary); NaN without any gain."""
    gains = np.asarray(gains_in_order, dtype=np.float64)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = np.sort(gains)[::-1][:k]
    best = float(ideal @ discounts[: len(ideal)])
    if best <= 0.0:
        return math.nan
    top = gains[:k]
    return float(top @ discounts[: len(top)]) / best


def list_ndcg(logged: LoggedList, weights: Mapping[str, float], k: int = 10) -> float:
    """NDCG@k of one logged list re-ranked by ``weights``, good outcomes being relevant."""
    good = np.asarray([item.good for item in logged.items], dtype=bool)
    return _ndcg(_components(logged), good, weights, k)


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0 when all equal, towards 1 when one has all."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks @ x) / (n * x.sum())) - (n + 1.0) / n)


def exposure_gini(
    lists: Iterable[Sequence[str]], population: Iterable[str] = (), k: int = 10
) -> float:
    """Gini of the exposure people get from ranked lists (position-discounted, top k).

    Exposure of a person is Σ 1/log2(1 + position) over the lists that show them;
    ``population`` adds people who could have been shown but never were (exposure 0).
    """
    exposure: dict[str, float] = dict.fromkeys(population, 0.0)
    for ranked in lists:
        for position, person_id in enumerate(ranked[:k], start=1):
            exposure[person_id] = exposure.get(person_id, 0.0) + 1.0 / math.log2(1 + position)
    return gini(list(exposure.values()))


def _interval(samples: np.ndarray, value: float, confidence: float) -> Interval:
    tail = (1.0 - confidence) / 2.0 * 100.0
    finite = samples[np.isfinite(samples)]
    if not len(finite):
        return Interval(value, math.nan, math.nan)
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return Interval(float(value), float(low), float(high))


class WeightLearner:
    """Per purpose, a logistic regression of a good outcome on the seven components.

    The training also sees each item's position (a control for position bias, dropped
    afterwards). The components' coefficients are the candidate weights: negative ones are set to zero (the engine's
    weights are non-negative: a component that predicts a worse outcome is simply not used)
    and the rest normalised to sum to 1, which orders a list exactly as the model's logit does
    when no coefficient is negative. Lists are split by time: the earliest ``1 - test_share``
    train, the latest test. On the test lists the candidate is compared with the current
    weights by AUC (items) and NDCG@k (each logged list re-ranked), with bootstrap intervals
    over lists; the NDCG gain is paired (the same resampled lists for both).

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength of the logistic regression.
    test_share : float, default 0.3
        Share of lists, the latest ones, held out for evaluation.
    k : int, default 10
        Cut-off of NDCG.
    n_bootstrap : int, default 500
        Bootstrap resamples of the test lists.
    confidence : float, default 0.95
        Width of the intervals.
    min_test_lists : int, default 20
        Fewer evaluable test lists than this and the candidate is not evaluated.
    random_state : int, default 0
        Seed of the bootstrap.

    Attributes
    ----------
    reports_ : dict[str, PurposeReport]
        The report of every purpose that had logged lists.
    weights_ : dict[str, dict[str, float]]
        Candidate weights per purpose; the current ones where nothing could be learnt.
    """

    def __init__(
        self,
        C: float = 1.0,
        test_share: float = 0.3,
        k: int = 10,
        n_bootstrap: int = 500,
        confidence: float = 0.95,
        min_test_lists: int = 20,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.test_share = test_share
        self.k = k
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.min_test_lists = min_test_lists
        self.random_state = random_state

    def fit(
        self,
        lists: Iterable[LoggedList],
        current: Mapping[str, Mapping[str, float]] | None = None,
    ) -> Self:
        """Learn candidate weights from ``lists`` and evaluate them against ``current``."""
        if not 0.0 < self.test_share < 1.0:
            raise ValueError("test_share must be between 0 and 1")
        resolved = resolve_weights(current)
        by_purpose: dict[str, list[LoggedList]] = {purpose: [] for purpose in PURPOSES}
        for logged in lists:
            if logged.purpose not in by_purpose:
                raise ValueError(f"unknown purpose {logged.purpose!r}")
            if logged.items:
                by_purpose[logged.purpose].append(logged)
        self.reports_: dict[str, PurposeReport] = {}
        self.weights_: dict[str, dict[str, float]] = {}
        for purpose in PURPOSES:
            report = self._fit_purpose(purpose, by_purpose[purpose], resolved[purpose])
            self.reports_[purpose] = report
            self.weights_[purpose] = report.candidate
        return self

    def _fit_purpose(
        self, purpose: str, lists: list[LoggedList], current: dict[str, float]
    ) -> PurposeReport:
        lists = sorted(lists, key=lambda logged: (logged.served_at, logged.list_id))
        report = PurposeReport(
            purpose=purpose,
            lists=len(lists),
            items=sum(len(logged.items) for logged in lists),
            outcomes=sum(logged.outcomes for logged in lists),
            candidate=dict(current),
            current=dict(current),
        )
        cut = int(round(len(lists) * (1.0 - self.test_share)))
        train, test = lists[:cut], lists[cut:]
        report.train_lists, report.test_lists = len(train), len(test)
        report.split_at = test[0].served_at if test else None
        x, y = _design(train)
        if len(set(y.tolist())) < 2:
            report.note = "not learnt: the training lists need good and other outcomes"
            return report
        model = LogisticRegression(C=self.C, max_iter=1000).fit(x, y)
        coefficients = dict(zip(FEATURES, model.coef_[0][: len(FEATURES)].tolist(), strict=True))
        report.coefficients = coefficients
        clipped = {name: max(0.0, value) for name, value in coefficients.items()}
        total = math.fsum(clipped.values())
        if total <= 0.0:
            report.note = "not learnt: no component predicts a good outcome"
            return report
        report.candidate = {name: value / total for name, value in clipped.items()}
        self._evaluate(report, test)
        return report

    def _evaluate(self, report: PurposeReport, test: list[LoggedList]) -> None:
        candidate, current = report.candidate, report.current
        matrices = [_components(t) for t in test]
        labels = [np.asarray([i.good for i in t.items], dtype=bool) for t in test]
        ndcg_pairs = np.asarray(
            [
                (_ndcg(m, y, current, self.k), _ndcg(m, y, candidate, self.k))
                for m, y in zip(matrices, labels, strict=True)
            ]
        ).reshape(-1, 2)
        evaluable = np.isfinite(ndcg_pairs[:, 0])
        if evaluable.sum() < self.min_test_lists:
            report.note = (
                f"not evaluated: {int(evaluable.sum())} test lists with a good outcome, "
                f"{self.min_test_lists} needed"
            )
            return
        rng = np.random.default_rng(self.random_state)
        pairs = ndcg_pairs[evaluable]
        n = len(pairs)
        resampled = rng.integers(0, n, size=(self.n_bootstrap, n))
        means = pairs[resampled].mean(axis=1)  # (B, 2)
        point = pairs.mean(axis=0)
        report.ndcg_current = _interval(means[:, 0], point[0], self.confidence)
        report.ndcg_candidate = _interval(means[:, 1], point[1], self.confidence)
        report.ndcg_gain = _interval(
            means[:, 1] - means[:, 0], point[1] - point[0], self.confidence
        )
        # The AUC's bootstrap resamples whole lists: each item weighs as often as its list
        # was drawn.
        features, y = np.concatenate(matrices), np.concatenate(labels)
        list_of_item = np.repeat(np.arange(len(test)), [len(t) for t in labels])
        counts = np.stack(
            [
                np.bincount(sample, minlength=len(test))
                for sample in rng.integers(0, len(test), size=(self.n_bootstrap, len(test)))
            ]
        )
        positions = np.concatenate([np.arange(1, len(t) + 1) for t in labels])
        stratified = {}
        for name, weights in (("current", current), ("candidate", candidate)):
            scores = score(features, weights)
            values = np.asarray([weighted_auc(y, scores, c[list_of_item]) for c in counts])
            point_auc = weighted_auc(y, scores, np.ones(len(y)))
            setattr(report, f"auc_{name}", _interval(values, point_auc, self.confidence))
            stratified[name] = (
                np.asarray([position_auc(y, scores, positions, c[list_of_item]) for c in counts]),
                position_auc(y, scores, positions, np.ones(len(y))),
            )
        (current_samples, current_point) = stratified["current"]
        (candidate_samples, candidate_point) = stratified["candidate"]
        report.position_auc_current = _interval(current_samples, current_point, self.confidence)
        report.position_auc_candidate = _interval(
            candidate_samples, candidate_point, self.confidence
        )
        report.position_auc_gain = _interval(
            candidate_samples - current_samples, candidate_point - current_point, self.confidence
        )


def _components(logged: LoggedList) -> np.ndarray:
    return np.asarray([item.features() for item in logged.items], dtype=np.float64).reshape(
        -1, len(FEATURES)
    )


def _ndcg(matrix: np.ndarray, good: np.ndarray, weights: Mapping[str, float], k: int) -> float:
    """NDCG@k of one logged list re-ranked by ``weights`` (ties keep the served order)."""
    order = np.lexsort((np.arange(len(good)), -score(matrix, weights)))
    return ndcg_at_k(good[order].astype(np.float64), k)


def position_auc(
    labels: np.ndarray, scores: np.ndarray, positions: np.ndarray, weights: np.ndarray
) -> float:
    """AUC over pairs of items shown at the same position (good vs not), pooled over positions.

    Each position's AUC counts in proportion to its (weighted) pairs; NaN without any pair.
    """
    labels = np.asarray(labels, dtype=bool)
    total = pairs = 0.0
    for position in np.unique(positions):
        here = positions == position
        w, y = weights[here], labels[here]
        n_pairs = float((w * y).sum() * (w * ~y).sum())
        if n_pairs > 0:
            total += weighted_auc(y, scores[here], w) * n_pairs
            pairs += n_pairs
    return total / pairs if pairs else math.nan


def weighted_auc(labels: np.ndarray, scores: np.ndarray, weights: np.ndarray) -> float:
    """ROC AUC with item weights (ties count half); NaN unless both classes weigh something."""
    labels = np.asarray(labels, dtype=bool)
    _, group = np.unique(scores, return_inverse=True)
    positive = np.bincount(group, weights * labels)
    negative = np.bincount(group, weights * ~labels)
    total_positive, total_negative = positive.sum(), negative.sum()
    if total_positive <= 0 or total_negative <= 0:
        return math.nan
    below = np.cumsum(negative) - negative
    return float((positive * (below + 0.5 * negative)).sum() / (total_positive * total_negative))


def _design(lists: Sequence[LoggedList]) -> tuple[np.ndarray, np.ndarray]:
    """The training matrix: the components, then the position's discount as a control.

    People act more on the top of a list whatever it holds; without the control, the
    components that put people on top would take credit for the position's own effect.
    The control's coefficient is fitted and then dropped: it is not a weight.
    """
    rows = [
        [*item.features(), 1.0 / math.log2(1 + item.position)]
        for logged in lists
        for item in logged.items
    ]
    labels = [item.good for logged in lists for item in logged.items]
    x = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES) + 1)
    return x, np.asarray(labels, dtype=np.int64)


def _gains(report: PurposeReport) -> str:
    parts = []
    for label, gain in (
        ("position-stratified AUC gain", report.position_auc_gain),
        ("NDCG@10 gain", report.ndcg_gain),
    ):
        if gain is not None and gain.low == gain.low:  # not NaN
            parts.append(f"{label} {gain.value:+.3f} (95% CI {gain.low:+.3f} to {gain.high:+.3f})")
    return ", ".join(parts) or "no gain measurable"


@dataclass(frozen=True)
class Decision:
    """Whether a candidate weight set is adopted, and why."""

    adopt: bool
    reasons: tuple[str, ...]


def decide(
    reports: Mapping[str, PurposeReport],
    *,
    min_outcomes: int,
    gini_current: float | None = None,
    gini_candidate: float | None = None,
    max_gini_increase: float = 0.02,
) -> Decision:
    """Adopt only with enough outcomes, a significant gain and no worse exposure spread.

    A purpose changes only when it has at least ``min_outcomes`` good outcomes and a
    significant gain (:attr:`PurposeReport.significant`: the position-stratified AUC gain's
    whole interval above zero, the NDCG@10 gain not significantly negative; see
    :func:`adopted_weights`); the set is adopted when at least one purpose does so. The exposure
    Gini of the candidate on recent queries must not exceed the current one's by more than
    ``max_gini_increase``.
    """
    reasons: list[str] = []
    improved = []
    for purpose, report in reports.items():
        if report.outcomes < min_outcomes:
            reasons.append(
                f"{purpose}: {report.outcomes} good outcomes, {min_outcomes} needed to adopt"
            )
        elif not report.evaluated:
            reasons.append(f"{purpose}: {report.note or 'not evaluated'}")
        else:
            verdict = "significant" if report.significant else "not significant"
            if report.significant:
                improved.append(purpose)
            reasons.append(f"{purpose}: {_gains(report)}: {verdict}")
    if not improved:
        return Decision(False, tuple(reasons))
    if gini_current is not None and gini_candidate is not None:
        if gini_candidate > gini_current + max_gini_increase:
            reasons.append(
                f"exposure Gini {gini_candidate:.3f} exceeds the current {gini_current:.3f} "
                f"by more than {max_gini_increase:.3f}"
            )
            return Decision(False, tuple(reasons))
        reasons.append(
            f"exposure Gini {gini_candidate:.3f} against the current {gini_current:.3f}: "
            "within the guard"
        )
    return Decision(True, tuple(reasons))


def adopted_weights(
    reports: Mapping[str, PurposeReport], *, min_outcomes: int
) -> dict[str, dict[str, float]]:
    """The weights a decision adopts: the candidate where it significantly gained, else current."""
    return {
        purpose: dict(
            report.candidate
            if report.outcomes >= min_outcomes and report.significant
            else report.current
        )
        for purpose, report in reports.items()
    }
