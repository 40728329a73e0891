"""The `rapport` command: Rapport's own commands, each run inside the application.

Only click is imported up front, so that ``rapport --help`` answers at once; the application
(Flask, SQLAlchemy, scikit-learn…) is built when a command runs. Flask's generic options and
commands (``--env-file``, ``run``, ``shell``, ``routes``) are not offered: Rapport is served
by gunicorn (``make run``).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

# The roles of tokens (service.auth.Role), spelled here so that --help imports nothing.
ROLES = ("admin", "integration", "member")


def alembic_config(url: str) -> AlembicConfig:
    """Return the Alembic configuration of Rapport's migrations for the database at ``url``."""
    from alembic.config import Config

    import migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    # Passed as an attribute, not an ini option, so that a "%" in a password needs no escaping.
    config.attributes["database_url"] = url
    return config


def _create_app() -> Any:
    from service.app import create_app

    return create_app()


def _script_info(ctx: click.Context) -> Any:
    """The application loader of this invocation (a test runner may have passed its own)."""
    from flask.cli import ScriptInfo

    info = ctx.find_object(ScriptInfo)
    if info is None:
        info = ScriptInfo(create_app=_create_app, set_debug_flag=False, load_dotenv_defaults=False)
        ctx.find_root().obj = info
    return info


