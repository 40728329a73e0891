"""The smaller holes, each attacked through HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest


@pytest.fixture
def tie(admin, make_person):
    """Two people with one interaction: a relationship whose cadence can be set."""
    ann, bob = make_person(name="Ann"), make_person(name="Bob")
    logged = admin.post(
        "/v1/interactions",
        json={
            "person_id": ann["id"],
            "contact_id": bob["id"],
            "kind": "coffee_chat",
            "occurred_at": "2026-11-01T10:00:00Z",
        },
    )
    assert logged.status_code == 201, logged.get_json()
    return f"/v1/people/{ann['id']}/relationships/{bob['id']}"


@pytest.mark.parametrize("first", ["insert", "update"])
def test_of_20_parallel_cadence_changes_with_one_etag_only_one_wins(server, admin, tie, first):
    if first == "update":
        assert admin.patch(tie, json={"cadence_days": 10}, etag="auto").status_code == 200
    etag = admin.get(tie).headers["ETag"]

    def change(days: int) -> int:
        request = urllib.request.Request(
            server + tie,
            data=json.dumps({"cadence_days": days}).encode(),
            method="PATCH",
            headers={
                "Authorization": f"Bearer {admin.token}",
                "If-Match": etag,
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(change, range(20, 40)))
    assert statuses.count(200) == 1, statuses
    assert set(statuses) == {200, 412}, statuses


def test_the_relationship_etag_is_a_row_version(admin, tie):
    before = admin.get(tie).headers["ETag"]
    changed = admin.patch(tie, json={"cadence_days": 30}, etag=before)
    assert changed.status_code == 200
    # Setting the same cadence again is still a new version: the old ETag is stale.
    again = admin.patch(tie, json={"cadence_days": 30}, etag=changed.headers["ETag"])
    assert again.status_code == 200
    assert admin.patch(
        tie, json={"cadence_days": 30}, etag=changed.headers["ETag"]
    ).status_code == (412)


def test_if_match_star_does_not_stand_in_for_a_version_on_patch(admin, make_person, tie):
    person = make_person()
    path = f"/v1/people/{person['id']}"
    for target, body in ((path, {"location": "Berlin"}), (tie, {"cadence_days": 5})):
        response = admin.patch(target, json=body, headers={"If-Match": "*"})
        assert response.status_code == 428
        assert "ETag" in response.get_json()["detail"]
    assert admin.get(path).get_json()["location"] != "Berlin"


def test_if_match_star_deletes_what_exists_as_rfc_9110_means(admin, make_person):
    person = make_person()
    path = f"/v1/people/{person['id']}"
    assert admin.delete(path, headers={"If-Match": "*"}).status_code == 204
    assert admin.delete("/v1/people/per_nobody", headers={"If-Match": "*"}).status_code == 404


def test_another_persons_goal_and_a_missing_goal_get_the_same_422(admin, make_person, member_of):
    me, other, contact = make_person(), make_person(), make_person()
    theirs = admin.post(
        "/v1/goals", json={"person_id": other["id"], "title": "Theirs", "kind": "learn_skill"}
    ).get_json()
    member = member_of(me["id"])

    def log(goal_id: str):
        return member.post(
            "/v1/interactions",
            json={
                "contact_id": contact["id"],
                "kind": "coffee_chat",
                "occurred_at": "2026-11-01T10:00:00Z",
                "goal_id": goal_id,
            },
        )

    missing_id = "gol_01JD3Q5X4J8Z6V2M9N7K1R0T5Z"
    existing, missing = log(theirs["id"]), log(missing_id)
    assert existing.status_code == missing.status_code == 422

    def shown(response, goal_id: str) -> dict:
        body = response.get_json()
        body.pop("request_id", None)
        return json.loads(json.dumps(body).replace(goal_id, "GOAL"))

    assert shown(existing, theirs["id"]) == shown(missing, missing_id)


NATO = (
    "alfa bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"
).split()


def skills_of(n: int, prefix: str = "novel") -> list[dict]:
    return [{"skill": f"{prefix} skill {chr(97 + i)}", "level": 3} for i in range(n)]


def test_a_member_cannot_grow_the_taxonomy_by_100_skills_in_one_patch(
    admin, make_person, member_of
):
    me = make_person()
    member = member_of(me["id"])
    before = len(admin.get("/v1/skills?page_size=100").get_json())
    response = member.patch(f"/v1/people/{me['id']}", json={"skills": skills_of(26)}, etag="auto")
    assert response.status_code == 422
    assert "at most 5 new skills" in response.get_json()["detail"]
    assert len(admin.get("/v1/skills?page_size=100").get_json()) == before
    accepted = member.patch(f"/v1/people/{me['id']}", json={"skills": skills_of(5)}, etag="auto")
    assert accepted.status_code == 200, accepted.get_json()


def test_a_member_creates_at_most_20_new_skills_a_day(admin, make_person, member_of):
    me = make_person()
    member = member_of(me["id"])
    # Twenty distinct new names, five at a time, then one more.
    names = NATO[:20]
    learnt: list[dict] = []
    for start in range(0, 20, 5):
        learnt += [{"skill": name, "priority": 2} for name in names[start : start + 5]]
        response = member.patch(f"/v1/people/{me['id']}", json={"learning": learnt}, etag="auto")
        assert response.status_code == 200, response.get_json()
    refused = member.patch(
        f"/v1/people/{me['id']}",
        json={"learning": [*learnt, {"skill": NATO[20], "priority": 2}]},
        etag="auto",
    )
    assert refused.status_code == 422
    assert "20 new skills a day" in refused.get_json()["detail"]
    # Admins curate the taxonomy; the bound is on members.
    assert (
        admin.patch(
            f"/v1/people/{me['id']}", json={"skills": skills_of(8, "curated")}, etag="auto"
        ).status_code
        == 200
    )


def test_a_typo_of_an_existing_skill_suggests_it_instead_of_creating_a_new_one(
    admin, make_person, member_of
):
    assert (
        admin.post(
            "/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"], "category": "platform"}
        ).status_code
        == 201
    )
    me = make_person()
    member = member_of(me["id"])
    response = member.patch(
        f"/v1/people/{me['id']}", json={"skills": [{"skill": "kubernets", "level": 3}]}, etag="auto"
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert "did you mean 'kubernetes'" in problem["detail"]
    assert problem["errors"][0]["pointer"] == "/skills/0/skill"
    names = [s["name"] for s in admin.get("/v1/skills?q=kubern").get_json()]
    assert names == ["kubernetes"]
