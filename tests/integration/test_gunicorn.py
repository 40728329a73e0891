"""A real gunicorn with two workers, started on an empty directory: every worker sees new people."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from alembic import command as alembic_command

from service.auth import Role
from service.cli import alembic_config
from tests.conftest import issue

ROOT = Path(__file__).parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# The access log names the worker (its pid) that answered each request.
ACCESS_LOG_FORMAT = "worker=%(p)s %(m)s %(U)s %(s)s"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(base: str, token: str, method: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _wait_for(predicate, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def gunicorn(empty_database_url, make_app, tmp_path):
    """Two gunicorn workers on a fresh, migrated, empty database; yields (url, token, log)."""
    alembic_command.upgrade(alembic_config(empty_database_url), "head")
    token = issue(make_app({"DATABASE_URL": empty_database_url}), Role.ADMIN)
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": empty_database_url, "PORT": str(port)}
    env.pop("REDIS_URL", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                "2",
                "--access-logfile",
                "-",
                "--access-logformat",
                ACCESS_LOG_FORMAT,
                "service.wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # Both workers fit their index on the empty directory before any person exists.
        _wait_for(
            lambda: (
                log.read_text().count("matching index fitted: 0 people") >= 2
                or process.poll() is not None
            ),
            "both workers to warm up",
        )
        assert process.poll() is None, log.read_text()
        yield f"http://127.0.0.1:{port}", token, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_people_created_after_the_workers_started_are_recommended_by_every_worker(gunicorn):
    base, token, log = gunicorn
    status, _ = _call(base, token, "POST", "/v1/skills", {"name": "kubernetes"})
    assert status == 201
    status, mentor = _call(
        base,
        token,
        "POST",
        "/v1/people",
        {
            "email": "kim@example.com",
            "name": "Kim",
            "function": "engineering",
            "level": 7,
            "skills": [{"skill": "kubernetes", "level": 5}],
            "mentoring": {"open_to_mentor": True, "mentor_capacity": 2},
        },
    )
    assert status == 201, mentor
    status, mentee = _call(
        base,
        token,
        "POST",
        "/v1/people",
        {
            "email": "ada@example.com",
            "name": "Ada",
            "function": "engineering",
            "level": 3,
            "learning": [{"skill": "kubernetes", "priority": 1}],
        },
    )
    assert status == 201, mentee
    path = f"/v1/people/{mentee['id']}/recommendations?purpose=mentor"
    pattern = re.compile(rf"worker=<?(\d+)>? GET {re.escape(path.split('?')[0])} (\d+)")

    def answers() -> Counter:
        return Counter(pattern.findall(log.read_text()))

    # Each request opens a new connection; the kernel hands it to either worker. Ask until
    # both have answered (the access log names the worker), checking every answer.
    for _ in range(400):
        status, body = _call(base, token, "GET", path)
        assert status == 200, body
        assert [item["person"]["name"] for item in body["items"]] == ["Kim"]
        workers = {pid for pid, _status in answers()}
        if len(workers) >= 2:
            break
    seen = answers()
    assert len({pid for pid, _status in seen}) == 2, seen
    assert {code for _pid, code in seen} == {"200"}
