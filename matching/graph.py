"""Graph measures of the influence map: who shapes decisions, who bridges, how far is everyone.

Plain records in, numpy arrays out; nothing here knows about Flask or SQLAlchemy. The graph
is undirected and weighted (a tie's weight in (0, 1], see :func:`combine`), held as one
symmetric ``scipy.sparse`` CSR matrix. The formulas are in ``matching/README.md``.

Why scipy and not networkx at run time: networkx is the reference (every measure here is
tested against its exact values), but its pure-Python loops take minutes at 100,000 people.
Each measure below is a handful of sparse matrix products: PageRank is a power iteration,
betweenness is Brandes' algorithm run for a *batch* of sources at once (each BFS level is one
sparse × dense product), Burt's constraint and effective size are two-hop sums over the tie
pattern, computed in row blocks to bound memory. Exact betweenness costs O(N·M), out of reach
at 100,000 people, so above ``exact_up_to`` people it is estimated from random pivots
(Brandes & Pich, 2007: the sum over k sampled sources, scaled by N/k), unbiased, with a
relative error that shrinks as 1/√k for the central people the lists show. Louvain
communities come from igraph (C, seconds at 100,000 people; networkx's takes minutes).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

TIE_KINDS = ("interaction", "mentorship", "reporting")


def combine(weights: Iterable[float]) -> float:
    """Combine the evidence of one tie's kinds: 1 − Π(1 − w), a noisy-OR in [0, 1].

    Each kind of evidence (interactions, a mentorship, a reporting line) adds to the tie
    without ever pushing it past 1, and one strong kind is never diluted by a weak one.
    """
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(1.0, max(0.0, weight))
    return 1.0 - remaining


@dataclass(frozen=True)
class TypedTie:
    """One kind of evidence that two people know each other, with its weight in (0, 1]."""

    a: str
    b: str
    kind: str
    weight: float


class Graph:
    """An undirected weighted graph over people, as a symmetric CSR matrix.

    ``ids[i]`` is the person of row ``i``; ``weights`` holds the combined tie weights and
    ``pattern`` the same ties with weight 1.
    """

    def __init__(self, ids: Sequence[str], weights: sp.csr_matrix) -> None:
        self.ids = list(ids)
        self.index = {pid: i for i, pid in enumerate(self.ids)}
        self.weights = sp.csr_matrix(weights, dtype=np.float64)
        self.weights.sum_duplicates()
        self.weights.eliminate_zeros()
        self.pattern = self.weights.copy()
        self.pattern.data = np.ones_like(self.pattern.data)

    @classmethod
    def from_ties(
        cls, ids: Sequence[str], ties: Iterable[TypedTie], kinds: Iterable[str] = TIE_KINDS
    ) -> Graph:
        """Build the graph of ``ids`` from typed ties, keeping only the given kinds.

        Several ties of one pair (both directions, several kinds) are combined with
        :func:`combine`; ties to people outside ``ids`` and self-ties are ignored.
        """
        wanted = set(kinds)
        index = {pid: i for i, pid in enumerate(ids)}
        rows: list[int] = []
        cols: list[int] = []
        logs: list[float] = []
        for tie in ties:
            if tie.kind not in wanted or tie.weight <= 0:
                continue
            i, j = index.get(tie.a), index.get(tie.b)
            if i is None or j is None or i == j:
                continue
            rows.append(min(i, j))
            cols.append(max(i, j))
            logs.append(np.log1p(-min(tie.weight, 1.0 - 1e-12)))
        return cls.from_arrays(ids, np.array(rows), np.array(cols), np.array(logs))

    @classmethod
    def from_arrays(
        cls, ids: Sequence[str], rows: np.ndarray, cols: np.ndarray, log_remaining: np.ndarray
    ) -> Graph:
        """Build the graph from pairs ``rows[k] < cols[k]`` and ``log(1 − weight)`` of each.

        Summing logs multiplies the ``1 − w`` of a pair's ties: the noisy-OR of
        :func:`combine`, vectorised.
        """
        n = len(ids)
        upper = sp.coo_matrix(
            (np.asarray(log_remaining, dtype=np.float64), (rows, cols)), shape=(n, n)
        ).tocsr()
        upper.sum_duplicates()
        upper.data = -np.expm1(upper.data)
        return cls(ids, upper + upper.T)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        """The number of undirected ties."""
        return self.weights.nnz // 2

    def degree(self) -> np.ndarray:
        """How many ties each person has."""
        return np.diff(self.weights.indptr)

    def strength(self) -> np.ndarray:
        """The sum of each person's tie weights."""
        return np.asarray(self.weights.sum(axis=1)).ravel()

    def neighbours(self, i: int) -> dict[int, float]:
        """The ties of row ``i``: ``{row: weight}``."""
        start, end = self.weights.indptr[i], self.weights.indptr[i + 1]
        return dict(
            zip(
                self.weights.indices[start:end].tolist(),
                self.weights.data[start:end].tolist(),
                strict=True,
            )
        )


