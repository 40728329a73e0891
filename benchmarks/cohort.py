"""Cohort runs: greedy vs stable vs optimal on synthetic cohorts, speed and quality.

    python benchmarks/cohort.py                        # 1,000 × 200 and 10,000 × 2,000
    python benchmarks/cohort.py --sizes 100000x20000   # the large one
    python benchmarks/cohort.py --methods stable,greedy

For each cohort (mentees × mentors, capacities 1–5): the time to build both sides' preference
lists (the batch scorer, L = 50), then per method the time to solve, and the matched share,
mean score, mean rank, blocking pairs and mentor load Gini. "End to end" is preferences +
solve. Figures go to benchmarks/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import random
import time

from matching import Person
from matching.cohort import Cohort, evaluate, solve
from matching.cohort_scores import CohortScorer

FUNCTIONS = ("engineering", "product", "design", "data", "sales", "marketing", "operations")
DIVISIONS = ("payments", "platform", "growth", "enterprise", "consumer")
LOCATIONS = ("berlin", "lisbon", "london", "new-york", "remote")
TAGS = ("career-changer", "phd", "bootcamp", "ex-startup", "first-generation", "parent")


def synthetic_cohort(n_mentees: int, n_mentors: int, seed: int = 7) -> list[Person]:
    """Mentees at levels 1–5 learning a few of 300 skills; mentors at 4–8 holding some."""
    rng = random.Random(seed)
    skills = [f"skill-{i:03d}" for i in range(300)]
    # A long tail: some skills are common, most are rare (as in a real taxonomy).
    weights = [1.0 / (1 + i) ** 0.7 for i in range(len(skills))]

    def some(k: int) -> list[str]:
        return list(dict.fromkeys(rng.choices(skills, weights, k=k)))

    people = []
    for i in range(n_mentors):
        people.append(
            Person(
                id=f"m{i:06d}",
                function=rng.choice(FUNCTIONS),
                level=rng.randint(4, 8),
                division=rng.choice(DIVISIONS),
                location=rng.choice(LOCATIONS),
                skills={s: rng.randint(2, 5) for s in some(rng.randint(4, 10))},
                learning={s: rng.randint(1, 3) for s in some(rng.randint(0, 3))},
                perspectives=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
                open_to_mentor=True,
                mentor_capacity=rng.randint(1, 5),
            )
        )
    for i in range(n_mentees):
        people.append(
            Person(
                id=f"e{i:06d}",
                function=rng.choice(FUNCTIONS),
                level=rng.randint(1, 5),
                division=rng.choice(DIVISIONS),
                location=rng.choice(LOCATIONS),
                skills={s: rng.randint(1, 3) for s in some(rng.randint(1, 5))},
                learning={s: rng.randint(1, 3) for s in some(rng.randint(2, 5))},
                perspectives=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
                seeking_mentor=True,
            )
        )
    return people


def run(n_mentees: int, n_mentors: int, methods: list[str], length: int) -> None:
    """Measure one cohort size and print one line per method."""
    people = synthetic_cohort(n_mentees, n_mentors)
    mentees = [p.id for p in people if p.id.startswith("e")]
    mentors = [p for p in people if p.id.startswith("m")]
    started, cpu = time.perf_counter(), time.process_time()
    scorer = CohortScorer("mentor", length=length).fit(people)
    prefs = scorer.preferences(mentees, [m.id for m in mentors])
    preferences_s = time.perf_counter() - started
    preferences_cpu = time.process_time() - cpu
    capacity = {m.id: m.mentor_capacity for m in mentors}
    cohort = Cohort(
        prefs.mentee_ids,
        prefs.mentor_ids,
        prefs.choices,
        prefs.scores,
        prefs.mentor_scores,
        [capacity[m] for m in prefs.mentor_ids],
        eligible=prefs.eligible,
    )
    divisions = {p.id: p.division for p in people}
    cohort.mentor_rank  # noqa: B018 - computed once, shared by every method, counted here
    print(
        f"{n_mentees:,} × {n_mentors:,} (slots {sum(capacity.values()):,}): "
        f"preferences {preferences_s:.2f} s (CPU {preferences_cpu:.2f} s)"
    )
    for method in methods:
        started, cpu = time.perf_counter(), time.process_time()
        assignment = solve(cohort, method)
        solve_s = time.perf_counter() - started
        solve_cpu = time.process_time() - cpu
        metrics = evaluate(cohort, assignment, divisions)
        print(
            f"  {method:8s} solve {solve_s:7.2f} s (CPU {solve_cpu:.2f})  end to end {preferences_s + solve_s:7.2f} s  "
            f"matched {metrics['matched_share']:.3f}  mean score {metrics['mean_score']:.4f}  "
            f"total {metrics['total_score']:.1f}  mean rank {metrics['mean_rank']:.2f}  "
            f"worst {metrics['worst_rank']}  blocking {metrics['blocking_pairs']}  "
            f"gini {metrics['mentor_load_gini']:.3f}  capacity violations "
            f"{metrics['capacity_violations']}"
        )


def main() -> None:
    """Parse the arguments and run each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000x200,10000x2000")
    parser.add_argument("--methods", default="greedy,stable,optimal")
    parser.add_argument("--length", type=int, default=50)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        n_mentees, n_mentors = (int(x) for x in size.split("x"))
        run(n_mentees, n_mentors, args.methods.split(","), args.length)


if __name__ == "__main__":
    main()
