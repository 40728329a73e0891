"""The database: engine, sessions, the declarative base and the column types every model shares."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy import (
    DateTime,
    Engine,
    MetaData,
    Select,
    String,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator
from ulid import ULID

# Every aggregate that owns tables; importing them fills Base.metadata.
MODEL_MODULES = (
    "service.changes",
    "service.tokens.models",
    "service.skills.models",
    "service.people.models",
    "service.goals.models",
    "service.interactions.models",
    "service.mentorships.models",
    "service.relationships.models",
    "service.idempotency",
    "service.audit.models",
    "service.jobs.models",
    "service.webhooks.models",
    "service.calendars.models",
    "service.programmes.models",
    "service.events.models",
    "service.dismissals.models",
    "service.feedback.models",
    "service.outcomes.models",
    "service.weights.models",
    "service.network.models",
)

# Deterministic constraint names, so that migrations can drop what they created on every
# database (PostgreSQL and SQLite batch mode both need names).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The one declarative base of Rapport's models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, PostgreSQL keeps one; this type makes both answer the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """Return a new opaque, time-ordered id such as ``per_01J…`` (a prefixed ULID)."""
    return f"{prefix}_{ULID()}"


def id_column_type() -> String:
    """Return the column type of every id (prefix, underscore and a 26-character ULID)."""
    return String(40)


# The escape character of every LIKE pattern built with :func:`escape_like`.
LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """Make ``text`` match itself in a LIKE pattern (``%`` and ``_`` lose their meaning)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page_of(
    session: Session, query: Select, *order_by: Any, offset: int, limit: int
) -> tuple[list[Any], int]:
    """Return one page of a query's rows in the given (stable) order, and how many match."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = session.scalars(query.order_by(*order_by).offset(offset).limit(limit)).all()
    return list(items), total


def load_models() -> MetaData:
    """Import every model module and return the complete metadata."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
    return Base.metadata


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run beside a writer; the
    # busy timeout makes a writer wait for a lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create an engine for ``url``, configured for SQLite or PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


class Database:
    """The engine and session factory bound to one application."""

    def __init__(self, url: str, echo: bool = False) -> None:
        from service import changes

        self.engine = make_engine(url, echo)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        changes.init_sessions(self.sessions)

    def init_app(self, app: Flask) -> None:
        """Bind to ``app``: one session and one unit of work per request, closed at its end."""
        app.extensions["rapport.db"] = self
        app.after_request(_finish_unit_of_work)
        app.teardown_appcontext(_close_session)


def database() -> Database:
    """Return the database of the current application."""
    return current_app.extensions["rapport.db"]


def session() -> Session:
    """Return the session of the current request, opening it on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


@contextmanager
def unit_of_work(db_session: Session) -> Iterator[Session]:
    """Commit what ``db_session`` did inside the block once, or roll it all back on any error.

    The CLI and background jobs use this; requests get the same rule from the application
    (see :func:`_finish_unit_of_work`).
    """
    try:
        yield db_session
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def _finish_unit_of_work(response: Response) -> Response:
    """Commit the request's session once its view succeeded; roll it back on any error.

    As in pypi/warehouse: a view and its use-cases only flush, so that everything a request
    writes (an import's people and its idempotency record, say) commits together or not at
    all. A commit that fails is answered like an error of the view itself (409, 412, 503).
    """
    db_session = g.get("db_session")
    if db_session is None:
        return response
    if response.status_code >= 400:
        db_session.rollback()
        return response
    try:
        db_session.commit()
    except Exception as error:
        db_session.rollback()
        return current_app.make_response(current_app.handle_user_exception(error))
    return response
