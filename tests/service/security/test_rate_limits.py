"""Rate limits through HTTP: per token, per address, failed authentication, strict views."""

from __future__ import annotations

import pytest

from service.auth import Role
from tests.conftest import issue

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_PER_ADDRESS": "20 per minute",
    "RATELIMIT_PER_TOKEN": "8 per minute",
    "RATELIMIT_FAILED_AUTH": "5 per minute",
    "RATELIMIT_TOKEN_CREATION": "3 per minute",
    "RATELIMIT_IMPORTS": "2 per minute",
}


@pytest.fixture
def limited(app, make_app, database_url):
    """An app with small limits and its own in-memory counters."""
    return make_app({"DATABASE_URL": database_url, **LIMITS})


def get(client, path, token=None, address="192.0.2.1"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": address})


def assert_too_many(response):
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "urn:rapport:problem:too-many-requests"
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["RateLimit-Remaining"] == "0"


def test_a_token_gets_its_budget_then_429_with_retry_after(limited):
    token = issue(limited, Role.ADMIN)
    client = limited.test_client()
    answers = [get(client, "/v1/people", token) for _ in range(8)]
    assert [r.status_code for r in answers] == [200] * 8
    assert answers[0].headers["RateLimit-Limit"] == "8"
    assert [r.headers["RateLimit-Remaining"] for r in answers[:3]] == ["7", "6", "5"]
    assert 0 < int(answers[0].headers["RateLimit-Reset"]) <= 60
    assert answers[0].headers["RateLimit-Policy"] == "8;w=60"
    assert_too_many(get(client, "/v1/people", token))
    # Another token from the same address has its own budget.
    assert get(client, "/v1/people", issue(limited, Role.ADMIN)).status_code == 200


def test_an_address_gets_its_budget_across_tokens(limited):
    client = limited.test_client()
    tokens = [issue(limited, Role.ADMIN) for _ in range(4)]
    answers = [get(client, "/v1/people", tokens[n % 4], "192.0.2.7") for n in range(20)]
    assert {r.status_code for r in answers} == {200}
    assert_too_many(get(client, "/v1/people", tokens[0], "192.0.2.7"))
    assert get(client, "/v1/people", tokens[0], "192.0.2.8").status_code == 200


def test_failed_authentication_is_limited_more_strictly(limited):
    client = limited.test_client()
    guesses = [get(client, "/v1/people", f"rap_guess{n}", "192.0.2.9") for n in range(5)]
    assert {r.status_code for r in guesses} == {401}
    # The sixth guess, and then any request from that address, is refused for a while.
    assert_too_many(get(client, "/v1/people", "rap_guess6", "192.0.2.9"))
    assert_too_many(get(client, "/v1/people", issue(limited, Role.ADMIN), "192.0.2.9"))
    # Successful requests do not use up the budget of failures.
    token = issue(limited, Role.ADMIN)
    assert {get(client, "/v1/people", token, "192.0.2.10").status_code for _ in range(6)} == {200}


def test_token_creation_is_limited_more_strictly(limited):
    token = issue(limited, Role.ADMIN)
    client = limited.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def create():
        return client.post(
            "/v1/tokens",
            json={"role": "integration", "name": "x"},
            headers=headers,
            environ_base={"REMOTE_ADDR": "192.0.2.11"},
        )

    assert [create().status_code for _ in range(3)] == [201] * 3
    assert_too_many(create())
    assert get(client, "/v1/people", token, "192.0.2.11").status_code == 200


def test_imports_are_limited_more_strictly(limited):
    token = issue(limited, Role.INTEGRATION)
    client = limited.test_client()

    def dry_run():
        return client.post(
            "/v1/imports/people?dry_run=true",
            data="Work Email,Full Name,Function,Level\nada@example.com,Ada,engineering,5\n",
            content_type="text/csv",
            headers={"Authorization": f"Bearer {token}"},
            environ_base={"REMOTE_ADDR": "192.0.2.12"},
        )

    assert [dry_run().status_code for _ in range(2)] == [200, 200]
    assert_too_many(dry_run())


def test_health_checks_are_never_limited(limited):
    client = limited.test_client()
    assert {get(client, "/health", address="192.0.2.13").status_code for _ in range(30)} == {200}
