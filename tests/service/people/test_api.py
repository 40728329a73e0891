"""/v1/people: create, read, list, filter, paginate, change with ETags, deactivate."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from service.people.models import Person


def count_people(session) -> int:
    return session.scalar(select(func.count()).select_from(Person))


def test_create_then_read_back(admin):
    body = {
        "email": "Ada.Lovelace@example.com",
        "name": "Ada Lovelace",
        "title": "Staff Engineer",
        "function": "engineering",
        "level": 6,
        "division": "Payments",
        "team": "Billing",
        "location": "Lisbon",
        "timezone": "Europe/Lisbon",
        "languages": ["en", "pt"],
        "perspectives": ["Self-Taught", "ex-retail"],
        "skills": [{"skill": "python", "level": 5}],
        "learning": [{"skill": "rust", "priority": 1}],
        "mentoring": {"open_to_mentor": True, "mentor_capacity": 2},
    }
    created = admin.post("/v1/people", json=body)
    assert created.status_code == 201
    person = created.get_json()
    assert created.headers["Location"] == f"/v1/people/{person['id']}"
    assert created.headers["ETag"]
    assert person["id"].startswith("per_")
    assert person["perspectives"] == ["ex-retail", "self-taught"]
    assert person["mentoring"] == {
        "open_to_mentor": True,
        "mentor_capacity": 2,
        "open_to_reverse_mentor": False,
        "seeking_mentor": False,
    }
    assert person["active"] is True
    read = admin.get(f"/v1/people/{person['id']}")
    assert read.status_code == 200
    assert read.get_json() == person
    assert read.headers["ETag"] == created.headers["ETag"]


def test_read_unknown_person_is_404(admin):
    response = admin.get("/v1/people/per_nope")
    assert response.status_code == 404
    assert response.get_json()["type"] == "urn:rapport:problem:not-found"


def test_skill_aliases_resolve_and_unknown_skills_are_created_normalised(admin, make_person):
    admin.post("/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"], "category": "cloud"})
    person = make_person(
        skills=[{"skill": "K8s", "level": 4}, {"skill": "  Quantum   Basket Weaving ", "level": 2}],
        learning=[{"skill": "Python "}],
    )
    assert person["skills"] == [
        {"skill": "kubernetes", "level": 4},
        {"skill": "quantum basket weaving", "level": 2},
    ]
    assert person["learning"] == [{"skill": "python", "priority": 2}]
    other = make_person(skills=[{"skill": "python", "level": 3}])
    skills = admin.get("/v1/skills?q=python").get_json()
    assert [s["name"] for s in skills] == ["python"]
    created = admin.get("/v1/skills?q=basket").get_json()[0]
    assert created["category"] == "uncategorized"
    assert other["skills"] == [{"skill": "python", "level": 3}]


def test_the_same_skill_twice_under_two_names_is_422(admin, session):
    admin.post("/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"]})
    response = admin.post(
        "/v1/people",
        json={
            "email": "a@example.com",
            "name": "A",
            "function": "engineering",
            "level": 3,
            "skills": [{"skill": "kubernetes", "level": 4}, {"skill": "k8s", "level": 2}],
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/skills/1/skill"
    assert count_people(session) == 0


@pytest.mark.parametrize(
    ("field", "value", "pointer"),
    [
        ("level", 9, "/level"),
        ("level", "5", "/level"),
        ("function", "chef", "/function"),
        ("email", "not-an-email", "/email"),
        ("name", "", "/name"),
        ("name", "x" * 201, "/name"),
        ("timezone", "Mars/Olympus", "/timezone"),
        ("skills", [{"skill": "go", "level": 6}], "/skills/0/level"),
        ("learning", [{"skill": "go", "priority": 0}], "/learning/0/priority"),
        ("mentoring", {"mentor_capacity": -1}, "/mentoring/mentor_capacity"),
        ("active", "yes", "/active"),
        ("favourite_colour", "blue", "/favourite_colour"),
        ("id", "per_mine", "/id"),
    ],
)
def test_invalid_fields_are_422_naming_the_field_and_change_nothing(
    admin, session, field, value, pointer
):
    body = {
        "email": "a@example.com",
        "name": "A",
        "function": "engineering",
        "level": 3,
        field: value,
    }
    response = admin.post("/v1/people", json=body)
    assert response.status_code == 422
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert problem["type"] == "urn:rapport:problem:validation-error"
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert count_people(session) == 0


def test_missing_required_fields_are_named(admin):
    response = admin.post("/v1/people", json={})
    pointers = {e["pointer"] for e in response.get_json()["errors"]}
    assert pointers == {"/email", "/name", "/function", "/level"}


def test_duplicate_email_is_409_whatever_its_case(admin, make_person, session):
    make_person(email="grace@example.com")
    response = admin.post(
        "/v1/people",
        json={"email": "GRACE@Example.com", "name": "G", "function": "product", "level": 2},
    )
    assert response.status_code == 409
    assert response.get_json()["type"] == "urn:rapport:problem:conflict"
    assert count_people(session) == 1


def test_duplicate_external_id_is_409(admin, make_person):
    make_person(external_id="E-1")
    response = admin.post(
        "/v1/people",
        json={
            "email": "x@example.com",
            "name": "X",
            "function": "sales",
            "level": 2,
            "external_id": "E-1",
        },
    )
    assert response.status_code == 409


def test_unknown_manager_is_422(admin):
    response = admin.post(
        "/v1/people",
        json={
            "email": "x@example.com",
            "name": "X",
            "function": "sales",
            "level": 2,
            "manager_id": "per_ghost",
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/manager_id"


def test_manager_loops_are_refused(admin, make_person):
    boss = make_person()
    report = make_person(manager_id=boss["id"])
    response = admin.patch(
        f"/v1/people/{boss['id']}", json={"manager_id": report["id"]}, etag="auto"
    )
    assert response.status_code == 422
    itself = admin.patch(f"/v1/people/{boss['id']}", json={"manager_id": boss["id"]}, etag="auto")
    assert itself.status_code == 422


def test_patch_needs_if_match_and_refuses_a_stale_one(admin, make_person):
    person = make_person(name="Before")
    path = f"/v1/people/{person['id']}"
    missing = admin.patch(path, json={"name": "After"})
    assert missing.status_code == 428
    assert missing.get_json()["type"] == "urn:rapport:problem:precondition-required"
    etag = admin.get(path).headers["ETag"]
    first = admin.patch(path, json={"name": "After"}, etag=etag)
    assert first.status_code == 200
    assert first.get_json()["name"] == "After"
    assert first.headers["ETag"] != etag
    stale = admin.patch(path, json={"name": "Lost update"}, etag=etag)
    assert stale.status_code == 412
    assert admin.get(path).get_json()["name"] == "After"


def test_patch_changes_only_what_is_given_and_merges_mentoring(admin, make_person):
    person = make_person(
        title="Engineer",
        mentoring={"open_to_mentor": True, "mentor_capacity": 3},
        skills=[{"skill": "go", "level": 3}, {"skill": "sql", "level": 2}],
    )
    path = f"/v1/people/{person['id']}"
    changed = admin.patch(
        path,
        json={"mentoring": {"seeking_mentor": True}, "skills": [{"skill": "sql", "level": 4}]},
        etag="auto",
    ).get_json()
    assert changed["title"] == "Engineer"
    assert changed["mentoring"] == {
        "open_to_mentor": True,
        "mentor_capacity": 3,
        "open_to_reverse_mentor": False,
        "seeking_mentor": True,
    }
    assert changed["skills"] == [{"skill": "sql", "level": 4}]
    assert changed["updated_at"] >= person["updated_at"]


def test_patch_with_bad_input_changes_nothing(admin, make_person):
    person = make_person(name="Kept")
    path = f"/v1/people/{person['id']}"
    etag = admin.get(path).headers["ETag"]
    response = admin.patch(path, json={"name": "New", "level": 0}, etag=etag)
    assert response.status_code == 422
    assert admin.get(path).get_json()["name"] == "Kept"
    assert admin.get(path).headers["ETag"] == etag


def test_patch_can_clear_optional_fields(admin, make_person):
    person = make_person(title="Engineer", division="Payments")
    changed = admin.patch(
        f"/v1/people/{person['id']}", json={"title": None}, etag="auto"
    ).get_json()
    assert changed["title"] is None
    assert changed["division"] == "Payments"


def test_changing_email_to_anothers_is_409(admin, make_person):
    make_person(email="taken@example.com")
    person = make_person()
    response = admin.patch(
        f"/v1/people/{person['id']}", json={"email": "Taken@example.com"}, etag="auto"
    )
    assert response.status_code == 409


def test_delete_deactivates_and_keeps_the_person_readable(admin, make_person):
    person = make_person()
    path = f"/v1/people/{person['id']}"
    assert admin.delete(path).status_code == 428
    response = admin.delete(path, etag="auto")
    assert response.status_code == 204
    kept = admin.get(path)
    assert kept.status_code == 200
    assert kept.get_json()["active"] is False


def test_get_with_matching_if_none_match_is_304(admin, make_person):
    person = make_person()
    path = f"/v1/people/{person['id']}"
    etag = admin.get(path).headers["ETag"]
    assert admin.get(path, headers={"If-None-Match": etag}).status_code == 304


def names(response) -> list[str]:
    return [p["name"] for p in response.get_json()]


def test_list_filters_combine(admin, make_person):
    admin.post("/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"]})
    make_person(
        name="Ann",
        function="engineering",
        level=6,
        division="Payments",
        skills=[{"skill": "k8s", "level": 5}, {"skill": "go", "level": 3}],
    )
    make_person(
        name="Bob",
        function="engineering",
        level=2,
        division="Payments",
        skills=[{"skill": "kubernetes", "level": 2}],
    )
    make_person(name="Cid", function="product", level=4, division="Growth", title="Product lead")
    gone = make_person(
        name="Dee", function="engineering", level=5, skills=[{"skill": "go", "level": 4}]
    )
    admin.delete(f"/v1/people/{gone['id']}", etag="auto")

    assert names(admin.get("/v1/people")) == ["Ann", "Bob", "Cid", "Dee"]
    assert names(admin.get("/v1/people?function=engineering&min_level=5")) == ["Ann", "Dee"]
    assert names(admin.get("/v1/people?division=Payments&max_level=3")) == ["Bob"]
    assert names(admin.get("/v1/people?skill=kubernetes")) == ["Ann", "Bob"]
    assert names(admin.get("/v1/people?skill=K8S&skill=go")) == ["Ann"]
    assert names(admin.get("/v1/people?skill=cobol")) == []
    assert names(admin.get("/v1/people?active=false")) == ["Dee"]
    assert names(admin.get("/v1/people?q=product")) == ["Cid"]
    assert names(admin.get("/v1/people?q=ANN")) == ["Ann"]
    assert names(admin.get("/v1/people?q=100%25")) == []


def test_list_rejects_bad_filters(admin):
    assert admin.get("/v1/people?min_level=9").status_code == 422
    assert admin.get("/v1/people?function=chef").status_code == 422
    response = admin.get("/v1/people?min_level=5&max_level=2")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["in"] == "query"


def test_pagination_is_stable_and_announced(admin, make_person):
    for i in range(7):
        make_person(name=f"P{i}")
    make_person(name="P3")  # the same name twice: the id breaks the tie
    seen = []
    for page in (1, 2, 3):
        response = admin.get(f"/v1/people?page={page}&page_size=3")
        assert response.status_code == 200
        meta = json.loads(response.headers["X-Pagination"])
        assert meta["total"] == 8
        assert meta["total_pages"] == 3
        assert meta["page"] == page
        seen.extend(p["id"] for p in response.get_json())
        links = response.headers["Link"]
        assert 'rel="first"' in links and 'rel="last"' in links
        assert ('rel="next"' in links) == (page < 3)
        assert ('rel="prev"' in links) == (page > 1)
    assert len(seen) == len(set(seen)) == 8
    assert admin.get("/v1/people?page_size=101").status_code == 422
    assert admin.get("/v1/people?page=0").status_code == 422


def test_link_header_keeps_the_filters(admin, make_person):
    for i in range(3):
        make_person(name=f"E{i}", function="sales")
    links = admin.get("/v1/people?function=sales&page_size=1").headers["Link"]
    assert "function=sales" in links
    assert "page=2" in links
