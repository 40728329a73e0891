"""Meetups: meetings become interactions of kind event; a debrief whose figures are worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def test_a_meetup_records_meetings_and_its_debrief_follows_the_follow_ups(
    admin, make_person, member_of, set_now
):
    # Four people: An (engineering, Platform), Ben (sales, Growth), Cleo (engineering, Growth),
    # Dev (legal, no division). An and Cleo had met before.
    an = make_person(name="An", function="engineering", division="Platform")
    ben = make_person(name="Ben", function="sales", division="Growth")
    cleo = make_person(name="Cleo", function="engineering", division="Growth")
    dev = make_person(name="Dev", function="legal")
    set_now(T0 - timedelta(days=10))
    admin.post(
        "/v1/interactions",
        json={
            "person_id": an["id"],
            "contact_id": cleo["id"],
            "kind": "coffee_chat",
            "occurred_at": (T0 - timedelta(days=10)).isoformat(),
        },
    )
    set_now(T0 - timedelta(days=1))
    event = admin.post(
        "/v1/events",
        json={
            "title": "Data meetup",
            "kind": "meetup",
            "starts_at": T0.isoformat(),
            "facilitator_ids": [an["id"]],
        },
    ).get_json()
    assert event["duration_minutes"] == 60 and event["facilitator_ids"] == [an["id"]]
    path = f"/v1/events/{event['id']}"
    for person in (ben, cleo, dev):
        assert (
            admin.post(f"{path}/participants", json={"person_id": person["id"]}).status_code == 201
        )

    listed = admin.get(f"{path}/participants").get_json()
    assert [(p["name"], p["role"]) for p in listed] == [
        ("An", "facilitator"),
        ("Ben", "participant"),
        ("Cleo", "participant"),
        ("Dev", "participant"),
    ]
    as_an, as_ben = member_of(an["id"]), member_of(ben["id"])
    too_early = as_an.post(f"{path}/meetings", json={"contact_id": ben["id"]})
    assert too_early.status_code == 409
    set_now(T0 + timedelta(minutes=10))
    # An met Ben, Cleo and Dev; Ben met Dev (logged by the facilitator An for Ben).
    for body in (
        {"contact_id": ben["id"], "given": ["advice"]},
        {"contact_id": cleo["id"]},
        {"contact_id": dev["id"], "notes": "Ask about the contract templates."},
    ):
        assert as_an.post(f"{path}/meetings", json=body).status_code == 201
    logged = as_an.post(f"{path}/meetings", json={"person_id": ben["id"], "contact_id": dev["id"]})
    assert logged.status_code == 201, logged.get_json()
    again = as_ben.post(f"{path}/meetings", json={"contact_id": an["id"]})
    assert again.status_code == 409  # once per pair per event
    assert (
        as_ben.post(
            f"{path}/meetings", json={"person_id": dev["id"], "contact_id": an["id"]}
        ).status_code
        == 403
    )
    assert as_an.post(f"{path}/meetings", json={"contact_id": an["id"]}).status_code == 422
    meetings = admin.get(f"{path}/meetings").get_json()
    assert len(meetings) == 4
    assert {m["met_at"] for m in meetings} == {(T0 + timedelta(minutes=10)).isoformat()}
    interactions = admin.get("/v1/interactions?kind=event&page_size=100").get_json()
    assert len(interactions) == 4
    due = {(i["person_id"], i["contact_id"]): i["follow_up_due_at"] for i in interactions}
    first_due = (T0 + timedelta(minutes=10, hours=24)).isoformat()
    assert due[(an["id"], ben["id"])] == first_due
    assert due[(an["id"], cleo["id"])] is None  # not a first meeting
    assert due[(ben["id"], dev["id"])] == first_due
    notes = as_an.get("/v1/interactions?kind=event&contact_id=" + dev["id"]).get_json()
    assert notes[0]["notes"] == "Ask about the contract templates."

    # Follow-ups: An writes to Ben within 24 hours, to Dev after 30 hours; Ben never writes to Dev.
    set_now(T0 + timedelta(hours=5))
    as_an.post(
        "/v1/interactions",
        json={
            "contact_id": ben["id"],
            "kind": "message",
            "occurred_at": (T0 + timedelta(hours=5)).isoformat(),
        },
    )
    set_now(T0 + timedelta(hours=30))
    as_an.post(
        "/v1/interactions",
        json={
            "contact_id": dev["id"],
            "kind": "message",
            "occurred_at": (T0 + timedelta(hours=30)).isoformat(),
        },
    )
    set_now(T0 + timedelta(hours=40))
    debrief = as_an.get(f"{path}/debrief").get_json()
    # Worked out by hand: 4 meetings; An–Cleo knew each other, so 3 new ties: An–Ben
    # (engineering/sales, Platform/Growth), An–Dev (engineering/legal, Dev has no division),
    # Ben–Dev (sales/legal, no division): 3 cross function, 1 cross division.
    assert debrief["meetings"] == 4
    assert debrief["new_ties"] == {"total": 3, "cross_function": 3, "cross_division": 1}
    assert debrief["follow_ups"] == {
        "window_hours": 24,
        "first_meetings": 3,
        "done_within_window": 1,
        "done_later": 1,
        "pending": 0,
        "missed": 1,
    }
    assert debrief["cards"] == 0 and debrief["prompts"] == []
    assert len(debrief["discussion_points"]) == 3
    assert (
        "3 new ties formed, 3 across functions and 1 across divisions"
        in debrief["discussion_points"][2]
    )
    board = as_an.get(f"{path}/leaderboard").get_json()
    assert [(r["name"], r["functions_met"], r["people_met"]) for r in board["most_functions"]] == [
        # An facilitates: not a player. Ben met engineering and legal; Cleo only engineering.
        ("Ben", 2, 2),
        ("Dev", 2, 2),
        ("Cleo", 1, 1),
    ]
    outsider = make_person(name="Eve")
    assert member_of(outsider["id"]).get(f"{path}/debrief").status_code == 403
