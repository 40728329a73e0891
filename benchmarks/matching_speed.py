"""Speed of the matching index, side by side with the obvious baseline, in one run.

    python benchmarks/matching_speed.py --people 100000
    python benchmarks/matching_speed.py --people 1000000 --queries 200 --baseline-queries 30
    python benchmarks/matching_speed.py --quick          # CI smoke: small, fast, still checked

Measures the fit time, memory (the index's arrays, and the process's RSS before and after
the fit with its peak), p50/p99 latency of ``recommend`` per purpose, and the time of
``upsert`` (changed records and new people) with the first query after the updates.

The baseline is scikit-learn's ``NearestNeighbors(metric="cosine", algorithm="brute")`` on the
very matrices the index holds (the TF-IDF teach matrix, unit rows; the query's TF-IDF row),
followed by the index's own filtering and scoring: it is ``MatchIndex`` with only the
retrieval step replaced. To be exact it has to see every candidate with a positive fit, not
just the first k eligible ones: the final order is by the composite score, not by cosine, so
a candidate far down the cosine order may rank first. ``kneighbors`` has no cursor, so the
baseline asks for 4·k neighbours, then four times more, and so on, until the last neighbour
returned shares no skill with the query (cosine distance 1) or everyone has been seen. It is
generous to the baseline: its filtering and scoring are the index's, vectorised. The run
also reports the tempting shortcut — stop as soon as k eligible candidates are in hand — and
how often that shortcut returns a different list.

Both lists are compared for every baseline query (same ids in the same order, scores to
1e-9); the script exits non-zero if any differ, or on a hard-rule breach in quick mode.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _matching_company import make_company  # noqa: E402

from matching import PURPOSES, MatchIndex, Person  # noqa: E402


def memory() -> dict[str, float]:
    """Resident and peak resident memory of this process, in MiB (Linux)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
    }


class NearestNeighboursBaseline(MatchIndex):
    """``MatchIndex`` whose retrieval is a brute-force cosine kNN search (see module doc)."""

    def __init__(self, stop_at_k: bool = False) -> None:
        super().__init__()
        self.stop_at_k = stop_at_k

    def attach(self) -> NearestNeighboursBaseline:
        """Fit the nearest-neighbour model on the index's TF-IDF teach matrix."""
        ids, matrix = self.skill_matrix("teach", "tfidf")
        assert ids == self._ids, "rows must line up with the index (fit, no removals)"
        self.nn_ = NearestNeighbors(metric="cosine", algorithm="brute").fit(matrix)
        self.k_ = 10
        return self

    def _retrieve(self, query):
        vector = self._query_row(query.person, query.purpose, query.wants)
        n = self._n_rows
        fetch = min(n, 4 * self.k_)
        while True:
            distance, found = self.nn_.kneighbors(vector, n_neighbors=fetch)
            distance, found = distance[0], found[0]
            shared = found[distance < 1.0 - 1e-12]
            usable = shared[query.relevant[shared]]
            if fetch == n or distance[-1] >= 1.0 - 1e-12:
                break  # every candidate sharing a skill has been seen
            if self.stop_at_k and len(usable) >= self.k_:
                break  # the shortcut: not exact
            fetch = min(n, 4 * fetch)
        if query.in_target is not None:
            usable = np.union1d(usable, np.flatnonzero(query.in_target))
        return np.unique(usable)


