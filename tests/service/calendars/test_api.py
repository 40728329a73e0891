"""Calendar feeds: issued, read back with the icalendar package, revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from service.db import utcnow


@pytest.fixture
def pair(make_person, member_of):
    mentor = make_person(
        name="Grace Hopper", level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 2}
    )
    mentee = make_person(name="Ada Lovelace", level=2)
    proposed = member_of(mentee["id"]).post(
        "/v1/mentorships",
        json={
            "mentor_id": mentor["id"],
            "mentee_id": mentee["id"],
            "kind": "mentorship",
            "cadence_days": 14,
            "ends_on": (utcnow() + timedelta(days=90)).date().isoformat(),
        },
    )
    assert proposed.status_code == 201, proposed.get_json()
    accepted = member_of(mentor["id"]).post(f"/v1/mentorships/{proposed.get_json()['id']}/accept")
    assert accepted.status_code == 200
    return mentor, mentee


def events_of(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_a_feed_holds_follow_ups_check_ins_and_mentorship_sessions(
    admin, anonymous, member_of, pair, make_person
):
    mentor, mentee = pair
    member = member_of(mentee["id"])
    old_friend = make_person(name="Linus Torvalds")
    logged = member.post(
        "/v1/interactions",
        json={
            "contact_id": mentor["id"],
            "kind": "coffee_chat",
            "occurred_at": (utcnow() - timedelta(hours=2)).isoformat(),
        },
    )
    assert logged.status_code == 201, logged.get_json()
    long_ago = member.post(
        "/v1/interactions",
        json={
            "contact_id": old_friend["id"],
            "kind": "video_call",
            "occurred_at": (utcnow() - timedelta(days=100)).isoformat(),
        },
    )
    assert long_ago.status_code == 201
    issued = member.post(f"/v1/people/{mentee['id']}/calendar-feed")
    assert issued.status_code == 201, issued.get_json()
    url = issued.get_json()["url"]
    assert url.startswith("http://localhost/v1/people/") and "token=rapcal_" in url
    path = url.removeprefix("http://localhost")
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0"
    events = events_of(response.data)
    assert "Follow up with Grace Hopper" in events
    assert "Check in with Linus Torvalds" in events
    session = events["Mentorship session with Grace Hopper"]
    rule = session["RRULE"]
    assert rule["FREQ"] == ["DAILY"] and rule["INTERVAL"] == [14]
    assert rule["UNTIL"][0].date() == (utcnow() + timedelta(days=90)).date()
    assert session["DTSTART"].dt > utcnow()


def test_a_new_feed_revokes_the_old_one_and_revoking_stops_the_feed(
    anonymous, member_of, make_person
):
    person = make_person()
    member = member_of(person["id"])
    first = member.post(f"/v1/people/{person['id']}/calendar-feed").get_json()["url"]
    second = member.post(f"/v1/people/{person['id']}/calendar-feed").get_json()["url"]
    strip = "http://localhost"
    assert anonymous.get(first.removeprefix(strip)).status_code == 404
    assert anonymous.get(second.removeprefix(strip)).status_code == 200
    assert member.delete(f"/v1/people/{person['id']}/calendar-feed").status_code == 204
    assert anonymous.get(second.removeprefix(strip)).status_code == 404


def test_a_feed_token_opens_only_its_own_person(anonymous, member_of, make_person):
    person, other = make_person(), make_person()
    url = member_of(person["id"]).post(f"/v1/people/{person['id']}/calendar-feed").get_json()["url"]
    token = url.split("token=")[1]
    assert anonymous.get(f"/v1/people/{other['id']}/calendar.ics?token={token}").status_code == 404
    assert anonymous.get(f"/v1/people/{person['id']}/calendar.ics?token=wrong").status_code == 404
    assert anonymous.get(f"/v1/people/{person['id']}/calendar.ics").status_code == 422


def test_a_feed_token_is_not_an_api_token(member_of, make_person, app):
    person = make_person()
    url = member_of(person["id"]).post(f"/v1/people/{person['id']}/calendar-feed").get_json()["url"]
    token = url.split("token=")[1]
    response = app.test_client().get("/v1/people", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_a_member_manages_only_their_own_feed(admin, member_of, make_person, integration):
    person, other = make_person(), make_person()
    assert (
        member_of(person["id"]).post(f"/v1/people/{other['id']}/calendar-feed").status_code == 403
    )
    assert integration.post(f"/v1/people/{other['id']}/calendar-feed").status_code == 403
    assert admin.post(f"/v1/people/{other['id']}/calendar-feed").status_code == 201
    assert admin.post("/v1/people/per_nobody/calendar-feed").status_code == 404


def test_a_feed_holds_the_events_its_person_joined(admin, anonymous, member_of, make_person):
    host, guest, stranger = make_person(), make_person(), make_person()
    starts = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    event = admin.post(
        "/v1/events",
        json={
            "title": "Platform meetup",
            "kind": "meetup",
            "starts_at": starts.isoformat(),
            "location": "Atrium, 2nd floor",
            "facilitator_ids": [host["id"]],
        },
    ).get_json()
    joined = member_of(guest["id"]).post(f"/v1/events/{event['id']}/participants", json={})
    assert joined.status_code == 201, joined.get_json()
    feeds = {}
    for person in (guest, stranger):
        issued = member_of(person["id"]).post(f"/v1/people/{person['id']}/calendar-feed")
        feeds[person["id"]] = events_of(
            anonymous.get(issued.get_json()["url"].removeprefix("http://localhost")).data
        )
    meetup = feeds[guest["id"]]["Platform meetup"]
    assert meetup["DTSTART"].dt == starts
    assert meetup["DTEND"].dt == starts + timedelta(minutes=event["duration_minutes"])
    assert str(meetup["LOCATION"]) == "Atrium, 2nd floor"
    assert "Platform meetup" not in feeds[stranger["id"]]
