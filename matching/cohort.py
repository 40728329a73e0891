"""Matching a whole cohort at once: mentees to mentors under capacities, three ways.

A :class:`Cohort` holds both sides' preference lists (best first) as integer arrays: each
mentee's list of at most L mentors with the mentee's score of each, and the mentor's score of
that mentee (the mentor side ranks only the mentees who listed them: the others could never
be matched to them). :func:`stable`, :func:`optimal` and :func:`greedy` return an
:class:`Assignment`; :func:`evaluate` measures one, :func:`outcomes` explains it from the lists.
``matching/README.md`` ("Cohort runs") documents the rules. Nothing here knows about the service.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

METHODS = ("stable", "optimal", "greedy")
UNMATCHED = -1

# Why a mentee is left without a mentor.
NO_ELIGIBLE_MENTOR = "no_eligible_mentor"
BELOW_MINIMUM_SCORE = "below_minimum_score"
MENTORS_FULL = "mentors_full"


@dataclass
class Cohort:
    """The preference lists of one cohort, both sides, as arrays.

    ``choices[i]`` holds mentor indices in mentee i's order (best first), padded with -1;
    ``scores[i, k]`` is mentee i's score of that mentor, ``mentor_scores[i, k]`` the mentor's
    score of mentee i. ``capacity[j]`` bounds mentor j's mentees. ``pinned`` maps a mentee
    index to the mentor index an administrator fixed; ``eligible[i]`` counts the mentors that
    were eligible for mentee i before the minimum score cut (to explain an empty list).
    """

    mentee_ids: list[str]
    mentor_ids: list[str]
    choices: np.ndarray
    scores: np.ndarray
    mentor_scores: np.ndarray
    capacity: np.ndarray
    pinned: dict[int, int] = field(default_factory=dict)
    eligible: np.ndarray | None = None

    def __post_init__(self) -> None:
        n, m = len(self.mentee_ids), len(self.mentor_ids)
        self.choices = np.asarray(self.choices, dtype=np.int64)
        if self.choices.ndim != 2:
            self.choices = self.choices.reshape(n, -1) if n else np.zeros((0, 0), dtype=np.int64)
        self.scores = np.asarray(self.scores, dtype=np.float64).reshape(self.choices.shape)
        self.mentor_scores = np.asarray(self.mentor_scores, dtype=np.float64).reshape(
            self.choices.shape
        )
        if self.choices.shape[1] == 0:  # one empty column keeps every array operation defined
            self.choices = np.full((n, 1), UNMATCHED, dtype=np.int64)
            self.scores = np.zeros((n, 1))
            self.mentor_scores = np.zeros((n, 1))
        self.capacity = np.asarray(self.capacity, dtype=np.int64)
        if self.capacity.shape != (m,) or (self.capacity < 0).any():
            raise ValueError("capacity must hold one non-negative integer per mentor")
        if ((self.choices < UNMATCHED) | (self.choices >= m)).any():
            raise ValueError("choices must be mentor indices or -1")
        if self.eligible is None:
            self.eligible = (self.choices >= 0).sum(axis=1)
        pinned_load = np.bincount(
            np.fromiter(self.pinned.values(), dtype=np.int64, count=len(self.pinned)),
            minlength=m,
        )
        if (pinned_load > self.capacity).any():
            raise ValueError("pinned pairs exceed a mentor's capacity")
        self._rank: np.ndarray | None = None

    @classmethod
    def from_lists(
        cls,
        mentee_lists: Mapping[str, Sequence[tuple[str, float]]],
        mentor_scores: Mapping[str, Mapping[str, float]],
        capacity: Mapping[str, int],
        pinned: Mapping[str, str] | None = None,
    ) -> Cohort:
        """Build a cohort from ``{mentee: [(mentor, score), …best first]}`` and the mentors' side.

        ``mentor_scores[mentor][mentee]`` is the mentor's score of a mentee who listed them.
        """
        mentee_ids = list(mentee_lists)
        mentor_ids = list(capacity)
        column = {mentor_id: j for j, mentor_id in enumerate(mentor_ids)}
        width = max((len(items) for items in mentee_lists.values()), default=0)
        choices = np.full((len(mentee_ids), width), UNMATCHED, dtype=np.int64)
        scores = np.zeros(choices.shape)
        theirs = np.zeros(choices.shape)
        for i, mentee_id in enumerate(mentee_ids):
            for k, (mentor_id, score) in enumerate(mentee_lists[mentee_id]):
                choices[i, k] = column[mentor_id]
                scores[i, k] = score
                theirs[i, k] = mentor_scores[mentor_id][mentee_id]
        row = {mentee_id: i for i, mentee_id in enumerate(mentee_ids)}
        return cls(
            mentee_ids,
            mentor_ids,
            choices,
            scores,
            theirs,
            np.asarray([capacity[m] for m in mentor_ids], dtype=np.int64),
            {row[e]: column[r] for e, r in (pinned or {}).items()},
        )

    @property
    def mentor_rank(self) -> np.ndarray:
        """Rank (0 = best) of mentee i in the list of mentor ``choices[i, k]``; -1 where empty.

        A mentor prefers the higher mentor-side score, and among equal scores the mentee who
        comes first in ``mentee_ids``.
        """
        if self._rank is None:
            rows, cols = np.nonzero(self.choices >= 0)
            mentors = self.choices[rows, cols]
            order = np.lexsort((rows, -self.mentor_scores[rows, cols], mentors))
            sorted_mentors = mentors[order]
            starts = np.searchsorted(sorted_mentors, sorted_mentors, side="left")
            rank = np.full(self.choices.shape, UNMATCHED, dtype=np.int64)
            rank[rows[order], cols[order]] = np.arange(len(order)) - starts
            self._rank = rank
        return self._rank

    def mentor_list(self, mentor: int) -> list[tuple[int, float]]:
        """Mentor ``mentor``'s list: (mentee index, mentor-side score), best first."""
        rows, cols = np.nonzero(self.choices == mentor)
        order = np.argsort(self.mentor_rank[rows, cols], kind="stable")
        return [(int(rows[o]), float(self.mentor_scores[rows[o], cols[o]])) for o in order]


