"""Mentorships: every transition, who may make it, and the mentor's capacity under a race."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta

import pytest


@pytest.fixture
def pair(make_person, member_of):
    """A mentor open to mentoring with one slot, a mentee, and their member clients."""
    mentor = make_person(
        name="Mentor", level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 1}
    )
    mentee = make_person(name="Mentee", level=2)
    return {
        "mentor": mentor,
        "mentee": mentee,
        "as_mentor": member_of(mentor["id"]),
        "as_mentee": member_of(mentee["id"]),
    }


def propose(client, mentor, mentee, kind="mentorship", **extra):
    return client.post(
        "/v1/mentorships",
        json={"mentor_id": mentor["id"], "mentee_id": mentee["id"], "kind": kind, **extra},
    )


def test_propose_accept_complete(pair):
    proposed = propose(pair["as_mentee"], pair["mentor"], pair["mentee"], message="Teach me?")
    assert proposed.status_code == 201, proposed.get_json()
    body = proposed.get_json()
    assert body["status"] == "proposed"
    assert body["proposed_by"] == pair["mentee"]["id"]
    assert body["cadence_days"] == 14
    path = f"/v1/mentorships/{body['id']}"
    accepted = pair["as_mentor"].post(f"{path}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["status"] == "active"
    assert accepted.get_json()["accepted_at"]
    assert pair["as_mentee"].post(f"{path}/complete", json={}).status_code == 422
    completed = pair["as_mentee"].post(f"{path}/complete", json={"reason": "Goal achieved."})
    assert completed.status_code == 200
    assert completed.get_json()["status"] == "completed"
    assert completed.get_json()["closure_reason"] == "Goal achieved."


def test_only_the_other_side_accepts_or_declines(pair, admin):
    body = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    path = f"/v1/mentorships/{body['id']}"
    assert pair["as_mentee"].post(f"{path}/accept").status_code == 403
    assert pair["as_mentee"].post(f"{path}/decline").status_code == 403
    assert admin.post(f"{path}/accept").status_code == 403
    declined = pair["as_mentor"].post(f"{path}/decline", json={"reason": "No time this quarter."})
    assert declined.status_code == 200
    assert declined.get_json()["status"] == "declined"
    assert declined.get_json()["decline_reason"] == "No time this quarter."


@pytest.mark.parametrize(
    ("setup", "action", "by"),
    [
        ("declined", "accept", "as_mentor"),
        ("declined", "complete", "as_mentee"),
        ("declined", "cancel", "as_mentee"),
        ("proposed", "complete", "as_mentee"),
        ("active", "accept", "as_mentor"),
        ("active", "decline", "as_mentor"),
        ("completed", "cancel", "as_mentor"),
        ("cancelled", "accept", "as_mentor"),
    ],
)
def test_invalid_transitions_are_409_and_change_nothing(pair, setup, action, by):
    body = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    path = f"/v1/mentorships/{body['id']}"
    if setup == "declined":
        pair["as_mentor"].post(f"{path}/decline")
    elif setup in ("active", "completed"):
        pair["as_mentor"].post(f"{path}/accept")
        if setup == "completed":
            pair["as_mentor"].post(f"{path}/complete", json={"reason": "Done."})
    elif setup == "cancelled":
        pair["as_mentee"].post(f"{path}/cancel")
    response = pair[by].post(f"{path}/{action}", json={"reason": "x"})
    assert response.status_code == 409, response.get_json()
    assert setup in response.get_json()["detail"]
    assert pair["as_mentee"].get(path).get_json()["status"] == setup


def test_either_side_or_an_admin_cancels(pair, admin, make_person, member_of):
    first = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    assert (
        pair["as_mentee"].post(f"/v1/mentorships/{first['id']}/cancel").get_json()["status"]
        == "cancelled"
    )
    second = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    outsider = member_of(make_person()["id"])
    assert outsider.post(f"/v1/mentorships/{second['id']}/cancel").status_code == 404
    assert (
        admin.post(
            f"/v1/mentorships/{second['id']}/cancel", json={"reason": "Duplicate"}
        ).status_code
        == 200
    )


def test_a_second_open_proposal_for_the_pair_is_409(pair):
    assert propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).status_code == 201
    assert propose(pair["as_mentor"], pair["mentor"], pair["mentee"]).status_code == 409
    # Another kind between the same people is another matter.
    assert (
        propose(
            pair["as_mentee"], pair["mentor"], pair["mentee"], kind="cross_functional"
        ).status_code
        == 422
    )


def test_proposals_are_checked(pair, make_person, member_of):
    closed = make_person(level=7)
    assert (
        propose(pair["as_mentee"], closed, pair["mentee"]).status_code == 422
    )  # not open to mentoring
    assert (
        propose(pair["as_mentee"], pair["mentee"], pair["mentor"]).status_code == 422
    )  # junior mentoring senior
    assert propose(pair["as_mentee"], pair["mentee"], pair["mentee"]).status_code == 422
    stranger = make_person(level=7, mentoring={"open_to_mentor": True, "mentor_capacity": 1})
    other = make_person()
    assert propose(pair["as_mentee"], stranger, other).status_code == 403  # not one of the two
    ghost = {"id": "per_ghost"}
    assert propose(pair["as_mentee"], ghost, pair["mentee"]).status_code == 422


def test_reverse_mentorship_needs_a_more_junior_mentor_open_to_it(make_person, member_of):
    senior = make_person(level=7)
    junior = make_person(level=2, mentoring={"open_to_reverse_mentor": True})
    unwilling = make_person(level=2)
    client = member_of(senior["id"])
    assert propose(client, junior, senior, kind="reverse_mentorship").status_code == 201
    assert propose(client, unwilling, senior, kind="reverse_mentorship").status_code == 422


def test_capacity_bounds_active_mentorships(pair, make_person, member_of):
    first = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    other = make_person(level=1)
    second = propose(member_of(other["id"]), pair["mentor"], other).get_json()
    assert pair["as_mentor"].post(f"/v1/mentorships/{first['id']}/accept").status_code == 200
    full = pair["as_mentor"].post(f"/v1/mentorships/{second['id']}/accept")
    assert full.status_code == 409
    assert "capacity" in full.get_json()["detail"]


def test_an_active_mentorship_past_its_end_reads_as_completed(pair, app):
    body = propose(
        pair["as_mentee"],
        pair["mentor"],
        pair["mentee"],
        ends_on=str(date.today() + timedelta(days=30)),
    ).get_json()
    path = f"/v1/mentorships/{body['id']}"
    pair["as_mentor"].post(f"{path}/accept")
    assert pair["as_mentee"].get(path).get_json()["status"] == "active"
    later = datetime.now(UTC) + timedelta(days=31)
    app.extensions["rapport.clock"] = lambda: later
    try:
        assert pair["as_mentee"].get(path).get_json()["status"] == "completed"
        assert [
            m["id"] for m in pair["as_mentee"].get("/v1/mentorships?status=completed").get_json()
        ] == [body["id"]]
        assert pair["as_mentee"].get("/v1/mentorships?status=active").get_json() == []
        # The slot is free again, and the pair may start over.
        assert propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).status_code == 201
    finally:
        app.extensions["rapport.clock"] = lambda: datetime.now(UTC)


def test_the_agreement_changes_with_if_match(pair, admin):
    goal = (
        pair["as_mentee"]
        .post("/v1/goals", json={"title": "Learn Go", "kind": "learn_skill"})
        .get_json()
    )
    other_goal = admin.post(
        "/v1/goals", json={"person_id": pair["mentor"]["id"], "title": "X", "kind": "learn_skill"}
    ).get_json()
    body = propose(pair["as_mentee"], pair["mentor"], pair["mentee"], goals=[goal["id"]]).get_json()
    assert body["goals"] == [goal["id"]]
    path = f"/v1/mentorships/{body['id']}"
    assert pair["as_mentor"].patch(path, json={"cadence_days": 7}).status_code == 428
    changed = pair["as_mentor"].patch(path, json={"cadence_days": 7}, etag="auto")
    assert changed.status_code == 200
    assert changed.get_json()["cadence_days"] == 7
    assert (
        pair["as_mentor"].patch(path, json={"goals": [other_goal["id"]]}, etag="auto").status_code
        == 422
    )


def test_members_see_only_their_own_mentorships(pair, make_person, member_of):
    body = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    outsider = member_of(make_person()["id"])
    assert outsider.get(f"/v1/mentorships/{body['id']}").status_code == 404
    assert outsider.get("/v1/mentorships").get_json() == []
    assert [m["id"] for m in pair["as_mentor"].get("/v1/mentorships").get_json()] == [body["id"]]


def test_an_active_mentor_is_not_recommended_again(pair, admin):
    pair["mentor"]  # a mentor with capacity 1
    admin.patch(
        f"/v1/people/{pair['mentee']['id']}", json={"learning": [{"skill": "go"}]}, etag="auto"
    )
    admin.patch(
        f"/v1/people/{pair['mentor']['id']}",
        json={"skills": [{"skill": "go", "level": 5}], "mentoring": {"mentor_capacity": 2}},
        etag="auto",
    )
    path = f"/v1/people/{pair['mentee']['id']}/recommendations"
    assert [i["person"]["id"] for i in admin.get(path).get_json()["items"]] == [
        pair["mentor"]["id"]
    ]
    body = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    pair["as_mentor"].post(f"/v1/mentorships/{body['id']}/accept")
    assert admin.get(path).get_json()["items"] == []


# -- the race for the last slot, against a real server ---------------------------------


@pytest.mark.parametrize("round_", range(5))
def test_two_concurrent_accepts_for_the_last_slot_make_exactly_one_active(
    server, make_person, member_of, round_
):
    mentor = make_person(level=7, mentoring={"open_to_mentor": True, "mentor_capacity": 1})
    as_mentor = member_of(mentor["id"])
    ids = []
    for _ in range(2):
        mentee = make_person(level=2)
        ids.append(propose(member_of(mentee["id"]), mentor, mentee).get_json()["id"])
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def accept(mentorship_id: str) -> None:
        request = urllib.request.Request(
            f"{server}/v1/mentorships/{mentorship_id}/accept",
            method="POST",
            headers={"Authorization": f"Bearer {as_mentor.token}"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200, 409]
    active = as_mentor.get(f"/v1/mentorships?mentor_id={mentor['id']}&status=active").get_json()
    assert len(active) == 1


def test_deactivating_a_person_cancels_their_open_mentorships(pair, admin):
    body = propose(pair["as_mentee"], pair["mentor"], pair["mentee"]).get_json()
    admin.delete(f"/v1/people/{pair['mentee']['id']}", etag="auto")
    shown = admin.get(f"/v1/mentorships/{body['id']}").get_json()
    assert shown["status"] == "cancelled"
    assert "left" in shown["closure_reason"]
    assert pair["as_mentor"].post(f"/v1/mentorships/{body['id']}/accept").status_code == 409


def test_reverse_mentoring_is_not_counted_against_mentor_capacity(make_person, member_of):
    senior = make_person(level=7)
    junior = make_person(level=2, mentoring={"open_to_reverse_mentor": True})  # capacity 0
    body = propose(member_of(senior["id"]), junior, senior, kind="reverse_mentorship").get_json()
    accepted = member_of(junior["id"]).post(f"/v1/mentorships/{body['id']}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["status"] == "active"


def test_a_mentorship_that_lapsed_is_not_answered_304(pair, set_now):
    today = datetime.now(UTC)
    set_now(today)
    body = propose(
        pair["as_mentee"],
        pair["mentor"],
        pair["mentee"],
        ends_on=str(today.date() + timedelta(days=3)),
    ).get_json()
    path = f"/v1/mentorships/{body['id']}"
    pair["as_mentor"].post(f"{path}/accept")
    etag = pair["as_mentee"].get(path).headers["ETag"]
    set_now(today + timedelta(days=5))
    again = pair["as_mentee"].get(path, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again.get_json()["status"] == "completed"


def test_deleting_a_goal_drops_it_from_the_agreement(pair):
    goal = (
        pair["as_mentee"]
        .post("/v1/goals", json={"title": "Learn Go", "kind": "learn_skill"})
        .get_json()
    )
    body = propose(pair["as_mentee"], pair["mentor"], pair["mentee"], goals=[goal["id"]]).get_json()
    pair["as_mentee"].delete(f"/v1/goals/{goal['id']}", etag="auto")
    path = f"/v1/mentorships/{body['id']}"
    assert pair["as_mentee"].get(path).get_json()["goals"] == []
    assert pair["as_mentee"].patch(path, json={"goals": []}, etag="auto").status_code == 200
