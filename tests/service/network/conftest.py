"""Load published social networks through the API, and compute the metrics as an admin does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import networkx as nx
import pytest

from service.cli import cli

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

# Krackhardt's kite (1990), in networkx's node order.
KITE_NAMES = (
    "Andre",
    "Beverly",
    "Carol",
    "Diane",
    "Ed",
    "Fernando",
    "Garth",
    "Heather",
    "Ike",
    "Jane",
)


@pytest.fixture
def now(set_now):
    """Fix the application's clock, so that tie strengths are reproducible."""
    set_now(NOW)
    return NOW


@pytest.fixture
def load_network(admin, make_person, now):
    """Create one person per node and, per edge, ``weight`` coffee chats a week apart.

    ``attributes(node)`` gives each person's fields (name, function, division, team, level).
    Returns ``{node: person id}``.
    """

    def load(network: nx.Graph, attributes, weight: str | None = None) -> dict:
        ids = {}
        for node in network.nodes:
            ids[node] = make_person(**attributes(node))["id"]
        for a, b, data in network.edges(data=True):
            times = int(data.get(weight, 1)) if weight else 1
            for k in range(times):
                response = admin.post(
                    "/v1/interactions",
                    json={
                        "person_id": ids[a],
                        "contact_id": ids[b],
                        "kind": "coffee_chat",
                        "occurred_at": (now - timedelta(days=3 + 7 * k)).isoformat(),
                    },
                )
                assert response.status_code == 201, response.get_json()
        return ids

    return load


@pytest.fixture
def compute(app, now):
    """Run `rapport network compute`, as an admin would."""

    def run() -> str:
        result = app.test_cli_runner().invoke(cli, ["network", "compute"])
        assert result.exit_code == 0, result.output
        return result.output

    return run


@pytest.fixture
def kite(load_network):
    """Krackhardt's kite: a core of seven, Heather bridging to Ike and Jane."""

    def attributes(node):
        return {
            "name": f"{KITE_NAMES[node]} Kite",
            "function": "engineering" if node < 8 else "product",
            "division": "Core" if node < 8 else "Outpost",
            "team": "Kite core" if node < 8 else "Kite tail",
            "level": 3,
        }

    network = nx.krackhardt_kite_graph()
    return network, load_network(network, attributes)


@pytest.fixture
def karate(load_network):
    """Zachary's karate club: 34 members, 78 ties weighted by shared contexts (1–7)."""
    network = nx.karate_club_graph()
    club = nx.get_node_attributes(network, "club")

    def attributes(node):
        return {
            "name": f"Member {node}",
            "function": "engineering" if club[node] == "Mr. Hi" else "sales",
            "division": "Hi" if club[node] == "Mr. Hi" else "Officer",
            "team": f"Mat {node % 4}",
            "level": 3,
        }

    return network, load_network(network, attributes, weight="weight")
