"""Feedback: who gives it, who reads the comment, and its schedule under a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def active(make_person, member_of, set_now):
    """A mentorship accepted at T0 (the clock is set there)."""
    set_now(T0)
    mentor = make_person(level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 2})
    mentee = make_person(level=2)
    as_mentor, as_mentee = member_of(mentor["id"]), member_of(mentee["id"])
    body = as_mentee.post(
        "/v1/mentorships",
        json={"mentor_id": mentor["id"], "mentee_id": mentee["id"], "kind": "mentorship"},
    ).get_json()
    assert as_mentor.post(f"/v1/mentorships/{body['id']}/accept").status_code == 200
    return {
        "id": body["id"],
        "mentor": mentor,
        "mentee": mentee,
        "as_mentor": as_mentor,
        "as_mentee": as_mentee,
    }


def requests_of(client, person):
    response = client.get(f"/v1/people/{person['id']}/feedback-requests")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def give(client, mentorship_id, rating=4, **extra):
    return client.post(
        f"/v1/mentorships/{mentorship_id}/feedback",
        json={"rating": rating, "goals_progressing": True, **extra},
    )


def test_feedback_is_requested_at_30_days_then_every_60(active, set_now):
    as_mentee, mentee = active["as_mentee"], active["mentee"]
    set_now(T0 + timedelta(days=29, hours=23))
    assert requests_of(as_mentee, mentee) == []
    set_now(T0 + timedelta(days=30))
    (request,) = requests_of(as_mentee, mentee)
    assert request["mentorship_id"] == active["id"]
    assert request["counterpart_id"] == active["mentor"]["id"]
    assert request["role"] == "mentee"
    assert request["sequence"] == 1
    assert request["due_at"] == (T0 + timedelta(days=30)).isoformat()
    assert request["next_due_at"] == (T0 + timedelta(days=90)).isoformat()
    # The mentor owes one too, until they answer it.
    assert len(requests_of(active["as_mentor"], active["mentor"])) == 1
    set_now(T0 + timedelta(days=41))
    assert give(as_mentee, active["id"]).status_code == 201
    assert requests_of(as_mentee, mentee) == []
    assert len(requests_of(active["as_mentor"], active["mentor"])) == 1
    set_now(T0 + timedelta(days=89))
    assert requests_of(as_mentee, mentee) == []
    set_now(T0 + timedelta(days=90))
    assert [r["sequence"] for r in requests_of(as_mentee, mentee)] == [2]
    # An unanswered request is superseded by the next one, not piled up.
    set_now(T0 + timedelta(days=150))
    assert [r["sequence"] for r in requests_of(as_mentee, mentee)] == [3]
    assert [r["sequence"] for r in requests_of(active["as_mentor"], active["mentor"])] == [3]


def test_feedback_given_early_does_not_answer_the_coming_request(active, set_now):
    set_now(T0 + timedelta(days=10))
    assert give(active["as_mentee"], active["id"]).status_code == 201
    set_now(T0 + timedelta(days=30))
    assert len(requests_of(active["as_mentee"], active["mentee"])) == 1


def test_an_ended_mentorship_asks_for_nothing(active, set_now):
    set_now(T0 + timedelta(days=20))
    path = f"/v1/mentorships/{active['id']}/complete"
    assert active["as_mentee"].post(path, json={"reason": "Done."}).status_code == 200
    set_now(T0 + timedelta(days=40))
    assert requests_of(active["as_mentee"], active["mentee"]) == []


def test_only_the_two_sides_give_feedback_and_the_comment_is_private(
    active, admin, make_person, member_of
):
    path = f"/v1/mentorships/{active['id']}/feedback"
    assert give(admin, active["id"]).status_code == 403
    stranger = member_of(make_person()["id"])
    assert give(stranger, active["id"]).status_code == 404
    assert stranger.get(path).status_code == 404
    created = give(active["as_mentee"], active["id"], rating=2, comment="Hard to meet.")
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["comment"] == "Hard to meet."
    assert active["as_mentee"].get(path).get_json()[0]["comment"] == "Hard to meet."
    (seen,) = active["as_mentor"].get(path).get_json()
    assert seen["rating"] == 2 and seen["comment"] is None
    assert admin.get(path).get_json()[0]["comment"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 0, "goals_progressing": True},
        {"rating": 6, "goals_progressing": True},
        {"rating": "5", "goals_progressing": True},
        {"rating": 4},
        {"rating": 4, "goals_progressing": "yes"},
        {"rating": 4, "goals_progressing": True, "comment": "x" * 2001},
    ],
)
def test_bad_feedback_is_422_and_changes_nothing(active, body):
    path = f"/v1/mentorships/{active['id']}/feedback"
    response = active["as_mentee"].post(path, json=body)
    assert response.status_code == 422
    assert active["as_mentee"].get(path).get_json() == []


def test_a_proposal_takes_no_feedback(make_person, member_of):
    mentor = make_person(level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 2})
    mentee = make_person(level=2)
    as_mentee = member_of(mentee["id"])
    body = as_mentee.post(
        "/v1/mentorships",
        json={"mentor_id": mentor["id"], "mentee_id": mentee["id"], "kind": "mentorship"},
    ).get_json()
    assert give(as_mentee, body["id"]).status_code == 409


def test_members_read_only_their_own_requests(active, admin):
    path = f"/v1/people/{active['mentor']['id']}/feedback-requests"
    assert active["as_mentee"].get(path).status_code == 403
    assert admin.get(path).status_code == 200
    assert admin.get("/v1/people/per_ghost/feedback-requests").status_code == 404
