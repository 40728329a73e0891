"""The Celery task that runs every job."""

from __future__ import annotations

import os
import socket

from celery import shared_task
from flask import current_app

from service import db
from service.jobs import logic


@shared_task(name="rapport.jobs.run")
def run_job(job_id: str) -> str | None:
    """Run the job ``job_id`` (see :func:`service.jobs.logic.run`)."""
    return logic.run(
        db.database().sessions,
        job_id,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        max_attempts=current_app.config["JOBS_MAX_ATTEMPTS"],
    )
