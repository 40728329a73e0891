"""The background task that computes the influence map's metrics."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from service import clock
from service.db import database
from service.network.compute import Settings, compute


def compute_now() -> dict:
    """Compute and store the metrics in a session of its own; return the snapshot's figures."""
    with database().sessions() as session:
        snapshot = compute(session, clock.now(), Settings.of(current_app.config))
        session.commit()
        return {
            "snapshot_id": snapshot.id,
            "computed_at": snapshot.computed_at.isoformat(),
            "people": snapshot.people,
            "ties": snapshot.ties,
            "seconds": snapshot.seconds,
        }


@shared_task(name="rapport.network.compute")
def compute_metrics() -> dict:
    """Recompute the influence map's metrics (runs in a worker, or in-process when eager)."""
    return compute_now()
