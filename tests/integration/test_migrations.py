"""The migrations build exactly the models' schema, and go down and up again cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from service.cli import alembic_config
from service.db import load_models


def schema_drift(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, load_models())
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_produce_exactly_the_models_schema(empty_database_url):
    command.upgrade(alembic_config(empty_database_url), "head")
    assert schema_drift(empty_database_url) == []


def test_upgrade_downgrade_upgrade(empty_database_url):
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    expected = {t.name for t in load_models().sorted_tables}
    assert tables(empty_database_url) - {"alembic_version"} == expected
    command.downgrade(config, "base")
    assert tables(empty_database_url) - {"alembic_version"} == set()
    command.upgrade(config, "head")
    assert schema_drift(empty_database_url) == []
