"""The `rapport` command: database upgrade, tokens, demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.auth import hash_secret
from service.cli import cli
from service.tokens.models import ApiToken


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_db_upgrade_prepares_an_empty_database(empty_database_url, make_app):
    app = make_app({"DATABASE_URL": empty_database_url})
    result = app.test_cli_runner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    response = app.test_client().get("/ready")
    assert response.status_code == 200
    again = app.test_cli_runner().invoke(cli, ["db", "upgrade"])
    assert again.exit_code == 0


def test_tokens_create_prints_the_token_last_and_stores_its_hash(app, runner, session):
    result = runner.invoke(cli, ["tokens", "create", "--role", "admin", "--name", "ops"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("rap_")
    stored = session.scalar(select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret)))
    assert stored is not None and stored.role == "admin" and stored.name == "ops"
    response = app.test_client().get("/v1/people", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_tokens_create_rotate_revokes_the_previous_token_of_that_name(runner, session):
    first = runner.invoke(
        cli, ["tokens", "create", "--role", "admin", "--name", "make run"]
    ).stdout.split()[-1]
    runner.invoke(cli, ["tokens", "create", "--role", "admin", "--name", "make run", "--rotate"])
    old = session.scalar(select(ApiToken).where(ApiToken.secret_hash == hash_secret(first)))
    assert old.revoked_at is not None


def test_member_token_for_an_unknown_person_fails_cleanly(runner):
    result = runner.invoke(
        cli, ["tokens", "create", "--role", "member", "--person", "per_ghost", "--name", "x"]
    )
    assert result.exit_code != 0
    assert "No person has id" in result.output


def test_demo_load_builds_a_company_once(runner, session):
    from service.people.models import Person

    result = runner.invoke(cli, ["demo", "load", "--people", "120", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(func.count()).select_from(Person)) == 120
    again = runner.invoke(cli, ["demo", "load", "--people", "120", "--if-empty"])
    assert again.exit_code == 0
    assert "already has people" in again.output
    refused = runner.invoke(cli, ["demo", "load", "--people", "120"])
    assert refused.exit_code != 0