@dataclass
class Assignment:
    """A matching: ``mentor[i]`` is mentee i's mentor index, or -1; which pairs were pinned."""

    mentor: np.ndarray
    pinned: frozenset[int] = frozenset()

    def position(self, cohort: Cohort) -> np.ndarray:
        """Position (0-based) of each mentee's mentor in their list; -1 unmatched or unlisted."""
        hits = (cohort.choices == self.mentor[:, None]) & (self.mentor[:, None] >= 0)
        return np.where(hits.any(axis=1), hits.argmax(axis=1), UNMATCHED)

    def load(self, n_mentors: int) -> np.ndarray:
        """How many mentees each mentor has."""
        return np.bincount(self.mentor[self.mentor >= 0], minlength=n_mentors)


def _residual(cohort: Cohort) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mentor capacity left after the pins; the free mentees; the starting assignment."""
    n, m = len(cohort.mentee_ids), len(cohort.mentor_ids)
    mentor = np.full(n, UNMATCHED, dtype=np.int64)
    for i, j in cohort.pinned.items():
        mentor[i] = j
    room = cohort.capacity - np.bincount(mentor[mentor >= 0], minlength=m)
    free = np.ones(n, dtype=bool)
    free[list(cohort.pinned)] = False
    return room, free, mentor


def stable(cohort: Cohort) -> Assignment:
    """Mentee-proposing deferred acceptance with capacities (hospitals/residents).

    Returns the mentee-optimal stable matching of the unpinned mentees over the capacity the
    pins leave: every mentee gets the best mentor they can have in any stable matching.
    O(total list length) proposals, each O(log capacity).
    """
    room, free, mentor = _residual(cohort)
    choices, rank = cohort.choices, cohort.mentor_rank
    # Each mentor's held mentees as a heap of (-rank, mentee): the worst held is on top.
    held: list[list[tuple[int, int]]] = [[] for _ in cohort.mentor_ids]
    next_choice = np.zeros(len(cohort.mentee_ids), dtype=np.int64)
    width = choices.shape[1]
    queue = list(np.flatnonzero(free)[::-1])
    choices_list = choices.tolist()
    rank_list = rank.tolist()
    while queue:
        i = int(queue.pop())
        k = int(next_choice[i])
        row, ranks = choices_list[i], rank_list[i]
        while k < width and row[k] >= 0:
            j, r = row[k], ranks[k]
            k += 1
            heap = held[j]
            if len(heap) < room[j]:
                heapq.heappush(heap, (-r, i))
                break
            if heap and -heap[0][0] > r:
                _, loser = heapq.heapreplace(heap, (-r, i))
                queue.append(loser)
                break
        next_choice[i] = k
    for j, heap in enumerate(held):
        for _, i in heap:
            mentor[i] = j
    return Assignment(mentor, frozenset(cohort.pinned))


def greedy(cohort: Cohort) -> Assignment:
    """Best score first: take pairs in descending mentee score while both sides have room.

    The baseline the bulk-matching tools use. Ties go to the earlier mentee, then the
    earlier choice in their list.
    """
    room, free, mentor = _residual(cohort)
    rows, cols = np.nonzero(cohort.choices >= 0)
    order = np.lexsort((cols, rows, -cohort.scores[rows, cols]))
    choices = cohort.choices
    for i, k in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if free[i]:
            j = choices[i, k]
            if room[j] > 0:
                room[j] -= 1
                mentor[i] = j
                free[i] = False
    return Assignment(mentor, frozenset(cohort.pinned))


def optimal(cohort: Cohort) -> Assignment:
    """The assignment of largest total score under capacities (a maximum-weight b-matching).

    Solved exactly as a minimum-cost full matching of a sparse bipartite graph (scipy's
    LAPJVsp): each mentor is replicated into as many slots as they have room (at most the
    number of mentees who list them), each mentee also gets a private "unmatched" slot, and a
    pair costs ``C − score`` where unmatched costs ``C`` (C exceeds every score), so the
    cheapest full matching is the one of largest total score. Integral by construction, no LP
    rounding; the graph has Σ list length × slots edges.
    """
    room, free, mentor = _residual(cohort)
    rows, cols = np.nonzero((cohort.choices >= 0) & free[:, None])
    if not len(rows):
        return Assignment(mentor, frozenset(cohort.pinned))
    mentors = cohort.choices[rows, cols]
    scores = cohort.scores[rows, cols]
    listed = np.bincount(mentors, minlength=len(room))
    slots = np.minimum(room, listed)
    first_slot = np.concatenate(([0], np.cumsum(slots)[:-1]))
    n_slots = int(slots.sum())
    repeat = slots[mentors]
    edge_rows = np.repeat(rows, repeat)
    edge_mentors = np.repeat(mentors, repeat)
    offsets = np.arange(len(edge_rows)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    edge_cols = first_slot[edge_mentors] + offsets
    ceiling = float(scores.max(initial=0.0)) + 1.0
    edge_costs = ceiling - np.repeat(scores, repeat)
    n = len(cohort.mentee_ids)
    free_rows = np.flatnonzero(free)
    graph = sparse.csr_matrix(
        (
            np.concatenate((edge_costs, np.full(len(free_rows), ceiling))),
            (
                np.concatenate((edge_rows, free_rows)),
                np.concatenate((edge_cols, n_slots + np.arange(len(free_rows)))),
            ),
        ),
        shape=(n, n_slots + len(free_rows)),
    )
    # Pinned mentees have no edge: solve on the free mentees' rows only.
    graph = graph[free_rows]
    row_of, col_of = min_weight_full_bipartite_matching(graph)
    slot_mentor = np.repeat(np.arange(len(room)), slots)
    for r, c in zip(row_of.tolist(), col_of.tolist(), strict=True):
        if c < n_slots:
            mentor[free_rows[r]] = slot_mentor[c]
    return Assignment(mentor, frozenset(cohort.pinned))


SOLVERS = {"stable": stable, "optimal": optimal, "greedy": greedy}


def solve(cohort: Cohort, method: str) -> Assignment:
    """Match ``cohort`` with ``method`` (stable, optimal or greedy)."""
    if method not in SOLVERS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    return SOLVERS[method](cohort)


def blocking_pairs(cohort: Cohort, assignment: Assignment) -> np.ndarray:
    """Mask over the lists: (i, k) is a blocking pair of mentee i and mentor ``choices[i, k]``.

    A mentee (not pinned) and a listed mentor block when the mentee prefers the mentor to
    what they got (or got nothing) and the mentor has room or prefers the mentee to their
    worst unpinned mentee. Pinned pairs are the administrator's decision: nobody displaces them.
    """
    m = len(cohort.mentor_ids)
    position = assignment.position(cohort)
    width = cohort.choices.shape[1]
    better = np.arange(width)[None, :] < np.where(position >= 0, position, width)[:, None]
    better &= cohort.choices >= 0
    pinned = np.zeros(len(cohort.mentee_ids), dtype=bool)
    pinned[list(assignment.pinned)] = True
    better[pinned] = False
    load = assignment.load(m)
    # The rank of each mentor's worst unpinned mentee; +inf when the mentor has room.
    worst = np.full(m, -1, dtype=np.int64)
    matched = np.flatnonzero((position >= 0) & ~pinned)
    if len(matched):
        ranks = cohort.mentor_rank[matched, position[matched]]
        np.maximum.at(worst, assignment.mentor[matched], ranks)
    worst = np.where(load < cohort.capacity, np.iinfo(np.int64).max, worst)
    mentors = np.where(cohort.choices >= 0, cohort.choices, 0)
    return better & (cohort.mentor_rank < worst[mentors])


def gini(values: np.ndarray) -> float:
    """The Gini coefficient of non-negative values: 0 when equal, towards 1 when concentrated."""
    values = np.sort(np.asarray(values, dtype=np.float64))
    total = values.sum()
    if len(values) == 0 or total <= 0:
        return 0.0
    n = len(values)
    return float((2 * np.arange(1, n + 1) - n - 1) @ values / (n * total))


def evaluate(
    cohort: Cohort, assignment: Assignment, divisions: Mapping[str, str] | None = None
) -> dict[str, float | int | None]:
    """The metrics of an assignment, as JSON-ready numbers.

    ``divisions`` maps person ids to divisions, for the share of cross-division pairs.
    Ranks are 1-based positions in the mentee's list; pinned pairs outside the list count
    for the score (0) and the share, not for ranks.
    """
    n, m = len(cohort.mentee_ids), len(cohort.mentor_ids)
    matched = np.flatnonzero(assignment.mentor >= 0)
    position = assignment.position(cohort)
    listed = matched[position[matched] >= 0]
    scores = cohort.scores[listed, position[listed]]
    ranks = position[listed] + 1
    load = assignment.load(m)
    cross = None
    if divisions is not None and len(matched):
        cross = float(
            np.mean(
                [
                    divisions.get(cohort.mentee_ids[i], "")
                    != divisions.get(cohort.mentor_ids[assignment.mentor[i]], "")
                    for i in matched
                ]
            )
        )
    return {
        "mentees": n,
        "mentors": m,
        "matched": len(matched),
        "matched_share": len(matched) / n if n else 0.0,
        "total_score": round(float(scores.sum()), 6),
        "mean_score": round(float(scores.mean()), 6) if len(scores) else None,
        "mean_rank": round(float(ranks.mean()), 6) if len(ranks) else None,
        "worst_rank": int(ranks.max()) if len(ranks) else None,
        "blocking_pairs": int(blocking_pairs(cohort, assignment).sum()),
        "capacity_violations": int(np.maximum(load - cohort.capacity, 0).sum()),
        "mentor_load_gini": round(gini(load), 6),
        "cross_division_share": None if cross is None else round(cross, 6),
    }


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# How each method's outcome reads when better choices were taken.
_FILLED = {
    "stable": "filled by mentees they could help more",
    "greedy": "filled by pairs that scored higher",
    "optimal": "filled by others, which gave the cohort a larger total score",
}


def _filled(names: list[str], method: str) -> str:
    if len(names) == 1:
        return f"Your first choice, {names[0]}, was {_FILLED[method]}"
    if len(names) == 2:
        return f"Your first two choices, {names[0]} and {names[1]}, were {_FILLED[method]}"
    return (
        f"Your first {len(names)} choices ({', '.join(names[:2])} and "
        f"{len(names) - 2} more) were {_FILLED[method]}"
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one mentee, explained from the run's own lists."""

    mentee: int
    mentor: int  # -1 when unmatched
    rank: int | None  # 1-based position of the mentor in the mentee's list
    score: float | None
    explanation: str
    reason: str | None = None  # why unmatched: one of the constants above


