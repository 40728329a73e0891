"""The Celery tasks of webhooks: deliver what is due; publish what fell due with time."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from service import db
from service.webhooks import logic, scans


@shared_task(name="rapport.webhooks.deliver")
def deliver_webhooks() -> int:
    """Deliver every delivery that is due (new ones, and retries whose wait is over)."""
    settings = logic.Settings.from_config(current_app.config)
    return logic.dispatch(db.database().sessions, settings)


@shared_task(name="rapport.webhooks.scan_due")
def publish_due_events() -> int:
    """Publish ``follow_up.due`` and ``check_in.due`` for what fell due since the last scan."""
    with db.database().sessions() as session:
        published = scans.publish_due(session, current_app.config)
        session.commit()
    return published
