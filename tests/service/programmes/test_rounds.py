"""Intro rounds through HTTP: draw, publish, intros per person, met, ignored and paused."""

from __future__ import annotations

from datetime import UTC, datetime

FUNCTIONS = ("engineering", "product", "design", "sales", "data")


def _round(admin, programme_id):
    started = admin.post(f"/v1/programmes/{programme_id}/rounds")
    assert started.status_code == 202, started.get_json()
    body = admin.get(started.headers["Location"]).get_json()
    assert body["status"] == "succeeded", body
    return started.headers["Location"], body


def test_rounds_pair_everyone_track_meetings_and_pause_the_absent(admin, make_person, member_of):
    people = [make_person(name=f"P{i}", function=f, level=3) for i, f in enumerate(FUNCTIONS)]
    ids = [p["id"] for p in people]
    programme = admin.post(
        "/v1/programmes",
        json={"name": "Coffee", "kind": "intro_rounds", "rules": {"avoid_recent_rounds": 1}},
    ).get_json()
    path = f"/v1/programmes/{programme['id']}"
    refused = admin.post(f"{path}/participants", json={"role": "mentee", "person_ids": ids})
    assert refused.status_code == 422
    assert (
        admin.post(f"{path}/participants", json={"role": "either", "person_ids": ids}).status_code
        == 201
    )
    assert admin.post(f"{path}/runs", json={}).status_code == 409

    location, first = _round(admin, programme["id"])
    first_location = location
    sizes = sorted(len(g["person_ids"]) for g in first["groups"])
    assert sizes == [2, 3]  # five people: nobody left out
    assert sorted(p for g in first["groups"] for p in g["person_ids"]) == sorted(ids)
    assert admin.post(f"{location}/publish").get_json()["status"] == "published"

    me = ids[0]
    group = next(g for g in first["groups"] if me in g["person_ids"])
    other = next(p for p in group["person_ids"] if p != me)
    as_me = member_of(me)
    intros = as_me.get(f"/v1/people/{me}/intros").get_json()
    assert [i["status"] for i in intros["items"]] == ["pending"]
    assert other in intros["items"][0]["person_ids"] and not intros["paused"]
    assert as_me.get(f"/v1/people/{ids[1]}/intros").status_code == 403
    logged = as_me.post(
        "/v1/interactions",
        json={
            "person_id": me,
            "contact_id": other,
            "kind": "coffee_chat",
            "occurred_at": datetime.now(UTC).isoformat(),
        },
    )
    assert logged.status_code == 201, logged.get_json()
    assert as_me.get(f"/v1/people/{me}/intros").get_json()["items"][0]["status"] == "met"

    # The next round does not repeat the last round's pairs.
    location, second = _round(admin, programme["id"])
    before = {frozenset(g["person_ids"]) for g in first["groups"] if len(g["person_ids"]) == 2}
    assert not any(
        frozenset(g["person_ids"]) in before and not g["repeats"] for g in second["groups"]
    )
    admin.post(f"{location}/publish")
    for _ in range(3):
        location, _ = _round(admin, programme["id"])
        admin.post(f"{location}/publish")
    # Nobody else logged anything: three rounds ignored in a row pause them, and they are told.
    absent = ids[1]
    told = admin.get(f"/v1/people/{absent}/intros").get_json()
    assert [i["status"] for i in told["items"][1:4]] == ["ignored"] * 3
    assert told["paused"] and "paused" in told["notice"]
    # Everyone ignored the last three rounds; two people leave and rejoin, and only they
    # are drawn next.
    for back in ids[2:4]:
        assert admin.delete(f"{path}/participants/{back}").status_code == 204
        admin.post(f"{path}/participants", json={"role": "either", "person_ids": [back]})
    _, after = _round(admin, programme["id"])
    assert [sorted(g["person_ids"]) for g in after["groups"]] == [sorted(ids[2:4])]
    # A member sees only their own group of a published round.
    seen = member_of(ids[2]).get(first_location).get_json()
    assert all(ids[2] in g["person_ids"] for g in seen["groups"]) and len(seen["groups"]) == 1


def test_an_intro_round_never_groups_people_who_asked_not_to_meet(
    admin, make_person, dismiss_for_good
):
    people = [make_person(name=f"P{i}", function="engineering", level=3) for i in range(4)]
    ids = [p["id"] for p in people]
    programme = admin.post(
        "/v1/programmes", json={"name": "Coffee", "kind": "intro_rounds"}
    ).get_json()
    path = f"/v1/programmes/{programme['id']}"
    assert (
        admin.post(f"{path}/participants", json={"role": "either", "person_ids": ids}).status_code
        == 201
    )
    # Everyone of P0 but P3 is dismissed: the only partner left to P0 is P3.
    for other in ids[1:3]:
        dismiss_for_good(ids[0], other)
    _, body = _round(admin, programme["id"])
    group = next(g["person_ids"] for g in body["groups"] if ids[0] in g["person_ids"])
    assert sorted(group) == sorted([ids[0], ids[3]])
