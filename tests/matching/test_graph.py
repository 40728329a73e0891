"""The graph measures against networkx's exact algorithms (the oracle), on published networks
and on random weighted graphs."""

from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import numpy as np
import pytest

from matching.graph import (
    Graph,
    TypedTie,
    betweenness,
    combine,
    communities,
    constraint,
    effective_size,
    group_matrix,
    hops_from,
    modularity,
    pagerank,
    two_hop_reach,
    warmest_paths,
)


def _graph(network: nx.Graph, weight: str | None = "weight") -> Graph:
    ids = [str(node) for node in network.nodes]
    ties = [
        TypedTie(str(a), str(b), "interaction", (data.get(weight, 1.0) if weight else 1.0))
        for a, b, data in network.edges(data=True)
    ]
    return Graph.from_ties(ids, ties)


def _random_weighted(seed: int, n: int = 40, p: float = 0.12) -> nx.Graph:
    rng = random.Random(seed)
    network = nx.gnp_random_graph(n, p, seed=seed)
    network.add_nodes_from(range(n, n + 2))  # two isolates
    for a, b in network.edges:
        network[a][b]["weight"] = round(rng.uniform(0.05, 0.95), 3)
    return network


def _scaled_karate() -> nx.Graph:
    network = nx.karate_club_graph()
    top = max(w for _a, _b, w in network.edges(data="weight"))
    for a, b in network.edges:
        network[a][b]["weight"] = network[a][b]["weight"] / top
    return network


NETWORKS = {
    "karate": _scaled_karate,
    "kite": nx.krackhardt_kite_graph,
    "florentine": nx.florentine_families_graph,
    "random-1": lambda: _random_weighted(1),
    "random-2": lambda: _random_weighted(2, n=60, p=0.06),
}


def _by_id(graph: Graph, values: np.ndarray) -> dict[str, float]:
    return {pid: float(values[i]) for i, pid in enumerate(graph.ids)}


def _assert_close(ours: dict[str, float], theirs: dict, tol: float = 1e-9) -> None:
    for node, expected in theirs.items():
        got = ours[str(node)]
        if isinstance(expected, float) and math.isnan(expected):
            assert math.isnan(got), node
        else:
            assert got == pytest.approx(expected, abs=tol), node


@pytest.mark.parametrize("name", NETWORKS)
def test_pagerank_equals_networkx(name):
    network = NETWORKS[name]()
    graph = _graph(network)
    expected = nx.pagerank(network, weight="weight", tol=1e-14, max_iter=1000)
    _assert_close(_by_id(graph, pagerank(graph)), expected, tol=1e-8)


@pytest.mark.parametrize("name", NETWORKS)
def test_exact_betweenness_equals_networkx(name):
    network = NETWORKS[name]()
    graph = _graph(network)
    expected = nx.betweenness_centrality(network, normalized=True)
    _assert_close(_by_id(graph, betweenness(graph, batch=7)), expected)


def test_pivot_betweenness_estimates_the_exact_values():
    network = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=3)
    graph = _graph(network, weight=None)
    exact = betweenness(graph)
    estimate = betweenness(graph, pivots=200, seed=1)
    # The estimate is unbiased: totals agree closely, and the top brokers are found.
    assert estimate.sum() == pytest.approx(exact.sum(), rel=0.05)
    top_exact = set(np.argsort(-exact)[:20])
    top_estimate = set(np.argsort(-estimate)[:20])
    assert len(top_exact & top_estimate) >= 14
    assert np.corrcoef(exact, estimate)[0, 1] > 0.95


@pytest.mark.parametrize("name", NETWORKS)
def test_constraint_and_effective_size_equal_networkx(name):
    network = NETWORKS[name]()
    graph = _graph(network)
    _assert_close(_by_id(graph, constraint(graph)), nx.constraint(network, weight="weight"))
    # networkx's all-nodes shortcut for weighted ties (3.6) divides m_vw by w's largest tie
    # instead of v's, unlike its own definition; naming the nodes runs the definition.
    _assert_close(
        _by_id(graph, effective_size(graph)),
        nx.effective_size(network, nodes=list(network.nodes), weight="weight"),
    )


def test_effective_size_of_unweighted_ties_is_degree_less_redundancy():
    network = nx.krackhardt_kite_graph()
    graph = _graph(network, weight=None)
    _assert_close(_by_id(graph, effective_size(graph)), nx.effective_size(network))


