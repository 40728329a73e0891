"""/v1/interactions: who met whom, when; references checked; filters by person, contact and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def iso(dt: datetime) -> str:
    return dt.isoformat()


NOW = datetime.now(UTC)


def test_log_and_read_back(admin, make_person):
    ann, bob = make_person(), make_person()
    body = {
        "person_id": ann["id"],
        "contact_id": bob["id"],
        "kind": "coffee_chat",
        "occurred_at": iso(NOW - timedelta(days=1)),
        "given": ["advice"],
        "received": ["introduction", "resource"],
    }
    created = admin.post("/v1/interactions", json=body)
    assert created.status_code == 201, created.get_json()
    interaction = created.get_json()
    assert interaction["initiated_by"] == "person"
    assert interaction["follow_up_done"] is False
    assert admin.get(f"/v1/interactions/{interaction['id']}").get_json() == interaction


def test_references_must_exist(admin, make_person):
    ann = make_person()
    base = {"kind": "meeting", "occurred_at": iso(NOW)}
    ghost_contact = admin.post(
        "/v1/interactions", json={**base, "person_id": ann["id"], "contact_id": "per_ghost"}
    )
    assert ghost_contact.status_code == 422
    assert ghost_contact.get_json()["errors"][0]["pointer"] == "/contact_id"
    ghost_person = admin.post(
        "/v1/interactions", json={**base, "person_id": "per_ghost", "contact_id": ann["id"]}
    )
    assert ghost_person.status_code == 422
    assert ghost_person.get_json()["errors"][0]["pointer"] == "/person_id"
    with_self = admin.post(
        "/v1/interactions", json={**base, "person_id": ann["id"], "contact_id": ann["id"]}
    )
    assert with_self.status_code == 422
    assert admin.get("/v1/interactions").get_json() == []


def test_the_goal_must_be_the_loggers(admin, make_person):
    ann, bob = make_person(), make_person()
    bobs_goal = admin.post(
        "/v1/goals", json={"person_id": bob["id"], "title": "B", "kind": "learn_skill"}
    ).get_json()
    body = {
        "person_id": ann["id"],
        "contact_id": bob["id"],
        "kind": "meeting",
        "occurred_at": iso(NOW),
        "goal_id": bobs_goal["id"],
    }
    response = admin.post("/v1/interactions", json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/goal_id"


def test_future_and_naive_times_are_refused(admin, make_person):
    ann, bob = make_person(), make_person()
    base = {"person_id": ann["id"], "contact_id": bob["id"], "kind": "meeting"}
    assert (
        admin.post(
            "/v1/interactions", json={**base, "occurred_at": iso(NOW + timedelta(days=2))}
        ).status_code
        == 422
    )
    assert (
        admin.post(
            "/v1/interactions", json={**base, "occurred_at": "2026-01-01T10:00:00"}
        ).status_code
        == 422
    )
    assert (
        admin.post(
            "/v1/interactions", json={**base, "occurred_at": iso(NOW), "kind": "carrier_pigeon"}
        ).status_code
        == 422
    )
    assert (
        admin.post(
            "/v1/interactions", json={**base, "occurred_at": iso(NOW), "given": ["cake"]}
        ).status_code
        == 422
    )


def test_list_by_person_contact_and_time(admin, make_person):
    ann, bob, cid = make_person(), make_person(), make_person()

    def log(person, contact, days_ago):
        body = {
            "person_id": person["id"],
            "contact_id": contact["id"],
            "kind": "meeting",
            "occurred_at": iso(NOW - timedelta(days=days_ago)),
        }
        return admin.post("/v1/interactions", json=body).get_json()["id"]

    a_b_old = log(ann, bob, 30)
    a_c_new = log(ann, cid, 1)
    b_c_mid = log(bob, cid, 10)

    def ids(query):
        return [i["id"] for i in admin.get(f"/v1/interactions{query}").get_json()]

    assert ids("") == [a_c_new, b_c_mid, a_b_old]  # most recent first
    assert ids(f"?person_id={ann['id']}") == [a_c_new, a_b_old]
    assert ids(f"?contact_id={cid['id']}") == [a_c_new, b_c_mid]
    since = iso(NOW - timedelta(days=15)).replace("+00:00", "Z")
    assert ids(f"?since={since}") == [a_c_new, b_c_mid]
    until = iso(NOW - timedelta(days=5)).replace("+00:00", "Z")
    assert ids(f"?until={until}") == [b_c_mid, a_b_old]
    assert ids(f"?since={since}&until={until}") == [b_c_mid]


def test_change_and_delete(admin, make_person):
    ann, bob = make_person(), make_person()
    body = {
        "person_id": ann["id"],
        "contact_id": bob["id"],
        "kind": "meeting",
        "occurred_at": iso(NOW),
    }
    interaction = admin.post("/v1/interactions", json=body).get_json()
    path = f"/v1/interactions/{interaction['id']}"
    assert admin.patch(path, json={"follow_up_done": True}).status_code == 428
    changed = admin.patch(path, json={"follow_up_done": True, "kind": "video_call"}, etag="auto")
    assert changed.status_code == 200
    assert changed.get_json()["kind"] == "video_call"
    assert admin.patch(path, json={"contact_id": ann["id"]}, etag="auto").status_code == 422
    assert admin.delete(path, etag="auto").status_code == 204
    assert admin.get(path).status_code == 404
