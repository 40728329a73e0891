"""The influence map through HTTP: published networks in, the literature's answers out."""

from __future__ import annotations

from datetime import timedelta

import networkx as nx
import pytest
from sqlalchemy import func, select

from service.cli import cli
from service.network.models import NetworkSnapshot
from tests.service.network.conftest import KITE_NAMES


def _first_names(items):
    return [item["person"]["name"].split()[0] for item in items]


def test_the_kites_broker_is_heather_and_its_best_connected_is_diane(admin, kite, compute):
    network, ids = kite
    compute()
    brokers = admin.get("/v1/network/brokers?page_size=3")
    assert brokers.status_code == 200, brokers.get_json()
    assert _first_names(brokers.get_json())[0] == "Heather"
    influencers = admin.get("/v1/network/influencers?page_size=3").get_json()
    assert _first_names(influencers)[0] == "Diane"
    # Every measure equals networkx's exact value (each tie is one coffee chat: equal weights).
    pagerank = nx.pagerank(network, tol=1e-14, max_iter=1000)
    betweenness = nx.betweenness_centrality(network)
    constraint = nx.constraint(network)
    everyone = admin.get("/v1/network/influencers?page_size=20").get_json()
    assert len(everyone) == 10
    by_name = {item["person"]["name"].split()[0]: item["measures"] for item in everyone}
    for node, name in enumerate(KITE_NAMES):
        assert by_name[name]["influence"] == pytest.approx(pagerank[node], abs=1e-8)
        assert by_name[name]["betweenness"] == pytest.approx(betweenness[node], abs=1e-9)
        assert by_name[name]["constraint"] == pytest.approx(constraint[node], abs=1e-9)


def test_the_karate_clubs_two_leaders_lead_and_split(admin, member_of, karate, compute):
    network, ids = karate
    compute()
    influencers = admin.get("/v1/network/influencers?page_size=2").get_json()
    assert {item["person"]["id"] for item in influencers} == {ids[0], ids[33]}
    hi = admin.get(f"/v1/people/{ids[0]}/influence").get_json()
    officer = admin.get(f"/v1/people/{ids[33]}/influence").get_json()
    assert hi["measures"]["community"] != officer["measures"]["community"]
    assert hi["measures"]["influence_percentile"] >= 0.96
    # Brokers between the two factions (divisions) include Mr Hi and the officer.
    brokers = admin.get("/v1/network/brokers?page_size=5").get_json()
    assert {ids[0], ids[33]} <= {item["person"]["id"] for item in brokers}
    # The communities are aggregates of at least five people.
    communities = admin.get("/v1/network/communities?page_size=100").get_json()
    assert communities and all(c["size"] >= 5 for c in communities)
    assert all(v >= 5 for c in communities for k, v in c["functions"].items() if k != "other")


def test_a_member_reads_their_own_map_with_a_next_step(member_of, kite, compute):
    _, ids = kite
    compute()
    fernando = member_of(ids[5])
    response = fernando.get(f"/v1/people/{ids[5]}/influence")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["computed_at"] is not None
    assert len(body["strongest_ties"]) == 5
    tie = body["strongest_ties"][0]
    assert tie["evidence"].startswith("you met ") and tie["kinds"] == ["interaction"]
    assert "Heather" in _first_names(body["brokers_within_reach"])[:1]
    assert body["unreachable_divisions"] == []
    assert body["next_step"] == (
        "Heather Kite bridges you to Outpost: ask Heather for an introduction to Ike Kite."
    )
    andre = member_of(ids[0]).get(f"/v1/people/{ids[0]}/influence").get_json()
    assert andre["unreachable_divisions"] == ["Outpost"]
    assert "Outpost" in andre["next_step"]
    heather_via = [item for item in andre["brokers_within_reach"] if item["person"]["id"] == ids[7]]
    assert heather_via and heather_via[0]["hops"] == 2
    assert heather_via[0]["via"]["id"] in (ids[5], ids[6])


def test_nobody_reads_another_members_map_paths_or_picture(member_of, kite, compute):
    _, ids = kite
    compute()
    andre = member_of(ids[0])
    for path in (
        f"/v1/people/{ids[1]}/influence",
        f"/v1/people/{ids[1]}/intro-path?to={ids[2]}",
        f"/v1/people/{ids[1]}/network.svg",
        "/v1/network/brokers",
        "/v1/network/divisions",
        "/v1/network/divisions.svg",
    ):
        response = andre.get(path)
        assert response.status_code == 403, path
        assert response.mimetype == "application/problem+json"