def subjects_for(people: list[Person], purpose: str, count: int, rng) -> list[str]:
    """People for whom the purpose makes sense: someone to learn from above or below."""
    if purpose == "mentor":
        pool = [p for p in people if p.active and p.level <= 6 and (p.learning or p.goals)]
    elif purpose == "reverse_mentor":
        pool = [p for p in people if p.active and p.level >= 4]
    else:
        pool = [p for p in people if p.active and p.skills]
    return [pool[i].id for i in rng.choice(len(pool), size=count, replace=count > len(pool))]


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50 and p99 in milliseconds."""
    values = np.asarray(seconds) * 1000
    return {"p50": float(np.percentile(values, 50)), "p99": float(np.percentile(values, 99))}


def changed(person: Person, rng, vocabulary: list[str]) -> Person:
    """The same person with a few skills and wishes changed, as an HR sync would bring."""
    fields = {name: getattr(person, name) for name in Person.__dataclass_fields__}
    skills = dict(person.skills)
    for skill in rng.choice(vocabulary, size=2):
        skills[str(skill)] = int(rng.integers(1, 6))
    fields["skills"] = skills
    fields["learning"] = {str(rng.choice(vocabulary)): int(rng.integers(1, 4))}
    return Person(**fields)


def run(args) -> dict:
    """One benchmark run; returns the figures (also printed)."""
    rng = np.random.default_rng(args.seed + 1)
    started = time.perf_counter()
    company = make_company(args.people, seed=args.seed)
    people = company.people
    print(f"generated {len(people):,} people in {time.perf_counter() - started:.1f} s")
    before = memory()
    started = time.perf_counter()
    index = MatchIndex().fit(people)
    fit_seconds = time.perf_counter() - started
    after = memory()
    result = {
        "people": args.people,
        "machine": machine(),
        "fit_s": fit_seconds,
        "index_mib": index.memory_bytes() / 2**20,
        "rss_before_fit_mib": before["VmRSS"],
        "rss_after_fit_mib": after["VmRSS"],
        "peak_rss_mib": after["VmHWM"],
        "vocabulary": len(index.vocabulary_),
    }
    print(
        f"fit {fit_seconds:.2f} s; index arrays {result['index_mib']:.0f} MiB; RSS "
        f"{before['VmRSS']:.0f} → {after['VmRSS']:.0f} MiB (peak {after['VmHWM']:.0f})"
    )

    baseline = shortcut = None
    if args.baseline_queries:
        started = time.perf_counter()
        baseline = NearestNeighboursBaseline().fit(people).attach()
        shortcut = NearestNeighboursBaseline(stop_at_k=True).fit(people).attach()
        print(f"baselines fitted in {time.perf_counter() - started:.1f} s")

    result["purposes"] = {}
    mismatches = 0
    for purpose in PURPOSES:
        subjects = subjects_for(people, purpose, args.queries, rng)
        for person_id in subjects[:5]:  # warm-up (and the per-version norms)
            index.recommend(person_id, purpose)
        fast, lists = [], {}
        for person_id in subjects:
            started = time.perf_counter()
            lists[person_id] = index.recommend(person_id, purpose, k=10)
            fast.append(time.perf_counter() - started)
        figures = {
            "fast_ms": percentiles(fast),
            "mean_length": float(np.mean([len(found) for found in lists.values()])),
        }
        if baseline is not None:
            slow, quick, exact, shortcut_exact = [], [], 0, 0
            for person_id in subjects[: args.baseline_queries]:
                expected = [(r.person_id, r.score) for r in lists[person_id]]
                started = time.perf_counter()
                found = baseline.recommend(person_id, purpose, k=10)
                slow.append(time.perf_counter() - started)
                same = [r.person_id for r in found] == [i for i, _ in expected] and all(
                    abs(r.score - s) <= 1e-9 for r, (_, s) in zip(found, expected, strict=True)
                )
                exact += same
                started = time.perf_counter()
                found = shortcut.recommend(person_id, purpose, k=10)
                quick.append(time.perf_counter() - started)
                shortcut_exact += [r.person_id for r in found] == [i for i, _ in expected]
            count = len(slow)
            mismatches += count - exact
            figures |= {
                "baseline_ms": percentiles(slow),
                "baseline_queries": count,
                "baseline_exact": exact,
                "shortcut_ms": percentiles(quick),
                "shortcut_exact": shortcut_exact,
                "speedup_p50": percentiles(slow)["p50"] / figures["fast_ms"]["p50"],
                "speedup_p99": percentiles(slow)["p99"] / figures["fast_ms"]["p99"],
            }
        result["purposes"][purpose] = figures
        line = f"{purpose:17s} fast p50 {figures['fast_ms']['p50']:7.2f} ms p99 " + (
            f"{figures['fast_ms']['p99']:7.2f} ms"
        )
        if baseline is not None:
            line += (
                f" | baseline p50 {figures['baseline_ms']['p50']:8.2f} ms p99 "
                f"{figures['baseline_ms']['p99']:8.2f} ms ({figures['speedup_p50']:.0f}× / "
                f"{figures['speedup_p99']:.0f}×), exact {figures['baseline_exact']}/{count}"
                f" | stop-at-k shortcut p50 {figures['shortcut_ms']['p50']:.2f} ms, same list "
                f"{figures['shortcut_exact']}/{count}"
            )
        print(line)

    # Updates: changed records of existing people, then new people; then the first query.
    vocabulary = list(index.vocabulary_)
    changes = [
        changed(people[i], rng, vocabulary)
        for i in rng.choice(len(people), size=args.upserts, replace=False)
    ]
    template = people[0]
    newcomers = [
        Person(
            **{
                **{name: getattr(template, name) for name in Person.__dataclass_fields__},
                "id": f"new{i:06d}",
            }
        )  # fmt: skip
        for i in range(max(1, args.upserts // 5))
    ]
    timings = {"changed": [], "new": []}
    started_all = time.perf_counter()
    for kind, batch in (("changed", changes), ("new", newcomers)):
        for person in batch:
            started = time.perf_counter()
            index.upsert(person)
            timings[kind].append(time.perf_counter() - started)
    total = time.perf_counter() - started_all
    first = {}
    for purpose in PURPOSES:
        person_id = subjects_for(people, purpose, 1, rng)[0]
        started = time.perf_counter()
        index.recommend(person_id, purpose)
        first[purpose] = (time.perf_counter() - started) * 1000
    # Compaction folds the update tail back into the CSC base; it runs once the tail passes
    # compaction_ratio of the base, so its cost is spread over that many updates.
    entries_per_upsert = np.mean([len(p.skills) + len(p.learning) for p in changes])
    base_entries = index._teach.base_size
    started = time.perf_counter()
    index._compact()
    compaction = time.perf_counter() - started
    every = max(index.compaction_min_entries, index.compaction_ratio * base_entries)
    every /= entries_per_upsert
    result["compaction"] = {
        "seconds": compaction,
        "every_upserts": float(every),
        "amortised_ms": compaction * 1000 / every,
    }
    print(
        f"compaction {compaction:.2f} s, due every ~{every:,.0f} upserts: "
        f"{result['compaction']['amortised_ms']:.3f} ms per upsert amortised"
    )
    result["upsert"] = {
        "changed_ms": percentiles(timings["changed"]),
        "new_ms": percentiles(timings["new"]),
        "max_ms": max(timings["changed"] + timings["new"]) * 1000,
        "mean_ms": total * 1000 / (len(changes) + len(newcomers)),
        "first_query_after_ms": first,
    }
    upsert = result["upsert"]
    print(
        f"upsert changed p50 {upsert['changed_ms']['p50']:.3f} ms p99 "
        f"{upsert['changed_ms']['p99']:.3f} ms; new p50 {upsert['new_ms']['p50']:.3f} ms; "
        f"mean {upsert['mean_ms']:.3f} ms (compactions included), max {upsert['max_ms']:.1f} ms;"
        f" first query after: "
        + ", ".join(f"{purpose} {ms:.1f} ms" for purpose, ms in first.items())
    )
    result["mismatches"] = mismatches
    return result


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print a JSON summary line; non-zero exit if not exact."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300, help="timed queries per purpose")
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=None,
        help="queries per purpose also run through the baseline (default: min(queries, 60))",
    )
    parser.add_argument("--upserts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="CI smoke: 3,000 people")
    args = parser.parse_args(argv)
    if args.quick:
        args.people, args.queries, args.upserts = 3000, 40, 200
    if args.baseline_queries is None:
        args.baseline_queries = min(args.queries, 60)
    result = run(args)
    print("JSON " + json.dumps(result))
    if result["mismatches"]:
        print(f"NOT EXACT: {result['mismatches']} baseline lists differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
