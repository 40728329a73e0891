"""A whole Networking Bingo with a dozen people, through HTTP: cards, marking, bingo, debrief."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import networkx as nx
import pytest

from matching import bingo

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)

# name, function, level, division, skills held, skills wanted
ROOM = [
    ("Ada", "engineering", 6, "Platform", {"python": 5, "kafka": 4}, ["pricing"]),
    ("Bo", "product", 4, "Payments", {"pricing": 4}, ["python"]),
    ("Cy", "sales", 3, "Growth", {"negotiation": 5}, ["sql"]),
    ("Di", "data", 2, "Platform", {"sql": 4, "python": 3}, ["kafka"]),
    ("Ed", "legal", 5, "Corporate", {"contracts": 5}, ["negotiation"]),
    ("Fa", "design", 3, "Payments", {"figma": 5}, ["python"]),
    ("Gu", "engineering", 2, "Payments", {"rust": 4, "kafka": 3}, ["pricing"]),
    ("Ha", "finance", 7, "Corporate", {"pricing": 5, "sql": 3}, ["rust"]),
    ("Io", "marketing", 4, "Growth", {"figma": 3}, ["sql"]),
    ("Jo", "operations", 5, "Platform", {"kafka": 4}, ["contracts"]),
    ("Ka", "support", 1, "Growth", {"sql": 3}, ["python"]),
    ("Li", "people", 6, "Corporate", {"negotiation": 3}, ["figma"]),
]


@pytest.fixture
def room(make_person, member_of, admin, set_now):
    """Twelve people of eleven functions and four divisions, a facilitator, and member clients.

    Ada and Bo had a coffee a month before: they are not a new tie, and Ada has a tie with
    product (Bo has one with engineering).
    """
    people = []
    for name, function, level, division, skills, learning in ROOM:
        person = make_person(
            name=name,
            function=function,
            level=level,
            division=division,
            skills=[{"skill": s, "level": v} for s, v in skills.items()],
            learning=[{"skill": s, "priority": 1} for s in learning],
        )
        person["client"] = member_of(person["id"])
        people.append(person)
    set_now(T0 - timedelta(days=30))
    coffee = admin.post(
        "/v1/interactions",
        json={
            "person_id": people[0]["id"],
            "contact_id": people[1]["id"],
            "kind": "coffee_chat",
            "occurred_at": (T0 - timedelta(days=30)).isoformat(),
        },
    )
    assert coffee.status_code == 201, coffee.get_json()
    host = make_person(name="Max", function="people", level=5, division="Corporate")
    host["client"] = member_of(host["id"])
    return {"people": people, "host": host}


def player_of(person: dict, ties: frozenset[str] = frozenset()) -> bingo.Player:
    """The player a test expects Rapport to see, built from the test's own data."""
    return bingo.Player(
        id=person["id"],
        function=person["function"],
        level=person["level"],
        division=person["division"],
        skills={s["skill"]: s["level"] for s in person["skills"]},
        learning=frozenset(s["skill"] for s in person["learning"]),
        tie_functions=ties,
    )


def assignment(players: list[bingo.Player], owner: bingo.Player, squares: list[dict]) -> dict:
    """Who fills each square of a card (max flow, two squares a person), or None if none can."""
    graph = nx.DiGraph()
    todo = [s for s in squares if not s["free"]]
    for s in todo:
        graph.add_edge("s", ("sq", s["index"]), capacity=1)
        for other in players:
            if bingo.satisfies(s["condition"], owner, other):
                graph.add_edge(("sq", s["index"]), ("p", other.id), capacity=1)
    for other in players:
        graph.add_edge(("p", other.id), "t", capacity=2)
    value, flow = nx.maximum_flow(graph, "s", "t")
    if value != len(todo):
        return None
    return {
        s["index"]: next(p for (_, p), f in flow[("sq", s["index"])].items() if f) for s in todo
    }


