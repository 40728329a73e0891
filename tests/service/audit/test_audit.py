"""Private notes stay private from admins: how member tokens come to be, and the audit log."""

from __future__ import annotations

import time

import jwt
import pytest

from service.auth import Role
from tests.conftest import ApiClient, issue

SECRET = "idp-shared-secret-of-at-least-32-bytes!"
IDP = {
    "IDP_SECRET": SECRET,
    "IDP_ISSUER": "https://idp.example.com",
    "IDP_AUDIENCE": "rapport",
}


def assertion(sub: str, *, secret: str = SECRET, lifetime: int = 60, **claims) -> str:
    now = int(time.time())
    body = {
        "iss": "https://idp.example.com",
        "aud": "rapport",
        "sub": sub,
        "iat": now,
        "exp": now + lifetime,
        **claims,
    }
    return jwt.encode(body, secret, algorithm="HS256")


@pytest.fixture
def idp_app(app):
    """The test app with an identity provider configured (restored afterwards)."""
    saved = {key: app.config[key] for key in IDP}
    app.config.update(IDP)
    yield app
    app.config.update(saved)


@pytest.fixture
def noted(admin, make_person):
    """A person with a private note on an interaction, logged with their own login token."""

    def make(member: ApiClient, contact_id: str) -> dict:
        response = member.post(
            "/v1/interactions",
            json={
                "contact_id": contact_id,
                "kind": "coffee_chat",
                "occurred_at": "2026-11-01T10:00:00Z",
                "notes": "B's private note",
            },
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


def login(client, token: str):
    return client.post("/v1/login", json={"assertion": token})


def test_an_admin_cannot_mint_a_member_token_to_read_private_notes(
    idp_app, admin, make_person, noted
):
    b = make_person(external_id="E-B")
    contact = make_person()
    logged_in = login(idp_app.test_client(), assertion("E-B"))
    assert logged_in.status_code == 201, logged_in.get_json()
    assert logged_in.get_json()["issued_via"] == "login"
    member = ApiClient(idp_app.test_client(), logged_in.get_json()["token"])
    interaction = noted(member, contact["id"])

    # The attack: an admin issues a member token for B and reads B's notes with it.
    forged = admin.post("/v1/tokens", json={"role": "member", "person_id": b["id"], "name": "x"})
    assert forged.status_code == 422
    # Every admin path to the note shows nothing.
    assert admin.get(f"/v1/interactions/{interaction['id']}").get_json().get("notes") is None
    listed = admin.get(f"/v1/interactions?person_id={b['id']}").get_json()
    assert [i.get("notes") for i in listed] == [None]
    # Only B's own login reads it.
    assert member.get(f"/v1/interactions/{interaction['id']}").get_json()["notes"] == (
        "B's private note"
    )


@pytest.mark.parametrize(
    ("token", "status"),
    [
        (lambda: assertion("E-B", secret="another-secret-of-at-least-32-bytes!!"), 401),
        (lambda: assertion("E-B", lifetime=-120), 401),  # expired
        (lambda: assertion("E-B", lifetime=3600), 401),  # lives too long
        (lambda: assertion("E-B", aud="someone-else"), 401),
        (lambda: assertion("E-B", iss="https://evil.example"), 401),
        (lambda: assertion("E-nobody"), 401),
        (lambda: jwt.encode({"sub": "E-B"}, SECRET, algorithm="HS256"), 401),
        (lambda: "not.a.jwt", 401),
    ],
)
def test_a_login_needs_a_fresh_assertion_signed_by_the_identity_provider(
    idp_app, make_person, token, status
):
    make_person(external_id="E-B")
    response = login(idp_app.test_client(), token())
    assert response.status_code == status
    assert response.get_json()["type"] == "urn:rapport:problem:unauthorized"


def test_an_unsigned_assertion_is_refused(idp_app, make_person):
    make_person(external_id="E-B")
    unsigned = jwt.encode(
        {"sub": "E-B", "iss": "https://idp.example.com", "aud": "rapport", "iat": 0, "exp": 1},
        None,
        algorithm="none",
    )
    assert login(idp_app.test_client(), unsigned).status_code == 401


def test_without_an_identity_provider_logins_are_disabled(anonymous, make_person):
    make_person(external_id="E-B")
    response = login(anonymous.client, assertion("E-B"))
    assert response.status_code == 403


def test_a_login_of_a_deactivated_person_is_refused(idp_app, admin, make_person):
    b = make_person(external_id="E-B")
    admin.delete(f"/v1/people/{b['id']}", etag="auto")
    assert login(idp_app.test_client(), assertion("E-B")).status_code == 401


def test_every_token_issued_and_revoked_is_in_the_audit_log(idp_app, admin, make_person):
    make_person(external_id="E-B")
    issued = admin.post("/v1/tokens", json={"role": "integration", "name": "Workday"}).get_json()
    logged_in = login(idp_app.test_client(), assertion("E-B")).get_json()
    assert admin.delete(f"/v1/tokens/{issued['id']}").status_code == 204

    events = admin.get("/v1/audit-events?page_size=100").get_json()
    by_token = {(e["action"], e["token_id"]): e for e in events}
    admin_event = by_token[("token.issued", issued["id"])]
    assert admin_event["actor"] == "test"
    assert admin_event["actor_token_id"] is not None
    assert admin_event["client_address"] == "127.0.0.1"
    assert admin_event["request_id"]
    login_event = by_token[("token.issued", logged_in["id"])]
    assert login_event["actor"] == "identity provider"
    assert login_event["person_id"] == logged_in["person_id"]
    assert ("token.revoked", issued["id"]) in by_token
    # Newest first.
    assert events == sorted(events, key=lambda e: e["occurred_at"], reverse=True)


def test_every_use_of_a_member_token_issued_by_someone_else_is_audited(
    app, admin, make_person, idp_app
):
    b = make_person(external_id="E-B")
    # The operator's command line issued this one for B: every use of it is on record,
    # even a refused one.
    on_behalf = ApiClient(app.test_client(), issue(app, Role.MEMBER, b["id"], name="support"))
    assert on_behalf.get("/v1/people").status_code == 200
    assert on_behalf.post("/v1/skills", json={"name": "x"}).status_code == 403
    own = ApiClient(
        app.test_client(), login(idp_app.test_client(), assertion("E-B")).get_json()["token"]
    )
    assert own.get("/v1/people").status_code == 200

    used = admin.get("/v1/audit-events?action=token.used").get_json()
    assert sorted(e["detail"] for e in used) == ["GET /v1/people", "POST /v1/skills"]
    assert {e["person_id"] for e in used} == {b["id"]}
    assert {e["actor"] for e in used} == {"support"}


def test_the_audit_log_is_admin_only_and_append_only(admin, integration, make_person, member_of):
    member = member_of(make_person()["id"])
    assert integration.get("/v1/audit-events").status_code == 403
    assert member.get("/v1/audit-events").status_code == 403
    event = admin.get("/v1/audit-events").get_json()[0]
    for method in ("patch", "delete"):
        response = getattr(admin, method)(f"/v1/audit-events/{event['id']}")
        assert response.status_code in (404, 405)
    assert admin.client.put("/v1/audit-events", json={}).status_code == 405


def test_the_orm_refuses_to_change_an_audit_event(app, admin, session):
    from service.audit.models import AuditEvent

    admin.post("/v1/tokens", json={"role": "integration", "name": "Workday"})
    event = session.query(AuditEvent).first()
    event.detail = "nothing happened"
    with pytest.raises(ValueError, match="append-only"):
        session.flush()
    session.rollback()


def test_deactivation_revokes_member_tokens_so_reactivation_revives_none(
    admin, make_person, member_of
):
    person = make_person()
    member = member_of(person["id"])
    assert member.get("/v1/people").status_code == 200
    assert admin.delete(f"/v1/people/{person['id']}", etag="auto").status_code == 204
    assert member.get("/v1/people").status_code == 401
    revived = admin.patch(f"/v1/people/{person['id']}", json={"active": True}, etag="auto")
    assert revived.status_code == 200
    assert member.get("/v1/people").status_code == 401
    revoked = admin.get(f"/v1/audit-events?action=token.revoked&person_id={person['id']}")
    assert [e["actor"] for e in revoked.get_json()] == ["departure"]
