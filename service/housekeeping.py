"""Periodic upkeep run by `rapport beat`: expired idempotency keys and old outbox rows."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from sqlalchemy import delete, select

from service import db
from service.db import utcnow
from service.idempotency import IdempotencyKey
from service.webhooks.models import WebhookDelivery, WebhookEvent

# Delivered and given-up events are kept this long for the delivery log and redelivery.
KEEP_EVENTS = timedelta(days=30)


@shared_task(name="rapport.housekeeping.clean")
def clean() -> int:
    """Delete expired idempotency keys, and events (with their deliveries) past keeping."""
    now = utcnow()
    with db.database().sessions() as session:
        keys = session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now)
        ).rowcount
        old = select(WebhookEvent.id).where(WebhookEvent.created_at < now - KEEP_EVENTS)
        still_pending = select(WebhookDelivery.event_id).where(WebhookDelivery.status == "pending")
        session.execute(
            delete(WebhookDelivery).where(
                WebhookDelivery.event_id.in_(old), WebhookDelivery.status != "pending"
            )
        )
        session.execute(
            delete(WebhookEvent).where(
                WebhookEvent.id.in_(old), WebhookEvent.id.not_in(still_pending)
            )
        )
        session.commit()
    return keys
