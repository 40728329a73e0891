"""Background work through a real Redis and a real Celery worker process (with beat).

Redis must answer at 127.0.0.1:6379 (``.ci/run`` starts one); these tests use its database 1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook as Verifier

from service.auth import Role
from service.jobs import logic as jobs
from service.jobs.models import Job
from service.skills.models import Skill
from tests.conftest import ApiClient, database_of, issue
from tests.integration import queue_kinds  # noqa: F401 - the test kind, known here too
from tests.service.webhooks.receiver import Receiver

REDIS_URL = "redis://127.0.0.1:6379/1"
HERE = Path(__file__).parent
CELERY = Path(sys.executable).parent / "celery"


def wait_for(check: Callable[[], object], timeout: float = 60, what: str = "") -> object:
    """Poll ``check`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what or check}")


@pytest.fixture(scope="module")
def broker() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis does not answer at {REDIS_URL} ({error}); `.ci/run` starts one")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def worker(database_url, broker, tmp_path_factory) -> Iterator[subprocess.Popen]:
    """A Celery worker process with embedded beat, on the run's database and Redis db 1."""
    directory = tmp_path_factory.mktemp("worker")
    log_path = directory / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": broker,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        "RAPPORT_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "RAPPORT_WEBHOOK_RETRY_BASE_SECONDS": "1",
        "RAPPORT_WEBHOOK_DISABLE_AFTER": "3",
        "RAPPORT_SCHEDULE_WEBHOOK_RETRY_SECONDS": "1",
        "RAPPORT_SCHEDULE_NETWORK_METRICS_SECONDS": "0",
        "RAPPORT_SCHEDULE_LEARN_WEIGHTS_SECONDS": "0",
        "RAPPORT_SCHEDULE_IDEMPOTENCY_CLEANUP_SECONDS": "0",
        "RAPPORT_SCHEDULE_DUE_EVENTS_SECONDS": "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "queue_worker",
                "worker",
                "--beat",
                "--schedule",
                str(directory / "beat-schedule"),
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=HERE.parent.parent,
        )
    try:
        wait_for(lambda: b" ready." in log_path.read_bytes() or process.poll() is not None, 60)
        assert process.poll() is None, log_path.read_text()
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        sys.stderr.write(log_path.read_text()[-5000:])


@pytest.fixture
def queued_app(app, make_app, database_url, broker):
    """An application that sends its tasks to Redis (not run in-process)."""
    application = make_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": broker,
            "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        }
    )
    assert not application.extensions["rapport.celery"].conf.task_always_eager
    return application


@pytest.fixture
def queued_admin(queued_app) -> ApiClient:
    return ApiClient(queued_app.test_client(), issue(queued_app, Role.ADMIN))


def job_of(application, job_id: str) -> Job:
    with database_of(application).sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def count_skills(application, prefix: str) -> int:
    with database_of(application).sessions() as session:
        return session.scalar(select(func.count()).where(Skill.name.like(f"{prefix}-%")))


def test_an_import_goes_through_the_queue_to_a_worker(worker, queued_admin):
    response = queued_admin.client.post(
        "/v1/imports/people?async=true",
        data=b"Employee ID,Work Email,First Name,Last Name,Job Function,Grade\n"
        b"E-1,ada@example.com,Ada,Lovelace,engineering,6\n",
        content_type="text/csv",
        headers={"Authorization": f"Bearer {queued_admin.token}"},
    )
    assert response.status_code == 202
    assert response.get_json()["status"] == "queued"
    location = response.headers["Location"]
    job = wait_for(
        lambda: (body := queued_admin.get(location).get_json())["status"] == "succeeded" and body,
        what="the import job",
    )
    assert job["result"]["created"] == 1 and job["attempts"] == 1
    assert [p["email"] for p in queued_admin.get("/v1/people").get_json()] == ["ada@example.com"]


def test_a_job_whose_worker_is_killed_runs_again_and_leaves_no_partial_writes(
    worker, queued_app, tmp_path
):
    signal_file = tmp_path / "pid"
    with queued_app.test_request_context(), database_of(queued_app).sessions() as session:
        job = jobs.create(
            session,
            "test.slow_skills",
            caller=None,
            params={"count": 10, "prefix": "killed", "hang_at": 4, "signal": str(signal_file)},
            now=jobs.utcnow(),
        )
        session.commit()
        jobs.start(job)
    pid = int(wait_for(lambda: signal_file.exists() and signal_file.read_text(), what="mid-way"))
    # Five skills are written in the worker's transaction, and nobody else sees them.
    assert count_skills(queued_app, "killed") == 0
    assert job_of(queued_app, job.id).status == "running"
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: job_of(queued_app, job.id).status == "succeeded", what="the retried job")
    finished = job_of(queued_app, job.id)
    assert finished.attempts == 2
    assert finished.result == {"written": 10}
    assert count_skills(queued_app, "killed") == 10
    assert worker.poll() is None  # the worker itself lived on and took the job again


def test_a_worker_delivers_a_signed_webhook_to_a_local_receiver(worker, queued_admin):
    with Receiver() as receiver:
        hook = queued_admin.post(
            "/v1/webhooks", json={"url": receiver.url(), "events": ["person.created"]}
        ).get_json()
        person = queued_admin.post(
            "/v1/people",
            json={"email": "grace@example.com", "name": "Grace", "function": "data", "level": 4},
        ).get_json()
        wait_for(lambda: receiver.received, what="the delivery")
    (received,) = receiver.received
    payload = Verifier(hook["signing_secret"]).verify(received.body.decode(), received.headers)
    assert payload["type"] == "person.created" and payload["data"]["id"] == person["id"]


def test_a_worker_retries_a_failing_webhook_then_disables_it(worker, queued_admin):
    with Receiver(status=503) as receiver:
        hook = queued_admin.post(
            "/v1/webhooks", json={"url": receiver.url(), "events": ["person.created"]}
        ).get_json()
        queued_admin.post(
            "/v1/people",
            json={"email": "linus@example.com", "name": "Linus", "function": "data", "level": 4},
        )
        wait_for(
            lambda: not queued_admin.get(f"/v1/webhooks/{hook['id']}").get_json()["active"],
            timeout=60,
            what="the webhook to be disabled",
        )
        # Three attempts at doubling intervals (beat retries what is due every second).
        assert len(receiver.received) == 3
        ids = {r.headers["webhook-id"] for r in receiver.received}
        assert len(ids) == 1
    (delivery,) = queued_admin.get(f"/v1/webhooks/{hook['id']}/deliveries").get_json()
    assert delivery["attempts"] == 3 and delivery["response_status"] == 503
