"""Mentorship health on hand-built histories of interactions and feedback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def start(make_person, member_of, admin, set_now):
    """Start a mentorship at T0 + ``days`` with a cadence; return its id and the two clients."""

    def make(cadence=14, days=0):
        set_now(T0 + timedelta(days=days))
        mentor = make_person(level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 5})
        mentee = make_person(level=2)
        as_mentor, as_mentee = member_of(mentor["id"]), member_of(mentee["id"])
        body = as_mentee.post(
            "/v1/mentorships",
            json={
                "mentor_id": mentor["id"],
                "mentee_id": mentee["id"],
                "kind": "mentorship",
                "cadence_days": cadence,
            },
        ).get_json()
        assert as_mentor.post(f"/v1/mentorships/{body['id']}/accept").status_code == 200
        return {
            "id": body["id"],
            "mentor": mentor,
            "mentee": mentee,
            "as_mentor": as_mentor,
            "as_mentee": as_mentee,
        }

    return make


def meet(admin, set_now, pair, days, by="mentee"):
    set_now(T0 + timedelta(days=days))
    logger = pair[by]
    other = pair["mentor" if by == "mentee" else "mentee"]
    response = admin.post(
        "/v1/interactions",
        json={
            "person_id": logger["id"],
            "contact_id": other["id"],
            "kind": "mentoring_session",
            "occurred_at": (T0 + timedelta(days=days)).isoformat(),
        },
    )
    assert response.status_code == 201, response.get_json()


def health_of(admin, pair):
    return admin.get(f"/v1/mentorships/{pair['id']}").get_json()["health"]


def test_health_states_on_hand_built_histories(start, admin, set_now):
    too_early = start(cadence=14)
    on_track = start(cadence=14)
    meet(admin, set_now, on_track, 30)
    needs = start(cadence=14)
    meet(admin, set_now, needs, 20, by="mentor")
    silent = start(cadence=14)
    rated_low = start(cadence=30)
    meet(admin, set_now, rated_low, 33)
    set_now(T0 + timedelta(days=34))
    assert (
        rated_low["as_mentor"]
        .post(
            f"/v1/mentorships/{rated_low['id']}/feedback",
            json={"rating": 2, "goals_progressing": False},
        )
        .status_code
        == 201
    )
    late = start(cadence=14, days=30)  # accepted on day 30: too early on day 36
    set_now(T0 + timedelta(days=36))

    health = health_of(admin, too_early)
    assert health["state"] == "at_risk"  # 36 days without a word, over twice its 14 days
    assert health_of(admin, late)["state"] == "too_early"
    assert health_of(admin, on_track)["state"] == "on_track"
    assert health_of(admin, on_track)["days_since_contact"] == 6
    needs_health = health_of(admin, needs)
    assert needs_health["state"] == "needs_check_in"
    assert needs_health["days_since_contact"] == 16
    assert needs_health["last_contact_at"] == (T0 + timedelta(days=20)).isoformat()
    assert "no contact for 16 days" in needs_health["reasons"][0]
    assert health_of(admin, silent)["state"] == "at_risk"
    low = health_of(admin, rated_low)
    assert low["state"] == "at_risk"
    assert low["latest_ratings"][0]["rating"] == 2
    assert "mentor's latest rating is 2" in low["reasons"][0]

    at_risk = admin.get("/v1/mentorships?health=at_risk&page_size=100").get_json()
    assert {m["id"] for m in at_risk} == {too_early["id"], silent["id"], rated_low["id"]}
    assert [m["id"] for m in admin.get("/v1/mentorships?health=too_early").get_json()] == [
        late["id"]
    ]
    assert admin.get("/v1/mentorships?health=on_track&status=declined").get_json() == []
    # A member sees the health of their own mentorships only.
    mine = on_track["as_mentee"].get("/v1/mentorships?health=on_track").get_json()
    assert [m["id"] for m in mine] == [on_track["id"]]


def test_feedback_breaks_the_silence_but_not_the_need_to_meet(start, admin, set_now):
    pair = start(cadence=14)
    set_now(T0 + timedelta(days=20))
    pair["as_mentee"].post(
        f"/v1/mentorships/{pair['id']}/feedback", json={"rating": 4, "goals_progressing": True}
    )
    set_now(T0 + timedelta(days=30))
    health = health_of(admin, pair)
    assert health["state"] == "needs_check_in"  # 30 silent days, but feedback 10 days ago
    assert health["last_feedback_at"] == (T0 + timedelta(days=20)).isoformat()


def test_only_active_mentorships_have_a_health(make_person, member_of, admin):
    mentor = make_person(level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 2})
    mentee = make_person(level=2)
    body = (
        member_of(mentee["id"])
        .post(
            "/v1/mentorships",
            json={"mentor_id": mentor["id"], "mentee_id": mentee["id"], "kind": "mentorship"},
        )
        .get_json()
    )
    assert body["health"] is None
    assert admin.get("/v1/mentorships?health=bad").status_code == 422
