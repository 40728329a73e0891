"""Does `matching.learn` find what members really want? Simulated members, hidden preferences.

    python benchmarks/learning.py --people 3000 --seed 0       # the figures in RESULTS.md
    python benchmarks/learning.py --quick                       # CI smoke

A synthetic company (``_matching_company.py``) is indexed with the default weights. Each
simulated member has *hidden* preferences: per purpose, weights over the seven components
that differ from the defaults (``HIDDEN``). Lists are served as the service serves them (top
10 by the current, default weights) and members react: an item turns out well with
probability examine(position) · σ(steepness · (hidden · components − threshold)), where
examine(p) = 1 / (1 + 0.15 (p − 1)) is the position bias (people act more on the top of a
list). The stream runs until ``--outcomes`` good outcomes have happened; at each checkpoint
the learner is fitted on everything served so far and measured:

* rank correlation (Spearman) of the learnt weights with the hidden ones, per purpose;
* NDCG@10 gain over the defaults on held-out members: each one's 50 best candidates (by the
  defaults) re-ranked by the learnt weights and by the defaults, graded by the hidden appeal
  σ(·) (position-free), mean over members with a 95% bootstrap interval;
* the learner's own offline verdict on its held-out lists: the NDCG@10 gain and the
  position-stratified AUC gain with their intervals, and whether it calls the gain
  significant (what adoption requires, with enough outcomes).

Writes the learning curve to ``benchmarks/learning_curve.svg`` and one JSON line per
checkpoint to stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _matching_company import make_company  # noqa: E402

from matching import COMPONENTS, DEFAULT_WEIGHTS, MatchIndex  # noqa: E402
from matching.learn import LoggedItem, LoggedList, WeightLearner, ndcg_at_k  # noqa: E402

# What members really value: skill still matters, but mutual benefit and a new perspective
# matter much more than the defaults assume, seniority and availability much less.
HIDDEN = {
    "mentor": (0.25, 0.10, 0.02, 0.20, 0.08, 0.30, 0.05),
    "reverse_mentor": (0.20, 0.05, 0.02, 0.15, 0.25, 0.30, 0.03),
    "cross_functional": (0.10, 0.35, 0.02, 0.05, 0.30, 0.15, 0.03),
}
PURPOSE_SHARE = {"mentor": 0.5, "reverse_mentor": 0.2, "cross_functional": 0.3}
STEEPNESS = 14.0
POOL = 50
SERVED = 10
CHECKPOINTS = (250, 500, 1000, 2000, 5000, 10000, 20000)
START = datetime(2026, 1, 1, tzinfo=UTC)


def _matrix(found) -> np.ndarray:
    return np.asarray([[r.components[c] for c in COMPONENTS] for r in found], dtype=np.float64)


def build_queries(people: int, seed: int, held_out_share: float):
    """Each (member, purpose) with a full pool: candidate ids and components, split in two."""
    company = make_company(people, seed=seed)
    index = MatchIndex().fit(company.people)
    rng = np.random.default_rng(seed)
    train, held_out = {p: [] for p in HIDDEN}, {p: [] for p in HIDDEN}
    for person in company.people:
        if not person.active:
            continue
        side = held_out if rng.random() < held_out_share else train
        for purpose in HIDDEN:
            found = index.recommend(person.id, purpose, k=POOL, diversity=0.0)
            if len(found) >= 2 * SERVED:
                side[purpose].append(([r.person_id for r in found], _matrix(found)))
    return train, held_out


def appeal(components: np.ndarray, purpose: str, threshold: float) -> np.ndarray:
    """The hidden, position-free probability that an item turns out well."""
    utility = components @ np.asarray(HIDDEN[purpose])
    return 1.0 / (1.0 + np.exp(-STEEPNESS * (utility - threshold)))


def thresholds(queries) -> dict[str, float]:
    """Per purpose, the hidden utility's 85th percentile over served items (≈ 15% appeal)."""
    out = {}
    for purpose, pools in queries.items():
        utilities = np.concatenate([m[:SERVED] @ np.asarray(HIDDEN[purpose]) for _, m in pools])
        out[purpose] = float(np.percentile(utilities, 85))
    return out


def default_vector(purpose: str) -> np.ndarray:
    return np.asarray([DEFAULT_WEIGHTS[purpose][c] for c in COMPONENTS])