def pagerank(graph: Graph, damping: float = 0.85, tol: float = 1e-12, max_iter: int = 500):
    """Weighted PageRank: the stationary visits of a walker who follows ties by weight.

    x ← d·xP + (d·Σ_dangling x + 1 − d)/N, with P the row-normalised weights; a person with
    no ties jumps anywhere. Returns a vector summing to 1 (networkx's ``pagerank``).
    """
    n = len(graph)
    if n == 0:
        return np.zeros(0)
    strength = graph.strength()
    dangling = strength == 0
    inverse = np.divide(1.0, strength, out=np.zeros(n), where=~dangling)
    transition = sp.diags(inverse) @ graph.weights
    transposed = transition.T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = damping * (transposed @ x) + (damping * x[dangling].sum() + 1.0 - damping) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return x / x.sum()


def betweenness(
    graph: Graph,
    pivots: int | None = None,
    seed: int = 0,
    batch: int = 32,
) -> np.ndarray:
    """Betweenness centrality by hops, normalised as networkx does for undirected graphs.

    bc(v) = Σ_{s≠v≠t} σ_st(v)/σ_st ÷ ((N−1)(N−2)/2), counting shortest paths in hops (a
    broker is who lies between people, however strong their ties). With ``pivots`` = k < N,
    only k random sources are summed and the result scaled by N/k (an unbiased estimate).
    Brandes' algorithm for ``batch`` sources at once: each BFS level, forward (path counts)
    and backward (dependencies), is one sparse × dense product.
    """
    n = len(graph)
    scores = np.zeros(n)
    if n < 3:
        return scores
    if pivots is None or pivots >= n:
        sources = np.arange(n)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=pivots, replace=False))
    adjacency = graph.pattern
    for start in range(0, len(sources), batch):
        chunk = sources[start : start + batch]
        scores += _dependencies(adjacency, chunk)
    scale = 1.0 / ((n - 1) * (n - 2))
    if len(sources) < n:
        scale *= n / len(sources)
    return scores * scale