def outcomes(
    cohort: Cohort,
    assignment: Assignment,
    method: str,
    names: Mapping[str, str] | None = None,
) -> list[Outcome]:
    """Explain every mentee's outcome: their mentor's rank and why better choices were not theirs.

    ``names`` maps ids to what a reader calls people (ids by default).
    """
    names = names or {}

    def name(j: int) -> str:
        mentor_id = cohort.mentor_ids[j]
        return names.get(mentor_id, mentor_id)

    position = assignment.position(cohort)
    out = []
    for i in range(len(cohort.mentee_ids)):
        j, k = int(assignment.mentor[i]), int(position[i])
        listed = [int(c) for c in cohort.choices[i] if c >= 0]
        if i in assignment.pinned:
            rank = k + 1 if k >= 0 else None
            score = float(cohort.scores[i, k]) if k >= 0 else None
            text = f"{name(j)} was pinned by the programme's administrator."
            out.append(Outcome(i, j, rank, score, text))
        elif j >= 0 and k >= 0:
            score = float(cohort.scores[i, k])
            if k == 0:
                text = f"{name(j)} was your first choice; they had room."
            else:
                text = (
                    f"{_filled([name(c) for c in listed[:k]], method)}; {name(j)} was your "
                    f"{_ordinal(k + 1)} choice and had room."
                )
            out.append(Outcome(i, j, k + 1, score, text))
        elif j >= 0:
            text = f"{name(j)} was placed by review, outside your list."
            out.append(Outcome(i, j, None, None, text))
        elif not listed and int(cohort.eligible[i]) == 0:
            text = "No mentor in the programme was eligible for you."
            out.append(Outcome(i, j, None, None, text, NO_ELIGIBLE_MENTOR))
        elif not listed:
            text = "Every eligible mentor scored below the programme's minimum score."
            out.append(Outcome(i, j, None, None, text, BELOW_MINIMUM_SCORE))
        else:
            shown = ", ".join(name(c) for c in listed[:3]) + (" …" if len(listed) > 3 else "")
            text = f"Every mentor on your list ({shown}) was {_FILLED[method]}."
            out.append(Outcome(i, j, None, None, text, MENTORS_FULL))
    return out


