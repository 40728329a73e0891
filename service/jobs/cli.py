"""`rapport worker` and `rapport beat`: the Celery worker and scheduler of this application.

The click commands are declared in `service/cli.py` (so that `rapport --help` imports nothing);
they call these inside the application's context.
"""

from __future__ import annotations

import click
from celery import Celery
from flask import current_app


def _celery() -> Celery:
    celery_app: Celery = current_app.extensions["rapport.celery"]
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException(
            "Set REDIS_URL (redis://…): without a broker, tasks run in the API's own process."
        )
    return celery_app


def run_worker(celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker (extra arguments go to `celery worker`, e.g. --concurrency 4)."""
    _celery().worker_main(["worker", "--loglevel", current_app.config["LOG_LEVEL"], *celery_args])


def run_beat(celery_args: tuple[str, ...]) -> None:
    """Run the Celery beat scheduler of the periodic work (run exactly one)."""
    _celery().start(["beat", "--loglevel", current_app.config["LOG_LEVEL"], *celery_args])
