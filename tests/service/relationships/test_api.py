"""Relationships that last: follow-ups, check-ins, strength decay, reciprocity, network health."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from service.relationships.strength import tie_strength

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def at(hours: float = 0, days: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, days=days)


def log(client, person, contact, when: datetime, kind="coffee_chat", **extra):
    body = {
        "person_id": person["id"],
        "contact_id": contact["id"],
        "kind": kind,
        "occurred_at": when.isoformat(),
        **extra,
    }
    response = client.post("/v1/interactions", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def ann_bob(make_person):
    return make_person(name="Ann"), make_person(name="Bob", function="product")


# -- follow-ups --------------------------------------------------------------------------


def test_a_first_meeting_falls_due_for_a_follow_up_after_24_hours(admin, ann_bob, set_now):
    ann, bob = ann_bob
    set_now(at(hours=1))
    first = log(admin, ann, bob, at())
    assert first["follow_up_due_at"] == at(hours=24).isoformat()
    path = f"/v1/people/{ann['id']}/follow-ups"
    due = admin.get(path).get_json()
    assert [(f["interaction_id"], f["status"]) for f in due] == [(first["id"], "due")]
    assert due[0]["contact"]["name"] == "Bob"
    set_now(at(hours=25))
    assert [f["status"] for f in admin.get(path + "?status=overdue").get_json()] == ["overdue"]
    assert admin.get(path + "?status=due").get_json() == []
    set_now(at(hours=30))
    second = log(admin, ann, bob, at(hours=29), kind="message")
    assert second["follow_up_due_at"] is None  # not a first meeting
    assert admin.get(path).get_json() == []
    assert [f["interaction_id"] for f in admin.get(path + "?status=done").get_json()] == [
        first["id"]
    ]


def test_the_contacts_own_log_counts_as_the_follow_up(admin, ann_bob, set_now):
    ann, bob = ann_bob
    set_now(at(hours=2))
    first = log(admin, ann, bob, at())
    log(admin, bob, ann, at(hours=1), kind="message")
    done = admin.get(f"/v1/people/{ann['id']}/follow-ups?status=done").get_json()
    assert [f["interaction_id"] for f in done] == [first["id"]]


def test_the_follow_up_delay_is_configurable(admin, ann_bob, set_now, app, monkeypatch):
    ann, bob = ann_bob
    monkeypatch.setitem(app.config, "FOLLOW_UP_HOURS", 48)
    set_now(at(hours=1))
    assert log(admin, ann, bob, at())["follow_up_due_at"] == at(hours=48).isoformat()


def test_an_explicit_follow_up_time_is_kept(admin, ann_bob, set_now):
    ann, bob = ann_bob
    set_now(at(hours=1))
    chosen = at(days=3)
    assert (
        log(admin, ann, bob, at(), follow_up_due_at=chosen.isoformat())["follow_up_due_at"]
        == chosen.isoformat()
    )


# -- check-ins ---------------------------------------------------------------------------


def check_ins(client, person):
    return [
        (c["contact"]["name"], c["status"])
        for c in client.get(f"/v1/people/{person['id']}/check-ins").get_json()
    ]


def test_check_ins_fall_due_after_the_cadence_and_slip_after_half_again(admin, ann_bob, set_now):
    ann, bob = ann_bob
    set_now(at())
    log(admin, ann, bob, at())
    set_now(at(days=89))
    assert check_ins(admin, ann) == []
    set_now(at(days=91))
    assert check_ins(admin, ann) == [("Bob", "due")]
    assert check_ins(admin, bob) == [("Ann", "due")]  # a relationship has two sides
    set_now(at(days=136))
    assert check_ins(admin, ann) == [("Bob", "slipping")]
    detail = admin.get(f"/v1/people/{ann['id']}/check-ins").get_json()[0]
    assert detail["days_overdue"] == 46
    # Any interaction, of any kind, resets the clock.
    log(admin, bob, ann, at(days=136), kind="social_message")
    assert check_ins(admin, ann) == []


def test_check_ins_are_oldest_first(admin, make_person, set_now):
    ann, bob, cid = make_person(name="Ann"), make_person(name="Bob"), make_person(name="Cid")
    set_now(at())
    log(admin, ann, bob, at(days=-10))
    log(admin, ann, cid, at(days=-50))
    set_now(at(days=95))
    assert check_ins(admin, ann) == [("Cid", "slipping"), ("Bob", "due")]


def test_an_active_mentorship_shortens_the_cadence(admin, make_person, member_of, set_now):
    mentor = make_person(
        name="Mentor", level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 2}
    )
    mentee = make_person(name="Mentee", level=2)
    set_now(at())
    proposal = member_of(mentee["id"]).post(
        "/v1/mentorships",
        json={
            "mentor_id": mentor["id"],
            "mentee_id": mentee["id"],
            "kind": "mentorship",
            "cadence_days": 14,
        },
    )
    member_of(mentor["id"]).post(f"/v1/mentorships/{proposal.get_json()['id']}/accept")
    log(admin, mentee, mentor, at(), kind="mentoring_session")
    set_now(at(days=15))
    assert check_ins(admin, mentee) == [("Mentor", "due")]


def test_a_person_sets_their_own_cadence_per_relationship(admin, ann_bob, member_of, set_now):
    ann, bob = ann_bob
    set_now(at())
    log(admin, ann, bob, at())
    path = f"/v1/people/{ann['id']}/relationships/{bob['id']}"
    as_ann = member_of(ann["id"])
    assert as_ann.patch(path, json={"cadence_days": 30}).status_code == 428
    changed = as_ann.patch(path, json={"cadence_days": 30}, etag="auto")
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["cadence_days"], changed.get_json()["cadence_source"]) == (
        30,
        "custom",
    )
    set_now(at(days=31))
    assert check_ins(admin, ann) == [("Bob", "due")]
    assert check_ins(admin, bob) == []  # Bob keeps the default
    reset = as_ann.patch(path, json={"cadence_days": None}, etag="auto").get_json()
    assert (reset["cadence_days"], reset["cadence_source"]) == (90, "default")
    assert (
        member_of(bob["id"]).patch(path, json={"cadence_days": 5}, etag='"any"').status_code == 403
    )


def test_no_relationship_without_an_interaction(admin, ann_bob):
    ann, bob = ann_bob
    assert admin.get(f"/v1/people/{ann['id']}/relationships/{bob['id']}").status_code == 404


# -- strength and reciprocity ------------------------------------------------------------


def test_strength_decays_with_a_90_day_half_life():
    one_chat_today = tie_strength([("coffee_chat", T0)], T0)
    assert one_chat_today == pytest.approx(1 - math.exp(-0.9 / 2))
    a_quarter_later = tie_strength([("coffee_chat", T0)], at(days=90))
    assert a_quarter_later == pytest.approx(1 - math.exp(-0.45 / 2))
    assert tie_strength([("social_message", T0)], T0) < tie_strength([("coffee_chat", T0)], T0)
    assert tie_strength([("meeting", T0)] * 10, T0) < 1


def test_relationships_show_strength_decay_and_the_balance_of_both_sides(
    admin, ann_bob, set_now, make_person
):
    ann, bob = ann_bob
    cid = make_person(name="Cid")
    set_now(at(hours=3))
    log(admin, ann, bob, at(), given=["advice", "introduction"], received=["resource"])
    log(admin, bob, ann, at(hours=2), kind="message", given=["feedback"])  # Ann received feedback
    log(admin, ann, cid, at(days=-200), kind="event")
    ties = admin.get(f"/v1/people/{ann['id']}/relationships").get_json()
    assert [t["contact"]["name"] for t in ties] == ["Bob", "Cid"]  # strongest first
    bob_tie = ties[0]
    assert (bob_tie["interactions"], bob_tie["given"], bob_tie["received"], bob_tie["balance"]) == (
        2,
        2,
        2,
        0,
    )
    assert bob_tie["by_kind"] == {"coffee_chat": 1, "message": 1}
    expected = tie_strength([("coffee_chat", at()), ("message", at(hours=2))], at(hours=3))
    assert bob_tie["strength"] == pytest.approx(expected, abs=1e-4)
    set_now(at(days=180))
    later = admin.get(f"/v1/people/{ann['id']}/relationships").get_json()[0]
    assert later["strength"] < bob_tie["strength"]


def test_members_read_only_their_own_relationships(ann_bob, member_of):
    ann, bob = ann_bob
    as_bob = member_of(bob["id"])
    for path in ("relationships", "follow-ups", "check-ins", "network-health"):
        assert as_bob.get(f"/v1/people/{ann['id']}/{path}").status_code == 403
        assert as_bob.get(f"/v1/people/{bob['id']}/{path}").status_code == 200


# -- network health ----------------------------------------------------------------------


def measures(client, person) -> dict:
    body = client.get(f"/v1/people/{person['id']}/network-health").get_json()
    return {m["name"]: m for m in body["measures"]}


def test_network_health_on_a_hand_built_network(admin, make_person, set_now):
    admin.post("/v1/skills", json={"name": "pricing"})
    me = make_person(name="Me", function="engineering")
    eng1 = make_person(name="E1", function="engineering", division="Platform")
    eng2 = make_person(name="E2", function="engineering", division="Platform")
    pm = make_person(
        name="PM",
        function="product",
        division="Payments",
        skills=[{"skill": "pricing", "level": 4}],
    )
    sales = make_person(name="S", function="sales", division="Growth")
    old = make_person(name="Old", function="engineering")
    goal = admin.post(
        "/v1/goals",
        json={
            "person_id": me["id"],
            "title": "Price it",
            "kind": "business_understanding",
            "target_skills": ["pricing"],
        },
    ).get_json()
    lonely = admin.post(
        "/v1/goals",
        json={
            "person_id": me["id"],
            "title": "Learn legal",
            "kind": "learn_skill",
            "target_functions": ["legal"],
        },
    ).get_json()
    set_now(at(days=100))
    # E1: first met day 0, followed up 3 hours later, then again on day 40 (3 interactions).
    log(admin, me, eng1, at(), given=["advice"])
    log(admin, me, eng1, at(hours=3), kind="message")
    log(admin, eng1, me, at(days=40), kind="meeting", given=["help"], received=["advice"])
    # E2: met once on day 10, never again (single touch, no follow-up).
    log(admin, me, eng2, at(days=10), kind="event", received=["resource"])
    # PM: three social messages from day 20, the second within 24 hours.
    log(admin, me, pm, at(days=20), kind="social_message")
    log(admin, me, pm, at(days=20, hours=5), kind="social_message", given=["introduction"])
    log(admin, me, pm, at(days=50), kind="social_message")
    # S: one social message on day 90 (within the 30-day grace: not judged for depth).
    log(admin, me, sales, at(days=90), kind="social_message", received=["feedback"])
    # Old: two years ago, outside the window.
    log(admin, me, old, at(days=-700), kind="coffee_chat")

    m = measures(admin, me)
    # Breadth: contacts in the window E1, E2 (engineering), PM (product), S (sales).
    p = [2 / 4, 1 / 4, 1 / 4]
    entropy = -sum(x * math.log(x) for x in p)
    assert m["breadth"]["value"] == pytest.approx(entropy / math.log(11), abs=1e-4)
    assert m["breadth"]["details"]["functions"] == 3
    assert m["breadth"]["details"]["divisions"] == 3
    # Reciprocity: given advice, introduction, (E1's log: received advice → I gave advice) = 3;
    # received resource, feedback, (E1's log: gave help → I received help) = 3.
    assert m["reciprocity"]["details"] == {"given": 3, "received": 3}
    assert m["reciprocity"]["value"] == pytest.approx(0.5)
    # Channel mix: 4 social messages of 8 interactions in the window.
    assert m["channel_mix"]["value"] == pytest.approx(4 / 8)
    assert m["channel_mix"]["details"]["interactions"] == 8
    # Follow-up: first meetings in the window E1 (followed, 3 h), E2 (not), PM (followed, 5 h),
    # S (followed? no second meeting) → 2 of 4.
    assert m["follow_up"]["details"] == {"first_meetings": 4, "followed_up": 2}
    assert m["follow_up"]["value"] == pytest.approx(0.5)
    # Depth: contacts first met more than 30 days ago: E1, E2, PM, Old; met once: E2, Old.
    assert m["depth"]["details"] == {"contacts": 4, "single_touch": 2}
    assert m["depth"]["value"] == pytest.approx(0.5)
    # Goal coverage: "Price it" is served by PM (pricing at level 4); "Learn legal" by nobody.
    goals = {g["goal_id"]: g for g in m["goal_coverage"]["details"]["goals"]}
    assert goals[goal["id"]]["served"] and goals[goal["id"]]["contact_ids"] == [pm["id"]]
    assert not goals[lonely["id"]]["served"]
    assert m["goal_coverage"]["value"] == pytest.approx(0.5)
    assert "Learn legal" in m["goal_coverage"]["next_step"]
    # Check-ins at day 100: E1 last day 40 (60 d, ok), E2 day 10 (90 d: due), PM day 50 (ok),
    # S day 90 (ok), Old 800 days ago (slipping).
    assert m["check_ins"]["details"] == {"due": 1, "slipping": 1}
    assert m["check_ins"]["value"] == 2


def test_an_all_engineering_network_is_called_narrow(admin, make_person, set_now):
    me = make_person(name="Me")
    set_now(at(days=1))
    for _ in range(3):
        log(admin, me, make_person(function="engineering"), at())
    breadth = measures(admin, me)["breadth"]
    assert breadth["value"] == 0
    assert "engineering" in breadth["finding"]
    assert "cross-functional" in breadth["next_step"]


def count_queries(app, client, path) -> int:
    from service.db import database

    with app.app_context():
        engine = database().engine
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_network_health_takes_the_same_few_queries_for_200_contacts_as_for_20(
    app, admin, make_person, set_now, session
):
    from service.interactions.models import Interaction
    from service.people.models import Person

    def person_with(n_contacts: int) -> str:
        me = make_person()
        rows = []
        for i in range(n_contacts):
            contact = Person(
                email=f"c{n_contacts}-{i}@example.com",
                email_key=f"c{n_contacts}-{i}@example.com",
                name=f"C{i}",
                function=("sales", "product", "engineering")[i % 3],
                level=3,
                languages=[],
                perspectives=[],
            )
            session.add(contact)
            session.flush()
            rows.append(
                Interaction(
                    person_id=me["id"],
                    contact_id=contact.id,
                    kind="meeting",
                    occurred_at=at(days=i % 60),
                    given=[],
                    received=[],
                )
            )
        session.add_all(rows)
        session.commit()
        return me["id"]

    set_now(at(days=90))
    small, large = person_with(20), person_with(200)
    few = count_queries(app, admin, f"/v1/people/{small}/network-health")
    many = count_queries(app, admin, f"/v1/people/{large}/network-health")
    assert many == few
    assert many <= 12


def test_a_relationship_etag_changes_when_its_interactions_do(admin, ann_bob, set_now):
    ann, bob = ann_bob
    set_now(at(hours=2))
    log(admin, ann, bob, at())
    path = f"/v1/people/{ann['id']}/relationships/{bob['id']}"
    etag = admin.get(path).headers["ETag"]
    set_now(at(hours=3))
    assert admin.get(path, headers={"If-None-Match": etag}).status_code == 304  # only decay
    log(admin, bob, ann, at(hours=3), kind="message")
    assert admin.get(path, headers={"If-None-Match": etag}).status_code == 200
