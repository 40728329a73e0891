"""Rate limits hold across real gunicorn workers when their counters live in Redis.

Redis database 4 is this test's (`RAPPORT_TEST_REDIS_URL` overrides it). With memory storage
each worker counts alone and a token gets its budget once per worker: the control run shows
that the requests really were spread over both workers.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from service.auth import Role
from tests.conftest import issue
from tests.integration.stack import gunicorn, migrate

REDIS_URL = os.environ.get("RAPPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
BUDGET = 10
REQUESTS = 40


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def statuses(url: str, token: str) -> list[int]:
    def one(_n: int) -> int:
        request = urllib.request.Request(
            url + "/v1/people", headers={"Authorization": f"Bearer {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(REQUESTS)))


@pytest.mark.parametrize("storage", ["redis", "memory"])
def test_a_token_gets_its_budget_once_across_two_workers(
    storage, empty_database_url, make_app, tmp_path
):
    if storage == "redis" and not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    migrate(empty_database_url)
    token = issue(make_app({"DATABASE_URL": empty_database_url}), Role.ADMIN)
    env = {
        "RAPPORT_RATELIMIT_PER_TOKEN": f"{BUDGET} per minute",
        "RAPPORT_RATELIMIT_STORAGE": REDIS_URL if storage == "redis" else "memory://",
    }
    with gunicorn(
        empty_database_url, tmp_path / "gunicorn.log", workers=2, threads=4, env=env
    ) as url:
        answers = statuses(url, token)
    assert set(answers) <= {200, 429}
    if storage == "redis":
        assert answers.count(200) == BUDGET
    else:
        assert answers.count(200) > BUDGET  # each worker counted on its own
