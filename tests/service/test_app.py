"""The application factory, health, request ids and the error envelope."""

from __future__ import annotations

from service.app import create_app


def test_factory_defaults_to_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{app.instance_path}/rapport.db"
    assert not app.testing


def test_factory_takes_overrides_over_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    app = create_app({"DATABASE_URL": "sqlite:///:memory:", "TESTING": True})
    assert app.config["DATABASE_URL"] == "sqlite:///:memory:"
    assert app.testing


def test_health_needs_no_token(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_answers_when_the_database_does(anonymous):
    response = anonymous.get("/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_is_503_when_the_database_is_unreachable(make_app):
    app = make_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"})
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"


def test_every_response_carries_a_request_id_and_keeps_a_valid_client_one(anonymous):
    assert len(anonymous.get("/health").headers["X-Request-ID"]) == 32
    kept = anonymous.get("/health", headers={"X-Request-ID": "abc-123"})
    assert kept.headers["X-Request-ID"] == "abc-123"
    forged = anonymous.get("/health", headers={"X-Request-ID": "bad id; INFO forged"})
    assert forged.headers["X-Request-ID"] != "bad id; INFO forged"


def test_unknown_path_is_a_problem_document(anonymous):
    response = anonymous.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == "urn:rapport:problem:not-found"
    assert body["status"] == 404
    assert body["instance"] == "/v1/nothing-here"


def test_wrong_method_keeps_the_allow_header(admin):
    response = admin.delete("/v1/people")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert response.get_json()["type"] == "urn:rapport:problem:method-not-allowed"
