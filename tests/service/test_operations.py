"""Operating Rapport: /metrics, structured request logs, readiness, the beat schedule, the
embedded mode with no broker at all."""

from __future__ import annotations

import json
import logging

import pytest
import redis

from service import logs, tasks


def test_metrics_count_requests_by_endpoint_and_status(app, admin):
    admin.get("/v1/people")
    admin.get("/v1/people/per_nobody")
    response = app.test_client().get("/metrics")  # from 127.0.0.1, allowed by default
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'rapport_http_requests_total{endpoint="/v1/people",method="GET",status="200"}' in text
    assert (
        'rapport_http_requests_total{endpoint="/v1/people/<string:person_id>",method="GET",status="404"}'
        in text
    )
    assert "rapport_http_request_duration_seconds_bucket" in text
    assert 'rapport_webhook_deliveries{status="pending"} 0.0' in text


def test_metrics_read_what_workers_did_from_the_database(app, admin):
    response = admin.client.post(
        "/v1/imports/people?async=true",
        data=b"Employee ID,Work Email,First Name,Last Name,Job Function,Grade\n"
        b"E-1,a@example.com,A,B,sales,3\n",
        content_type="text/csv",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert response.status_code == 202
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert (
        'rapport_jobs_finished_last_day_count{kind="people.import",status="succeeded"} 1.0' in text
    )


def test_metrics_need_the_configured_token(app):
    app.config["METRICS_TOKEN"] = "scrape-secret"
    try:
        client = app.test_client()
        assert client.get("/metrics").status_code == 403
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403 and wrong.mimetype == "application/problem+json"
        right = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
        assert right.status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = None


def test_metrics_refuse_callers_outside_the_configured_networks(app):
    app.config["METRICS_NETWORKS"] = "10.0.0.0/8"
    try:
        assert app.test_client().get("/metrics").status_code == 403
        inside = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert inside.status_code == 200
    finally:
        app.config["METRICS_NETWORKS"] = "127.0.0.0/8,::1/128"


def test_each_request_logs_one_structured_line(admin, caplog):
    with caplog.at_level(logging.INFO, logger="service.requests"):
        response = admin.get("/v1/people", headers={"X-Request-ID": "req-42"})
    (record,) = [r for r in caplog.records if r.name == "service.requests"]
    line = json.loads(logs.formatter("json").format(record))
    assert line["request_id"] == "req-42"
    assert line["token_id"].startswith("tok_")
    assert line["endpoint"] == "/v1/people" and line["method"] == "GET"
    assert line["status"] == response.status_code == 200
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"
    human = logs.formatter("text").format(record)
    assert "[req-42] service.requests: GET /v1/people 200" in human


def test_ready_is_503_with_retry_after_when_the_broker_is_unreachable(make_app, database_url):
    app = make_app({"DATABASE_URL": database_url, "REDIS_URL": "redis://127.0.0.1:9/1"})
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "broker" in response.get_json()["detail"]


def test_ready_asks_the_broker_when_one_is_configured(make_app, database_url):
    url = "redis://127.0.0.1:6379/2"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.fail("Redis does not answer at 127.0.0.1:6379; `.ci/run` starts one")
    app = make_app({"DATABASE_URL": database_url, "REDIS_URL": url})
    assert app.test_client().get("/ready").status_code == 200


def test_the_embedded_mode_needs_no_broker(app, anonymous):
    celery = app.extensions["rapport.celery"]
    assert app.config["REDIS_URL"] is None
    assert celery.conf.task_always_eager
    assert anonymous.get("/ready").status_code == 200


def test_every_periodic_task_has_its_own_setting_and_zero_turns_it_off(app):
    schedule = tasks.beat_schedule(app.config)
    assert set(schedule) == set(tasks.SCHEDULE)
    celery = app.extensions["rapport.celery"]
    for name, entry in schedule.items():
        task, setting = tasks.SCHEDULE[name]
        assert entry == {"task": task, "schedule": float(app.config[setting])}
        assert task in celery.tasks
    config = {**app.config, "SCHEDULE_LEARN_WEIGHTS_SECONDS": 0}
    assert "learn-weights" not in tasks.beat_schedule(config)


def test_housekeeping_removes_expired_idempotency_keys(app, admin, session):
    from datetime import timedelta

    from sqlalchemy import select

    from service.db import utcnow
    from service.housekeeping import clean
    from service.idempotency import IdempotencyKey

    now = utcnow()
    session.add(
        IdempotencyKey(
            scope="x" * 64, fingerprint="f", created_at=now, expires_at=now - timedelta(hours=1)
        )
    )
    session.commit()
    with app.app_context():
        # Through the app's own Celery app: calling a task directly runs it in Celery's
        # current app, which may be another test's.
        assert tasks.submit(clean).get() == 1
    assert session.scalar(select(IdempotencyKey)) is None