def in_app(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command inside the application's context, building the application first."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _script_info(click.get_current_context()).load_app().app_context():
            return command(*args, **kwargs)

    return run


class RapportGroup(click.Group):
    """The `rapport` command group: application loading is deferred to the command."""

    def invoke(self, ctx: click.Context) -> Any:
        """Make the application loadable by subcommands (flask.cli.AppGroup ones included)."""
        _script_info(ctx)
        return super().invoke(ctx)

    # Command groups that live beside their aggregate, imported only when called so that
    # `rapport --help` stays fast: name -> ("module:attribute", one line of help).
    LAZY = {"network": ("service.network.cli:network_cli", "The influence map.")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Rapport's own commands and the lazily imported groups, by name."""
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Rapport's commands, the lazy groups, else those extensions add to the app
        (flask-smorest's ``openapi``), which need the application built to be found."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if cmd_name in self.LAZY:
            module, attribute = self.LAZY[cmd_name][0].split(":")
            return getattr(importlib.import_module(module), attribute)
        return _script_info(ctx).load_app().cli.get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their help, the lazy ones without importing them."""
        rows = []
        for name in self.list_commands(ctx):
            if name in self.LAZY:
                rows.append((name, self.LAZY[name][1]))
                continue
            command = super().get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def progress_bar(**kwargs: Any) -> Any:
    """A tqdm progress bar on stderr, drawn only on a terminal (no bars over each other in logs)."""
    from tqdm import tqdm

    return tqdm(file=sys.stderr, disable=not sys.stderr.isatty(), **kwargs)


db_cli = click.Group("db", help="The database schema.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
@in_app
def db_upgrade(revision: str) -> None:
    """Upgrade the database named by DATABASE_URL to REVISION (default: the latest)."""
    from alembic import command
    from flask import current_app

    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("downgrade")
@click.argument("revision")
@in_app
def db_downgrade(revision: str) -> None:
    """Downgrade the database to REVISION ("base" empties it)."""
    from alembic import command
    from flask import current_app

    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("current")
@in_app
def db_current() -> None:
    """Print the database's current revision."""
    from alembic import command
    from flask import current_app

    command.current(alembic_config(current_app.config["DATABASE_URL"]))


demo_cli = click.Group("demo", help="Demo data.")


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
@in_app
def demo_load(people: int, seed: int, if_empty: bool) -> None:
    """Fill the database with a synthetic company: people, skills, goals, a year of interactions."""
    from service import demo
    from service.db import database

    with database().sessions() as session:
        if not demo.database_is_empty(session):
            if if_empty:
                click.echo("The directory already has people; demo data not loaded.")
                return
            raise click.ClickException(
                "The directory already has people; demo data goes into an empty database."
            )
        bars: list[Any] = []

        def progress(phase: str, total: int):
            bar = progress_bar(total=total, desc=f"{phase:>12}", unit=" rows", leave=True)
            bars.append(bar)
            return bar.update

        counts = demo.load(session, people=people, seed=seed, progress=progress)
        for bar in bars:
            bar.close()
    click.echo(", ".join(f"{n} {kind}" for kind, n in counts.items()) + " loaded.")


people_cli = click.Group("people", help="The directory.")


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
@in_app
def people_import(file: Path, dry_run: bool, on_error: str) -> None:
    """Import people from an HR file (CSV), as POST /v1/imports/people does."""
    from flask import current_app

    from service.db import database, unit_of_work, utcnow
    from service.imports.csvformat import FormatError
    from service.imports.logic import import_people
    from service.scim.mapping import Defaults

    data = file.read_bytes()
    total = max(0, data.count(b"\n") - 1)
    config = current_app.config
    with (
        database().sessions() as session,
        unit_of_work(session),
        progress_bar(total=total, unit=" rows") as bar,
    ):
        try:
            report = import_people(
                session,
                data,
                dry_run=dry_run,
                skip_bad_rows=on_error == "skip",
                now=utcnow(),
                progress=bar.update,
                defaults=Defaults(config["SCIM_DEFAULT_FUNCTION"], config["SCIM_DEFAULT_LEVEL"]),
            )
        except FormatError as error:
            raise click.ClickException(str(error)) from error
    for rejection in report.rejected:
        click.echo(
            f"line {rejection['row']} ({rejection['person']}): {rejection['code']}: "
            f"{rejection['reason']}",
            err=True,
        )
    summary = (
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
    )
    if dry_run and report.rejected:
        # A dry run in a script or CI job fails as the import itself would.
        raise click.ClickException(summary + " (dry run: nothing written).")
    if dry_run:
        click.echo(summary + " (dry run: nothing written).")
    elif report.written:
        click.echo(summary + ".")
    else:
        raise click.ClickException(
            summary + "; nothing written (use --on-error skip to import the good rows)."
        )


tokens_cli = click.Group("tokens", help="API tokens.")


@tokens_cli.command("create")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="What the token may do.",
)
@click.option("--person", "person_id", default=None, help="The person a member token acts as.")
@click.option("--name", required=True, help="What the token is for.")
@click.option(
    "--rotate", is_flag=True, help="First revoke the active tokens of the same name and role."
)
@click.option(
    "--keep",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep the token in this file (mode 0600) and print it again while it still works, "
    "rather than issuing a new one each time (what `make run` does; --rotate replaces it).",
)
@in_app
def tokens_create(
    role: str, person_id: str | None, name: str, rotate: bool, keep: Path | None
) -> None:
    """Issue a token and print it as the last line (only its hash is stored)."""
    from sqlalchemy import update

    from service.auth import Role
    from service.db import database, utcnow
    from service.errors import Problem
    from service.tokens.logic import authenticate, issue_token
    from service.tokens.models import ApiToken

    with database().sessions() as session:
        if keep is not None and not rotate and keep.exists():
            kept = keep.read_text().strip()
            caller = authenticate(session, kept) if kept else None
            if caller is not None and caller.role == role:
                click.echo(f"The {role} token kept in {keep} still works:", err=True)
                click.echo(kept)
                return
        # A token issued anew under --keep replaces the one kept before (lost or revoked).
        if rotate or keep is not None:
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
        if keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(keep, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(secret + "\n")
        click.echo(f"Issued {role} token {token.id} ({name}). It is shown once:", err=True)
    click.echo(secret)


@click.command("worker", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@in_app
def worker(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker (extra arguments go to `celery worker`, e.g. --concurrency 4)."""
    from service.jobs.cli import run_worker

    run_worker(celery_args)


@click.command("beat", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@in_app
def beat(celery_args: tuple[str, ...]) -> None:
    """Run the Celery beat scheduler of the periodic work (run exactly one)."""
    from service.jobs.cli import run_beat

    run_beat(celery_args)


bingo_cli = click.Group("bingo", help="Networking Bingo.")


@bingo_cli.command("load-prompts")
@in_app
def bingo_load_prompts() -> None:
    """Add Rapport's default prompts missing from the catalogue (loading twice adds nothing)."""
    from service.db import database, unit_of_work
    from service.events.catalogue import DEFAULT_PROMPTS, load_default_prompts

    with database().sessions() as session, unit_of_work(session):
        added = load_default_prompts(session)
    click.echo(f"{added} prompts added; the default catalogue has {len(DEFAULT_PROMPTS)}.")


matching_cli = click.Group("matching", help="The matching engine's weights.")


@matching_cli.command("learn")
@in_app
def matching_learn() -> None:
    """Learn weights from impressions and outcomes, evaluate them, adopt them if they earn it."""
    from service.weights.cli import learn_and_report

    learn_and_report()


cli = RapportGroup(
    name="rapport",
    help="Rapport: a REST API for a deliberate professional network.\n\n"
    "`rapport openapi print|write FILE` exports the OpenAPI document.",
)
for group in (db_cli, demo_cli, people_cli, tokens_cli, bingo_cli, matching_cli):
    cli.add_command(group)
cli.add_command(worker)
cli.add_command(beat)


def main() -> None:
    """Run the `rapport` command."""
    cli.main(prog_name="rapport")