def test_the_intro_path_is_explained_and_never_shows_others_notes(
    admin, member_of, kite, compute, now
):
    _, ids = kite
    admin.post(
        "/v1/interactions",
        json={
            "person_id": ids[5],
            "contact_id": ids[7],
            "kind": "meeting",
            "occurred_at": (now - timedelta(days=40)).isoformat(),
            "notes": "confidential: Heather is leaving",
        },
    )
    andre = member_of(ids[0])
    response = andre.get(f"/v1/people/{ids[0]}/intro-path?to={ids[8]}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["hops"] == 3
    people = [body["path"][0]["from"]["id"]] + [hop["to"]["id"] for hop in body["path"]]
    assert people[0] == ids[0] and people[-1] == ids[8] and people[2] == ids[7]
    first, second, third = body["path"]
    assert first["evidence"].startswith("you met ") and first["strength"] > 0
    assert second["strength"] is None and third["strength"] is None
    assert second["evidence"].endswith("know each other (last contact November 2026)")
    assert second["last_contact_month"] == "2026-11"
    assert "confidential" not in response.get_data(as_text=True)
    # Four hops away: no warm path, a clear 404.
    far = andre.get(f"/v1/people/{ids[0]}/intro-path?to={ids[9]}")
    assert far.status_code == 404
    assert "three hops" in far.get_json()["detail"]


def test_the_warmest_path_prefers_a_strong_chain_to_a_weak_shortcut(
    admin, make_person, member_of, now
):
    a, b, c, d, x = (make_person(name=f"{n} Chain")["id"] for n in "ABCDX")

    def meet(p, q, kind, times):
        for k in range(times):
            response = admin.post(
                "/v1/interactions",
                json={
                    "person_id": p,
                    "contact_id": q,
                    "kind": kind,
                    "occurred_at": (now - timedelta(days=2 + k)).isoformat(),
                },
            )
            assert response.status_code == 201

    for p, q in ((a, b), (b, c), (c, d)):
        meet(p, q, "coffee_chat", 3)
    meet(a, x, "social_message", 1)
    meet(x, d, "social_message", 1)
    body = member_of(a).get(f"/v1/people/{a}/intro-path?to={d}").get_json()
    assert body["hops"] == 3
    assert [hop["to"]["id"] for hop in body["path"]] == [b, c, d]
    # Without the chain, the weak shortcut is the path.
    assert member_of(a).get(f"/v1/people/{a}/intro-path?to={x}").get_json()["hops"] == 1


def test_intro_path_refuses_bad_targets_and_changes_nothing(admin, member_of, kite):
    _, ids = kite
    andre = member_of(ids[0])
    itself = andre.get(f"/v1/people/{ids[0]}/intro-path?to={ids[0]}")
    assert itself.status_code == 422
    assert itself.get_json()["errors"][0]["parameter"] == "to"
    assert andre.get(f"/v1/people/{ids[0]}/intro-path").status_code == 422
    unknown = andre.get(f"/v1/people/{ids[0]}/intro-path?to=per_nobody")
    assert unknown.status_code == 404
    assert admin.get("/v1/people/per_nobody/intro-path?to=" + ids[0]).status_code == 404


def test_analyst_views_need_a_computation_first(admin, kite):
    for path in ("/v1/network/influencers", "/v1/network/brokers", "/v1/network/communities"):
        response = admin.get(path)
        assert response.status_code == 404
        assert "rapport network compute" in response.get_json()["detail"]


def test_the_map_is_served_before_any_computation_without_measures(member_of, kite):
    _, ids = kite
    body = member_of(ids[0]).get(f"/v1/people/{ids[0]}/influence").get_json()
    assert body["computed_at"] is None and body["measures"] is None
    assert len(body["strongest_ties"]) == 4


def test_division_matrix_hides_divisions_smaller_than_five(admin, kite, compute):
    compute()
    rows = admin.get("/v1/network/divisions").get_json()
    assert [row["division"] for row in rows] == ["Core"]
    assert rows[0]["people"] == 8 and rows[0]["links"] == []
    assert rows[0]["internal_share"] == pytest.approx(19 / 20, abs=0.02)
    by_function = admin.get("/v1/network/divisions?function=product").get_json()
    assert by_function == []
    assert admin.get("/v1/network/divisions?function=astrology").status_code == 422


def test_filters_narrow_the_lists(admin, kite, compute):
    compute()
    product = admin.get("/v1/network/influencers?function=product").get_json()
    assert sorted(_first_names(product)) == ["Ike", "Jane"]
    outpost = admin.get("/v1/network/brokers?division=Outpost").get_json()
    assert _first_names(outpost) == ["Ike"]
    response = admin.get("/v1/network/influencers?page_size=3&page=2")
    assert len(response.get_json()) == 3
    assert '"total": 10' in response.headers["X-Pagination"]


def test_the_landscape_shows_teams_of_five_or_more_with_a_warm_path(
    admin, member_of, kite, compute
):
    _, ids = kite
    for node, level in ((1, 5), (2, 3), (6, 1), (8, 5), (9, 4)):
        response = admin.patch(
            f"/v1/people/{ids[node]}",
            json={"skills": [{"skill": "rust", "level": level}]},
            etag="auto",
        )
        assert response.status_code == 200, response.get_json()
    admin.patch(
        f"/v1/people/{ids[3]}", json={"learning": [{"skill": "rust", "priority": 1}]}, etag="auto"
    )
    jane = member_of(ids[9])
    response = jane.get("/v1/skills/Rust/landscape")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["skill"] == "rust"
    # The tail team (two people) is below the anonymity threshold: only the core is shown.
    assert [team["team"] for team in body["teams"]] == ["Kite core"]
    core = body["teams"][0]
    assert (core["experts"], core["practitioners"], core["explorers"]) == (1, 1, 2)
    assert core["hops"] == 3  # Jane → Ike → Heather → Garth (level 1: an explorer)
    assert core["path"][-1]["to"]["id"] == ids[6]
    assert admin.get("/v1/skills/rust/landscape").get_json()["teams"][0]["path"] is None
    assert jane.get("/v1/skills/no-such-skill/landscape").status_code == 404


def test_distance_to_decision_makers_by_level_and_by_flag(app, admin, member_of, kite, compute):
    _, ids = kite
    admin.patch(f"/v1/people/{ids[9]}", json={"level": 7}, etag="auto")
    result = app.test_cli_runner().invoke(
        cli, ["network", "decision-makers", "add", ids[3], "--note", "runs the guild"]
    )
    assert result.exit_code == 0, result.output
    compute()
    body = member_of(ids[0]).get(f"/v1/people/{ids[0]}/influence").get_json()
    assert body["decision_makers"] == [
        {"function": "engineering", "hops": 1},
        {"function": "product", "hops": 4},
    ]
    listed = app.test_cli_runner().invoke(cli, ["network", "decision-makers", "list"])
    assert ids[3] in listed.output and "runs the guild" in listed.output
    unknown = app.test_cli_runner().invoke(cli, ["network", "decision-makers", "add", "per_x"])
    assert unknown.exit_code != 0 and "No active person" in unknown.output
    app.test_cli_runner().invoke(cli, ["network", "decision-makers", "remove", ids[3]])
    compute()
    body = member_of(ids[0]).get(f"/v1/people/{ids[0]}/influence").get_json()
    assert body["decision_makers"] == [{"function": "product", "hops": 4}]


def test_enough_changes_refresh_the_metrics_after_the_answer(
    app, admin, member_of, kite, compute, session, monkeypatch, now
):
    _, ids = kite
    compute()
    monkeypatch.setitem(app.config, "NETWORK_REFRESH_CHANGES", 2)
    monkeypatch.setitem(app.config, "NETWORK_REFRESH_MINUTES", 0)
    andre = member_of(ids[0])
    before = andre.get(f"/v1/people/{ids[0]}/influence").get_json()["computed_at"]
    assert session.scalar(select(func.count()).select_from(NetworkSnapshot)) == 1  # fresh
    for contact in (ids[4], ids[9]):
        admin.post(
            "/v1/interactions",
            json={
                "person_id": ids[0],
                "contact_id": contact,
                "kind": "coffee_chat",
                "occurred_at": (now - timedelta(days=1)).isoformat(),
            },
        )
    # Buffered: the client reads the whole answer and closes it, as a WSGI server does.
    stale = andre.get(f"/v1/people/{ids[0]}/influence", buffered=True).get_json()
    assert stale["computed_at"] == before  # answered from storage, recomputed afterwards
    session.rollback()  # a new read transaction: see what was committed since
    assert session.scalar(select(func.count()).select_from(NetworkSnapshot)) == 2
    fresh = andre.get(f"/v1/people/{ids[0]}/influence").get_json()
    assert fresh["measures"]["ties"] == 6
    app.extensions.pop("rapport.network", None)


def test_old_snapshots_are_pruned_and_the_newest_is_served(
    admin, kite, compute, session, monkeypatch
):
    from service.network import compute as job

    monkeypatch.setattr(job, "KEEP_SNAPSHOTS", 2)
    for _ in range(3):
        compute()
    ids = session.scalars(select(NetworkSnapshot.id).order_by(NetworkSnapshot.id)).all()
    assert len(ids) == 2
    assert admin.get("/v1/network/influencers").status_code == 200


def test_a_tie_decayed_to_nothing_is_no_tie(admin, make_person, member_of, compute):
    old, friend = make_person()["id"], make_person()["id"]
    response = admin.post(
        "/v1/interactions",
        json={
            "person_id": old,
            "contact_id": friend,
            "kind": "message",
            "occurred_at": "1901-01-01T00:00:00Z",
        },
    )
    assert response.status_code == 201
    compute()
    me = member_of(old)
    body = me.get(f"/v1/people/{old}/influence").get_json()
    assert body["strongest_ties"] == [] and body["measures"]["ties"] == 0
    assert me.get(f"/v1/people/{old}/intro-path?to={friend}").status_code == 404
    assert me.get(f"/v1/people/{old}/network.svg").status_code == 200
