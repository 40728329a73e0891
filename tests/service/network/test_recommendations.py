"""Recommendations that use the map: "X can introduce you", and purpose=broker."""

from __future__ import annotations


def test_a_mentor_reachable_through_a_contact_says_who_can_introduce(admin, member_of, kite):
    _, ids = kite
    response = admin.patch(
        f"/v1/people/{ids[7]}",
        json={
            "level": 6,
            "skills": [{"skill": "rust", "level": 5}],
            "mentoring": {"open_to_mentor": True, "mentor_capacity": 2},
        },
        etag="auto",
    )
    assert response.status_code == 200
    admin.patch(
        f"/v1/people/{ids[0]}", json={"learning": [{"skill": "rust", "priority": 1}]}, etag="auto"
    )
    body = member_of(ids[0]).get(f"/v1/people/{ids[0]}/recommendations?purpose=mentor").get_json()
    heather = next(item for item in body["items"] if item["person"]["id"] == ids[7])
    assert (
        "Fernando Kite can introduce you: you met Fernando once (last in November 2026)"
        in heather["reasons"]
    )
    assert not any(reason.startswith("per_") for reason in heather["reasons"])


def test_broker_purpose_finds_who_connects_you_to_a_goals_function(admin, member_of, kite):
    _, ids = kite
    goal = admin.post(
        "/v1/goals",
        json={
            "person_id": ids[0],
            "title": "Understand the product roadmap",
            "kind": "business_understanding",
            "target_functions": ["product"],
        },
    )
    assert goal.status_code == 201, goal.get_json()
    andre = member_of(ids[0])
    body = andre.get(
        f"/v1/people/{ids[0]}/recommendations?purpose=broker&goal_id={goal.get_json()['id']}"
    ).get_json()
    assert body["purpose"] == "broker"
    assert [item["person"]["id"] for item in body["items"]] == [ids[7]]
    reasons = body["items"][0]["reasons"]
    assert "Heather can introduce you to Ike Kite (product)" in reasons
    assert "reached through Fernando Kite" in reasons
    # Fernando knows Heather himself: she is one hop away, and scores higher for it.
    fernando = member_of(ids[5]).get(f"/v1/people/{ids[5]}/recommendations?purpose=broker")
    assert fernando.status_code == 422  # Fernando has no goal with target functions
    admin.post(
        "/v1/goals",
        json={
            "person_id": ids[5],
            "title": "Ship with product",
            "kind": "business_understanding",
            "target_functions": ["product"],
        },
    )
    mine = member_of(ids[5]).get(f"/v1/people/{ids[5]}/recommendations?purpose=broker").get_json()
    assert mine["items"][0]["person"]["id"] == ids[7]
    assert mine["items"][0]["score"] > body["items"][0]["score"]
    assert mine["items"][0]["reasons"][-1].startswith("you met Heather")