def ndcg_gain(held_out, learnt, cuts, rng) -> dict[str, dict[str, float]]:
    """Mean NDCG@10 gain of the learnt weights over the defaults on held-out pools, with CI."""
    out = {}
    for purpose, pools in held_out.items():
        if not pools:
            continue
        gains = []
        learnt_vector = np.asarray([learnt[purpose][c] for c in COMPONENTS])
        for _, matrix in pools:
            relevance = appeal(matrix, purpose, cuts[purpose])
            by_default = np.argsort(-(matrix @ default_vector(purpose)), kind="stable")
            by_learnt = np.argsort(-(matrix @ learnt_vector), kind="stable")
            gains.append(
                ndcg_at_k(relevance[by_learnt], SERVED) - ndcg_at_k(relevance[by_default], SERVED)
            )
        gains_array = np.asarray(gains)
        means = gains_array[rng.integers(0, len(gains), (1000, len(gains)))].mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        out[purpose] = {"gain": float(gains_array.mean()), "low": float(low), "high": float(high)}
    return out


def simulate(args) -> list[dict]:
    started = time.perf_counter()
    train, held_out = build_queries(args.people, args.seed, 0.3)
    cuts = thresholds(train)
    print(
        f"# {sum(map(len, train.values()))} training and {sum(map(len, held_out.values()))} "
        f"held-out (member, purpose) pools in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    rng = np.random.default_rng(args.seed + 1)
    purposes = list(PURPOSE_SHARE)
    shares = np.asarray([PURPOSE_SHARE[p] for p in purposes])
    examine = 1.0 / (1.0 + 0.15 * np.arange(SERVED))
    lists: list[LoggedList] = []
    good = 0
    results = []
    checkpoints = [c for c in CHECKPOINTS if c <= args.outcomes]
    while checkpoints:
        purpose = purposes[rng.choice(len(purposes), p=shares)]
        pool = train[purpose][rng.integers(len(train[purpose]))]
        ids, matrix = pool[0][:SERVED], pool[1][:SERVED]
        outcome = rng.random(SERVED) < examine * appeal(matrix, purpose, cuts[purpose])
        good += int(outcome.sum())
        lists.append(
            LoggedList(
                list_id=f"l{len(lists)}",
                person_id=ids[0],
                purpose=purpose,
                served_at=START + timedelta(minutes=len(lists)),
                items=tuple(
                    LoggedItem(
                        ids[j], j + 1, dict(zip(COMPONENTS, matrix[j], strict=True)), bool(o)
                    )
                    for j, o in enumerate(outcome)
                ),
            )
        )
        if good < checkpoints[0]:
            continue
        checkpoint = checkpoints.pop(0)
        fit_started = time.perf_counter()
        learner = WeightLearner(n_bootstrap=args.bootstrap).fit(lists)
        fit_seconds = time.perf_counter() - fit_started
        gains = ndcg_gain(held_out, learner.weights_, cuts, rng)
        row = {"outcomes": checkpoint, "lists": len(lists), "fit_seconds": round(fit_seconds, 2)}
        for p in purposes:
            report = learner.reports_[p]
            learnt = [learner.weights_[p][c] for c in COMPONENTS]
            row[p] = {
                "good_outcomes": report.outcomes,
                "spearman": float(spearmanr(learnt, HIDDEN[p]).statistic),
                "spearman_defaults": float(spearmanr(default_vector(p), HIDDEN[p]).statistic),
                "ndcg_gain": gains.get(p),
                "offline_gain": report.ndcg_gain.as_dict() if report.ndcg_gain else None,
                "offline_position_auc_gain": (
                    report.position_auc_gain.as_dict() if report.position_auc_gain else None
                ),
                "significant": report.significant,
                "weights": dict(zip(COMPONENTS, (round(w, 3) for w in learnt), strict=True)),
            }
        results.append(row)
        print(json.dumps(row))
        sys.stdout.flush()
    return results


def _path(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))


