"""Every write reaches every worker's index: creations are in the change log, as updates are."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from service import changes
from service.people.models import Person
from service.recommendations.logic import warm
from tests.service.scim.conftest import CORE, ScimClient, okta_user


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["person"]["name"] for item in response.get_json()["items"]]


def test_people_created_after_the_index_was_fitted_on_an_empty_database_are_recommended(app, admin):
    # As gunicorn's warm-up does: the worker fits its index before anyone exists.
    warm(app)
    assert app.extensions["rapport.recommendations"]._index is not None
    mentor = admin.post(
        "/v1/people",
        json={
            "email": "kim@example.com",
            "name": "Kim",
            "function": "engineering",
            "level": 7,
            "skills": [{"skill": "kubernetes", "level": 5}],
            "mentoring": {"open_to_mentor": True, "mentor_capacity": 2},
        },
    )
    assert mentor.status_code == 201, mentor.get_json()
    mentee = admin.post(
        "/v1/people",
        json={
            "email": "ada@example.com",
            "name": "Ada",
            "function": "engineering",
            "level": 3,
            "learning": [{"skill": "kubernetes", "priority": 1}],
        },
    ).get_json()
    path = f"/v1/people/{mentee['id']}/recommendations?purpose=mentor"
    assert names(admin.get(path)) == ["Kim"]
    # The mentor, asking about themself, is known to the index too.
    assert admin.get(f"/v1/people/{mentor.get_json()['id']}/recommendations").status_code == 200


def _logged_since(app, session, version: int) -> set[str]:
    session.rollback()
    now = changes.current_version(session)
    assert now > version, "the write did not move the directory's version"
    people = changes.changed_since(session, version, now)
    assert people is not None
    return people


@pytest.fixture
def two(make_person):
    mentor = make_person(
        name="One", level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 1}
    )
    return mentor, make_person(name="Two", level=2)


CREATIONS = {
    "person with skills": lambda admin, scim, one, two: (
        admin.post(
            "/v1/people",
            json={
                "email": "new@example.com",
                "name": "New",
                "function": "design",
                "level": 4,
                "skills": [{"skill": "figma", "level": 3}],
                "learning": [{"skill": "sql", "priority": 2}],
            },
        ),
        lambda body: {body["id"]},
    ),
    "goal": lambda admin, scim, one, two: (
        admin.post(
            "/v1/goals", json={"person_id": one["id"], "title": "Learn Go", "kind": "learn_skill"}
        ),
        lambda body: {one["id"]},
    ),
    "interaction": lambda admin, scim, one, two: (
        admin.post(
            "/v1/interactions",
            json={
                "person_id": one["id"],
                "contact_id": two["id"],
                "kind": "coffee_chat",
                "occurred_at": datetime.now(UTC).isoformat(),
            },
        ),
        lambda body: {one["id"], two["id"]},
    ),
    "mentorship": lambda admin, scim, one, two: (
        admin.post(
            "/v1/mentorships",
            json={"mentor_id": one["id"], "mentee_id": two["id"], "kind": "mentorship"},
        ),
        lambda body: {one["id"], two["id"]},
    ),
    "SCIM user": lambda admin, scim, one, two: (
        scim.post("/Users", okta_user("isaac@example.com")),
        lambda body: {body["id"]},
    ),
    "HR file": lambda admin, scim, one, two: (
        admin.client.post(
            "/v1/imports/people",
            data=b"Work Email,Name,Job Function,Grade\nhr@example.com,From HR,sales,3\n",
            content_type="text/csv",
            headers={"Authorization": f"Bearer {admin.token}"},
        ),
        lambda body: {p["id"] for p in admin.get("/v1/people?q=hr@example.com").get_json()},
    ),
}


@pytest.mark.parametrize("kind", CREATIONS)
def test_every_creation_is_recorded_in_the_change_log(kind, app, admin, integration, session, two):
    one, other = two
    scim = ScimClient(app.test_client(), integration.token)
    before = changes.current_version(session)
    response, expected = CREATIONS[kind](admin, scim, one, other)
    assert response.status_code in (200, 201), response.get_json()
    people = expected(response.get_json())
    assert people, "the test found nobody to look for"
    assert people <= _logged_since(app, session, before)


def test_a_scim_user_created_after_the_fit_gets_recommendations(app, admin, integration, session):
    admin.post(
        "/v1/people",
        json={
            "email": "kim@example.com",
            "name": "Kim",
            "function": "engineering",
            "level": 7,
            "skills": [{"skill": "kubernetes", "level": 5}],
            "mentoring": {"open_to_mentor": True, "mentor_capacity": 2},
        },
    )
    warm(app)
    scim = ScimClient(app.test_client(), integration.token)
    user = scim.post("/Users", {**okta_user("ada@example.com", "Ada", "L"), "schemas": [CORE]})
    assert user.status_code == 201, user.get_json()
    ada = user.get_json()["id"]
    admin.patch(
        f"/v1/people/{ada}",
        json={"level": 3, "learning": [{"skill": "kubernetes", "priority": 1}]},
        etag="auto",
    )
    assert names(admin.get(f"/v1/people/{ada}/recommendations?purpose=mentor")) == ["Kim"]


def test_a_person_the_index_lacks_is_loaded_on_the_spot_not_a_500(app, admin, make_person, session):
    make_person(
        name="Kim",
        level=7,
        skills=[{"skill": "kubernetes", "level": 5}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 2},
    )
    warm(app)
    # A row written behind the change log's back (by hand, or by a bulk tool that forgot it).
    now = datetime.now(UTC)
    session.execute(
        insert(Person).values(
            id="per_BYHAND",
            email="byhand@example.com",
            email_key="byhand@example.com",
            name="By Hand",
            function="engineering",
            level=3,
            created_at=now,
            updated_at=now,
        )
    )
    session.commit()
    index = app.extensions["rapport.recommendations"]
    assert "per_BYHAND" not in index._index
    response = admin.get("/v1/people/per_BYHAND/recommendations?purpose=mentor")
    assert response.status_code == 200, response.get_json()
    assert "per_BYHAND" in index._index
