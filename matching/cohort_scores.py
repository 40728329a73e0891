"""Both sides' preference lists of a cohort, scored in blocks with the engine's rules.

One ``MatchIndex.recommend`` per mentee scans the whole directory each time; a cohort of
100,000 mentees cannot afford that. :class:`CohortScorer` computes the same seven components
(``matching/README.md``) for a block of mentees against every mentor of the cohort at once,
with sparse products: a teaching gap ``(L_c − h)⁺ / (5 − h)`` splits by the mentee's held level
``h`` ∈ 0…4, so ``skill_fit = Σ_h A_h · T_hᵀ`` where ``A_h`` holds the mentee's wanted-skill
shares at held level h and ``T_h`` the mentors' levels above h. Then it keeps each mentee's
top L eligible mentors. The tests check every score against ``MatchIndex`` one query at a time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Self

import numpy as np
from scipy import sparse

from .base import resolve_weights
from .reasons import explain
from .records import MAX_SKILL_LEVEL, Person
from .scoring import (
    CLOSENESS_WEIGHT,
    COMPONENTS,
    FUNCTION_NOVELTY_WEIGHT,
    MENTEE_LOAD,
    PERSPECTIVE_WEIGHTS,
    PRIORITY_WEIGHTS,
    PURPOSES,
    SCORE_DECIMALS,
    SENIORITY_FIT,
    Network,
    Want,
    build_wants,
    candidate_wants,
    idf,
    lacked_skills,
    network_of,
    target_functions,
)

# What a mentor sees in a mentee: how much the mentor can teach them (the mentee's skill fit)
# and how much the mentee can teach back (the mutual benefit).
MENTOR_SIDE_WEIGHTS = {"skill_fit": 0.7, "mutual_benefit": 0.3}
DEFAULT_LENGTH = 50
DEFAULT_BLOCK = 256
_LEVELS = range(MAX_SKILL_LEVEL)  # a held level h = 0…4 leaves room to teach


@dataclass
class Preferences:
    """Every mentee's top-L mentors, both sides' scores, ready for :class:`matching.cohort.Cohort`.

    ``mentee_ids`` and ``mentor_ids`` are sorted, so index order is id order (ties break by id).
    """

    mentee_ids: list[str]
    mentor_ids: list[str]
    choices: np.ndarray
    scores: np.ndarray
    mentor_scores: np.ndarray
    eligible: np.ndarray


@dataclass
class _Mentee:
    person: Person
    wants: dict[str, Want]
    targets: dict[str, tuple[str, ...]]
    network: Network


class CohortScorer:
    """Score a cohort's mentees against its mentors in blocks, as the engine scores one query.

    Parameters
    ----------
    purpose : one of ``matching.PURPOSES``; the programme's purpose.
    weights : overrides of the engine's weights (normalised per purpose).
    length : the L of each mentee's list (their best L eligible mentors).
    block : mentees scored at once (memory is about 8 · block · mentors bytes per matrix).

    Eligibility in a cohort: both people active, not the same person, neither in the other's
    manager chain, the mentor not already the mentee's mentor, the purpose's direction
    (mentor: more senior; reverse mentor: more junior; cross-functional: another function),
    relevant as for the engine (something to teach; for cross-functional, shared skills or a
    target function), and not a forbidden pair. Enrolment is the mentor's opt-in: the
    profile's ``open_to_mentor`` and free capacity are not required, and availability is
    the free share of the profile's capacity (1 when the profile states none).
    """

    def __init__(
        self,
        purpose: str = "mentor",
        weights: Mapping[str, Mapping[str, float]] | None = None,
        length: int = DEFAULT_LENGTH,
        block: int = DEFAULT_BLOCK,
    ) -> None:
        self.purpose = purpose
        self.weights = weights
        self.length = length
        self.block = block

    def fit(self, population: Iterable[Person]) -> Self:
        """Learn document frequencies, codes and ties from the whole directory; returns self."""
        if self.purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}")
        if not isinstance(self.length, int) or self.length < 1:
            raise ValueError("length must be a positive integer")
        self.weights_ = resolve_weights(self.weights)[self.purpose]
        people = {}
        for person in population:
            if person.id in people:
                raise ValueError(f"duplicate person id {person.id!r}")
            people[person.id] = person
        self.people_ = people
        active = [p for p in people.values() if p.active]
        frequency = Counter(skill for p in active for skill in p.skills)
        names = sorted(
            {s for p in people.values() for s in (*p.skills, *candidate_wants(p))}
            | {s for p in people.values() for g in p.goals for s in g.skills}
        )
        self.vocabulary_ = {name: i for i, name in enumerate(names)}
        self.idf_ = idf([frequency[name] for name in names], len(active))
        self._codes: dict[str, dict[str, int]] = defaultdict(dict)
        tags = sorted({t for p in people.values() for t in p.perspectives})
        self._tags = {t: i for i, t in enumerate(tags)}
        # Ties, undirected (the stronger direction), between active people only.
        links: dict[str, dict[str, float]] = defaultdict(dict)
        for person in active:
            for other, strength in person.ties.items():
                if strength > 0 and other != person.id and other in people and people[other].active:
                    for a, b in ((person.id, other), (other, person.id)):
                        links[a][b] = max(links[a].get(b, 0.0), strength)
        self._links = links
        # Skill holders per function and level, for the skills a senior lacks (reverse).
        self._holders: dict[str, list[Counter]] = defaultdict(lambda: [Counter() for _ in range(9)])
        self._headcount: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
        for person in active:
            self._holders[person.function][person.level].update(list(person.skills))
            self._headcount[person.function][person.level] += 1
        self._lacks: dict[tuple[str, int], dict[str, float]] = {}
        return self

    # ------------------------------------------------------------------ per person

    def _code(self, kind: str, value: str) -> int:
        return self._codes[kind].setdefault(value, len(self._codes[kind]))

    def _lacked(self, person: Person) -> dict[str, float]:
        key = (person.function, person.level)
        if key not in self._lacks:
            holders, heads = self._holders[person.function], self._headcount[person.function]
            juniors = sum((holders[level] for level in range(1, person.level)), Counter())
            seniors = sum((holders[level] for level in range(person.level, 9)), Counter())
            self._lacks[key] = lacked_skills(
                juniors,
                sum(heads[1 : person.level]),
                seniors,
                sum(heads[person.level :]),
            )
        return self._lacks[key]

    def _mentee(self, person: Person) -> _Mentee:
        lacks = self._lacked(person) if self.purpose == "reverse_mentor" else {}
        people, links = self.people_, self._links
        network = network_of(
            person.id,
            lambda ids: {i: links.get(i, {}) for i in ids},
            lambda pid: people[pid].function,
        )
        return _Mentee(
            person,
            build_wants(person, self.purpose, None, lacks),
            target_functions(person, None),
            network,
        )

    def _chain(self, person: Person) -> set[str]:
        chain, manager_id = set(), person.manager_id
        while manager_id is not None and manager_id not in chain and manager_id != person.id:
            chain.add(manager_id)
            if manager_id not in self.people_:
                break
            manager_id = self.people_[manager_id].manager_id
        return chain

    # ------------------------------------------------------------------ matrices

    def _rows(self, entries: list[tuple[int, int, float]], n_rows: int) -> sparse.csr_matrix:
        if entries:
            rows, cols, data = zip(*entries, strict=True)
        else:
            rows, cols, data = (), (), ()
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), (rows, cols)),
            shape=(n_rows, len(self.vocabulary_)),
        )

    def _levels(self, people: list[Person]) -> sparse.csr_matrix:
        vocabulary = self.vocabulary_
        return self._rows(
            [
                (r, vocabulary[s], float(lv))
                for r, p in enumerate(people)
                for s, lv in p.skills.items()
            ],
            len(people),
        )

    def _mentor_side(self, mentors: list[Person]) -> dict:
        """What is computed once for every mentor of the cohort."""
        vocabulary, idf_ = self.vocabulary_, self.idf_
        teach = self._levels(mentors)
        above = {
            h: sparse.csr_matrix(
                (np.maximum(teach.data - h, 0.0), teach.indices, teach.indptr), shape=teach.shape
            ).T.tocsr()
            for h in _LEVELS
        }
        # What each mentor wants to learn, split by the level they hold it at (mutual benefit).
        wants_by_level: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
        for r, mentor in enumerate(mentors):
            theirs = candidate_wants(mentor)
            total = math.fsum(PRIORITY_WEIGHTS[code] for code in theirs.values())
            for skill, code in theirs.items():
                h = mentor.skills.get(skill, 0)
                if total > 0 and h < MAX_SKILL_LEVEL:
                    weight = PRIORITY_WEIGHTS[code] / total / (MAX_SKILL_LEVEL - h)
                    wants_by_level[h].append((r, vocabulary[skill], weight))
        learn = {h: self._rows(wants_by_level[h], len(mentors)).T.tocsr() for h in _LEVELS}
        tags = sparse.csr_matrix(
            (
                np.ones(sum(len(m.perspectives) for m in mentors)),
                (
                    [r for r, m in enumerate(mentors) for _ in m.perspectives],
                    [self._tags[t] for m in mentors for t in sorted(m.perspectives)],
                ),
            ),
            shape=(len(mentors), len(self._tags)),
        )
        weighted = teach.multiply(idf_[None, :]).tocsr()
        # For each manager, the mentors whose chain they are in (never paired either way).
        managed: dict[str, list[int]] = defaultdict(list)
        for j, mentor in enumerate(mentors):
            for manager in self._chain(mentor):
                managed[manager].append(j)
        capacity = np.asarray([m.mentor_capacity for m in mentors], dtype=np.float64)
        mentees = np.asarray([m.active_mentees for m in mentors], dtype=np.float64)
        if self.purpose == "mentor":
            availability = np.where(
                capacity > 0,
                np.clip((capacity - mentees) / np.maximum(capacity, 1), 0.0, 1.0),
                1.0,
            )
        else:
            availability = 1.0 / (1.0 + MENTEE_LOAD * mentees)
        return {
            "teach": teach,
            "teach_t": teach.T.tocsr(),
            "above": above,
            "learn": learn,
            "tags_t": tags.T.tocsr(),
            "n_tags": np.asarray([len(m.perspectives) for m in mentors], dtype=np.float64),
            "norm": np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel()),
            "level": np.asarray([m.level for m in mentors], dtype=np.int64),
            "function": np.asarray(
                [self._code("function", m.function) for m in mentors], dtype=np.int64
            ),
            "division": np.asarray(
                [self._code("division", m.division) for m in mentors], dtype=np.int64
            ),
            "location": np.asarray(
                [self._code("location", m.location) for m in mentors], dtype=np.int64
            ),
            "active": np.asarray([m.active for m in mentors], dtype=bool),
            "availability": availability,
            "column": {m.id: j for j, m in enumerate(mentors)},
            "by_function": _by_function(mentors, self._code),
            "managed": managed,
        }

    def _block(
        self, block: list[_Mentee], side: dict, include: Iterable[int] = ()
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The relevant pairs of a block of mentees and the cohort's mentors, and their components.

        Relevant as for the engine: the mentor teaches something wanted (cross-functional:
        shares a skill, or works in a target function). Returns the pairs' rows (in the
        block) and columns (mentors), and each component at those pairs; pairs ``include``d
        (as row · mentors + column) are scored even when not relevant.
        """
        include = np.fromiter(include, dtype=np.int64)
        vocabulary, idf_, purpose = self.vocabulary_, self.idf_, self.purpose
        b, m = len(block), len(side["level"])
        people = [e.person for e in block]
        if purpose == "cross_functional":
            profile_entries, goal_entries, own_norm = [], [], np.zeros(b)
            has_goal = np.zeros(b, dtype=bool)
            target_rows, target_cols = [], []
            for r, e in enumerate(block):
                skills = sorted(set(e.person.skills) | set(e.wants))
                values = []
                for s in skills:
                    want = e.wants.get(s)
                    value = max(
                        e.person.skills.get(s, 0) / MAX_SKILL_LEVEL, want.weight if want else 0.0
                    )
                    values.append(value * idf_[vocabulary[s]])
                    profile_entries.append((r, vocabulary[s], values[-1] * idf_[vocabulary[s]]))
                own_norm[r] = math.sqrt(sum(v * v for v in values))
                goal = [s for s in skills if s in e.wants and e.wants[s].in_goal]
                total = sum(idf_[vocabulary[s]] for s in goal)
                has_goal[r] = bool(goal)
                goal_entries += [
                    (r, vocabulary[s], idf_[vocabulary[s]] / total / MAX_SKILL_LEVEL) for s in goal
                ]
                for function in e.targets:
                    code = self._codes["function"].get(function)
                    cols = side["by_function"].get(code, ())
                    target_rows.append(np.full(len(cols), r, dtype=np.int64))
                    target_cols.append(np.asarray(cols, dtype=np.int64))
            dot = (self._rows(profile_entries, b) @ side["teach_t"]).tocoo()
            keys = np.concatenate(
                [
                    dot.row.astype(np.int64) * m + dot.col,
                    *(r * m + c for r, c in zip(target_rows, target_cols, strict=True)),
                ]
            )
            keys = np.unique(np.concatenate((keys, include)))
            rows, cols = keys // m, keys % m
            numerator = _at(dot.tocsr(), rows, cols)
            norms = own_norm[rows] * side["norm"][cols]
            skill = np.divide(numerator, norms, out=np.zeros(len(rows)), where=numerator > 0)
            coverage = _at((self._rows(goal_entries, b) @ side["teach_t"]).tocsr(), rows, cols)
            target_keys = np.concatenate(
                [
                    np.zeros(0, dtype=np.int64),
                    *(r * m + c for r, c in zip(target_rows, target_cols, strict=True)),
                ]
            )
            in_target = np.isin(keys, target_keys).astype(np.float64)
            has_targets = np.asarray([bool(e.targets) for e in block])
            parts = has_targets[rows].astype(float) + has_goal[rows].astype(float)
            goal = np.divide(
                in_target * has_targets[rows] + coverage * has_goal[rows],
                parts,
                out=np.zeros(len(rows)),
                where=parts > 0,
            )
            gap = np.abs(side["level"][cols] - np.asarray([p.level for p in people])[rows])
        else:
            by_level: dict[int, list] = defaultdict(list)
            goal_by_level: dict[int, list] = defaultdict(list)
            for r, e in enumerate(block):
                names = sorted(e.wants)
                shares = np.asarray([e.wants[s].weight * idf_[vocabulary[s]] for s in names])
                total = shares.sum()
                goal_names = [s for s in names if e.wants[s].in_goal]
                goal_total = sum(idf_[vocabulary[s]] for s in goal_names)
                for s, share in zip(names, shares, strict=True):
                    h = e.person.skills.get(s, 0)
                    if h >= MAX_SKILL_LEVEL:
                        continue
                    by_level[h].append((r, vocabulary[s], share / total / (MAX_SKILL_LEVEL - h)))
                    if e.wants[s].in_goal:
                        weight = idf_[vocabulary[s]] / goal_total / (MAX_SKILL_LEVEL - h)
                        goal_by_level[h].append((r, vocabulary[s], weight))
            skill_matrix = sparse.csr_matrix((b, m))
            goal_matrix = sparse.csr_matrix((b, m))
            for h in _LEVELS:
                if by_level[h]:
                    skill_matrix = skill_matrix + self._rows(by_level[h], b) @ side["above"][h]
                if goal_by_level[h]:
                    goal_matrix = goal_matrix + self._rows(goal_by_level[h], b) @ side["above"][h]
            keys = _keys(skill_matrix)[0]
            if len(include):
                keys = np.unique(np.concatenate((keys, include)))
            rows, cols = keys // m, keys % m
            skill = _at(skill_matrix.tocsr(), rows, cols)
            goal = _at(goal_matrix.tocsr(), rows, cols)
            gap = side["level"][cols] - np.asarray([p.level for p in people])[rows]
            gap = gap if purpose == "mentor" else -gap
        seniority = np.asarray(SENIORITY_FIT[purpose])[np.clip(gap, 0, 7)]

        def codes(kind: str) -> np.ndarray:
            return np.asarray([self._code(kind, getattr(p, kind)) for p in people], dtype=np.int64)[
                rows
            ]

        tags = sparse.csr_matrix(
            (
                np.ones(sum(len(p.perspectives) for p in people)),
                (
                    [r for r, p in enumerate(people) for _ in p.perspectives],
                    [self._tags[t] for p in people for t in sorted(p.perspectives)],
                ),
            ),
            shape=(b, len(self._tags)),
        )
        shared = _at((tags @ side["tags_t"]).tocsr(), rows, cols)
        union = (
            np.asarray([len(p.perspectives) for p in people])[rows] + side["n_tags"][cols] - shared
        )
        distance = np.where(
            union > 0, 1.0 - np.divide(shared, union, out=np.zeros(len(rows)), where=union > 0), 0.0
        )
        perspective = (
            PERSPECTIVE_WEIGHTS["function"] * (side["function"][cols] != codes("function"))
            + PERSPECTIVE_WEIGHTS["division"] * (side["division"][cols] != codes("division"))
            + PERSPECTIVE_WEIGHTS["location"] * (side["location"][cols] != codes("location"))
            + PERSPECTIVE_WEIGHTS["perspectives"] * distance
        )

        closeness_entries: dict[int, float] = {}
        share_entries = []
        column = side["column"]
        for r, e in enumerate(block):
            network = e.network
            for other in network.direct.keys() | network.via.keys():
                if other in column:
                    closeness_entries[r * m + column[other]] = network.closeness(other)
            for function, share in network.function_share.items():
                code = self._codes["function"].get(function)
                if code is not None:
                    share_entries.append((r, code, share))
        closeness = np.zeros(len(rows))
        if closeness_entries and len(keys):
            where = np.searchsorted(keys, list(closeness_entries))
            hit = (where < len(keys)) & (
                keys[np.minimum(where, len(keys) - 1)] == list(closeness_entries)
            )
            closeness[where[hit]] = np.asarray(list(closeness_entries.values()))[hit]
        n_functions = max(len(self._codes["function"]), 1)
        function_share = np.zeros((b, n_functions))
        for r, code, share in share_entries:
            function_share[r, code] = share
        novelty = CLOSENESS_WEIGHT * (1.0 - closeness) + FUNCTION_NOVELTY_WEIGHT * (
            1.0 - function_share[rows, side["function"][cols]]
        )

        held = self._levels(people)
        mutual = np.zeros(len(rows))
        for h in _LEVELS:
            above = sparse.csr_matrix(
                (np.maximum(held.data - h, 0.0), held.indices, held.indptr), shape=held.shape
            )
            mutual += _at((above @ side["learn"][h]).tocsr(), rows, cols)

        components = {
            "skill_fit": skill,
            "goal_alignment": goal,
            "seniority_fit": seniority,
            "perspective_diversity": perspective,
            "network_novelty": novelty,
            "mutual_benefit": mutual,
            "availability": side["availability"][cols],
        }
        return rows, cols, components

    def _eligible(
        self, block: list[_Mentee], side: dict, rows: np.ndarray, cols: np.ndarray
    ) -> np.ndarray:
        """The rules that never break, at the given pairs (forbidden pairs aside)."""
        people = [e.person for e in block]
        m = len(side["level"])
        level = np.asarray([p.level for p in people], dtype=np.int64)[rows]
        if self.purpose == "mentor":
            ok = side["level"][cols] > level
        elif self.purpose == "reverse_mentor":
            ok = side["level"][cols] < level
        else:
            functions = np.asarray(
                [self._code("function", p.function) for p in people], dtype=np.int64
            )
            ok = side["function"][cols] != functions[rows]
        ok &= side["active"][cols] & np.asarray([p.active for p in people], dtype=bool)[rows]
        column, managed = side["column"], side["managed"]
        excluded = []
        for r, person in enumerate(people):
            for other in {person.id} | person.mentor_ids | self._chain(person):
                if other in column:
                    excluded.append(r * m + column[other])
            excluded.extend(r * m + j for j in managed.get(person.id, ()))
        if excluded:
            ok &= ~np.isin(rows * m + cols, excluded)
        return ok

    # ------------------------------------------------------------------ the cohort

    def preferences(
        self,
        mentee_ids: Collection[str],
        mentor_ids: Collection[str],
        *,
        forbidden: Collection[tuple[str, str]] = (),
        min_score: float = 0.0,
        progress: Callable[[float], None] | None = None,
    ) -> Preferences:
        """Each mentee's best L eligible mentors, with both sides' scores.

        ``forbidden`` holds (mentee, mentor) pairs that must never be listed; pairs scoring
        below ``min_score`` are cut after eligibility is counted. ``progress`` is called with
        the share of mentees done after each block.
        """
        mentee_ids, mentor_ids = sorted(mentee_ids), sorted(mentor_ids)
        mentors = [self.people_[m] for m in mentor_ids]
        side = self._mentor_side(mentors)
        n, length = len(mentee_ids), min(self.length, max(len(mentor_ids), 1))
        row = {e: i for i, e in enumerate(mentee_ids)}
        banned: dict[int, list[int]] = defaultdict(list)
        for mentee_id, mentor_id in forbidden:
            if mentee_id in row and mentor_id in side["column"]:
                banned[row[mentee_id]].append(side["column"][mentor_id])
        choices = np.full((n, length), -1, dtype=np.int64)
        scores = np.zeros((n, length))
        theirs = np.zeros((n, length))
        eligible_count = np.zeros(n, dtype=np.int64)
        m = len(mentor_ids)
        for start in range(0, n, self.block):
            ids = mentee_ids[start : start + self.block]
            block = [self._mentee(self.people_[e]) for e in ids]
            rows, cols, components = self._block(block, side)
            ok = self._eligible(block, side, rows, cols)
            barred = [r * m + j for r in range(len(ids)) for j in banned.get(start + r, ())]
            if barred:
                ok &= ~np.isin(rows * m + cols, barred)
            score = sum(self.weights_[c] * components[c] for c in COMPONENTS)
            score = np.round(score, SCORE_DECIMALS)
            eligible_count[start : start + len(ids)] = np.bincount(rows[ok], minlength=len(ids))
            ok &= score >= min_score
            mentor_side = sum(w * components[c] for c, w in MENTOR_SIDE_WEIGHTS.items())
            rows, cols, score, mentor_side = rows[ok], cols[ok], score[ok], mentor_side[ok]
            # Best first, ties by mentor id (column order); keep each row's first L.
            order = np.lexsort((cols, -score, rows))
            rows, cols, score, mentor_side = (
                rows[order],
                cols[order],
                score[order],
                mentor_side[order],
            )
            rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
            kept = rank < length
            at = (start + rows[kept], rank[kept])
            choices[at] = cols[kept]
            scores[at] = score[kept]
            theirs[at] = np.round(mentor_side[kept], SCORE_DECIMALS)
            if progress is not None:
                progress(min(1.0, (start + len(ids)) / n))
        return Preferences(mentee_ids, mentor_ids, choices, scores, theirs, eligible_count)

    def pair(self, mentee_id: str, mentor_id: str) -> tuple[float, dict[str, float], list[str]]:
        """One pair's score, components and reasons (the engine's wording)."""
        mentee, mentor = self._mentee(self.people_[mentee_id]), self.people_[mentor_id]
        side = self._mentor_side([mentor])
        _, _, components = self._block([mentee], side, include=[0])
        values = {c: float(components[c][0]) for c in COMPONENTS}
        score = float(
            np.round(sum(self.weights_[c] * values[c] for c in COMPONENTS), SCORE_DECIMALS)
        )
        reasons = explain(
            self.purpose, mentee.person, mentor, mentee.wants, mentee.targets, mentee.network
        )
        return score, values, reasons


def _keys(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """A CSR matrix's entries as sorted keys (row · columns + column) and their values."""
    matrix = matrix.tocsr()
    matrix.sum_duplicates()
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    return rows * matrix.shape[1] + matrix.indices, matrix.data


def _at(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The values of a sparse matrix at (rows, cols), zeros included (by binary search)."""
    found, values = _keys(matrix)
    if not len(rows) or not len(found):
        return np.zeros(len(rows))
    wanted = rows * matrix.shape[1] + cols
    where = np.minimum(np.searchsorted(found, wanted), len(found) - 1)
    return np.where(found[where] == wanted, values[where], 0.0).astype(np.float64)


def _by_function(mentors: list[Person], code: Callable[[str, str], int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for j, mentor in enumerate(mentors):
        out[code("function", mentor.function)].append(j)
    return out
