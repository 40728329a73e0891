"""The background work of programmes: matching runs."""

from __future__ import annotations

from celery import shared_task

from service import clock, db
from service.programmes import logic


@shared_task(name="programmes.execute_run")
def execute_run(run_id: str) -> None:
    """Match the cohort of a queued run and store its draft."""
    logic.execute_run(db.session(), run_id, clock.now())
