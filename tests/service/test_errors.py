"""Every error is problem+json: oversized and mistyped bodies, and the unexpected 500."""

from __future__ import annotations

import logging


def test_oversized_body_is_413(admin, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    response = admin.post(
        "/v1/people",
        json={"email": "a@example.com", "name": "x" * 5000, "function": "sales", "level": 1},
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "urn:rapport:problem:payload-too-large"
    assert admin.get("/v1/people").get_json() == []


def test_non_json_body_is_415(admin):
    response = admin.post(
        "/v1/people", data="email=a@example.com", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.get_json()["type"] == "urn:rapport:problem:unsupported-media-type"


def test_malformed_json_is_400(admin):
    response = admin.post("/v1/people", data='{"email": ', content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["type"] == "urn:rapport:problem:malformed-request"


def test_an_unexpected_error_is_a_500_without_a_trace_but_with_the_request_id(
    admin, monkeypatch, caplog
):
    from service.skills import logic

    def explode(*_args, **_kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(logic, "list_skills", explode)
    with caplog.at_level(logging.ERROR, logger="service.errors"):
        response = admin.get("/v1/skills", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == "urn:rapport:problem:internal-error"
    assert body["request_id"] == "req-42" == response.headers["X-Request-ID"]
    assert "hunter2" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    logged = [r for r in caplog.records if "req-42" in r.getMessage()]
    assert logged and logged[0].exc_info is not None
