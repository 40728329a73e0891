"""Alembic environment: imports only the models' metadata, never the application."""

from __future__ import annotations

import os

from alembic import context

from service.db import load_models, make_engine

config = context.config
# The advisory lock that serialises concurrent `rapport db upgrade` runs on PostgreSQL.
MIGRATION_LOCK = 7_262_617
target_metadata = load_models()


def _url() -> str:
    url = (
        config.attributes.get("database_url")
        or os.environ.get("DATABASE_URL")
        or config.get_main_option("sqlalchemy.url")
    )
    if not url:
        raise RuntimeError(
            "Set DATABASE_URL, or run `rapport db upgrade`, which knows the default database."
        )
    return url


def _options() -> dict:
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
    return {"target_metadata": target_metadata, "render_as_batch": True, "compare_type": True}


def run_migrations_offline() -> None:
    """Emit SQL instead of running it (`alembic upgrade --sql`)."""
    context.configure(url=_url(), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against the database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **_options())
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        locking = connection.dialect.name == "postgresql"
        if locking:
            # Replicas starting together take turns: a session-level lock, held across the
            # migrations' own transaction, released below.
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
            connection.commit()
        try:
            context.configure(connection=connection, **_options())
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if locking:
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
