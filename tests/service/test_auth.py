"""Who may do what: tokens, roles, and private notes (OWASP API1 and API5, from both sides)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

NOW = datetime.now(UTC).isoformat()


def test_every_view_declares_who_may_call_it(app):
    from service.auth import view_handler

    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api-docs."):
            continue
        view = app.view_functions[rule.endpoint]
        for method in rule.methods - {"OPTIONS", "HEAD"}:
            handler = view_handler(view, method)
            if not (
                getattr(handler, "rapport_public", False) or getattr(handler, "rapport_roles", None)
            ):
                undeclared.append(f"{method} {rule.rule}")
    assert undeclared == []


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer rap_unknown", "Basic dXNlcjpwYXNz", "rap_x"]
)
def test_no_or_bad_token_is_401_with_a_bearer_challenge(anonymous, header):
    headers = {"Authorization": header} if header else {}
    response = anonymous.get("/v1/people", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["type"] == "urn:rapport:problem:unauthorized"


def test_public_endpoints_need_no_token(anonymous):
    for path in ("/health", "/ready", "/openapi.json"):
        assert anonymous.get(path).status_code == 200, path


def test_revoked_token_stops_working_at_once(app, admin):
    issued = admin.post("/v1/tokens", json={"name": "sync", "role": "integration"}).get_json()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/v1/people", headers=headers).status_code == 200
    assert admin.delete(f"/v1/tokens/{issued['id']}").status_code == 204
    assert client.get("/v1/people", headers=headers).status_code == 401


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(admin, session):
    from service.tokens.models import ApiToken

    issued = admin.post("/v1/tokens", json={"name": "ci", "role": "admin"}).get_json()
    assert issued["token"].startswith("rap_")
    listed = admin.get("/v1/tokens").get_json()
    assert all("token" not in t for t in listed)
    assert "token" not in admin.get(f"/v1/tokens/{issued['id']}").get_json()
    stored = session.get(ApiToken, issued["id"])
    assert issued["token"] not in (stored.secret_hash, stored.name)


def test_admins_issue_admin_and_integration_tokens_but_never_member_tokens(admin, make_person):
    person = make_person()
    assert admin.post("/v1/tokens", json={"name": "m", "role": "member"}).status_code == 422
    assert (
        admin.post(
            "/v1/tokens", json={"name": "i", "role": "integration", "person_id": person["id"]}
        ).status_code
        == 422
    )
    # Issuing a member token for someone would let the admin read their private notes.
    impersonation = admin.post(
        "/v1/tokens", json={"name": "m", "role": "member", "person_id": person["id"]}
    )
    assert impersonation.status_code == 422
    assert "login" in impersonation.get_json()["detail"]
    assert admin.post("/v1/tokens", json={"name": "i", "role": "integration"}).status_code == 201


@pytest.mark.parametrize("role", ["member", "integration"])
def test_only_admins_manage_tokens(request, make_person, member_of, role):
    client = (
        member_of(make_person()["id"])
        if role == "member"
        else request.getfixturevalue("integration")
    )
    assert client.get("/v1/tokens").status_code == 403
    assert client.post("/v1/tokens", json={"name": "x", "role": "admin"}).status_code == 403


def test_a_deactivated_persons_member_token_stops_working(admin, make_person, member_of):
    person = make_person()
    member = member_of(person["id"])
    assert member.get("/v1/people").status_code == 200
    admin.delete(f"/v1/people/{person['id']}", etag="auto")
    assert member.get("/v1/people").status_code == 401


# -- members: their own profile, goals and interactions ----------------------------------


def test_member_reads_the_directory_but_changes_only_their_own_profile(make_person, member_of):
    me, other = make_person(), make_person()
    member = member_of(me["id"])
    assert member.get("/v1/people").status_code == 200
    assert member.get(f"/v1/people/{other['id']}").status_code == 200
    own = member.patch(f"/v1/people/{me['id']}", json={"location": "Berlin"}, etag="auto")
    assert own.status_code == 200
    theirs = member.patch(f"/v1/people/{other['id']}", json={"location": "Berlin"}, etag="auto")
    assert theirs.status_code == 403


def test_member_cannot_change_fields_owned_by_hr(make_person, member_of, admin):
    me = make_person(level=3)
    member = member_of(me["id"])
    response = member.patch(f"/v1/people/{me['id']}", json={"level": 8, "skills": []}, etag="auto")
    assert response.status_code == 403
    assert "level" in response.get_json()["detail"]
    assert admin.get(f"/v1/people/{me['id']}").get_json()["level"] == 3


def test_member_cannot_create_or_deactivate_people(make_person, member_of):
    me = make_person()
    member = member_of(me["id"])
    assert (
        member.post(
            "/v1/people",
            json={"email": "x@example.com", "name": "X", "function": "sales", "level": 1},
        ).status_code
        == 403
    )
    assert member.delete(f"/v1/people/{me['id']}", etag="auto").status_code == 403


def test_member_writes_only_their_own_goals(admin, make_person, member_of):
    me, other = make_person(), make_person()
    member = member_of(me["id"])
    mine = member.post("/v1/goals", json={"title": "Mine", "kind": "learn_skill"})
    assert mine.status_code == 201
    assert mine.get_json()["person_id"] == me["id"]
    assert (
        member.post(
            "/v1/goals", json={"person_id": other["id"], "title": "X", "kind": "learn_skill"}
        ).status_code
        == 403
    )
    theirs = admin.post(
        "/v1/goals", json={"person_id": other["id"], "title": "Theirs", "kind": "learn_skill"}
    ).get_json()
    assert member.get(f"/v1/goals/{theirs['id']}").status_code == 404
    assert (
        member.patch(f"/v1/goals/{theirs['id']}", json={"title": "Hacked"}, etag='"x"').status_code
        == 404
    )
    assert [g["title"] for g in member.get("/v1/goals").get_json()] == ["Mine"]
    assert member.get(f"/v1/goals?person_id={other['id']}").status_code == 403


def test_member_logs_only_their_own_interactions(make_person, member_of):
    me, other, third = make_person(), make_person(), make_person()
    member = member_of(me["id"])
    mine = member.post(
        "/v1/interactions", json={"contact_id": other["id"], "kind": "meeting", "occurred_at": NOW}
    )
    assert mine.status_code == 201
    assert mine.get_json()["person_id"] == me["id"]
    forged = member.post(
        "/v1/interactions",
        json={
            "person_id": other["id"],
            "contact_id": third["id"],
            "kind": "meeting",
            "occurred_at": NOW,
        },
    )
    assert forged.status_code == 403


def test_integration_tokens_cannot_touch_goals_or_interactions(integration):
    assert integration.get("/v1/goals").status_code == 403
    assert integration.get("/v1/interactions").status_code == 403


def test_integration_tokens_provision_people_but_not_the_taxonomy(integration):
    created = integration.post(
        "/v1/people",
        json={"email": "new@example.com", "name": "New", "function": "legal", "level": 2},
    )
    assert created.status_code == 201
    # Skills named in a profile join the taxonomy; curating it is an admin's job.
    assert created.get_json()["id"]
    assert integration.get("/v1/skills").status_code == 200
    assert integration.post("/v1/skills", json={"name": "contract law"}).status_code == 403


def test_members_cannot_curate_the_taxonomy(make_person, member_of):
    member = member_of(make_person()["id"])
    assert member.get("/v1/skills").status_code == 200
    assert member.post("/v1/skills", json={"name": "x"}).status_code == 403


# -- private notes ---------------------------------------------------------------------


@pytest.fixture
def noted(admin, make_person, member_of):
    """An interaction with notes, logged by one member with another as the contact."""
    logger, contact, outsider = make_person(), make_person(), make_person()
    logger_client = member_of(logger["id"])
    interaction = logger_client.post(
        "/v1/interactions",
        json={
            "contact_id": contact["id"],
            "kind": "coffee_chat",
            "occurred_at": NOW,
            "notes": "secret",
        },
    ).get_json()
    return {
        "id": interaction["id"],
        "logger": logger_client,
        "contact": member_of(contact["id"]),
        "outsider": member_of(outsider["id"]),
    }


def test_the_logger_sees_their_notes(noted):
    path = f"/v1/interactions/{noted['id']}"
    assert noted["logger"].get(path).get_json()["notes"] == "secret"
    assert noted["logger"].get("/v1/interactions").get_json()[0]["notes"] == "secret"


def test_the_contact_sees_the_interaction_but_not_the_notes(noted):
    path = f"/v1/interactions/{noted['id']}"
    seen = noted["contact"].get(path)
    assert seen.status_code == 200
    assert "notes" not in seen.get_json()
    assert "notes" not in noted["contact"].get("/v1/interactions").get_json()[0]


def test_admins_never_see_notes(noted, admin):
    assert "notes" not in admin.get(f"/v1/interactions/{noted['id']}").get_json()
    assert all("notes" not in i for i in admin.get("/v1/interactions").get_json())


def test_other_members_cannot_see_the_interaction_at_all(noted):
    assert noted["outsider"].get(f"/v1/interactions/{noted['id']}").status_code == 404
    assert noted["outsider"].get("/v1/interactions").get_json() == []


def test_only_the_logger_writes_notes(noted, admin):
    path = f"/v1/interactions/{noted['id']}"
    assert admin.patch(path, json={"notes": "overwritten"}, etag="auto").status_code == 403
    assert (
        noted["contact"].patch(path, json={"follow_up_done": True}, etag="auto").status_code == 403
    )
    assert (
        noted["logger"].patch(path, json={"notes": "updated"}, etag="auto").get_json()["notes"]
        == "updated"
    )
    assert admin.patch(path, json={"follow_up_done": True}, etag="auto").status_code == 200
    assert noted["logger"].get(path).get_json()["notes"] == "updated"


def test_nobody_writes_notes_for_someone_else(admin, make_person):
    ann, bob = make_person(), make_person()
    body = {"person_id": ann["id"], "contact_id": bob["id"], "kind": "meeting", "occurred_at": NOW}
    assert admin.post("/v1/interactions", json={**body, "notes": "planted"}).status_code == 403
    assert admin.post("/v1/interactions", json=body).status_code == 201
