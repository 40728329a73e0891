"""The fast engine: exact retrieval over sparse skill matrices, scored, diversified, explained.

See ``matching/README.md`` for the scoring formulas. The shape of a query:

1. *Eligibility* — one vectorised mask over all N people (purpose flag, direction of
   seniority or function, active, capacity), with the person, their manager chain and their
   current mentors switched off by id.
2. *Retrieval* — the columns of the wanted skills are read from a CSC matrix of what people
   teach; a ``bincount`` over those entries gives every eligible person's skill fit at once.
   Everyone with a positive fit is a candidate: retrieval is exact, nobody is sampled out.
3. *Scoring* — the other six components, vectorised over the candidates only.
4. *Ranking* — ``argpartition`` for a pool of ``pool_factor · k``, maximal marginal relevance
   for diversity, and reasons built for the final k only.

Updates rewrite one row: its new entries go to an append-only tail and its old ones are marked
dead, so ``upsert`` costs the person's own entries, not the matrix. Document frequencies are
counted incrementally and IDF is applied at query time; the one quantity that depends on every
row's IDF (a row's TF-IDF norm, used by the cross-functional cosine) is recomputed lazily, once
per version, in a single pass over the entries. The tail is folded back into the CSC base
("compaction") when it grows past a fraction of it, so the amortised cost of an update stays
constant.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Self

import numpy as np
from scipy import sparse

from .base import Recommender, UnknownPersonError, check_query, resolve_weights
from .reasons import explain
from .records import MAX_SKILL_LEVEL, Person, Recommendation
from .scoring import (
    CLOSENESS_WEIGHT,
    COMPONENTS,
    DEFAULT_POOL_FACTOR,
    FUNCTION_NOVELTY_WEIGHT,
    MENTEE_LOAD,
    PERSPECTIVE_WEIGHTS,
    PRIORITY_WEIGHTS,
    SCORE_DECIMALS,
    SENIORITY_FIT,
    SIMILARITY_WEIGHTS,
    GoalFocus,
    Network,
    Want,
    build_wants,
    candidate_wants,
    diversify,
    idf,
    lacked_skills,
    network_of,
    target_functions,
)

_PRIORITY_WEIGHTS = np.asarray(PRIORITY_WEIGHTS)
_SENIORITY_FIT = {purpose: np.asarray(table) for purpose, table in SENIORITY_FIT.items()}


class _ReadWriteLock:
    """Many readers at once, or one writer; a waiting writer holds back new readers."""

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self):
        """Hold the lock shared for the duration of the block."""
        with self._condition:
            # Waiting writers go first, or a steady flow of queries would starve updates.
            while self._writing or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if not self._readers:
                    self._condition.notify_all()

    @contextmanager
    def writing(self):
        """Hold the lock exclusively for the duration of the block."""
        with self._condition:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._condition.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


class _ColumnStore:
    """Row-by-column entries (person × skill, tag or tie) read one column at a time.

    A CSC *base* built at compaction plus an append-only *tail*: rewriting a row marks its base
    entries stale and its previous tail segment dead, then appends the new entries. Entries of
    one row are appended in the caller's order (skills sorted by name), and a row's entries
    live either in the base or in the tail, never both; so sums over a row are taken in the
    same order however the store was built, and scores repeat to the last bit.
    """

    def __init__(self, fields: Mapping[str, type]) -> None:
        self.fields = dict(fields)
        self.build(
            np.empty(0, np.int64),
            np.empty(0, np.int64),
            {name: np.empty(0, dtype) for name, dtype in self.fields.items()},
            n_cols=0,
            n_rows=0,
        )

    def build(self, rows, cols, data, n_cols: int, n_rows: int) -> None:
        """Replace everything by a base made of these entries (at most one per row and col)."""
        order = np.lexsort((rows, cols))
        self.rows = np.ascontiguousarray(rows[order], dtype=np.int32)
        self.cols = np.ascontiguousarray(cols[order], dtype=np.int32)
        self.data = {name: np.ascontiguousarray(data[name][order]) for name in self.fields}
        self.indptr = np.zeros(n_cols + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.cols, minlength=n_cols), out=self.indptr[1:])
        self.n_cols = n_cols
        self.base_rows = n_rows
        self.stale = np.zeros(max(n_rows, 1), dtype=bool)
        self.n_stale = 0
        capacity = 1024
        self.t_rows = np.empty(capacity, np.int32)
        self.t_cols = np.empty(capacity, np.int32)
        self.t_data = {name: np.empty(capacity, dtype) for name, dtype in self.fields.items()}
        self.t_alive = np.zeros(capacity, dtype=bool)
        self.t_len = 0
        self.span: dict[int, tuple[int, int]] = {}
        self._squares: sparse.csc_matrix | None = None

    @property
    def base_size(self) -> int:
        """Entries in the base, stale ones included."""
        return len(self.rows)

    def nbytes(self) -> int:
        """Memory held by the arrays."""
        arrays = [self.rows, self.cols, self.indptr, self.stale, self.t_rows, self.t_cols]
        arrays += [*self.data.values(), *self.t_data.values(), self.t_alive]
        if self._squares is not None:
            arrays.append(self._squares.data)
        return sum(array.nbytes for array in arrays)

    def write(self, row: int, cols: np.ndarray, data: Mapping[str, np.ndarray]) -> None:
        """Make ``row``'s entries exactly these (an empty ``cols`` clears the row)."""
        old = self.span.pop(row, None)
        if old is not None:
            self.t_alive[old[0] : old[1]] = False
        if row < self.base_rows and not self.stale[row]:
            self.stale[row] = True
            self.n_stale += 1
        count = len(cols)
        if not count:
            return
        start, stop = self.t_len, self.t_len + count
        if stop > len(self.t_rows):
            size = max(2 * len(self.t_rows), stop)
            self.t_rows = np.resize(self.t_rows, size)
            self.t_cols = np.resize(self.t_cols, size)
            self.t_data = {name: np.resize(array, size) for name, array in self.t_data.items()}
            alive = np.zeros(size, dtype=bool)
            alive[: self.t_len] = self.t_alive[: self.t_len]
            self.t_alive = alive
        self.t_rows[start:stop] = row
        self.t_cols[start:stop] = cols
        for name, array in self.t_data.items():
            array[start:stop] = data[name]
        self.t_alive[start:stop] = True
        self.t_len = stop
        self.span[row] = (start, stop)

    def entries(self, cols: Sequence[int]):
        """Live entries of the given columns: ``(rows, positions in cols, {field: values})``."""
        cols = np.asarray(cols, dtype=np.int64)
        pieces_rows, pieces_pos = [], []
        pieces_data: dict[str, list[np.ndarray]] = {name: [] for name in self.fields}
        for position, col in enumerate(cols.tolist()):
            if col >= self.n_cols:
                continue
            start, stop = self.indptr[col], self.indptr[col + 1]
            if start == stop:
                continue
            pieces_rows.append(self.rows[start:stop])
            pieces_pos.append(np.full(stop - start, position, dtype=np.int32))
            for name in self.fields:
                pieces_data[name].append(self.data[name][start:stop])
        if self.n_stale and pieces_rows:
            fresh = [~self.stale[piece] for piece in pieces_rows]
            pieces_rows = [piece[keep] for piece, keep in zip(pieces_rows, fresh, strict=True)]
            pieces_pos = [piece[keep] for piece, keep in zip(pieces_pos, fresh, strict=True)]
            for name in self.fields:
                pieces_data[name] = [
                    piece[keep] for piece, keep in zip(pieces_data[name], fresh, strict=True)
                ]
        if self.t_len and len(cols):
            tail_cols = self.t_cols[: self.t_len]
            hit = np.flatnonzero(self.t_alive[: self.t_len] & np.isin(tail_cols, cols))
            if len(hit):
                sorter = np.argsort(cols)
                position = sorter[np.searchsorted(cols, tail_cols[hit], sorter=sorter)]
                pieces_rows.append(self.t_rows[hit])
                pieces_pos.append(position.astype(np.int32))
                for name in self.fields:
                    pieces_data[name].append(self.t_data[name][hit])
        if not pieces_rows:
            empty = {name: np.empty(0, dtype) for name, dtype in self.fields.items()}
            return np.empty(0, np.int32), np.empty(0, np.int32), empty
        return (
            np.concatenate(pieces_rows),
            np.concatenate(pieces_pos),
            {name: np.concatenate(pieces) for name, pieces in pieces_data.items()},
        )

    def square_sums(self, name: str, weights: np.ndarray, n_rows: int) -> np.ndarray:
        """Each row's Σ (value · weight[col])² over its live entries, in one pass.

        The base part is one sparse mat-vec against the squared weights (the CSC arrays are
        wrapped, not copied, apart from the squared values kept since the last build); rows
        rewritten since then take their sums from the tail instead.
        """
        if self._squares is None:
            values = self.data[name].astype(np.float64)
            self._squares = sparse.csc_matrix(
                (values * values, self.rows, self.indptr), shape=(self.base_rows, self.n_cols)
            )
        out = np.zeros(n_rows)
        squared = weights * weights
        out[: self.base_rows] = self._squares @ squared[: self.n_cols]
        if self.n_stale:
            out[: self.base_rows][self.stale[: self.base_rows]] = 0.0
        if self.t_len:
            alive = self.t_alive[: self.t_len]
            values = (
                self.t_data[name][: self.t_len][alive] * weights[self.t_cols[: self.t_len][alive]]
            )
            out += np.bincount(self.t_rows[: self.t_len][alive], values * values, minlength=n_rows)
        return out

    def live(self):
        """Every live entry: ``(rows, cols, {field: values})``, base first."""
        keep = ~self.stale[self.rows] if self.n_stale else slice(None)
        alive = self.t_alive[: self.t_len]
        return (
            np.concatenate([self.rows[keep], self.t_rows[: self.t_len][alive]]),
            np.concatenate([self.cols[keep], self.t_cols[: self.t_len][alive]]),
            {
                name: np.concatenate(
                    [self.data[name][keep], self.t_data[name][: self.t_len][alive]]
                )
                for name in self.fields
            },
        )

    def compact(self, new_row: np.ndarray, n_rows: int, n_cols: int) -> None:
        """Fold the tail into a new base, renumbering rows through ``new_row``."""
        rows, cols, data = self.live()
        self.build(new_row[rows], cols, data, n_cols=n_cols, n_rows=n_rows)

    def grow_rows(self, n_rows: int) -> None:
        """Make room for row numbers below ``n_rows``."""
        if n_rows > len(self.stale):
            self.stale = np.concatenate(
                [self.stale, np.zeros(max(n_rows, 2 * len(self.stale)) - len(self.stale), bool)]
            )


