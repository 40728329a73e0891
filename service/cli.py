"""The `rapport` command: the application's Flask CLI with Rapport's own commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import current_app
from flask.cli import AppGroup, FlaskGroup
from tqdm import tqdm

import migrations
from service.app import create_app
from service.auth import Role
from service.db import database, utcnow
from service.network.cli import network_cli


def alembic_config(url: str) -> AlembicConfig:
    """Return the Alembic configuration of Rapport's migrations for the database at ``url``."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    # Passed as an attribute, not an ini option, so that a "%" in a password needs no escaping.
    config.attributes["database_url"] = url
    return config


db_cli = AppGroup("db", help="The database schema.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the database named by DATABASE_URL to REVISION (default: the latest)."""
    alembic_command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database to REVISION ("base" empties it)."""
    alembic_command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("current")
def db_current() -> None:
    """Print the database's current revision."""
    alembic_command.current(alembic_config(current_app.config["DATABASE_URL"]))


demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option(
    "--people",
    default=1000,
    show_default=True,
    type=click.IntRange(10, 1_000_000),
    help="Company size.",
)
@click.option(
    "--seed", default=42, show_default=True, type=int, help="The same seed gives the same company."
)
@click.option("--if-empty", is_flag=True, help="Do nothing when the directory already has people.")
def demo_load(people: int, seed: int, if_empty: bool) -> None:
    """Fill the database with a synthetic company: people, skills, goals, a year of interactions."""
    from service import demo

    with database().sessions() as session:
        if not demo.database_is_empty(session):
            if if_empty:
                click.echo("The directory already has people; demo data not loaded.")
                return
            raise click.ClickException(
                "The directory already has people; demo data goes into an empty database."
            )
        bars: list[tqdm] = []

        def progress(phase: str, total: int):
            bar = tqdm(total=total, desc=f"{phase:>12}", unit=" rows", file=sys.stderr, leave=True)
            bars.append(bar)
            return bar.update

        counts = demo.load(session, people=people, seed=seed, progress=progress)
        for bar in bars:
            bar.close()
    click.echo(", ".join(f"{n} {kind}" for kind, n in counts.items()) + " loaded.")


people_cli = AppGroup("people", help="The directory.")


@people_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--on-error",
    type=click.Choice(["abort", "skip"]),
    default="abort",
    show_default=True,
    help="abort: any bad row and nothing is written; skip: write the good rows.",
)
def people_import(file: Path, dry_run: bool, on_error: str) -> None:
    """Import people from an HR file (CSV), as POST /v1/imports/people does."""
    from service.imports.csvformat import FormatError
    from service.imports.logic import import_people

    data = file.read_bytes()
    total = max(0, data.count(b"\n") - 1)
    with database().sessions() as session, tqdm(total=total, unit=" rows", file=sys.stderr) as bar:
        try:
            report = import_people(
                session,
                data,
                dry_run=dry_run,
                skip_bad_rows=on_error == "skip",
                now=utcnow(),
                progress=bar.update,
            )
        except FormatError as error:
            raise click.ClickException(str(error)) from error
    for rejection in report.rejected:
        click.echo(f"line {rejection['row']}: {rejection['reason']}", err=True)
    summary = (
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
    )
    if dry_run:
        click.echo(summary + " (dry run: nothing written).")
    elif report.written:
        click.echo(summary + ".")
    else:
        raise click.ClickException(
            summary + "; nothing written (use --on-error skip to import the good rows)."
        )


tokens_cli = AppGroup("tokens", help="API tokens.")


@tokens_cli.command("create")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="What the token may do.",
)
@click.option("--person", "person_id", default=None, help="The person a member token acts as.")
@click.option("--name", required=True, help="What the token is for.")
@click.option(
    "--rotate", is_flag=True, help="First revoke the active tokens of the same name and role."
)
def tokens_create(role: str, person_id: str | None, name: str, rotate: bool) -> None:
    """Issue a token and print it as the last line (only its hash is stored)."""
    from sqlalchemy import update

    from service.db import utcnow
    from service.errors import Problem
    from service.tokens.logic import issue_token
    from service.tokens.models import ApiToken

    with database().sessions() as session:
        if rotate:
            session.execute(
                update(ApiToken)
                .where(ApiToken.name == name, ApiToken.role == role, ApiToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
        try:
            token, secret = issue_token(session, role=Role(role), name=name, person_id=person_id)
        except Problem as problem:
            raise click.ClickException(problem.detail) from problem
        session.commit()
        click.echo(f"Issued {role} token {token.id} ({name}). It is shown once:", err=True)
    click.echo(secret)


cli = FlaskGroup(
    name="rapport",
    help="Rapport: a REST API for a deliberate professional network.",
    create_app=create_app,
    add_version_option=False,
    load_dotenv=False,
)
for group in (db_cli, demo_cli, people_cli, tokens_cli):
    cli.add_command(group)
cli.add_command(network_cli)


def main() -> None:
    """Run the `rapport` command."""
    cli.main(prog_name="rapport")
