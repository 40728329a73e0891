"""The demo company holds an ended Networking Bingo whose debrief is worth reading."""

from __future__ import annotations

from service import demo


def test_the_demo_has_an_ended_bingo_with_a_debrief(app, session, admin):
    counts = demo.load(session, people=150, seed=5)
    assert counts["bingo squares"] > 0
    (event,) = admin.get("/v1/events").get_json()
    assert event["status"] == "ended" and event["kind"] == "bingo"
    assert event["participant_count"] == 16
    debrief = admin.get(f"/v1/events/{event['id']}/debrief").get_json()
    assert debrief["cards"] == 16
    assert debrief["squares_completed"] == counts["bingo squares"]
    assert debrief["reflections"]["total"] == 11 and debrief["reflections"]["shared"] > 0
    follow = debrief["follow_ups"]
    assert follow["first_meetings"] == debrief["new_ties"]["total"] > 0
    assert (
        follow["done_within_window"] + follow["done_later"] + follow["pending"] + follow["missed"]
        == follow["first_meetings"]
    )
    assert follow["done_within_window"] > 0
    assert len(debrief["discussion_points"]) == 3
    board = admin.get(f"/v1/events/{event['id']}/leaderboard").get_json()
    assert board["first_bingos"] and board["most_functions"]
