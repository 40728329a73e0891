"""The metrics job: read the whole graph once, compute every measure, store them.

Run by the background task (``service/network/tasks.py``) and by ``rapport network compute``;
no request ever runs it. The measures and their formulas are in ``matching/graph.py``, and
which ties each one counts is decided here:

* influence — PageRank on every tie (interactions, mentorships, reporting lines): whom the
  organisation's attention flows to, formal lines included;
* brokerage — betweenness, Burt's constraint and effective size on the *informal* ties
  (interactions and mentorships): a manager is not a broker because of the org chart;
* reach — people and divisions within two hops, on every tie;
* distance to decision-makers — hops on every tie to the nearest decision-maker (level 7 and
  above, or flagged by an admin) of each function;
* communities (Louvain) and the division tie matrix — on the informal ties: where people
  really talk, and where the silos are.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from matching import graph as measures
from service import changes
from service.network.models import DecisionMaker, NetworkSnapshot, PersonMetrics
from service.network.ties import WholeGraph, whole_graph

log = logging.getLogger(__name__)

# Hops beyond which a decision-maker counts as out of reach.
DECISION_HOPS_LIMIT = 6
# Snapshots kept (their figures tell how the network and the job's time evolve).
KEEP_SNAPSHOTS = 30


@dataclass(frozen=True)
class Settings:
    """The knobs of the computation, from the application's configuration."""

    exact_betweenness_up_to: int = 2000
    pivots: int = 256
    decision_level: int = 7

    @classmethod
    def of(cls, config: Any) -> Settings:
        """Read the settings from a Flask config."""
        return cls(
            exact_betweenness_up_to=config["NETWORK_EXACT_BETWEENNESS"],
            pivots=config["NETWORK_PIVOTS"],
            decision_level=config["NETWORK_DECISION_LEVEL"],
        )


def _percentiles(values: np.ndarray) -> np.ndarray:
    """The share of people with a strictly smaller value, in [0, 1]."""
    n = len(values)
    if n < 2:
        return np.zeros(n)
    ordered = np.sort(values)
    return np.searchsorted(ordered, values, side="left") / (n - 1)


