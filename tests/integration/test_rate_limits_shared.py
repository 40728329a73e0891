"""Rate limits hold across real gunicorn workers when their counters live in Redis.

Two gunicorn servers (one worker each, so two worker processes for certain) share Redis
database 4 (`RAPPORT_TEST_REDIS_URL` overrides it); requests alternate between them. With
each worker counting alone a token would get its budget twice; shared, it gets it once.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from contextlib import ExitStack

import pytest
import redis

from service.auth import Role
from tests.conftest import issue
from tests.integration.stack import gunicorn, migrate

REDIS_URL = os.environ.get("RAPPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
BUDGET = 10


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def status(url: str, token: str) -> int:
    request = urllib.request.Request(
        url + "/v1/people", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not redis_reachable(), reason=f"Redis is not reachable at {REDIS_URL}")
def test_a_token_gets_its_budget_once_across_two_workers(empty_database_url, make_app, tmp_path):
    migrate(empty_database_url)
    token = issue(make_app({"DATABASE_URL": empty_database_url}), Role.ADMIN)
    env = {
        "RAPPORT_RATELIMIT_PER_TOKEN": f"{BUDGET} per minute",
        "RAPPORT_RATELIMIT_STORAGE": REDIS_URL,
    }
    with ExitStack() as servers:
        urls = [
            servers.enter_context(gunicorn(empty_database_url, tmp_path / f"g{n}.log", env=env))
            for n in range(2)
        ]
        answers = [status(urls[n % 2], token) for n in range(2 * BUDGET + 4)]
    assert answers[:BUDGET] == [200] * BUDGET
    assert set(answers[BUDGET:]) == {429}
