"""Dismissals: honoured in every list, for their purpose and time, and everywhere for do_not_suggest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.db import utcnow
from service.dismissals.logic import do_not_suggest_pairs


@pytest.fixture
def company(admin, make_person, member_of):
    """A junior engineer who wants kubernetes; three mentors; a product person to know."""
    admin.post("/v1/skills", json={"name": "kubernetes", "category": "cloud"})
    ada = make_person(name="Ada", level=2, learning=[{"skill": "kubernetes", "priority": 1}])
    mentors = [
        make_person(
            name=f"Mentor {i}",
            level=6,
            skills=[{"skill": "kubernetes", "level": 5}],
            mentoring={"open_to_mentor": True, "mentor_capacity": 2},
        )
        for i in range(3)
    ]
    product = make_person(
        name="Pat", level=3, function="product", skills=[{"skill": "kubernetes", "level": 2}]
    )
    return {"ada": ada, "mentors": mentors, "product": product, "as_ada": member_of(ada["id"])}


def listed(client, person_id, purpose="mentor"):
    response = client.get(f"/v1/people/{person_id}/recommendations?purpose={purpose}&limit=50")
    assert response.status_code == 200, response.get_json()
    return {item["person"]["id"] for item in response.get_json()["items"]}


def dismiss(client, person_id, dismissed_id, reason, purpose="mentor"):
    return client.post(
        f"/v1/people/{person_id}/recommendations/dismissals",
        json={"person_id": dismissed_id, "purpose": purpose, "reason": reason},
    )


def test_a_dismissed_person_leaves_that_purposes_list_only(company):
    ada, first, as_ada = company["ada"], company["mentors"][0], company["as_ada"]
    assert first["id"] in listed(as_ada, ada["id"])
    product = company["product"]["id"]
    assert product in listed(as_ada, ada["id"], "cross_functional")
    created = dismiss(as_ada, ada["id"], first["id"], "not_relevant")
    assert created.status_code == 201, created.get_json()
    assert created.headers["Location"].endswith(created.get_json()["id"])
    assert created.get_json()["expires_at"] is None
    assert created.get_json()["person_id"] == first["id"]
    assert listed(as_ada, ada["id"]) == {m["id"] for m in company["mentors"][1:]}
    dismiss(as_ada, ada["id"], product, "already_know", purpose="cross_functional")
    assert product not in listed(as_ada, ada["id"], "cross_functional")
    assert first["id"] not in listed(as_ada, ada["id"])  # still, after the other dismissal


def test_not_now_hides_for_ninety_days(company, set_now):
    ada, first, as_ada = company["ada"], company["mentors"][0], company["as_ada"]
    now = utcnow()
    set_now(now)
    body = dismiss(as_ada, ada["id"], first["id"], "not_now").get_json()
    assert body["expires_at"].startswith((now + timedelta(days=90)).date().isoformat())
    set_now(now + timedelta(days=89))
    assert first["id"] not in listed(as_ada, ada["id"])
    assert len(as_ada.get(f"/v1/people/{ada['id']}/recommendations/dismissals").get_json()) == 1
    set_now(now + timedelta(days=90, seconds=1))
    assert first["id"] in listed(as_ada, ada["id"])
    assert as_ada.get(f"/v1/people/{ada['id']}/recommendations/dismissals").get_json() == []


def test_do_not_suggest_applies_to_every_purpose_both_ways_and_to_pairings(company, admin, session):
    ada, as_ada, product = company["ada"], company["as_ada"], company["product"]
    mentor = company["mentors"][0]
    assert dismiss(as_ada, ada["id"], product["id"], "do_not_suggest", "mentor").status_code == 201
    assert product["id"] not in listed(as_ada, ada["id"], "cross_functional")
    # Nor is Ada suggested to the person she asked never to be suggested.
    assert ada["id"] not in listed(admin, product["id"], "cross_functional")
    # Programmes and intro rounds ask for the pairs to keep apart.
    everyone = [ada["id"], product["id"], mentor["id"]]
    assert do_not_suggest_pairs(session, everyone) == {frozenset((ada["id"], product["id"]))}
    assert do_not_suggest_pairs(session, [ada["id"], mentor["id"]]) == set()
    dismiss(as_ada, ada["id"], mentor["id"], "not_relevant")
    assert do_not_suggest_pairs(session, everyone) == {frozenset((ada["id"], product["id"]))}


def test_members_manage_their_own_list(company, member_of):
    ada, first, as_ada = company["ada"], company["mentors"][0], company["as_ada"]
    path = f"/v1/people/{ada['id']}/recommendations/dismissals"
    body = dismiss(as_ada, ada["id"], first["id"], "already_know").get_json()
    other = member_of(first["id"])
    assert other.get(path).status_code == 403
    assert dismiss(other, ada["id"], company["mentors"][1]["id"], "not_now").status_code == 403
    one = f"{path}/{body['id']}"
    assert other.delete(one, etag='"any"').status_code == 403
    assert as_ada.delete(one).status_code == 428
    assert as_ada.delete(one, etag='"stale"').status_code == 412
    assert first["id"] not in listed(as_ada, ada["id"])
    assert as_ada.delete(one, etag="auto").status_code == 204
    assert first["id"] in listed(as_ada, ada["id"])
    assert as_ada.get(one).status_code == 404


def test_dismissing_again_replaces_the_earlier_dismissal(company):
    ada, first, as_ada = company["ada"], company["mentors"][0], company["as_ada"]
    path = f"/v1/people/{ada['id']}/recommendations/dismissals"
    dismiss(as_ada, ada["id"], first["id"], "not_now")
    dismiss(as_ada, ada["id"], first["id"], "already_know")
    assert [d["reason"] for d in as_ada.get(path).get_json()] == ["already_know"]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"person_id": "per_ghost", "purpose": "mentor", "reason": "not_now"}, "/person_id"),
        ({"person_id": "SELF", "purpose": "mentor", "reason": "not_now"}, "/person_id"),
        ({"person_id": "OTHER", "purpose": "mentor", "reason": "bored"}, "/reason"),
        ({"person_id": "OTHER", "purpose": "friend", "reason": "not_now"}, "/purpose"),
        ({"person_id": "OTHER", "purpose": "mentor"}, "/reason"),
    ],
)
def test_bad_dismissals_are_422_and_change_nothing(company, body, pointer):
    ada, as_ada = company["ada"], company["as_ada"]
    replace = {"SELF": ada["id"], "OTHER": company["mentors"][0]["id"]}
    body = {k: replace.get(v, v) for k, v in body.items()}
    path = f"/v1/people/{ada['id']}/recommendations/dismissals"
    response = as_ada.post(path, json=body)
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.get_json()["errors"][0]["pointer"] == pointer
    assert as_ada.get(path).get_json() == []


def test_unknown_person_is_404(admin):
    response = admin.get("/v1/people/per_ghost/recommendations/dismissals")
    assert response.status_code == 404
