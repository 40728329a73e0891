"""A worker killed mid-import leaves nothing stuck: the retry with the same key completes.

The attack: `POST /v1/imports/people` with an `Idempotency-Key`, and the gunicorn worker
SIGKILLed after the people are written and the answer recorded, before the request's single
commit. Before the unit of work, the people were committed by the view and the key stayed
"in progress": every retry was a 409 for 24 hours.
"""

from __future__ import annotations

import http.client
import json
import urllib.request

import pytest
from sqlalchemy import create_engine, func, select

from service.auth import Role
from service.idempotency import IdempotencyKey
from service.people.models import Person
from tests.conftest import issue
from tests.integration.stack import gunicorn, migrate, wait_until_up

CSV = (
    "Employee ID,Work Email,Full Name,Function,Level\n"
    "E-1,ada@example.com,Ada Lovelace,engineering,6\n"
    "E-2,grace@example.com,Grace Hopper,engineering,7\n"
    "E-3,alan@example.com,Alan Turing,data,6\n"
)


def post_import(url: str, token: str, key: str):
    request = urllib.request.Request(
        url + "/v1/imports/people",
        data=CSV.encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "text/csv",
            "Idempotency-Key": key,
        },
    )
    return urllib.request.urlopen(request, timeout=30)


def counts(database_url: str) -> tuple[int, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            people = connection.scalar(select(func.count()).select_from(Person))
            keys = connection.scalar(select(func.count()).select_from(IdempotencyKey))
    finally:
        engine.dispose()
    return people, keys


def test_a_worker_killed_between_the_write_and_the_answer_leaves_nothing_stuck(
    empty_database_url, make_app, tmp_path
):
    migrate(empty_database_url)
    token = issue(make_app({"DATABASE_URL": empty_database_url}), Role.INTEGRATION)
    faults = tmp_path / "faults"
    faults.mkdir()
    (faults / "idempotency.answered").touch()  # armed: the next import kills its worker

    with gunicorn(
        empty_database_url, tmp_path / "gunicorn.log", env={"RAPPORT_FAULTS_DIR": str(faults)}
    ) as url:
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            post_import(url, token, "import-2026-12-01")
        assert not (faults / "idempotency.answered").exists(), "the crash point was not reached"
        # Nothing of the killed request was committed: no people, no key "in progress".
        assert counts(empty_database_url) == (0, 0)

        wait_until_up(url)  # gunicorn has replaced the killed worker
        with post_import(url, token, "import-2026-12-01") as retried:
            assert retried.status == 200
            assert "Idempotent-Replayed" not in retried.headers
            report = json.load(retried)
        assert report["created"] == 3
        with post_import(url, token, "import-2026-12-01") as replayed:
            assert replayed.headers["Idempotent-Replayed"] == "true"
            assert json.load(replayed) == report
    assert counts(empty_database_url) == (3, 1)
    assert "SIGKILL" in (tmp_path / "gunicorn.log").read_text()
