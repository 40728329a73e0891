"""scim2-tester, the outside SCIM conformance suite, against a live server."""

from __future__ import annotations

import re

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from service.auth import Role
from tests.conftest import issue

# What Rapport does on purpose, each said in its ServiceProviderConfig or schemas:
KNOWN_DEVIATIONS = re.compile(
    # A level is 1 to 8; a SCIM schema cannot say so, and the suite sends any integer.
    r"less than or equal to 8"
    # DELETE deactivates: people are never erased, and stay readable.
    r"|still exists after deletion"
    # displayName is the person's name, the same as name.formatted.
    r"|unexpected value for 'displayName'"
    # A person has one email, answered as of type work and primary.
    r"|unexpected value for 'emails'"
)


@pytest.fixture
def tester(app, server):
    token = issue(app, Role.INTEGRATION, name="scim2-tester")
    http = httpx2.Client(
        base_url=f"{server}/scim/v2", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    yield SyncSCIMClient(http)
    http.close()


def test_scim2_tester_creates_reads_and_finds_the_users_it_generates(tester):
    results = check_server(tester, include_tags={"discovery", "crud:create", "crud:read", "misc"})
    failed = [(r.title, r.reason) for r in results if r.status == Status.ERROR]
    assert failed == []
    passed = {r.title for r in results if r.status == Status.SUCCESS}
    # The users it generates have a UUID as userName and a work email in emails.
    assert {"object_creation", "object_query", "object_query_without_id"} <= passed


def test_scim2_tester_finds_nothing_but_the_documented_deviations(tester):
    results = check_server(tester)
    unexpected = [
        (r.title, r.reason)
        for r in results
        if r.status == Status.ERROR and not KNOWN_DEVIATIONS.search(r.reason or "")
    ]
    assert unexpected == []
    assert sum(r.status == Status.SUCCESS for r in results) >= 40