def _codes(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    names = sorted({v for v in values if v})
    index = {name: i for i, name in enumerate(names)}
    return np.array([index.get(v, -1) if v else -1 for v in values], dtype=np.int64), names


def _matrix(
    graph: measures.Graph, groups: np.ndarray, names: list[str], members: np.ndarray | None = None
) -> dict[str, Any]:
    """The division tie matrix of the people in ``members`` (everyone when None)."""
    codes = groups if members is None else np.where(members, groups, -1)
    weight, ties = measures.group_matrix(graph, codes, len(names))
    people = np.bincount(codes[codes >= 0], minlength=len(names))
    return {
        "divisions": names,
        "people": people.tolist(),
        "ties": ties.tolist(),
        "strength": np.round(weight, 4).tolist(),
    }


def _community_summaries(
    labels: np.ndarray, data: WholeGraph, graph: measures.Graph
) -> list[dict[str, Any]]:
    upper = graph.weights.tocoo()
    inside = labels[upper.row] == labels[upper.col]
    internal = np.bincount(labels[upper.row][inside], minlength=labels.max(initial=-1) + 1) // 2
    summaries = []
    for label in range(labels.max(initial=-1) + 1):
        members = np.nonzero(labels == label)[0]
        summaries.append(
            {
                "id": int(label),
                "size": len(members),
                "internal_ties": int(internal[label]),
                "functions": dict(Counter(data.function[members].tolist()).most_common()),
                "divisions": dict(
                    Counter(d or "(none)" for d in data.division[members].tolist()).most_common()
                ),
            }
        )
    return summaries


@dataclass
class Measured:
    """Everything the job computed: one row per person, and the snapshot's aggregates."""

    rows: list[dict[str, Any]]
    snapshot: dict[str, Any]
    seconds: dict[str, float]


def measure(data: WholeGraph, flagged: set[str], settings: Settings, now: datetime) -> Measured:
    """Compute every measure of every person of ``data`` (no database: a benchmark calls it
    on a company built in memory)."""
    started = time.perf_counter()
    n = len(data.ids)
    everything = measures.Graph.from_arrays(data.ids, data.rows, data.cols, data.log_remaining)
    informal = measures.Graph.from_arrays(
        data.ids,
        data.rows[data.informal],
        data.cols[data.informal],
        data.log_remaining[data.informal],
    )
    seconds = {"graph": time.perf_counter() - started}

    def timed(name: str, function, *args, **kwargs):
        began = time.perf_counter()
        result = function(*args, **kwargs)
        seconds[name] = time.perf_counter() - began
        return result

    influence = timed("pagerank", measures.pagerank, everything)
    pivots = None if n <= settings.exact_betweenness_up_to else settings.pivots
    brokerage = timed("betweenness", measures.betweenness, informal, pivots=pivots)
    constraint = timed("constraint", measures.constraint, informal)
    effective_size = timed("effective_size", measures.effective_size, informal)
    divisions, division_names = _codes(data.division)
    reach_people, reach_divisions = timed("reach", measures.two_hop_reach, everything, divisions)
    labels = timed("communities", measures.communities, informal, seed=0)
    modularity = measures.modularity(informal, labels)

    # Other divisions among each person's informal ties.
    bridged = np.zeros(n, dtype=np.int64)
    if division_names and n:
        known = np.nonzero(divisions >= 0)[0]
        membership = sp.csr_matrix(
            (np.ones(len(known)), (known, divisions[known])), shape=(n, len(division_names))
        )
        reached = (informal.pattern @ membership).toarray() > 0
        own = divisions >= 0
        reached[np.nonzero(own)[0], divisions[own]] = False
        bridged = reached.sum(axis=1)

    began = time.perf_counter()
    deciders = (data.level >= settings.decision_level) | np.array(
        [pid in flagged for pid in data.ids], dtype=bool
    )
    hops_by_function: dict[str, np.ndarray] = {}
    for function in sorted(set(data.function.tolist())):
        sources = np.nonzero(deciders & (data.function == function))[0]
        if len(sources):
            hops_by_function[function] = measures.hops_from(
                everything, sources.tolist(), limit=DECISION_HOPS_LIMIT
            )
    seconds["decision_hops"] = time.perf_counter() - began

    influence_pct = _percentiles(influence)
    brokerage_pct = _percentiles(brokerage)
    degree = informal.degree()
    rows = []
    for i, person_id in enumerate(data.ids):
        rows.append(
            {
                "person_id": person_id,
                "influence": float(influence[i]),
                "influence_percentile": round(float(influence_pct[i]), 6),
                "betweenness": float(brokerage[i]),
                "brokerage_percentile": round(float(brokerage_pct[i]), 6),
                "constraint": None if np.isnan(constraint[i]) else float(constraint[i]),
                "effective_size": None if np.isnan(effective_size[i]) else float(effective_size[i]),
                "ties": int(degree[i]),
                "divisions_bridged": int(bridged[i]),
                "reach_people": int(reach_people[i]),
                "reach_divisions": int(reach_divisions[i]),
                "community": int(labels[i]),
                "decision_hops": {
                    function: int(hops[i])
                    for function, hops in hops_by_function.items()
                    if np.isfinite(hops[i])
                },
                "computed_at": now,
            }
        )
    functions = sorted(set(data.function.tolist()))
    snapshot = {
        "computed_at": now,
        "people": n,
        "ties": everything.edge_count,
        "betweenness_pivots": pivots,
        "modularity": round(modularity, 6),
        "communities": _community_summaries(labels, data, informal),
        "decision_functions": sorted(hops_by_function),
        "divisions": {
            "all": _matrix(informal, divisions, division_names),
            "by_function": {
                function: _matrix(
                    informal, divisions, division_names, members=data.function == function
                )
                for function in functions
            },
        },
    }
    seconds["total"] = time.perf_counter() - started
    return Measured(rows, snapshot, seconds)


def compute(session: Session, now: datetime, settings: Settings) -> NetworkSnapshot:
    """Compute every measure of every active person and store them as the latest snapshot."""
    started = time.perf_counter()
    version = changes.current_version(session)
    data = whole_graph(session, now)
    flagged = set(session.scalars(select(DecisionMaker.person_id)))
    loaded = time.perf_counter()
    measured = measure(data, flagged, settings, now)
    session.execute(delete(PersonMetrics))
    for start in range(0, len(measured.rows), 5000):
        session.execute(insert(PersonMetrics), measured.rows[start : start + 5000])
    snapshot = NetworkSnapshot(directory_version=version, **measured.snapshot)
    session.add(snapshot)
    snapshot.seconds = round(time.perf_counter() - started, 3)
    session.flush()
    kept = (
        select(NetworkSnapshot.id)
        .order_by(NetworkSnapshot.computed_at.desc(), NetworkSnapshot.id.desc())
        .limit(KEEP_SNAPSHOTS)
        .scalar_subquery()
    )
    session.execute(delete(NetworkSnapshot).where(NetworkSnapshot.id.not_in(kept)))
    log.info(
        "network metrics: %d people, %d ties; read %.1f s, measures %.1f s, total %.1f s",
        snapshot.people,
        snapshot.ties,
        loaded - started,
        measured.seconds["total"],
        snapshot.seconds,
    )
    return snapshot
