"""Under /scim/v2 every error is a SCIM Error in application/scim+json; elsewhere nothing changes."""

from __future__ import annotations

import json
import logging

import pytest

from service.auth import Role
from service.scim import logic
from tests.service.scim.conftest import CORE, ERROR


def assert_scim_error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/scim+json"
    body = response.get_json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type
    assert body["detail"]
    return body


@pytest.mark.parametrize("token", [None, "rap_not-a-token"])
def test_no_or_a_bad_token_is_401(scim_as, token):
    response = scim_as(None, token).get("/Users")
    assert_scim_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/Users"),
        ("get", "/Users/per_x"),
        ("get", "/ServiceProviderConfig"),
        ("get", "/Schemas"),
        ("delete", "/Users/per_x"),
    ],
)
def test_a_member_token_is_403(scim_as, make_person, app, method, path):
    from tests.conftest import issue
    from tests.service.scim.conftest import ScimClient

    person = make_person()
    member = ScimClient(app.test_client(), issue(app, Role.MEMBER, person["id"]))
    assert_scim_error(getattr(member, method)(path), 403)


def test_an_admin_token_may(scim_as):
    assert scim_as(Role.ADMIN).get("/Users").status_code == 200


def test_an_unknown_scim_path_is_a_scim_404(scim):
    assert_scim_error(scim.get("/Groups"), 404)
    assert_scim_error(scim.get("/Users/per_x/extra"), 404)


def test_a_method_not_allowed_is_a_scim_405_with_allow(scim):
    response = scim.delete("/Users")
    assert_scim_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_a_body_of_another_type_is_a_scim_415(scim):
    response = scim.post("/Users", data="userName=a@example.com", content_type="text/plain")
    assert_scim_error(response, 415)


def test_plain_json_is_accepted(scim):
    body = {"schemas": [CORE], "userName": "a@example.com"}
    response = scim.post("/Users", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert response.mimetype == "application/scim+json"


def test_a_body_too_large_is_a_scim_413(scim, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100)
    body = {"schemas": [CORE], "userName": "a@example.com", "title": "x" * 200}
    assert_scim_error(scim.post("/Users", body), 413)


@pytest.mark.parametrize("raw", ['{"userName": ', "", "[1, 2]", '"x"'])
def test_a_body_that_is_not_a_user_is_400_invalid_syntax(scim, raw):
    response = scim.post("/Users", data=raw, content_type="application/scim+json")
    assert_scim_error(response, 400, "invalidSyntax")


def test_text_no_database_can_store_is_400(scim):
    body = {"schemas": [CORE], "userName": "a@example.com", "title": "a\x00b"}
    assert_scim_error(scim.post("/Users", body), 400, "invalidValue")
    surrogate = json.dumps({"schemas": [CORE], "userName": "a@example.com", "title": "?"})
    surrogate = surrogate.replace('"?"', '"\\ud800"')
    response = scim.post("/Users", data=surrogate, content_type="application/scim+json")
    assert_scim_error(response, 400, "invalidValue")


def test_discovery_documents_refuse_filters(scim):
    assert_scim_error(scim.get("/Schemas", query_string={"filter": "id pr"}), 403)
    assert_scim_error(scim.get("/ResourceTypes", query_string={"filter": "id pr"}), 403)


def test_an_unexpected_error_is_a_scim_500_with_the_request_id(scim, monkeypatch, caplog):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(logic, "find_users", explode)
    with caplog.at_level(logging.ERROR, logger="service.scim.errors"):
        response = scim.get("/Users", headers={"X-Request-ID": "req-7"})
    body = assert_scim_error(response, 500)
    assert "req-7" in body["detail"] and "secret" not in body["detail"]
    assert any(r.exc_info for r in caplog.records)


def test_other_paths_still_answer_problem_documents(admin, anonymous):
    assert anonymous.get("/v1/people").mimetype == "application/problem+json"
    assert admin.get("/v1/nowhere").mimetype == "application/problem+json"
    assert admin.get("/scim").mimetype == "application/problem+json"
    assert admin.get("/scim/v2x").mimetype == "application/problem+json"
