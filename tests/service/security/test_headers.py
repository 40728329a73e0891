"""Headers an attacker cannot steer, and the security headers on every answer."""

from __future__ import annotations

import re

import pytest

from service.auth import Role
from tests.conftest import ApiClient, issue

EVIL = {"Host": "evil.example"}


def test_a_forged_host_does_not_reach_link_headers_when_a_public_url_is_set(
    app, make_app, database_url
):
    app = make_app({"DATABASE_URL": database_url, "PUBLIC_URL": "https://rapport.example.com/"})
    admin = ApiClient(app.test_client(), issue(app, Role.ADMIN))
    for n in range(3):
        admin.post("/v1/skills", json={"name": f"skill {n}", "aliases": [], "category": "testing"})
    response = admin.get("/v1/skills?page_size=1", headers=EVIL)
    assert response.status_code == 200
    links = response.headers["Link"]
    assert "evil.example" not in links
    assert '<https://rapport.example.com/v1/skills?page_size=1&page=2>; rel="next"' in links


def test_a_forged_host_does_not_reach_scim_locations(app, make_app, database_url):
    app = make_app({"DATABASE_URL": database_url, "PUBLIC_URL": "https://rapport.example.com"})
    token = issue(app, Role.INTEGRATION)
    client = app.test_client()
    headers = {**EVIL, "Authorization": f"Bearer {token}"}
    user = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "ada@example.com",
        "name": {"formatted": "Ada Lovelace"},
        "emails": [{"value": "ada@example.com", "primary": True}],
    }
    created = client.post(
        "/scim/v2/Users", json=user, headers=headers, content_type="application/scim+json"
    )
    assert created.status_code == 201, created.get_json()
    assert created.headers["Location"].startswith("https://rapport.example.com/scim/v2/Users/")
    assert created.get_json()["meta"]["location"] == created.headers["Location"]
    config = client.get("/scim/v2/ServiceProviderConfig", headers=headers).get_data(as_text=True)
    assert "evil.example" not in config
    assert "https://rapport.example.com/scim/v2/ServiceProviderConfig" in config


def test_without_a_public_url_links_follow_the_request_in_embedded_mode(admin):
    for n in range(2):
        admin.post("/v1/skills", json={"name": f"s{n}", "aliases": [], "category": "testing"})
    response = admin.get("/v1/skills?page_size=1")
    assert "<http://localhost/v1/skills?page_size=1&page=2>" in response.headers["Link"]


@pytest.mark.parametrize("path", ["/health", "/openapi.json", "/docs", "/v1/people", "/nowhere"])
def test_every_answer_says_nosniff(anonymous, path):
    assert anonymous.get(path).headers["X-Content-Type-Options"] == "nosniff"


def test_authenticated_answers_are_not_stored_by_caches(admin, make_person, member_of):
    person = make_person()
    member = member_of(person["id"])
    other = make_person()
    logged = member.post(
        "/v1/interactions",
        json={
            "contact_id": other["id"],
            "kind": "coffee_chat",
            "occurred_at": "2026-11-01T10:00:00Z",
            "notes": "private",
        },
    )
    assert logged.status_code == 201, logged.get_json()
    assert logged.headers["Cache-Control"] == "no-store"
    interaction = member.get(f"/v1/interactions/{logged.get_json()['id']}")
    assert interaction.get_json()["notes"] == "private"
    assert interaction.headers["Cache-Control"] == "no-store"
    assert admin.get("/v1/exports/people").headers["Cache-Control"] == "no-store"
    assert admin.get("/v1/people").headers["Cache-Control"] == "no-store"


def test_public_answers_may_be_cached(anonymous):
    assert "no-store" not in anonymous.get("/health").headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_explorers_carry_a_strict_policy_and_may_not_be_framed(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-eval'" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    inline = re.findall(r"<script(?![^>]*src=)[^>]*>", response.get_data(as_text=True))
    hashes = re.findall(r"'sha256-[^']+'", policy)
    assert len(hashes) == len(inline)