def intro_groups(score: np.ndarray, allowed: np.ndarray, group_size: int = 2) -> list[list[int]]:
    """Pair everyone (or make groups of ``group_size``, 2–8) for one intro round.

    ``score[a, b]`` is how good an introduction of a and b is (symmetric); ``allowed[a, b]``
    is False for pairs that must not meet (met in the last rounds, "don't pair me with").
    Greedy, best pair first: each pair joins two people who are both still free. Groups
    larger than two then merge pairs whose members score best together. Nobody is left out:
    people without an allowed partner are paired among themselves as a last resort (their
    group is then flagged by the caller as breaking the rule), and when the count does not
    divide, the remaining person joins the group they score best with (a group of three).
    """
    n = len(score)
    if n < 2:
        return [list(range(n))] if n else []
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    rows, cols = np.nonzero(upper & allowed)
    order = np.lexsort((cols, rows, -score[rows, cols]))
    free = np.ones(n, dtype=bool)
    groups: list[list[int]] = []
    for a, b in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if free[a] and free[b]:
            free[a] = free[b] = False
            groups.append([a, b])
    left = np.flatnonzero(free).tolist()
    while len(left) >= 2:
        groups.append([left.pop(0), left.pop(0)])
    if group_size > 2:
        groups = _grow(groups, score, allowed, group_size)
    if left:
        person = left[0]
        if groups:
            target = max(groups, key=lambda g: float(score[person, g].mean()))
            target.append(person)
        else:
            groups.append([person])
    return groups


def _grow(
    pairs: list[list[int]], score: np.ndarray, allowed: np.ndarray, size: int
) -> list[list[int]]:
    """Turn pairs (best first) into groups of ``size``: each group starts from the best pair
    left and takes, one at a time, the person with the best mean score with its members."""
    pool = [p for pair in pairs for p in pair]
    free = set(pool)
    groups = []
    for pair in pairs:
        if not set(pair) <= free:
            continue
        group = list(pair)
        free -= set(group)
        while len(group) < size and free:
            best = max(
                sorted(free),
                key=lambda p: (bool(allowed[p, group].all()), float(score[p, group].mean())),
            )
            group.append(best)
            free.discard(best)
        groups.append(group)
    for person in sorted(free):  # someone left alone: the best of the smallest groups
        smallest = min(len(g) for g in groups)
        candidates = [g for g in groups if len(g) == smallest]
        max(candidates, key=lambda g: float(score[person, g].mean())).append(person)
    return groups
