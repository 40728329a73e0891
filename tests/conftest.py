"""Fixtures shared by every test: a migrated database, the app, clients with tokens, factories.

The suite runs on SQLite by default. With ``DATABASE_URL`` set to a PostgreSQL server, it
creates a fresh database on that server for the run and drops it at the end.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command as alembic_command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from service.app import create_app
from service.auth import Role
from service.changes import DirectoryState
from service.cli import alembic_config
from service.db import database, load_models

SERVER_URL = os.environ.get("DATABASE_URL")


@contextmanager
def scratch_database(tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database, dropped afterwards (SQLite file or PostgreSQL)."""
    if not SERVER_URL or make_url(SERVER_URL).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_dir / f'rapport-{uuid.uuid4().hex[:8]}.db'}"
        return
    server = make_url(SERVER_URL)
    name = f"rapport_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to the latest revision, for the whole run."""
    with scratch_database(tmp_path_factory.mktemp("db")) as url:
        alembic_command.upgrade(alembic_config(url), "head")
        yield url


@pytest.fixture(scope="session")
def app(database_url: str):
    """The application, bound to the run's database."""
    # Rate limits are tested on apps of their own (tests/service/security/test_rate_limits.py):
    # the suite, and its fuzzing above all, sends far more than a client would.
    application = create_app(
        {"DATABASE_URL": database_url, "TESTING": True, "RATELIMIT_ENABLED": False}
    )
    yield application
    database_of(application).engine.dispose()


def database_of(application):
    """Return the Database object of an application."""
    with application.app_context():
        return database()


def emptied_tables() -> list:
    """The tables a test empties, children first: all but the directory's version counter,
    whose one row the migration seeds and which only ever counts up."""
    return [t for t in reversed(load_models().sorted_tables) if t is not DirectoryState.__table__]


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Leave every table empty after each test that used the database."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    application.extensions["rapport.recommendations"].reset()
    engine = database_of(application).engine
    tables = emptied_tables()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def session(app):
    """A database session outside any request, closed after the test."""
    db_session = database_of(app).sessions()
    yield db_session
    db_session.close()


class ApiClient:
    """A test client that sends a bearer token and JSON, and remembers nothing else."""

    def __init__(self, client, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = dict(headers or {})
        if self.token is not None:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def get(self, path: str, **kwargs: Any):
        """GET ``path``."""
        return self.client.get(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any):
        """POST ``json`` to ``path``."""
        return self.client.post(
            path, json=json, headers=self._headers(kwargs.pop("headers", None)), **kwargs
        )

    def patch(self, path: str, json: Any = None, etag: str | None = None, **kwargs: Any):
        """PATCH ``path``; with ``etag="auto"`` the current ETag is fetched and sent."""
        headers = self._headers(kwargs.pop("headers", None))
        if etag == "auto":
            etag = self.get(path).headers["ETag"]
        if etag:
            headers["If-Match"] = etag
        return self.client.patch(path, json=json, headers=headers, **kwargs)

    def delete(self, path: str, etag: str | None = None, **kwargs: Any):
        """DELETE ``path``; with ``etag="auto"`` the current ETag is fetched and sent."""
        headers = self._headers(kwargs.pop("headers", None))
        if etag == "auto":
            etag = self.get(path).headers["ETag"]
        if etag:
            headers["If-Match"] = etag
        return self.client.delete(path, headers=headers, **kwargs)


def issue(app, role: Role, person_id: str | None = None, name: str = "test") -> str:
    """Issue a token directly through the use-case and return its secret."""
    from service.tokens.logic import issue_token

    with database_of(app).sessions() as db_session:
        _token, secret = issue_token(db_session, role=role, name=name, person_id=person_id)
        db_session.commit()
    return secret


@pytest.fixture
def anonymous(app) -> ApiClient:
    """A client without a token."""
    return ApiClient(app.test_client(), None)


@pytest.fixture
def admin(app) -> ApiClient:
    """A client with an admin token."""
    return ApiClient(app.test_client(), issue(app, Role.ADMIN))


@pytest.fixture
def integration(app) -> ApiClient:
    """A client with an integration token."""
    return ApiClient(app.test_client(), issue(app, Role.INTEGRATION))


@pytest.fixture
def member_of(app):
    """Return a client acting as the member token of a given person id."""

    def make(person_id: str) -> ApiClient:
        return ApiClient(app.test_client(), issue(app, Role.MEMBER, person_id))

    return make


_counter = iter(range(1, 10**9))


@pytest.fixture
def make_person(admin: ApiClient):
    """Create a person through the API; keyword arguments override the defaults."""

    def make(**fields: Any) -> dict:
        n = next(_counter)
        body = {
            "email": f"person{n}@example.com",
            "name": f"Person {n}",
            "function": "engineering",
            "level": 3,
        }
        body.update(fields)
        response = admin.post("/v1/people", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the run's kind, dropped after the test."""
    with scratch_database(tmp_path) as url:
        yield url


@pytest.fixture
def make_app():
    """Create extra applications for a test; their connections are closed after it."""
    created = []

    def make(config: dict[str, Any]):
        application = create_app({"TESTING": True, **config})
        created.append(application)
        return application

    yield make
    for application in created:
        database_of(application).engine.dispose()


@pytest.fixture
def set_now(app):
    """Set the application's clock for a test: ``set_now(datetime)``; restored afterwards."""
    original = app.extensions["rapport.clock"]

    def set_clock(moment):
        app.extensions["rapport.clock"] = lambda: moment

    yield set_clock
    app.extensions["rapport.clock"] = original


@pytest.fixture
def server(app):
    """Serve the app over real HTTP on a free local port, a thread per request; yield its URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