def write_svg(results: list[dict], path: Path, people: int) -> None:
    """Two panels: rank correlation with the hidden weights, and NDCG@10 gain, by outcomes."""
    colours = {"mentor": "#1b6ca8", "reverse_mentor": "#d1495b", "cross_functional": "#2a9d8f"}
    width, height, top, panel_w, panel_h = 980, 450, 60, 380, 270
    x0s = (70, 560)
    lo, hi = math.log10(CHECKPOINTS[0]) - 0.1, math.log10(CHECKPOINTS[-1]) + 0.1

    def sx(panel: int, outcomes: float) -> float:
        return x0s[panel] + (math.log10(outcomes) - lo) / (hi - lo) * panel_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16">Learning weights from '
        f"outcomes: {people:,} simulated members with hidden preferences</text>",
    ]
    panels = (
        ("Spearman ρ of learnt vs hidden weights", "spearman", -1.0, 1.0, (-1, -0.5, 0, 0.5, 1)),
        ("NDCG@10 gain over the defaults (95% CI)", "ndcg_gain", None, None, None),
    )
    gains = [r[p]["ndcg_gain"] for r in results for p in colours]
    g_lo = min(0.0, min(g["low"] for g in gains)) - 0.01
    g_hi = max(g["high"] for g in gains) + 0.01
    for panel, (title, key, y_lo, y_hi, ticks) in enumerate(panels):
        x0 = x0s[panel]
        if key == "ndcg_gain":
            y_lo, y_hi = g_lo, g_hi
            step = 0.05 if g_hi - g_lo > 0.2 else 0.02
            ticks = [
                round(step * k, 3) for k in range(math.ceil(g_lo / step), int(g_hi / step) + 1)
            ]

        def sy(value: float, y_lo=y_lo, y_hi=y_hi) -> float:
            return top + panel_h - (value - y_lo) / (y_hi - y_lo) * panel_h

        parts.append(
            f'<text x="{x0 + panel_w / 2}" y="{top - 12}" text-anchor="middle" '
            f'font-size="13">{title}</text>'
        )
        parts.append(
            f'<rect x="{x0}" y="{top}" width="{panel_w}" height="{panel_h}" fill="none" '
            'stroke="#999"/>'
        )
        for tick in ticks:
            y = sy(tick)
            parts.append(
                f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + panel_w}" y2="{y:.1f}" stroke="#eee"/>'
            )
            parts.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
        if y_lo < 0 < y_hi:
            parts.append(
                f'<line x1="{x0}" y1="{sy(0):.1f}" x2="{x0 + panel_w}" y2="{sy(0):.1f}" '
                'stroke="#666" stroke-dasharray="4,3"/>'
            )
        for checkpoint in CHECKPOINTS:
            x = sx(panel, checkpoint)
            parts.append(
                f'<text x="{x:.1f}" y="{top + panel_h + 16}" text-anchor="middle">'
                f"{checkpoint:,}</text>"
            )
        parts.append(
            f'<text x="{x0 + panel_w / 2}" y="{top + panel_h + 36}" text-anchor="middle">'
            "good outcomes observed (log scale)</text>"
        )
        for purpose, colour in colours.items():
            if key == "spearman":
                values = [r[purpose]["spearman"] for r in results]
                baseline = results[0][purpose]["spearman_defaults"]
                parts.append(
                    f'<line x1="{x0}" y1="{sy(baseline):.1f}" x2="{x0 + panel_w}" '
                    f'y2="{sy(baseline):.1f}" stroke="{colour}" stroke-opacity="0.5" '
                    'stroke-dasharray="2,4"/>'
                )
            else:
                values = [r[purpose]["ndcg_gain"]["gain"] for r in results]
                band = [
                    (sx(panel, r["outcomes"]), sy(r[purpose]["ndcg_gain"]["high"])) for r in results
                ]
                band += [
                    (sx(panel, r["outcomes"]), sy(r[purpose]["ndcg_gain"]["low"]))
                    for r in reversed(results)
                ]
                parts.append(f'<path d="{_path(band)} Z" fill="{colour}" fill-opacity="0.15"/>')
            points = [
                (sx(panel, r["outcomes"]), sy(v)) for r, v in zip(results, values, strict=True)
            ]
            parts.append(
                f'<path d="{_path(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            for (x, y), r in zip(points, results, strict=True):
                # Filled: the learner's own offline verdict calls the gain significant.
                fill = colour if r[purpose]["significant"] else "white"
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{fill}" '
                    f'stroke="{colour}" stroke-width="1.5"/>'
                )
    for i, (purpose, colour) in enumerate(colours.items()):
        x = 250 + i * 180
        parts.append(f'<rect x="{x}" y="{height - 50}" width="14" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="{height - 45}">{purpose}</text>')
    for line, text in enumerate(
        (
            "Dotted lines: the defaults' own ρ with the hidden weights. "
            "Bands: 95% bootstrap intervals over held-out members.",
            "Filled dots: the learner's offline evaluation calls the gain significant "
            "(hollow: it would not adopt).",
        )
    ):
        parts.append(f'<text x="70" y="{height - 22 + 14 * line}" fill="#666">{text}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--outcomes", type=int, default=20000)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--svg", type=Path, default=Path(__file__).parent / "learning_curve.svg")
    parser.add_argument("--quick", action="store_true", help="600 people, 1,000 outcomes")
    args = parser.parse_args()
    if args.quick:
        args.people, args.outcomes, args.bootstrap = 600, 1000, 50
    started = time.perf_counter()
    results = simulate(args)
    if not args.quick:
        write_svg(results, args.svg, args.people)
    print(f"# done in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
