"""Events that time publishes: follow-ups and check-ins falling due, found by a periodic scan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import utcnow
from service.interactions.models import Interaction
from service.people.models import Person
from service.webhooks.logic import publish
from service.webhooks.models import Webhook

# How far back a scan looks: what fell due before (while no scan ran) is not announced late.
LOOKBACK = timedelta(days=2)


def _subscribed(session: Session, type_: str) -> bool:
    return any(
        type_ in events
        for events in session.scalars(select(Webhook.events).where(Webhook.active.is_(True)))
    )


def publish_due(session: Session, config: Any) -> int:
    """Publish ``follow_up.due`` and ``check_in.due`` once for each that fell due lately.

    Each event has a key (what, whose, when due), so a scan that runs again publishes
    nothing twice. Nothing is scanned while no webhook listens.
    """
    from service.relationships.logic import Settings, ties_of

    now = utcnow()
    published = 0
    if _subscribed(session, "follow_up.due"):
        due = session.scalars(
            select(Interaction).where(
                Interaction.follow_up_done.is_(False),
                Interaction.follow_up_due_at <= now,
                Interaction.follow_up_due_at > now - LOOKBACK,
            )
        )
        for interaction in due:
            assert interaction.follow_up_due_at is not None
            data = {
                "interaction_id": interaction.id,
                "person_id": interaction.person_id,
                "contact_id": interaction.contact_id,
                "due_at": interaction.follow_up_due_at.isoformat(),
            }
            key = f"follow_up.due:{interaction.id}:{data['due_at']}"
            published += publish(session, "follow_up.due", data, key=key) is not None
    if _subscribed(session, "check_in.due"):
        settings = Settings(
            default_cadence_days=config["CHECK_IN_DAYS"], follow_up_hours=config["FOLLOW_UP_HOURS"]
        )
        for person_id in session.scalars(select(Person.id).where(Person.active.is_(True))):
            for tie in ties_of(session, person_id, now, settings).values():
                due_at = tie.next_check_in_at
                if due_at is None or not now - LOOKBACK < due_at <= now:
                    continue
                data = {
                    "person_id": person_id,
                    "contact_id": tie.contact_id,
                    "due_at": due_at.isoformat(),
                    "cadence_days": tie.cadence_days,
                }
                key = f"check_in.due:{person_id}:{tie.contact_id}:{data['due_at']}"
                published += publish(session, "check_in.due", data, key=key) is not None
    return published
