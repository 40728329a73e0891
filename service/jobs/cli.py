"""`rapport worker` and `rapport beat`: the Celery worker and scheduler of this application."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


def _celery():
    celery_app = current_app.extensions["rapport.celery"]
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException(
            "Set REDIS_URL (redis://…): without a broker, tasks run in the API's own process."
        )
    return celery_app


@click.command("worker", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def worker(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker (extra arguments go to `celery worker`, e.g. --concurrency 4)."""
    _celery().worker_main(["worker", "--loglevel", current_app.config["LOG_LEVEL"], *celery_args])


@click.command("beat", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def beat(celery_args: tuple[str, ...]) -> None:
    """Run the Celery beat scheduler of the periodic work (run exactly one)."""
    _celery().start(["beat", "--loglevel", current_app.config["LOG_LEVEL"], *celery_args])
