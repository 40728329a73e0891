"""Quality of the matching index on a synthetic company with planted ground truth.

    python benchmarks/matching_quality.py --people 20000 --queries 200 --seed 0
    python benchmarks/matching_quality.py --quick        # CI smoke

For each purpose, ``--queries`` subjects get a planted focus and a handful of people who truly
fit it (see ``_matching_company.py``); people the generator knows to be eligible and strong in
something the subject wants are graded 1, the planted fits 2. For each diversity in 0, 0.3 and
0.7 the script prints, averaged over the subjects:

* precision@10 — share of the ten slots holding someone graded ≥ 1;
* NDCG@10 — graded gains 2^grade − 1, against the ideal order of all graded people;
* ILD@10 — intra-list diversity, the mean pairwise dissimilarity (1 − the similarity the
  re-ranking uses: function, division, location, perspective tags);
* distinct functions and divisions per list, and the share of lists *narrower* (fewer
  functions plus divisions) than the same subject's list at diversity 0;
* hard-rule breaches, checked by an independent implementation of the rules (must be 0);
* the exposure Gini of recommended people: how unequally appearances in the lists are spread
  over the people recommended at least once (0 = all equally often); the JSON line also has
  it over all active people (mostly zeros, so close to 1 whenever lists are few) and the
  coverage, distinct people recommended per list slot.

It also scores the seed design — the same index with the teaching skill fit replaced by the
plain TF-IDF cosine of want and teach rows — at diversity 0, to show what the level-aware
skill fit changes. Exits non-zero on any hard-rule breach.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _matching_company import make_company  # noqa: E402

from matching import PURPOSES, MatchIndex, Person  # noqa: E402
from matching.scoring import SIMILARITY_WEIGHTS  # noqa: E402

K = 10
DIVERSITIES = (0.0, 0.3, 0.7)


class SeedCosineIndex(MatchIndex):
    """The seed design: teaching skill fit = cosine of the TF-IDF want and teach rows."""

    def _components(self, query, rows):
        components = super()._components(query, rows)
        if query.purpose == "cross_functional":
            return components  # already the TF-IDF cosine
        names = sorted(query.wants)
        weights = self._idf(names)
        vector = np.asarray([query.wants[s].weight for s in names]) * weights
        cols, where = self._columns(names)
        entry_rows, positions, data = self._teach.entries(cols)
        positions = where[positions]
        dot = np.bincount(
            entry_rows,
            vector[positions] * weights[positions] * data["level"],
            minlength=self._n_rows,
        )[rows]
        norms = self._teach_norms()[rows] * np.sqrt(np.dot(vector, vector))
        components["skill_fit"] = np.divide(dot, norms, out=np.zeros(len(rows)), where=norms > 0)
        return components


def chain_of(people: dict[str, Person], person: Person) -> set[str]:
    """Everyone above the person."""
    chain, boss = set(), person.manager_id
    while boss is not None and boss not in chain and boss != person.id:
        chain.add(boss)
        boss = people[boss].manager_id if boss in people else None
    return chain


def breaches(people: dict[str, Person], person: Person, purpose: str, found) -> int:
    """Hard rules broken by one list, counted by a plain re-implementation of the rules."""
    count = len(found) - len({item.person_id for item in found})
    chain = chain_of(people, person)
    wanted = set(person.learning) | {s for goal in person.goals for s in goal.skills}
    targets = {f for goal in person.goals for f in goal.functions}
    for item in found:
        them = people[item.person_id]
        teaches = {s for s, level in them.skills.items() if level > person.skills.get(s, 0)}
        count += them.id == person.id or not them.active or them.id in chain
        count += them.id in person.mentor_ids
        if purpose == "mentor":
            count += them.level <= person.level or not them.open_to_mentor
            count += them.active_mentees >= them.mentor_capacity or not teaches & wanted
        elif purpose == "reverse_mentor":
            count += them.level >= person.level or not them.open_to_reverse_mentor
            count += not teaches & (wanted | (set(them.skills) - set(person.skills)))
        else:
            count += them.function == person.function
            profile = set(person.skills) | wanted
            count += them.function not in targets and not set(them.skills) & profile
    return count


def similarity(a: Person, b: Person) -> float:
    """The similarity the diversity re-ranking uses, for intra-list diversity."""
    union = len(a.perspectives | b.perspectives)
    tags = len(a.perspectives & b.perspectives) / union if union else 0.0
    return (
        SIMILARITY_WEIGHTS["function"] * (a.function == b.function)
        + SIMILARITY_WEIGHTS["division"] * (a.division == b.division)
        + SIMILARITY_WEIGHTS["location"] * (a.location == b.location)
        + SIMILARITY_WEIGHTS["perspectives"] * tags
    )


def ndcg(found: list[str], grades: dict[str, int]) -> float:
    """NDCG@K with gains 2^grade − 1."""
    discount = 1.0 / np.log2(np.arange(2, K + 2))
    gains = [2 ** grades.get(person_id, 0) - 1 for person_id in found[:K]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:K]
    best = float(np.dot(ideal, discount[: len(ideal)]))
    return float(np.dot(gains, discount[: len(gains)])) / best if best else 0.0


def gini(counts: np.ndarray) -> float:
    """Gini coefficient of non-negative counts."""
    values = np.sort(counts.astype(np.float64))
    if not values.sum():
        return 0.0
    n = len(values)
    return float((2 * np.arange(1, n + 1) - n - 1).dot(values) / (n * values.sum()))


def evaluate(index: MatchIndex, company, people, purpose, diversities) -> dict:
    """All metrics for one purpose, per diversity."""
    subjects = [pid for (pid, p), _ in company.truth.items() if p == purpose]
    active = [p.id for p in company.people if p.active]
    position = {person_id: i for i, person_id in enumerate(active)}
    out, spread_at_zero = {}, {}
    for diversity in diversities:
        exposure = np.zeros(len(active))
        rows = []
        for person_id in subjects:
            found = index.recommend(person_id, purpose, k=K, diversity=diversity)
            ids = [item.person_id for item in found]
            grades = company.truth[(person_id, purpose)]
            members = [people[i] for i in ids]
            pairs = list(itertools.combinations(members, 2))
            spread = len({m.function for m in members}) + len({m.division for m in members})
            if diversity == 0.0:
                spread_at_zero[person_id] = spread
            rows.append(
                {
                    "precision": sum(grades.get(i, 0) >= 1 for i in ids) / K,
                    "ndcg": ndcg(ids, grades),
                    "ild": float(np.mean([1 - similarity(a, b) for a, b in pairs]))
                    if pairs
                    else 0.0,
                    "functions": len({m.function for m in members}),
                    "divisions": len({m.division for m in members}),
                    "narrower": spread < spread_at_zero.get(person_id, spread),
                    "breaches": breaches(people, people[person_id], purpose, found),
                    "length": len(ids),
                }
            )
            for i in ids:
                exposure[position[i]] += 1
        summary = {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}
        summary["breaches"] = int(sum(row["breaches"] for row in rows))
        summary["gini"] = gini(exposure[exposure > 0])
        summary["gini_all_active"] = gini(exposure)
        summary["coverage"] = float((exposure > 0).sum() / max(exposure.sum(), 1))
        summary["queries"] = len(rows)
        out[diversity] = summary
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the company, fit, evaluate; print a table and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200, help="planted subjects per purpose")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="CI smoke: 3,000 people, 30 queries")
    args = parser.parse_args(argv)
    if args.quick:
        args.people, args.queries = 3000, 30
    started = time.perf_counter()
    company = make_company(args.people, seed=args.seed, n_planted=args.queries)
    people = {p.id: p for p in company.people}
    index = MatchIndex().fit(company.people)
    seed_index = SeedCosineIndex().fit(company.people)
    print(
        f"{args.people:,} people, {args.queries} planted subjects per purpose, seed {args.seed} "
        f"(built and fitted in {time.perf_counter() - started:.1f} s)"
    )
    header = (
        f"{'purpose':17s} {'div':>4s} {'P@10':>6s} {'NDCG@10':>8s} {'ILD@10':>7s} "
        f"{'funcs':>6s} {'divs':>5s} {'narrower':>9s} {'breaches':>9s} {'Gini':>6s} {'len':>5s}"
    )
    print(header)
    results, total_breaches = {}, 0
    for purpose in PURPOSES:
        figures = evaluate(index, company, people, purpose, DIVERSITIES)
        seed = evaluate(seed_index, company, people, purpose, (0.0,))[0.0]
        results[purpose] = {"index": figures, "seed_design": seed}
        for diversity, row in figures.items():
            total_breaches += row["breaches"]
            print(
                f"{purpose:17s} {diversity:4.1f} {row['precision']:6.3f} {row['ndcg']:8.3f} "
                f"{row['ild']:7.3f} {row['functions']:6.2f} {row['divisions']:5.2f} "
                f"{100 * row['narrower']:8.1f}% {row['breaches']:9d} {row['gini']:6.3f} "
                f"{row['length']:5.1f}"
            )
        total_breaches += seed["breaches"]
        print(
            f"{purpose:17s} seed design (TF-IDF cosine skill fit), div 0: "
            f"P@10 {seed['precision']:.3f}, NDCG@10 {seed['ndcg']:.3f}"
        )
    print("JSON " + json.dumps({"people": args.people, "seed": args.seed, "results": results}))
    if total_breaches:
        print(f"HARD RULES BROKEN: {total_breaches}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
