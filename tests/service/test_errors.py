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


def test_times_at_the_edge_of_the_calendar_are_422_not_500(admin, make_person):
    ann, bob = make_person(), make_person()
    base = {"person_id": ann["id"], "contact_id": bob["id"], "kind": "meeting"}
    edge = admin.post("/v1/interactions", json={**base, "occurred_at": "0001-01-01T00:00:00+05:00"})
    assert edge.status_code == 422
    late = {
        **base,
        "occurred_at": "2026-01-01T00:00:00Z",
        "follow_up_due_at": "9999-12-31T23:59:59-05:00",
    }
    assert admin.post("/v1/interactions", json=late).status_code == 422
    assert admin.get("/v1/interactions?since=0001-01-01T00:00:00%2B05:00").status_code == 422


def test_an_unreadable_cell_in_an_hr_file_is_a_clear_4xx(admin):
    huge = "email,name,function,level\n" + f"a@example.com,{'x' * 200_000},sales,2\n"
    response = admin.post("/v1/imports/people", data=huge.encode(), content_type="text/csv")
    assert response.status_code == 422
    assert "Line 2" in response.get_json()["detail"]
    nul = "email,name,function,level\na@example.com,A\x00B,sales,2\n"
    report = admin.post(
        "/v1/imports/people?on_error=skip", data=nul.encode(), content_type="text/csv"
    ).get_json()
    assert report["rejected"] == 1 and "NUL" in report["rejections"][0]["reason"]