@pytest.mark.parametrize("name", NETWORKS)
def test_two_hop_reach_counts_people_and_groups(name):
    network = NETWORKS[name]()
    graph = _graph(network)
    groups = np.array([i % 4 if i % 5 else -1 for i in range(len(graph))])
    people, reached = two_hop_reach(graph, groups, block=5)
    for i, node in enumerate(network.nodes):
        near = set(nx.single_source_shortest_path_length(network, node, cutoff=2)) - {node}
        assert people[i] == len(near)
        index = {str(n): k for k, n in enumerate(network.nodes)}
        assert reached[i] == len({groups[index[str(n)]] for n in near} - {-1})


def test_hops_from_finds_the_nearest_source():
    network = nx.krackhardt_kite_graph()
    graph = _graph(network)
    hops = hops_from(graph, [0, 9])
    for node in network.nodes:
        expected = min(
            nx.shortest_path_length(network, node, source)
            for source in (0, 9)
            if nx.has_path(network, node, source)
        )
        assert hops[node] == expected


def test_louvain_finds_the_karate_clubs_two_factions():
    network = _scaled_karate()
    graph = _graph(network)
    labels = communities(graph, seed=1)
    ours = modularity(graph, labels)
    reference = nx.community.louvain_communities(network, weight="weight", seed=1)
    assert ours >= nx.community.modularity(network, reference, weight="weight") - 0.02
    expected = nx.community.modularity(
        network,
        [set(np.nonzero(labels == k)[0].tolist()) for k in range(labels.max() + 1)],
        weight="weight",
    )
    assert ours == pytest.approx(expected)
    # Mr Hi (0) and the officer (33) lead the two factions: never in one community.
    assert labels[0] != labels[33]
    # Each faction's members mostly share a community with their leader.
    club = nx.get_node_attributes(network, "club")
    agree = sum((labels[n] == labels[0]) == (club[n] == "Mr. Hi") for n in network.nodes) / len(
        network
    )
    assert agree > 0.8


def test_group_matrix_counts_each_tie_once():
    network = nx.krackhardt_kite_graph()
    graph = _graph(network)
    groups = np.array([0, 0, 0, 1, 1, 1, 1, 2, -1, 2])
    weight, ties = group_matrix(graph, groups, 3)
    expected = np.zeros((3, 3), dtype=int)
    for a, b in network.edges:
        ga, gb = groups[a], groups[b]
        if ga < 0 or gb < 0:
            continue
        expected[ga, gb] += 1
        if ga != gb:
            expected[gb, ga] += 1
    assert (ties == expected).all()
    assert np.allclose(weight, expected)


def test_ties_of_several_kinds_combine_as_noisy_or_and_kinds_can_be_left_out():
    ties = [
        TypedTie("a", "b", "interaction", 0.5),
        TypedTie("b", "a", "mentorship", 0.6),
        TypedTie("b", "c", "reporting", 0.5),
    ]
    graph = Graph.from_ties(["a", "b", "c"], ties)
    assert graph.weights[0, 1] == pytest.approx(combine([0.5, 0.6])) == pytest.approx(0.8)
    assert graph.weights[1, 0] == pytest.approx(0.8)
    informal = Graph.from_ties(["a", "b", "c"], ties, kinds=("interaction", "mentorship"))
    assert informal.edge_count == 1


def _brute_force_warmest(network: nx.Graph, source, target, max_hops=3):
    best = None
    for path in nx.all_simple_paths(network, source, target, cutoff=max_hops):
        weights = [network[a][b]["weight"] for a, b in itertools.pairwise(path)]
        key = (-min(weights), len(weights))
        if best is None or key < best:
            best = key
    return best


@pytest.mark.parametrize("seed", range(6))
def test_warmest_path_maximises_the_weakest_tie_then_fewest_hops(seed):
    network = _random_weighted(seed, n=30, p=0.15)
    rng = random.Random(seed)
    for a, b in network.edges:  # coarse weights, so that ties between paths are common
        network[a][b]["weight"] = rng.choice((0.2, 0.4, 0.6, 0.8))
    adjacency = {
        str(node): {str(other): data["weight"] for other, data in network[node].items()}
        for node in network.nodes
    }
    source = 0
    targets = [n for n in network.nodes if n != source]
    found = warmest_paths(adjacency, str(source), [str(t) for t in targets])
    for target in targets:
        expected = _brute_force_warmest(network, source, target)
        path = found.get(str(target))
        if expected is None:
            assert path is None
            continue
        assert path is not None
        assert (-path.weakest, path.hops) == pytest.approx(expected)
        assert path.people[0] == str(source) and path.people[-1] == str(target)
        assert len(set(path.people)) == len(path.people)
        for (a, b), weight in zip(itertools.pairwise(path.people), path.weights, strict=True):
            assert network[int(a)][int(b)]["weight"] == weight
