"""Keeping the stored metrics fresh: recompute in the background once enough has changed.

A read of the influence map checks (one indexed read) how many directory changes piled up
since the latest snapshot. Past ``NETWORK_REFRESH_CHANGES``, and at most once per
``NETWORK_REFRESH_MINUTES``, it submits the metrics task once its own response has been sent
(``call_on_close``): with Redis a worker computes; in the embedded eager mode the same process
computes after answering, so the reader never waits for the whole graph. The first snapshot
comes from ``rapport network compute`` (or the demo loader).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import Flask, after_this_request, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from service import changes, clock, tasks
from service.network.models import NetworkSnapshot

log = logging.getLogger(__name__)


def is_stale(session: Session, threshold: int, interval_minutes: int) -> bool:
    """True when the latest snapshot is behind by ``threshold`` changes and old enough."""
    if threshold <= 0:
        return False
    latest = session.execute(
        select(NetworkSnapshot.directory_version, NetworkSnapshot.computed_at)
        .order_by(NetworkSnapshot.computed_at.desc(), NetworkSnapshot.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return False
    behind = changes.current_version(session) - latest.directory_version
    old_enough = clock.now() - latest.computed_at >= timedelta(minutes=interval_minutes)
    return behind >= threshold and old_enough


def maybe_schedule(session: Session) -> None:
    """Submit the metrics task after this response when the snapshot is stale."""
    config = current_app.config
    interval = config["NETWORK_REFRESH_MINUTES"]
    state = current_app.extensions.setdefault("rapport.network", {"scheduled_at": -1e18})
    if time.monotonic() - state["scheduled_at"] < interval * 60:
        return
    if not is_stale(session, config["NETWORK_REFRESH_CHANGES"], interval):
        return
    state["scheduled_at"] = time.monotonic()
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def submit_when_sent(response):
        response.call_on_close(lambda: _submit(app))
        return response


def _submit(app: Flask) -> None:
    from service.network.tasks import compute_metrics

    try:
        with app.app_context():
            tasks.submit(compute_metrics)
    except Exception:  # noqa: BLE001 - the stored metrics keep serving; next read retries
        log.exception("could not refresh the network metrics")
        app.extensions["rapport.network"]["scheduled_at"] = -1e18
