"""A SCIM client, and the payloads identity providers send."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.auth import Role
from tests.conftest import issue

SCIM = "/scim/v2"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
RAPPORT = "urn:ietf:params:scim:schemas:extension:rapport:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


class ScimClient:
    """A test client speaking application/scim+json with a bearer token."""

    def __init__(self, client: Any, token: str | None) -> None:
        self.client = client
        self.token = token

    def _send(self, method: str, path: str, body: Any = None, **kwargs: Any):
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        if body is not None:
            kwargs.setdefault("data", json.dumps(body))
            kwargs.setdefault("content_type", "application/scim+json")
        return self.client.open(SCIM + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        """GET a SCIM path (relative to /scim/v2)."""
        return self._send("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any):
        """POST a SCIM body."""
        return self._send("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any):
        """PUT a SCIM body."""
        return self._send("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any):
        """PATCH with a SCIM body."""
        return self._send("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        """DELETE a SCIM path."""
        return self._send("DELETE", path, **kwargs)


@pytest.fixture
def scim(app) -> ScimClient:
    """A SCIM client with an integration token, as an identity provider holds."""
    return ScimClient(app.test_client(), issue(app, Role.INTEGRATION, name="okta"))


@pytest.fixture
def scim_as(app):
    """Return a SCIM client with a token of the given role (or none, or a bad one)."""

    def make(role: Role | None, token: str | None = None) -> ScimClient:
        if role is not None:
            token = issue(app, role)
        return ScimClient(app.test_client(), token)

    return make


def okta_user(user_name: str, given: str = "Isaac", family: str = "Brock", **extra: Any) -> dict:
    """The body Okta POSTs to create a user."""
    return {
        "schemas": [CORE],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": f"{given} {family}",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
        **extra,
    }


def entra_user(user_name: str, external_id: str, department: str | None = None) -> dict:
    """The body Microsoft Entra POSTs to create a user."""
    body = {
        "schemas": [CORE, ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": True,
        "displayName": "Barbara Jensen",
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Barbara Jensen", "familyName": "Jensen", "givenName": "Barbara"},
        "title": "Product Manager",
        "roles": [],
        "phoneNumbers": [{"type": "work", "value": "+1 555 0100"}],
        "addresses": [{"type": "work", "locality": "Redmond", "primary": True}],
    }
    if department is not None:
        body[ENTERPRISE] = {"department": department, "employeeNumber": "701984"}
    return body


def patch_op(*operations: dict) -> dict:
    """A PatchOp of these operations."""
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


@pytest.fixture
def create_user(scim):
    """Create a user through SCIM; keyword arguments are merged into the body."""
    counter = iter(range(1, 10**6))

    def create(**fields: Any) -> dict:
        n = next(counter)
        body = {
            "schemas": [CORE, ENTERPRISE, RAPPORT],
            "userName": f"user{n}@example.com",
            "name": {"formatted": f"User {n}"},
            **fields,
        }
        response = scim.post("/Users", body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return create
