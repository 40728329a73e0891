"""/v1/goals: goals belong to people that exist; their skills resolve."""

from __future__ import annotations


def test_create_read_change_delete(admin, make_person):
    admin.post("/v1/skills", json={"name": "kafka", "aliases": ["apache kafka"]})
    person = make_person()
    body = {
        "person_id": person["id"],
        "title": "Modernise billing",
        "kind": "explore_technology",
        "target_skills": ["Apache Kafka", "k8s"],
        "target_functions": ["product", "operations"],
        "due_on": "2027-03-31",
    }
    created = admin.post("/v1/goals", json=body)
    assert created.status_code == 201, created.get_json()
    goal = created.get_json()
    assert goal["target_skills"] == ["k8s", "kafka"]
    assert goal["status"] == "active"
    path = f"/v1/goals/{goal['id']}"
    assert admin.get(path).get_json() == goal
    changed = admin.patch(path, json={"status": "achieved"}, etag="auto")
    assert changed.status_code == 200
    assert changed.get_json()["status"] == "achieved"
    assert admin.delete(path, etag="auto").status_code == 204
    assert admin.get(path).status_code == 404


def test_goal_for_a_person_who_does_not_exist_is_422(admin):
    response = admin.post(
        "/v1/goals", json={"person_id": "per_ghost", "title": "T", "kind": "learn_skill"}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"pointer": "/person_id", "detail": "No person has id 'per_ghost'."}
    ]
    assert admin.get("/v1/goals").get_json() == []


def test_admin_must_name_the_person(admin):
    response = admin.post("/v1/goals", json={"title": "T", "kind": "learn_skill"})
    assert response.status_code == 422


def test_invalid_goals_are_422(admin, make_person):
    person = make_person()
    for bad in (
        {"kind": "world_domination"},
        {"status": "done"},
        {"target_functions": ["chefs"]},
        {"due_on": "soon"},
    ):
        body = {"person_id": person["id"], "title": "T", "kind": "learn_skill", **bad}
        assert admin.post("/v1/goals", json=body).status_code == 422, bad
    assert admin.get("/v1/goals").get_json() == []


def test_goal_owner_cannot_change(admin, make_person):
    person, other = make_person(), make_person()
    goal = admin.post(
        "/v1/goals", json={"person_id": person["id"], "title": "T", "kind": "learn_skill"}
    ).get_json()
    response = admin.patch(f"/v1/goals/{goal['id']}", json={"person_id": other["id"]}, etag="auto")
    assert response.status_code == 422


def test_list_filters(admin, make_person):
    a, b = make_person(), make_person()
    admin.post("/v1/goals", json={"person_id": a["id"], "title": "A1", "kind": "learn_skill"})
    admin.post(
        "/v1/goals",
        json={"person_id": a["id"], "title": "A2", "kind": "career_growth", "status": "achieved"},
    )
    admin.post("/v1/goals", json={"person_id": b["id"], "title": "B1", "kind": "learn_skill"})
    titles = lambda q: sorted(g["title"] for g in admin.get(f"/v1/goals{q}").get_json())  # noqa: E731
    assert titles("") == ["A1", "A2", "B1"]
    assert titles(f"?person_id={a['id']}") == ["A1", "A2"]
    assert titles("?status=active") == ["A1", "B1"]
    assert titles("?kind=career_growth") == ["A2"]