# Per-row columns of the index, with their dtypes.
_ROW_COLUMNS = {
    "level": np.int8,
    "function": np.int32,
    "division": np.int32,
    "location": np.int32,
    "alive": bool,
    "active": bool,
    "mentor_ok": bool,
    "reverse_ok": bool,
    "capacity": np.int32,
    "mentees": np.int32,
    "n_tags": np.int32,
    "want_total": np.float64,
}


@dataclass
class _Query:
    """Everything one recommend call has worked out before ranking."""

    person: Person
    purpose: str
    wants: dict[str, Want]
    targets: dict[str, tuple[str, ...]]
    network: Network
    eligible: np.ndarray
    relevant: np.ndarray
    skill: np.ndarray  # mentor/reverse: skill fit; cross: the cosine's numerator
    goal: np.ndarray | None  # goal skill coverage
    in_target: np.ndarray | None = None  # cross: works in a target function
    own_norm: float = 0.0  # cross: norm of the person's profile vector
    has_goal_skills: bool = False


class MatchIndex(Recommender):
    """Exact, explainable recommendations of people to meet, kept current in place.

    Parameters
    ----------
    weights : mapping of purpose to ``{component: weight}``, optional
        Overrides of :data:`matching.scoring.DEFAULT_WEIGHTS`; each purpose's weights are
        normalised to sum to 1, so a score stays in [0, 1].
    pool_factor : int, default 5
        The diversity re-ranking chooses k people among the best ``pool_factor · k``.
    compaction_ratio : float, default 0.05
        Fold the update tail into the CSC base once it holds more than this share of the
        base's entries (or once removed rows exceed this share of rows).
    compaction_min_entries : int, default 4096
        ... but never for fewer tail entries than this: small tails are cheap to scan.

    Attributes
    ----------
    vocabulary_ : dict[str, int]
        Column of each skill in the skill matrices (append-only).
    weights_ : dict[str, dict[str, float]]
        The resolved, normalised weights per purpose.
    version_ : int
        Changes on every ``fit``, ``upsert`` and ``remove``.

    Thread safety
    -------------
    ``recommend`` (and the read-only helpers) may run in any number of threads at once; they
    share a read lock. ``fit``, ``upsert`` and ``remove`` take the lock exclusively: they
    wait for the queries in flight, and queries arriving meanwhile wait for them. A query
    therefore sees the index wholly before or wholly after a mutation, never half-way.
    Results are fresh objects that share no state with the index. ``Person`` records are
    immutable, so the index keeps references to them rather than copies.
    """

    def __init__(
        self,
        weights: Mapping[str, Mapping[str, float]] | None = None,
        pool_factor: int = DEFAULT_POOL_FACTOR,
        compaction_ratio: float = 0.05,
        compaction_min_entries: int = 4096,
    ) -> None:
        self.weights = weights
        self.pool_factor = pool_factor
        self.compaction_ratio = compaction_ratio
        self.compaction_min_entries = compaction_min_entries
        # Not a parameter: the lock must exist before the first fit, which itself takes it.
        self._lock = _ReadWriteLock()
        self._cache_lock = threading.Lock()

    # ------------------------------------------------------------------ state

    def _reset(self) -> None:
        if isinstance(self.pool_factor, bool) or not isinstance(self.pool_factor, int):
            raise ValueError("pool_factor must be an integer")
        if self.pool_factor < 1:
            raise ValueError("pool_factor must be at least 1")
        if not 0.0 <= self.compaction_ratio:
            raise ValueError("compaction_ratio must be non-negative")
        self.weights_ = resolve_weights(self.weights)
        self.vocabulary_: dict[str, int] = {}
        self._skill_names: list[str] = []
        self._function_codes: dict[str, int] = {}
        self._function_names: list[str] = []
        self._division_codes: dict[str, int] = {}
        self._location_codes: dict[str, int] = {}
        self._tag_codes: dict[str, int] = {}
        self._id_codes: dict[str, int] = {}
        self._table = {name: np.zeros(0, dtype) for name, dtype in _ROW_COLUMNS.items()}
        self._n_rows = 0
        self._n_dead = 0
        self._records: list[Person | None] = []
        self._ids: list[str | None] = []
        self._row_of: dict[str, int] = {}
        self._teach = _ColumnStore({"level": np.int8})
        self._want = _ColumnStore({"priority": np.int8, "held": np.int8})
        self._tags = _ColumnStore({})
        self._ties = _ColumnStore({"strength": np.float64})
        self._df = np.zeros(0, dtype=np.int64)
        self._n_active = 0
        self._headcount: dict[tuple[int, int], int] = {}
        self._holders: dict[tuple[int, int], dict[int, int]] = {}
        self._norms: tuple[int, np.ndarray] | None = None
        self.version_ = getattr(self, "version_", 0)

    @property
    def _stores(self) -> tuple[_ColumnStore, ...]:
        return (self._teach, self._want, self._tags, self._ties)

    def _grow(self, n_rows: int) -> None:
        """Make room for ``n_rows`` rows in every per-row array."""
        capacity = len(self._table["level"])
        if n_rows > capacity:
            size = max(n_rows, 2 * capacity, 16)
            for name, array in self._table.items():
                grown = np.zeros(size, dtype=array.dtype)
                grown[:capacity] = array
                self._table[name] = grown
        for store in self._stores:
            store.grow_rows(n_rows)

    @staticmethod
    def _code(table: dict[str, int], key: str, names: list[str] | None = None) -> int:
        code = table.get(key)
        if code is None:
            code = table[key] = len(table)
            if names is not None:
                names.append(key)
        return code

    def _encode(self, people: Sequence[Person]):
        """Per-row values and the entries of each store for ``people`` (local row numbers)."""
        code, n = self._code, len(people)
        functions, names = self._function_codes, self._function_names
        table = {
            "level": np.fromiter((p.level for p in people), np.int8, n),
            "function": np.fromiter(
                (code(functions, p.function, names) for p in people), np.int32, n
            ),
            "division": np.fromiter(
                (code(self._division_codes, p.division) for p in people), np.int32, n
            ),
            "location": np.fromiter(
                (code(self._location_codes, p.location) for p in people), np.int32, n
            ),
            "alive": np.ones(n, dtype=bool),
            "active": np.fromiter((p.active for p in people), bool, n),
            "capacity": np.fromiter((p.mentor_capacity for p in people), np.int32, n),
            "mentees": np.fromiter((p.active_mentees for p in people), np.int32, n),
            "n_tags": np.fromiter((len(p.perspectives) for p in people), np.int32, n),
        }
        open_mentor = np.fromiter((p.open_to_mentor for p in people), bool, n)
        open_reverse = np.fromiter((p.open_to_reverse_mentor for p in people), bool, n)
        table["mentor_ok"] = table["active"] & open_mentor & (table["mentees"] < table["capacity"])
        table["reverse_ok"] = table["active"] & open_reverse

        vocabulary, skill_names = self.vocabulary_, self._skill_names
        tag_codes, id_codes = self._tag_codes, self._id_codes
        teach_rows, teach_cols, teach_levels = [], [], []
        want_rows, want_cols, want_priorities, want_held = [], [], [], []
        tag_rows, tag_cols = [], []
        tie_rows, tie_cols, tie_strengths = [], [], []
        want_totals = []
        for row, person in enumerate(people):
            skills = person.skills
            for skill in sorted(skills):
                teach_rows.append(row)
                teach_cols.append(code(vocabulary, skill, skill_names))
                teach_levels.append(skills[skill])
            wants = candidate_wants(person)
            want_totals.append(math.fsum(PRIORITY_WEIGHTS[c] for c in wants.values()))
            for skill in sorted(wants):
                want_rows.append(row)
                want_cols.append(code(vocabulary, skill, skill_names))
                want_priorities.append(wants[skill])
                want_held.append(skills.get(skill, 0))
            for tag in sorted(person.perspectives):
                tag_rows.append(row)
                tag_cols.append(code(tag_codes, tag))
            for other, strength in person.ties.items():
                if other != person.id:
                    tie_rows.append(row)
                    tie_cols.append(code(id_codes, other))
                    tie_strengths.append(strength)
        table["want_total"] = np.asarray(want_totals, dtype=np.float64)

        def ints(values):
            return np.asarray(values, dtype=np.int64)

        entries = {
            "teach": (
                ints(teach_rows),
                ints(teach_cols),
                {"level": np.asarray(teach_levels, np.int8)},
            ),
            "want": (
                ints(want_rows),
                ints(want_cols),
                {
                    "priority": np.asarray(want_priorities, np.int8),
                    "held": np.asarray(want_held, np.int8),
                },
            ),
            "tags": (ints(tag_rows), ints(tag_cols), {}),
            "ties": (
                ints(tie_rows),
                ints(tie_cols),
                {"strength": np.asarray(tie_strengths, np.float64)},
            ),
        }
        if len(self._df) < len(vocabulary):
            self._df = np.concatenate(
                [self._df, np.zeros(len(vocabulary) - len(self._df), np.int64)]
            )
        return table, entries

    def _count(self, person: Person, sign: int) -> None:
        """Add (+1) or withdraw (−1) an active person's share of the document frequencies."""
        if not person.active:
            return
        key = (self._function_codes[person.function], person.level)
        self._n_active += sign
        self._headcount[key] = self._headcount.get(key, 0) + sign
        if not self._headcount[key]:
            del self._headcount[key]
        holders = self._holders.setdefault(key, {})
        for skill in person.skills:
            col = self.vocabulary_[skill]
            self._df[col] += sign
            holders[col] = holders.get(col, 0) + sign
            if not holders[col]:
                del holders[col]

    # ------------------------------------------------------------------ building

    def fit(self, people: Iterable[Person]) -> Self:
        """Build the index from every person of the directory; returns self.

        Raises ValueError on duplicate ids and TypeError on anything but ``Person`` records.
        """
        people = list(people)
        seen = set()
        for person in people:
            if not isinstance(person, Person):
                raise TypeError(f"expected Person records, got {type(person).__name__}")
            if person.id in seen:
                raise ValueError(f"duplicate person id {person.id!r}")
            seen.add(person.id)
        with self._lock.writing():
            self._reset()
            n = len(people)
            self._grow(n)
            table, entries = self._encode(people)
            for name, values in table.items():
                self._table[name][:n] = values
            self._n_rows = n
            self._records = list(people)
            self._ids = [person.id for person in people]
            self._row_of = {person.id: row for row, person in enumerate(people)}
            stores = dict(zip(("teach", "want", "tags", "ties"), self._stores, strict=True))
            widths = {
                "teach": len(self.vocabulary_),
                "want": len(self.vocabulary_),
                "tags": len(self._tag_codes),
                "ties": len(self._id_codes),
            }
            for name, store in stores.items():
                rows, cols, data = entries[name]
                store.build(rows, cols, data, n_cols=widths[name], n_rows=n)
                store.grow_rows(max(n, 16))
            self._count_all()
            self.version_ += 1
        return self

    def _count_all(self) -> None:
        """Document frequencies and junior-holder counts of a freshly built index, vectorised."""
        n, vocabulary_size = self._n_rows, len(self.vocabulary_)
        active = self._table["active"][:n]
        rows, cols, _ = self._teach.live()
        held = active[rows]
        self._df = np.bincount(cols[held], minlength=vocabulary_size).astype(np.int64)
        self._n_active = int(active.sum())
        group = self._table["function"][:n].astype(np.int64) * 16 + self._table["level"][:n]
        keys, counts = np.unique(group[active], return_counts=True)
        self._headcount = {
            (int(key) // 16, int(key) % 16): int(count)
            for key, count in zip(keys, counts, strict=True)
        }
        combined = group[rows[held]] * max(vocabulary_size, 1) + cols[held]
        keys, counts = np.unique(combined, return_counts=True)
        holders: dict[tuple[int, int], dict[int, int]] = {}
        for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
            key_group, col = divmod(key, max(vocabulary_size, 1))
            holders.setdefault((key_group // 16, key_group % 16), {})[col] = count
        self._holders = holders

    def _fitted(self) -> bool:
        return hasattr(self, "version_") and hasattr(self, "_table")

    def upsert(self, person: Person) -> Self:
        """Add a person or replace their record, in time proportional to their own entries.

        An inactive person may be upserted: they stay queryable as a subject but are never a
        candidate. Calling ``upsert`` on an index never fitted starts it empty.
        """
        if not isinstance(person, Person):
            raise TypeError(f"expected a Person record, got {type(person).__name__}")
        with self._lock.writing():
            if not self._fitted():
                self._reset()
            row = self._row_of.get(person.id)
            if row is None:
                row = self._n_rows
                self._grow(row + 1)
                self._n_rows += 1
                self._records.append(None)
                self._ids.append(None)
            else:
                self._count(self._records[row], -1)
            table, entries = self._encode([person])
            for name, values in table.items():
                self._table[name][row] = values[0]
            for name, store in zip(("teach", "want", "tags", "ties"), self._stores, strict=True):
                _, cols, data = entries[name]
                store.write(row, cols, data)
            self._count(person, +1)
            self._records[row] = person
            self._ids[row] = person.id
            self._row_of[person.id] = row
            self.version_ += 1
            self._maybe_compact()
        return self

    def remove(self, person_id: str) -> Self:
        """Forget a person; raises :class:`UnknownPersonError` if they are not in the index.

        Removing is for people who leave the directory; someone deactivated is better
        ``upsert``-ed with ``active=False``, so that they can still be a subject.
        """
        with self._lock.writing():
            row = self._row_of.get(person_id) if self._fitted() else None
            if row is None:
                raise UnknownPersonError(person_id)
            self._count(self._records[row], -1)
            for name in ("alive", "active", "mentor_ok", "reverse_ok"):
                self._table[name][row] = False
            empty = np.empty(0, np.int64)
            for store in self._stores:
                store.write(row, empty, {})
            self._records[row] = None
            self._ids[row] = None
            del self._row_of[person_id]
            self._n_dead += 1
            self.version_ += 1
            self._maybe_compact()
        return self

    def _maybe_compact(self) -> None:
        ratio, floor = self.compaction_ratio, self.compaction_min_entries
        crowded = any(store.t_len > max(floor, ratio * store.base_size) for store in self._stores)
        # A removed row costs a slot in every per-row array until the next compaction.
        hollow = self._n_dead > max(floor / 8, ratio * self._n_rows)
        if crowded or hollow:
            self._compact()

    def _compact(self) -> None:
        """Fold every tail into its base and drop removed rows, renumbering the rest."""
        n = self._n_rows
        alive = self._table["alive"][:n].copy()
        m = int(alive.sum())
        new_row = np.full(max(n, 1), -1, dtype=np.int64)
        new_row[np.flatnonzero(alive)] = np.arange(m)
        if m < n:
            for array in self._table.values():
                array[:m] = array[:n][alive]
                array[m:n] = 0
            self._records = [record for record in self._records if record is not None]
            self._ids = [record.id for record in self._records]
            self._row_of = {person_id: row for row, person_id in enumerate(self._ids)}
        widths = (
            len(self.vocabulary_),
            len(self.vocabulary_),
            len(self._tag_codes),
            len(self._id_codes),
        )
        for store, width in zip(self._stores, widths, strict=True):
            store.compact(new_row, m, width)
            store.grow_rows(len(self._table["level"]))
        self._n_rows, self._n_dead = m, 0

    # ------------------------------------------------------------------ reading helpers

    def __len__(self) -> int:
        """Number of people in the index, active or not."""
        return len(self._row_of) if self._fitted() else 0

    def __contains__(self, person_id: object) -> bool:
        """Whether a person id is in the index."""
        return self._fitted() and person_id in self._row_of

    def _is_active(self, person_id: str) -> bool:
        row = self._row_of.get(person_id)
        return row is not None and bool(self._table["active"][row])

    def _function_of(self, person_id: str) -> str:
        return self._records[self._row_of[person_id]].function

    def _neighbours(self, ids: Sequence[str]) -> dict[str, dict[str, float]]:
        """Active neighbours of each id, with the stronger of the two tie directions."""
        out: dict[str, dict[str, float]] = {person_id: {} for person_id in ids}
        for person_id in ids:
            row = self._row_of.get(person_id)
            if row is None:
                continue
            found = out[person_id]
            for other, strength in self._records[row].ties.items():
                if strength > 0 and other != person_id and self._is_active(other):
                    found[other] = max(found.get(other, 0.0), strength)
        coded = [(self._id_codes[pid], pid) for pid in ids if pid in self._id_codes]
        if coded:
            rows, positions, data = self._ties.entries([code for code, _ in coded])
            active = self._table["active"]
            for row, position, strength in zip(
                rows.tolist(), positions.tolist(), data["strength"].tolist(), strict=True
            ):
                if strength <= 0 or not active[row]:
                    continue
                other, person_id = self._ids[row], coded[position][1]
                if other != person_id and strength > out[person_id].get(other, 0.0):
                    out[person_id][other] = strength
        return out

    def _manager_chain(self, person: Person) -> set[str]:
        chain, manager_id = set(), person.manager_id
        while manager_id is not None and manager_id not in chain and manager_id != person.id:
            chain.add(manager_id)
            row = self._row_of.get(manager_id)
            if row is None:
                break
            manager_id = self._records[row].manager_id
        return chain

    def _idf(self, skills: Sequence[str]) -> np.ndarray:
        vocabulary = self.vocabulary_
        frequency = [self._df[vocabulary[s]] if s in vocabulary else 0 for s in skills]
        return idf(np.asarray(frequency, dtype=np.int64), self._n_active)

    def _columns(self, skills: Sequence[str]) -> tuple[list[int], np.ndarray]:
        """Vocabulary columns of the known skills, and each one's position in ``skills``."""
        vocabulary = self.vocabulary_
        known = [(vocabulary[s], i) for i, s in enumerate(skills) if s in vocabulary]
        return [col for col, _ in known], np.asarray([i for _, i in known], dtype=np.int64)

    def _teach_norms(self) -> np.ndarray:
        """Each row's TF-IDF norm ‖level · idf‖, recomputed once per version."""
        with self._cache_lock:
            if self._norms is None or self._norms[0] != self.version_:
                weights = idf(self._df[: len(self.vocabulary_)], self._n_active)
                squares = self._teach.square_sums("level", weights, self._n_rows)
                self._norms = (self.version_, np.sqrt(squares))
            return self._norms[1]

    def _lacks(self, person: Person) -> dict[str, float]:
        function = self._function_codes[person.function]
        juniors, seniors = 0, 0
        below, above = Counter(), Counter()
        for level in range(1, 9):
            count = self._headcount.get((function, level), 0)
            holders = self._holders.get((function, level), {})
            if level < person.level:
                juniors += count
                below.update(holders)
            else:
                seniors += count
                above.update(holders)
        names = self._skill_names
        return lacked_skills(
            {names[col]: count for col, count in below.items()},
            juniors,
            {names[col]: count for col, count in above.items()},
            seniors,
        )

    # ------------------------------------------------------------------ querying

    def recommend(
        self,
        person_id: str,
        purpose: str = "mentor",
        k: int = 10,
        diversity: float = 0.3,
        goal_skills: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
        goal_functions: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
        *,
        exclude: Iterable[str] = (),
        weights: Mapping[str, Mapping[str, float]] | None = None,
    ) -> list[Recommendation]:
        """Up to ``k`` people for ``person_id`` to meet for ``purpose``, in list order.

        ``goal_skills`` / ``goal_functions`` focus the query on one goal: ``{name: [goal
        titles]}`` (or just names). When either is given, the wanted skills are exactly the
        keys of ``goal_skills`` and the target functions exactly those of ``goal_functions``;
        the learning list and the person's other goals are ignored. When both are None, the
        person's record decides (learning list and active goals). Fewer than ``k`` come back
        when fewer people are eligible and relevant. Raises :class:`UnknownPersonError` (a
        KeyError) for an unknown id and ValueError for an invalid purpose, k or diversity.
        ``exclude`` names people never to list (as if ineligible); ``weights`` replace
        ``weights_`` for this query only (resolved and normalised as in ``__init__``).
        """
        focus = check_query(purpose, k, diversity, goal_skills, goal_functions)
        with self._lock.reading():
            query = self._prepare(person_id, purpose, focus, frozenset(exclude))
            resolved = self.weights_ if weights is None else resolve_weights(weights)
            rows = self._retrieve(query)
            return self._rank(query, rows, int(k), float(diversity), resolved[purpose])

    def _prepare(
        self, person_id: str, purpose: str, focus: GoalFocus | None, exclude: frozenset[str]
    ) -> _Query:
        """Eligibility over everyone, and the skill aggregates that retrieval reads."""
        row = self._row_of.get(person_id) if self._fitted() else None
        if row is None:
            raise UnknownPersonError(person_id)
        person = self._records[row]
        n, table = self._n_rows, self._table
        lacks = self._lacks(person) if purpose == "reverse_mentor" and focus is None else {}
        wants = build_wants(person, purpose, focus, lacks)
        targets = target_functions(person, focus)
        network = network_of(person_id, self._neighbours, self._function_of)

        level = table["level"][:n]
        if purpose == "mentor":
            eligible = table["mentor_ok"][:n] & (level > person.level)
        elif purpose == "reverse_mentor":
            eligible = table["reverse_ok"][:n] & (level < person.level)
        else:
            function = self._function_codes[person.function]
            eligible = table["active"][:n] & (table["function"][:n] != function)
        excluded = {person_id} | person.mentor_ids | self._manager_chain(person) | exclude
        eligible[[self._row_of[pid] for pid in excluded if pid in self._row_of]] = False

        if purpose == "cross_functional":
            return self._prepare_cross(person, purpose, wants, targets, network, eligible)
        names = sorted(wants)
        held = np.asarray([person.skills.get(s, 0) for s in names], dtype=np.float64)
        weights = self._idf(names)
        share = np.asarray([wants[s].weight for s in names], dtype=np.float64) * weights
        share = share / share.sum() if len(names) else share
        in_goal = np.asarray([wants[s].in_goal for s in names], dtype=bool)
        goal_weights = np.where(in_goal, weights, 0.0)
        goal_total = goal_weights.sum()
        cols, where = self._columns(names)
        rows, positions, data = self._teach.entries(cols)
        positions = where[positions]
        levels = data["level"].astype(np.float64)
        keep = eligible[rows] & (levels > held[positions])
        rows, positions, levels = rows[keep], positions[keep], levels[keep]
        base = held[positions]
        gap = (levels - base) / (MAX_SKILL_LEVEL - base)
        skill = np.bincount(rows, share[positions] * gap, minlength=n)
        goal = None
        if goal_total > 0:
            goal = np.bincount(rows, goal_weights[positions] / goal_total * gap, minlength=n)
        return _Query(person, purpose, wants, targets, network, eligible, skill > 0, skill, goal)

    def _prepare_cross(self, person, purpose, wants, targets, network, eligible) -> _Query:
        n = self._n_rows
        profile = sorted(set(person.skills) | set(wants))
        weights = self._idf(profile)
        vector = (
            np.asarray(
                [
                    max(
                        person.skills.get(s, 0) / MAX_SKILL_LEVEL,
                        wants[s].weight if s in wants else 0.0,
                    )
                    for s in profile
                ],
                dtype=np.float64,
            )
            * weights
        )
        in_goal = np.asarray([s in wants and wants[s].in_goal for s in profile], dtype=bool)
        goal_weights = np.where(in_goal, weights, 0.0)
        goal_total = goal_weights.sum()
        cols, where = self._columns(profile)
        rows, positions, data = self._teach.entries(cols)
        positions = where[positions]
        levels = data["level"].astype(np.float64)
        keep = eligible[rows]
        rows, positions, levels = rows[keep], positions[keep], levels[keep]
        dot = np.bincount(rows, vector[positions] * weights[positions] * levels, minlength=n)
        goal = None
        if goal_total > 0:
            goal = np.bincount(
                rows, goal_weights[positions] / goal_total * levels / MAX_SKILL_LEVEL, minlength=n
            )
        codes = [self._function_codes[f] for f in targets if f in self._function_codes]
        in_target = (
            eligible & np.isin(self._table["function"][:n], codes)
            if codes
            else np.zeros(n, dtype=bool)
        )
        return _Query(
            person,
            purpose,
            wants,
            targets,
            network,
            eligible,
            (dot > 0) | in_target,
            dot,
            goal,
            in_target=in_target,
            own_norm=float(np.sqrt(np.dot(vector, vector))),
            has_goal_skills=bool(in_goal.any()),
        )

    def _retrieve(self, query: _Query) -> np.ndarray:
        """Rows of every eligible, relevant candidate (exact: nobody is left out).

        The one step a retrieval strategy changes; ``benchmarks/matching_speed.py`` overrides
        it with a nearest-neighbour search to compare, all else being equal.
        """
        return np.flatnonzero(query.relevant)

    def _components(self, query: _Query, rows: np.ndarray) -> dict[str, np.ndarray]:
        """The seven components for the candidate ``rows``, vectorised."""
        person, purpose, table = query.person, query.purpose, self._table
        if purpose == "cross_functional":
            norms = self._teach_norms()[rows]
            numerator = query.skill[rows]
            skill = np.divide(
                numerator,
                query.own_norm * norms,
                out=np.zeros(len(rows)),
                where=numerator > 0,
            )
            parts = []
            if query.targets:
                parts.append(query.in_target[rows].astype(np.float64))
            if query.has_goal_skills:
                parts.append(query.goal[rows])
            goal = sum(parts) / len(parts) if parts else np.zeros(len(rows))
            gap = np.abs(table["level"][rows].astype(np.int64) - person.level)
        else:
            skill = query.skill[rows]
            goal = query.goal[rows] if query.goal is not None else np.zeros(len(rows))
            gap = table["level"][rows].astype(np.int64) - person.level
            gap = gap if purpose == "mentor" else -gap
        seniority = _SENIORITY_FIT[purpose][gap]

        own = self._row_of[person.id]
        function = table["function"][rows]
        n = self._n_rows
        tag_cols = [self._tag_codes[tag] for tag in sorted(person.perspectives)]
        tag_rows, _, _ = self._tags.entries(tag_cols)
        shared = np.bincount(tag_rows, minlength=n)[rows].astype(np.float64)
        union = table["n_tags"][rows] + len(person.perspectives) - shared
        tag_distance = np.where(
            union > 0, 1.0 - np.divide(shared, union, where=union > 0, out=np.zeros(len(rows))), 0.0
        )
        perspective = (
            PERSPECTIVE_WEIGHTS["function"] * (function != table["function"][own])
            + PERSPECTIVE_WEIGHTS["division"] * (table["division"][rows] != table["division"][own])
            + PERSPECTIVE_WEIGHTS["location"] * (table["location"][rows] != table["location"][own])
            + PERSPECTIVE_WEIGHTS["perspectives"] * tag_distance
        )

        network = query.network
        closeness = np.zeros(len(rows))
        for other in network.direct.keys() | network.via.keys():
            row = self._row_of[other]
            at = np.searchsorted(rows, row)
            if at < len(rows) and rows[at] == row:
                closeness[at] = network.closeness(other)
        function_share = np.zeros(len(self._function_codes))
        for name, value in network.function_share.items():
            function_share[self._function_codes[name]] = value
        novelty = CLOSENESS_WEIGHT * (1.0 - closeness) + FUNCTION_NOVELTY_WEIGHT * (
            1.0 - function_share[function]
        )

        held_names = sorted(person.skills)
        held = np.asarray([person.skills[s] for s in held_names], dtype=np.float64)
        cols, where = self._columns(held_names)
        want_rows, positions, data = self._want.entries(cols)
        mine = held[where[positions]]
        theirs = data["held"].astype(np.float64)
        keep = mine > theirs
        want_rows, mine, theirs = want_rows[keep], mine[keep], theirs[keep]
        priority_weight = _PRIORITY_WEIGHTS[data["priority"][keep]]
        step = (mine - theirs) / (MAX_SKILL_LEVEL - theirs)
        totals = table["want_total"]
        mutual = np.bincount(want_rows, priority_weight * step / totals[want_rows], minlength=n)[
            rows
        ]

        mentees = table["mentees"][rows].astype(np.float64)
        if purpose == "mentor":
            capacity = table["capacity"][rows].astype(np.float64)
            availability = (capacity - mentees) / capacity
        else:
            availability = 1.0 / (1.0 + MENTEE_LOAD * mentees)
        return {
            "skill_fit": skill,
            "goal_alignment": goal,
            "seniority_fit": seniority,
            "perspective_diversity": perspective,
            "network_novelty": novelty,
            "mutual_benefit": mutual,
            "availability": availability,
        }

    def _rank(
        self,
        query: _Query,
        rows: np.ndarray,
        k: int,
        diversity: float,
        weights: Mapping[str, float],
    ):
        """Score the candidates, keep a pool, re-rank it for diversity, explain the top k."""
        if not len(rows):
            return []
        components = self._components(query, rows)
        score = 0.0
        for name in COMPONENTS:
            score = score + weights[name] * components[name]
        score = np.round(score, SCORE_DECIMALS)
        pool = self._pool(score, rows, min(len(rows), max(k, self.pool_factor * k)))
        pool_rows = rows[pool]
        order = diversify(score[pool], self._similarity(pool_rows), k, diversity)
        person = query.person
        out = []
        for j in order:
            at, row = pool[j], int(pool_rows[j])
            candidate = self._records[row]
            out.append(
                Recommendation(
                    person_id=candidate.id,
                    score=float(score[at]),
                    components={name: float(components[name][at]) for name in COMPONENTS},
                    reasons=explain(
                        query.purpose, person, candidate, query.wants, query.targets, query.network
                    ),
                )
            )
        return out

    def _pool(self, score: np.ndarray, rows: np.ndarray, size: int) -> np.ndarray:
        """Positions of the ``size`` best candidates, sorted by score then id."""
        ids = self._ids
        if size < len(score):
            part = np.argpartition(-score, size - 1)[:size]
            threshold = score[part].min()
            above = np.flatnonzero(score > threshold)
            tied = np.flatnonzero(score == threshold)
            if len(above) + len(tied) > size:
                # Equal scores at the cut: the smallest ids get in, as in a full sort.
                tied = sorted(tied.tolist(), key=lambda i: ids[rows[i]])[: size - len(above)]
            chosen = np.concatenate([above, np.asarray(tied, dtype=np.int64)])
        else:
            chosen = np.arange(len(score))
        ordered = sorted(chosen.tolist(), key=lambda i: (-score[i], ids[rows[i]]))
        return np.asarray(ordered, dtype=np.int64)

    def _similarity(self, rows: np.ndarray):
        """Similarity of one pool member to all of them (function, division, place, tags)."""
        table = self._table
        function = table["function"][rows]
        division = table["division"][rows]
        location = table["location"][rows]
        local: dict[str, int] = {}
        members = [
            [self._code(local, tag) for tag in self._records[row].perspectives]
            for row in rows.tolist()
        ]
        tags = np.zeros((len(rows), max(len(local), 1)), dtype=np.float64)
        for i, codes in enumerate(members):
            tags[i, codes] = 1.0
        sizes = tags.sum(axis=1)

        def similarity(j: int) -> np.ndarray:
            shared = tags @ tags[j]
            union = sizes + sizes[j] - shared
            jaccard = np.divide(shared, union, out=np.zeros(len(rows)), where=union > 0)
            return (
                SIMILARITY_WEIGHTS["function"] * (function == function[j])
                + SIMILARITY_WEIGHTS["division"] * (division == division[j])
                + SIMILARITY_WEIGHTS["location"] * (location == location[j])
                + SIMILARITY_WEIGHTS["perspectives"] * jaccard
            )

        return similarity

    # ------------------------------------------------------------------ exports

    def idf(self) -> np.ndarray:
        """The current IDF of every skill, aligned with ``vocabulary_``."""
        with self._lock.reading():
            return idf(self._df[: len(self.vocabulary_)], self._n_active)

    def skill_matrix(self, kind: str = "teach", weighting: str = "level"):
        """``(ids, matrix)``: what people teach or want, one CSR row per person in the index.

        ``kind`` is ``"teach"`` (skill levels) or ``"want"`` (priority weights: 1, 2/3, 1/3,
        and 1 for a goal's skill). ``weighting="tfidf"`` multiplies each column by its IDF
        and scales rows to unit length, as the cross-functional cosine and the benchmark's
        nearest-neighbour baseline read them. Columns follow ``vocabulary_``.
        """
        if kind not in ("teach", "want") or weighting not in ("level", "tfidf"):
            raise ValueError("kind must be 'teach' or 'want'; weighting 'level' or 'tfidf'")
        with self._lock.reading():
            store = self._teach if kind == "teach" else self._want
            rows, cols, data = store.live()
            values = (
                data["level"].astype(np.float64)
                if kind == "teach"
                else _PRIORITY_WEIGHTS[data["priority"]]
            )
            alive = np.flatnonzero(self._table["alive"][: self._n_rows])
            position = np.full(max(self._n_rows, 1), -1, dtype=np.int64)
            position[alive] = np.arange(len(alive))
            width = len(self.vocabulary_)
            if weighting == "tfidf":
                values = values * idf(self._df[:width], self._n_active)[cols]
            matrix = sparse.csr_matrix((values, (position[rows], cols)), shape=(len(alive), width))
            matrix.sort_indices()
            if weighting == "tfidf":
                norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
                scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
                matrix = sparse.diags_array(scale).tocsr() @ matrix
            return [self._ids[row] for row in alive.tolist()], sparse.csr_matrix(matrix)

    def query_vector(
        self,
        person_id: str,
        purpose: str = "mentor",
        goal_skills=None,
        goal_functions=None,
    ) -> sparse.csr_matrix:
        """The query as a 1 × V row over ``vocabulary_``.

        Mentor and reverse mentor: the wanted skills weighted by want × IDF, summing to 1 (the
        weights of the skill fit). Cross-functional: the person's profile vector (held and
        wanted skills) × IDF, at unit length (the left side of the cosine). Skills outside the
        vocabulary, which nobody holds or wants, are left out.
        """
        focus = check_query(purpose, 1, 0.0, goal_skills, goal_functions)
        with self._lock.reading():
            row = self._row_of.get(person_id) if self._fitted() else None
            if row is None:
                raise UnknownPersonError(person_id)
            person = self._records[row]
            lacks = self._lacks(person) if purpose == "reverse_mentor" and focus is None else {}
            return self._query_row(person, purpose, build_wants(person, purpose, focus, lacks))

    def _query_row(self, person: Person, purpose: str, wants: Mapping[str, Want]):
        if purpose == "cross_functional":
            names = sorted(set(person.skills) | set(wants))
            values = np.asarray(
                [
                    max(
                        person.skills.get(s, 0) / MAX_SKILL_LEVEL,
                        wants[s].weight if s in wants else 0.0,
                    )
                    for s in names
                ]
            ) * self._idf(names)
            values = values / np.sqrt(np.dot(values, values)) if len(names) else values
        else:
            names = sorted(wants)
            values = np.asarray([wants[s].weight for s in names]) * self._idf(names)
            values = values / values.sum() if len(names) else values
        cols, where = self._columns(names)
        return sparse.csr_matrix(
            (values[where], (np.zeros(len(cols), dtype=np.int64), cols)),
            shape=(1, len(self.vocabulary_)),
        )

    def memory_bytes(self) -> int:
        """Bytes held by the index's arrays (not counting the Person records it refers to)."""
        with self._lock.reading():
            arrays = sum(array.nbytes for array in self._table.values()) + self._df.nbytes
            return arrays + sum(store.nbytes() for store in self._stores)