def _dependencies(adjacency: sp.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Σ over ``sources`` of Brandes' dependency δ_s(v), for every v (both path directions)."""
    n, b = adjacency.shape[0], len(sources)
    columns = np.arange(b)
    depth = np.full((n, b), -1, dtype=np.int32)
    sigma = np.zeros((n, b))
    depth[sources, columns] = 0
    sigma[sources, columns] = 1.0
    frontier = sigma.copy()
    level = 0
    while True:
        reached = adjacency @ frontier
        new = (reached > 0) & (depth < 0)
        if not new.any():
            break
        level += 1
        depth[new] = level
        sigma[new] = reached[new]
        frontier = np.where(new, reached, 0.0)
    delta = np.zeros((n, b))
    for current in range(level, 0, -1):
        at_level = depth == current
        share = np.where(at_level, (1.0 + delta) / np.where(sigma > 0, sigma, 1.0), 0.0)
        pulled = adjacency @ share
        parents = depth == current - 1
        delta[parents] += sigma[parents] * pulled[parents]
    delta[sources, columns] = 0.0
    return delta.sum(axis=1)


def _row_blocks(n: int, size: int) -> Iterable[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def _masked_product(
    left: sp.csr_matrix, right: sp.csr_matrix, mask: sp.csr_matrix, block: int = 4096
) -> sp.csr_matrix:
    """(left @ right) kept only where ``mask`` has an entry, computed in row blocks."""
    parts = []
    for rows in _row_blocks(left.shape[0], block):
        product = (left[rows] @ right).tocsr()
        parts.append(product.multiply(mask[rows]).tocsr())
    return sp.vstack(parts, format="csr") if parts else sp.csr_matrix(mask.shape)


def _proportions(graph: Graph) -> sp.csr_matrix:
    """p_ij = w_ij / Σ_k w_ik: the share of i's network time spent on j (Burt)."""
    strength = graph.strength()
    inverse = np.divide(1.0, strength, out=np.zeros(len(graph)), where=strength > 0)
    return (sp.diags(inverse) @ graph.weights).tocsr()


def constraint(graph: Graph) -> np.ndarray:
    """Burt's constraint: c_i = Σ_j (p_ij + Σ_q p_iq·p_qj)², over i's contacts j.

    High when i's contacts all know each other (a closed circle), low for a broker whose
    contacts are otherwise unconnected. NaN for people without ties (networkx's ``constraint``).
    """
    proportions = _proportions(graph)
    indirect = _masked_product(proportions, proportions, graph.pattern)
    local = (proportions + indirect).tocsr()
    local.data **= 2
    values = np.asarray(local.sum(axis=1)).ravel()
    values[graph.degree() == 0] = np.nan
    return values


def effective_size(graph: Graph) -> np.ndarray:
    """Burt's effective size: e_i = Σ_j (1 − Σ_{q≠j} p_iq·m_jq), over i's contacts j.

    m_jq = w_jq / max_k w_jk. The number of contacts, less their redundancy: how many
    non-overlapping groups a person reaches. NaN for people without ties (networkx's
    ``effective_size``).
    """
    proportions = _proportions(graph)
    row_max = np.asarray(graph.weights.max(axis=1).toarray()).ravel()
    inverse = np.divide(1.0, row_max, out=np.zeros(len(graph)), where=row_max > 0)
    marginal = (sp.diags(inverse) @ graph.weights).tocsr()
    # Σ_j Σ_q p_iq m_jq over contacts j, q of i = Σ_q p_iq (A @ M)_iq (m_jj = 0: no self-ties).
    redundancy = _masked_product(graph.pattern, marginal, graph.pattern).multiply(proportions)
    values = graph.degree() - np.asarray(redundancy.sum(axis=1)).ravel()
    values = values.astype(np.float64)
    values[graph.degree() == 0] = np.nan
    return values


def two_hop_reach(
    graph: Graph, groups: np.ndarray | None = None, block: int = 4096
) -> tuple[np.ndarray, np.ndarray]:
    """How many people each person reaches within two hops, and how many distinct groups.

    ``groups[i]`` is the group (division) code of person i, or −1 for none; a group counts
    when someone other than the person is reached in it. Computed in row blocks of A + A².
    """
    n = len(graph)
    people = np.zeros(n, dtype=np.int64)
    reached_groups = np.zeros(n, dtype=np.int64)
    adjacency = graph.pattern
    degree = graph.degree()
    membership = None
    if groups is not None and n:
        known = np.nonzero(groups >= 0)[0]
        membership = sp.csr_matrix(
            (np.ones(len(known)), (known, groups[known])),
            shape=(n, int(groups.max(initial=-1)) + 1),
        )
    for rows in _row_blocks(n, block):
        near = (adjacency[rows] + adjacency[rows] @ adjacency).tocsr()
        near.data = np.ones_like(near.data)
        # A² holds each person with a tie on its own diagonal: they are not their own reach.
        itself = degree[rows] > 0
        people[rows] = np.diff(near.indptr) - itself
        if membership is not None:
            counts = (near @ membership).toarray()
            local = np.arange(rows.stop - rows.start)
            own = groups[rows]
            drop = itself & (own >= 0)
            counts[local[drop], own[drop]] -= 1
            reached_groups[rows] = (counts > 0).sum(axis=1)
    return people, reached_groups


def hops_from(graph: Graph, sources: Sequence[int], limit: int | None = None) -> np.ndarray:
    """Hops from each person to the nearest of ``sources`` (inf when unreachable)."""
    n = len(graph)
    if not len(sources):
        return np.full(n, np.inf)
    return csgraph.dijkstra(
        graph.pattern,
        directed=False,
        indices=list(sources),
        unweighted=True,
        min_only=True,
        limit=np.inf if limit is None else limit,
    )


def communities(graph: Graph, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Louvain communities on the weighted ties (igraph's multilevel): a label per person.

    People without ties get a community of their own. Labels are renumbered by size, the
    largest community 0, so that they are stable to read.
    """
    import igraph

    n = len(graph)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    upper = sp.triu(graph.weights, k=1).tocoo()
    network = igraph.Graph(n=n, edges=np.column_stack([upper.row, upper.col]).tolist())
    # igraph draws from Python's own random module: seeded here, restored after.
    state = random.getstate()
    random.seed(seed)
    try:
        found = network.community_multilevel(weights=upper.data.tolist(), resolution=resolution)
    finally:
        random.setstate(state)
    labels = np.asarray(found.membership, dtype=np.int64)
    sizes = np.bincount(labels)
    order = np.lexsort((np.arange(len(sizes)), -sizes))
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    return renumber[labels]


def modularity(graph: Graph, labels: np.ndarray, resolution: float = 1.0) -> float:
    """Newman's weighted modularity of a partition (networkx's ``modularity``)."""
    total = graph.weights.sum()
    if total == 0:
        return 0.0
    strength = graph.strength()
    upper = graph.weights.tocoo()
    inside = upper.data[labels[upper.row] == labels[upper.col]].sum()
    per_group = np.bincount(labels, weights=strength)
    return float(inside / total - resolution * (per_group**2).sum() / total**2)


def group_matrix(graph: Graph, groups: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Tie weight and number of ties between every two groups (diagonal: inside a group).

    ``groups[i]`` is a code in [0, count) or −1 (left out). Each undirected tie counts once.
    """
    upper = sp.triu(graph.weights, k=1).tocoo()
    a, b = groups[upper.row], groups[upper.col]
    keep = (a >= 0) & (b >= 0)
    a, b, w = a[keep], b[keep], upper.data[keep]
    weight = np.zeros((count, count))
    ties = np.zeros((count, count), dtype=np.int64)
    np.add.at(weight, (a, b), w)
    np.add.at(ties, (a, b), 1)
    off = a != b
    np.add.at(weight, (b[off], a[off]), w[off])
    np.add.at(ties, (b[off], a[off]), 1)
    return weight, ties


@dataclass(frozen=True)
class Path:
    """A warm path: the people from source to target and the weight of each tie."""

    people: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def hops(self) -> int:
        """The number of ties along the path."""
        return len(self.weights)

    @property
    def weakest(self) -> float:
        """The weight of the weakest tie: how warm the whole path is."""
        return min(self.weights)

    def key(self) -> tuple:
        """The order of preference: the strongest weakest tie, then fewer hops, then the
        larger total weight, then the people's ids (so that ties are broken the same way)."""
        return (-round(self.weakest, 12), self.hops, -round(sum(self.weights), 12), self.people)


def warmest_paths(
    ties: Mapping[str, Mapping[str, float]],
    source: str,
    targets: Iterable[str],
    max_hops: int = 3,
) -> dict[str, Path]:
    """The warmest path of at most ``max_hops`` ties from ``source`` to each reachable target.

    Warmest: maximise the weakest tie, then fewest hops (then the largest total weight, then
    ids). ``ties`` is a symmetric adjacency ``{person: {contact: weight}}`` holding at least
    every tie of a candidate path. A label-setting search over (person, hops) states, best
    first by the weakest tie so far: a state is settled once, and a walk that revisits a
    person is never better than the path that skips the loop.
    """
    wanted = set(targets) - {source}
    best: dict[str, Path] = {}
    heap: list[tuple[tuple, Path]] = []
    start = Path((source,), ())
    heapq.heappush(heap, ((0.0, 0, 0.0, start.people), start))
    settled: set[tuple[str, int]] = set()
    while heap and len(best) < len(wanted):
        _key, path = heapq.heappop(heap)
        here = path.people[-1]
        state = (here, path.hops)
        if state in settled:
            continue
        settled.add(state)
        if here in wanted and here not in best:
            best[here] = path
        if path.hops == max_hops:
            continue
        for contact, weight in ties.get(here, {}).items():
            if weight <= 0 or contact in path.people:
                continue
            longer = Path(path.people + (contact,), path.weights + (float(weight),))
            heapq.heappush(heap, (longer.key(), longer))
    return best