def schedule(client, **extra):
    body = {
        "title": "Platform offsite bingo",
        "kind": "bingo",
        "starts_at": T0.isoformat(),
        "card_size": 4,
        "seed": 20261130,
        "location": "Lisbon atrium",
        **extra,
    }
    response = client.post("/v1/events", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def players_of(room):
    people = room["people"]
    ties = {people[0]["id"]: frozenset({"product"}), people[1]["id"]: frozenset({"engineering"})}
    return [player_of(p, ties.get(p["id"], frozenset())) for p in people]


def test_a_whole_bingo_with_a_dozen_people(app, admin, room, catalogue, set_now):
    people, host = room["people"], room["host"]
    by_id = {p["id"]: p for p in people}
    set_now(T0 - timedelta(hours=1))
    event = schedule(host["client"])
    assert event["status"] == "scheduled"
    assert event["facilitator_ids"] == [host["id"]]
    assert event["duration_minutes"] == 15
    path = f"/v1/events/{event['id']}"
    for person in people:
        joined = person["client"].post(f"{path}/participants", json={})
        assert joined.status_code == 201, joined.get_json()
    assert admin.get(path).get_json()["participant_count"] == 12
    assert people[0]["client"].get(f"{path}/cards/me").status_code == 404  # not dealt yet

    set_now(T0 - timedelta(minutes=2))
    assert people[0]["client"].post(f"{path}/start").status_code == 403
    started = host["client"].post(f"{path}/start")
    assert started.status_code == 200, started.get_json()
    assert started.get_json()["status"] == "running"

    # Cards: one per participant, 4×4, unique, reproducible, every one completable.
    players = players_of(room)
    cards = {}
    for person, player in zip(people, players, strict=True):
        card = person["client"].get(f"{path}/cards/me").get_json()
        assert card["person_id"] == person["id"] and card["size"] == 4
        assert [s["index"] for s in card["squares"]] == list(range(16))
        assert not any(s["marked"] for s in card["squares"])
        others = [p for p in players if p.id != player.id]
        assert assignment(others, player, card["squares"]) is not None, person["name"]
        cards[person["id"]] = card
    assert len({tuple(s["prompt_id"] for s in c["squares"]) for c in cards.values()}) == 12
    everyone = host["client"].get(f"{path}/cards?page_size=100").get_json()
    assert {c["id"] for c in everyone} == {c["id"] for c in cards.values()}

    # Ada plays her first row with the people a max flow assigns: a bingo at the fourth square.
    ada, bo = people[0], people[1]
    ada_card = cards[ada["id"]]
    plan = assignment([p for p in players if p.id != ada["id"]], players[0], ada_card["squares"])
    marks = []
    for k, index in enumerate((0, 1, 2, 3)):
        set_now(T0 + timedelta(minutes=1, seconds=k))
        marked = ada["client"].post(
            f"{path}/cards/{ada_card['id']}/squares/{index}",
            json={"person_id": plan[index], "note": "Follow up on this"},
        )
        assert marked.status_code == 200, marked.get_json()
        body = marked.get_json()
        marks.append((ada["id"], plan[index]))
        assert body["squares"][index]["met_id"] == plan[index]
        assert body["squares"][index]["note"] == "Follow up on this"
        assert body["bingos"] == (1 if index == 3 else 0)
    assert body["bingo_at"] == (T0 + timedelta(minutes=1, seconds=3)).isoformat()
    # The facilitator sees the card, without Ada's private notes.
    seen = host["client"].get(f"{path}/cards/{ada_card['id']}").get_json()
    assert seen["squares"][0]["met_id"] == plan[0] and seen["squares"][0]["note"] is None

    # Each pair met is one interaction of kind event, with a follow-up due 24 hours later.
    logged = admin.get(
        f"/v1/interactions?person_id={ada['id']}&kind=event&page_size=100"
    ).get_json()
    assert len(logged) == len(set(plan[i] for i in (0, 1, 2, 3)))
    for interaction in logged:
        category = next(
            s["category"]
            for s in ada_card["squares"]
            if plan.get(s["index"]) == interaction["contact_id"]
        )
        expected = {
            "ask": ([], ["advice"]),
            "offer": (["help"], []),
            "share": (["resource"], []),
            "discover": ([], ["expertise"]),
        }
        assert (interaction["given"], interaction["received"]) == expected[category]
        if interaction["contact_id"] == bo["id"]:
            assert interaction["follow_up_due_at"] is None  # they had met before
        else:
            met_at = datetime.fromisoformat(interaction["occurred_at"])
            assert T0 + timedelta(minutes=1) <= met_at <= T0 + timedelta(minutes=1, seconds=3)
            assert interaction["follow_up_due_at"] == (met_at + timedelta(hours=24)).isoformat()

    # The other side marking the same pair adds a square, not a second interaction.
    met_first = by_id[plan[0]]
    their_card = cards[met_first["id"]]
    free_square = next(s["index"] for s in their_card["squares"] if s["condition"] is None)
    set_now(T0 + timedelta(minutes=3))
    back = met_first["client"].post(
        f"{path}/cards/{their_card['id']}/squares/{free_square}", json={"person_id": ada["id"]}
    )
    assert back.status_code == 200, back.get_json()
    marks.append((met_first["id"], ada["id"]))
    assert len(admin.get("/v1/interactions?kind=event&page_size=100").get_json()) == len(logged)

    # The leaderboard: Ada's bingo first; functions met, not people.
    board = people[2]["client"].get(f"{path}/leaderboard").get_json()
    assert board["first_bingos"][0]["person_id"] == ada["id"]
    assert board["first_bingos"][0]["rank"] == 1
    top = board["most_functions"][0]
    assert top["person_id"] == ada["id"]
    assert top["functions_met"] == len(
        {by_id[m]["function"] for m in set(plan[i] for i in (0, 1, 2, 3))}
    )

    # Reflections: private to the facilitators unless shared.
    set_now(T0 + timedelta(minutes=14))
    best = ada_card["squares"][0]["prompt_id"]
    assert (
        ada["client"]
        .post(
            f"{path}/reflections",
            json={
                "best_prompt_id": best,
                "best_answer": "A real story.",
                "structure": "helped",
                "shared": True,
            },
        )
        .status_code
        == 201
    )
    assert (
        people[2]["client"]
        .post(f"{path}/reflections", json={"structure": "hindered", "structure_notes": "Rushed."})
        .status_code
        == 201
    )
    assert people[2]["client"].post(f"{path}/reflections", json={}).status_code == 409
    assert (
        people[3]["client"]
        .post(f"{path}/reflections", json={"best_prompt_id": "pro_not_on_my_card"})
        .status_code
        == 422
    )
    seen_by_di = people[3]["client"].get(f"{path}/reflections").get_json()
    assert [r["person_id"] for r in seen_by_di] == [ada["id"]]
    assert len(host["client"].get(f"{path}/reflections").get_json()) == 2

    # Marking after the end is a 409, and writes nothing.
    host["client"].post(f"{path}/end")
    set_now(T0 + timedelta(minutes=20))
    late = ada["client"].post(
        f"{path}/cards/{ada_card['id']}/squares/4", json={"person_id": plan[4]}
    )
    assert late.status_code == 409
    assert "ended" in late.get_json()["detail"]
    assert ada["client"].get(f"{path}/cards/me").get_json()["squares"][4]["marked"] is False

    # The debrief, against what happened.
    debrief = host["client"].get(f"{path}/debrief").get_json()
    pairs = {frozenset(m) for m in marks}
    new_pairs = [p for p in pairs if p != frozenset({ada["id"], bo["id"]})]
    assert debrief["participants"] == 12 and debrief["cards"] == 12
    assert debrief["squares_on_cards"] == 12 * 16
    assert debrief["squares_completed"] == len(marks)
    assert debrief["cards_with_bingo"] == 1
    assert debrief["meetings"] == len(pairs)
    assert debrief["new_ties"]["total"] == len(new_pairs)
    assert debrief["new_ties"]["cross_function"] == sum(
        len({by_id[i]["function"] for i in p}) == 2 for p in new_pairs
    )
    assert debrief["new_ties"]["cross_division"] == sum(
        len({by_id[i]["division"] for i in p}) == 2 for p in new_pairs
    )
    assert debrief["follow_ups"]["first_meetings"] == len(new_pairs)
    assert debrief["follow_ups"]["pending"] == len(new_pairs)
    assert sum(c["completed"] for c in debrief["categories"]) == len(marks)
    assert debrief["reflections"]["total"] == 2 and debrief["reflections"]["shared"] == 1
    assert debrief["reflections"]["structure"] == {"helped": 1, "hindered": 1, "mixed": 0}
    assert [r["name"] for r in debrief["shared_reflections"]] == ["Ada"]
    assert len(debrief["discussion_points"]) == 3

    # A follow-up within 24 hours shows in the debrief as it happens.
    contact = plan[0] if plan[0] != bo["id"] else plan[1]
    set_now(T0 + timedelta(hours=20))
    assert (
        ada["client"]
        .post(
            "/v1/interactions",
            json={
                "contact_id": contact,
                "kind": "message",
                "occurred_at": (T0 + timedelta(hours=20)).isoformat(),
            },
        )
        .status_code
        == 201
    )
    after = host["client"].get(f"{path}/debrief").get_json()["follow_ups"]
    assert after["done_within_window"] == 1
    assert after["pending"] == len(new_pairs) - 1


def started_bingo(room, set_now, **extra):
    """A 4×4 bingo with the dozen people, started; return its path and each person's card."""
    people, host = room["people"], room["host"]
    set_now(T0 - timedelta(hours=1))
    event = schedule(host["client"], **extra)
    path = f"/v1/events/{event['id']}"
    for person in people:
        assert person["client"].post(f"{path}/participants", json={}).status_code == 201
    set_now(T0 + timedelta(minutes=1))  # started by the clock: the first read deals
    cards = {p["id"]: p["client"].get(f"{path}/cards/me").get_json() for p in people}
    return path, cards


def test_marking_rules_refuse_bad_squares_and_write_nothing(admin, room, catalogue, set_now):
    people, host = room["people"], room["host"]
    path, cards = started_bingo(room, set_now)
    ada, bo, cy = people[0], people[1], people[2]
    card = cards[ada["id"]]
    mark = f"{path}/cards/{card['id']}/squares"
    plain = [s["index"] for s in card["squares"] if s["condition"] is None]
    outsider = admin.post(
        "/v1/people",
        json={"email": "out@example.com", "name": "Out", "function": "sales", "level": 3},
    ).get_json()
    refusals = [
        (plain[0], {"person_id": ada["id"]}, 422, "not yourself"),
        (plain[0], {"person_id": host["id"]}, 422, "not a participant"),
        (plain[0], {"person_id": outsider["id"]}, 422, "not a participant"),
        (plain[0], {"person_id": "per_nobody"}, 422, "No person has id"),
        (16, {"person_id": cy["id"]}, 404, "no square 16"),
        (plain[0], {}, 422, "person_id"),
    ]
    for index, body, status, says in refusals:
        response = ada["client"].post(f"{mark}/{index}", json=body)
        assert response.status_code == status, (body, response.get_json())
        assert response.headers["Content-Type"] == "application/problem+json"
        assert says in response.get_json()["detail"]
    # Another member does not even see the card.
    assert bo["client"].post(f"{mark}/{plain[0]}", json={"person_id": cy["id"]}).status_code == 404

    # One person fills at most two squares of a card.
    for index in plain[:2]:
        assert (
            ada["client"].post(f"{mark}/{index}", json={"person_id": cy["id"]}).status_code == 200
        )
    third = ada["client"].post(f"{mark}/{plain[2]}", json={"person_id": cy["id"]})
    assert third.status_code == 422 and "already fills 2 squares" in third.get_json()["detail"]
    again = ada["client"].post(f"{mark}/{plain[0]}", json={"person_id": bo["id"]})
    assert again.status_code == 409 and "already marked" in again.get_json()["detail"]

    # A conditioned square refuses someone who does not satisfy it.
    players = {p.id: p for p in players_of(room)}
    refused = None
    for owner in people[1:]:  # Ada's card already holds Cy twice
        for square in cards[owner["id"]]["squares"]:
            if square["condition"] and square["met_id"] is None:
                misfit = next(
                    (
                        p
                        for p in people
                        if p["id"] != owner["id"]
                        and not bingo.satisfies(
                            square["condition"], players[owner["id"]], players[p["id"]]
                        )
                    ),
                    None,
                )
                if misfit:
                    refused = (owner, square, misfit)
                    break
        if refused:
            break
    assert refused is not None
    owner, square, misfit = refused
    response = owner["client"].post(
        f"{path}/cards/{cards[owner['id']]['id']}/squares/{square['index']}",
        json={"person_id": misfit["id"]},
    )
    assert response.status_code == 422 and "This square asks for" in response.get_json()["detail"]

    # Nothing was written by the refusals: two squares, one interaction.
    after = ada["client"].get(f"{path}/cards/me").get_json()
    assert sum(s["marked"] for s in after["squares"]) == 2
    logged = admin.get("/v1/interactions?kind=event").get_json()
    assert [(i["person_id"], i["contact_id"]) for i in logged] == [(ada["id"], cy["id"])]
    assert admin.get(f"{path}/meetings").get_json()[0]["interaction_id"] == logged[0]["id"]


def test_free_centre_and_three_by_three(room, catalogue, set_now):
    path, cards = started_bingo(room, set_now, card_size=3, free_centre=True)
    ada = room["people"][0]
    card = cards[ada["id"]]
    assert card["size"] == 3 and card["squares"][4]["free"] and card["squares"][4]["marked"]
    response = ada["client"].post(
        f"{path}/cards/{card['id']}/squares/4", json={"person_id": room["people"][2]["id"]}
    )
    assert response.status_code == 409 and "free square" in response.get_json()["detail"]


def test_joining_a_full_an_ended_or_a_closed_event(room, catalogue, set_now, admin):
    people, host = room["people"], room["host"]
    set_now(T0 - timedelta(hours=1))
    full = schedule(host["client"], capacity=2)
    path = f"/v1/events/{full['id']}"
    assert people[0]["client"].post(f"{path}/participants", json={}).status_code == 201
    assert people[0]["client"].post(f"{path}/participants", json={}).status_code == 409
    assert people[1]["client"].post(f"{path}/participants", json={}).status_code == 201
    refused = people[2]["client"].post(f"{path}/participants", json={})
    assert refused.status_code == 409 and "full" in refused.get_json()["detail"]
    closed = schedule(host["client"], open=False)
    closed_path = f"/v1/events/{closed['id']}"
    assert people[2]["client"].post(f"{closed_path}/participants", json={}).status_code == 403
    enrolled = host["client"].post(
        f"{closed_path}/participants", json={"person_id": people[2]["id"]}
    )
    assert enrolled.status_code == 201 and enrolled.get_json()["name"] == "Cy"
    set_now(T0 + timedelta(hours=2))
    assert admin.get(path).get_json()["status"] == "ended"
    ended = people[3]["client"].post(f"{path}/participants", json={})
    assert ended.status_code == 409 and "ended" in ended.get_json()["detail"]
    assert admin.get(path).get_json()["participant_count"] == 2


def test_a_room_too_small_for_the_card_is_refused_at_the_start(room, catalogue, set_now):
    people, host = room["people"], room["host"]
    set_now(T0 - timedelta(hours=1))
    event = schedule(host["client"], card_size=5, free_centre=False)
    path = f"/v1/events/{event['id']}"
    for person in people[:5]:
        assert person["client"].post(f"{path}/participants", json={}).status_code == 201
    refused = host["client"].post(f"{path}/start")
    assert refused.status_code == 409
    assert "at least 14 players" in refused.get_json()["detail"]
    assert host["client"].get(path).get_json()["status"] == "scheduled"
    assert host["client"].get(f"{path}/cards").get_json() == []


def test_a_catalogue_too_small_for_the_card_is_refused(room, set_now, admin):
    set_now(T0 - timedelta(hours=1))
    for k in range(10):
        assert (
            admin.post(
                "/v1/bingo/prompts", json={"text": f"Prompt {k}", "category": "ask"}
            ).status_code
            == 201
        )
    response = room["host"]["client"].post(
        "/v1/events",
        json={"title": "Bingo", "kind": "bingo", "starts_at": T0.isoformat(), "card_size": 4},
    )
    assert response.status_code == 409
    assert "catalogue holds 10 active prompts; a 4×4 card needs 16" in response.get_json()["detail"]
    assert admin.get("/v1/events").get_json() == []
    small = room["host"]["client"].post(
        "/v1/events",
        json={"title": "Bingo", "kind": "bingo", "starts_at": T0.isoformat(), "card_size": 3},
    )
    assert small.status_code == 201


def test_cards_are_reproducible_from_the_seed(room, catalogue, set_now):
    _path, first = started_bingo(room, set_now)
    _path, same = started_bingo(room, set_now)
    _path, other = started_bingo(room, set_now, seed=7)

    def grids(cards):
        return {p: [s["prompt_id"] for s in c["squares"]] for p, c in cards.items()}

    assert grids(first) == grids(same)
    assert grids(first) != grids(other)


def test_the_event_lifecycle(room, catalogue, set_now, admin):
    people, host = room["people"], room["host"]
    set_now(T0 - timedelta(hours=1))
    event = schedule(host["client"])
    path = f"/v1/events/{event['id']}"
    assert host["client"].patch(path, json={"card_size": 3}).status_code == 428
    assert people[0]["client"].patch(path, json={"card_size": 3}, etag="auto").status_code == 403
    changed = host["client"].patch(path, json={"card_size": 3, "duration_minutes": 20}, etag="auto")
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["card_size"] == 3
    assert admin.get("/v1/events?status=scheduled").get_json()[0]["id"] == event["id"]
    assert admin.get("/v1/events?status=running").get_json() == []
    assert host["client"].post(f"{path}/end").status_code == 409
    set_now(T0 + timedelta(minutes=5))  # running by the clock
    assert admin.get(path).get_json()["status"] == "running"
    late = host["client"].patch(path, json={"card_size": 5}, etag="auto")
    assert late.status_code == 409
    renamed = host["client"].patch(path, json={"title": "Renamed"}, etag="auto")
    assert renamed.status_code == 200
    ended = host["client"].post(f"{path}/end")
    assert ended.status_code == 200 and ended.get_json()["status"] == "ended"
    assert ended.get_json()["ends_at"] == (T0 + timedelta(minutes=5)).isoformat()
    assert host["client"].post(f"{path}/start").status_code == 409
    meetup = schedule(host["client"], kind="meetup")
    assert meetup["duration_minutes"] == 60
    assert host["client"].get(f"/v1/events/{meetup['id']}/cards/me").status_code == 404


def _race(server, client, paths_and_bodies) -> list[int]:
    """POST each (path, body) at once from its own thread, against a real server."""
    barrier = threading.Barrier(len(paths_and_bodies))
    statuses: list[int] = []

    def post(path: str, body: dict) -> None:
        request = urllib.request.Request(
            f"{server}{path}",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {client.token}", "Content-Type": "application/json"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=post, args=pb) for pb in paths_and_bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_marks_keep_the_rules(server, room, catalogue, set_now, round_):
    people = room["people"]
    path, cards = started_bingo(room, set_now)
    ada, cy, di = people[0], people[2], people[3]
    card = cards[ada["id"]]
    mark = f"{path}/cards/{card['id']}/squares"
    plain = [s["index"] for s in card["squares"] if s["condition"] is None]
    # Two people for one square at once: one fills it, the other is told it is taken.
    statuses = _race(
        server,
        ada["client"],
        [
            (f"{mark}/{plain[0]}", {"person_id": cy["id"]}),
            (f"{mark}/{plain[0]}", {"person_id": di["id"]}),
        ],
    )
    assert statuses == [200, 409]
    # Di already fills one square: two more at once, and only one of them is hers.
    assert ada["client"].post(f"{mark}/{plain[1]}", json={"person_id": di["id"]}).status_code in (
        200,
        422,
    )
    filled_by_di = sum(
        s["met_id"] == di["id"] for s in ada["client"].get(f"{path}/cards/me").get_json()["squares"]
    )
    statuses = _race(
        server,
        ada["client"],
        [
            (f"{mark}/{plain[2]}", {"person_id": di["id"]}),
            (f"{mark}/{plain[3]}", {"person_id": di["id"]}),
        ],
    )
    squares = ada["client"].get(f"{path}/cards/me").get_json()["squares"]
    assert sum(s["met_id"] == di["id"] for s in squares) == 2
    assert statuses == ([200, 422] if filled_by_di == 1 else [422, 422])
