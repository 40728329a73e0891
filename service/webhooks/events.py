"""The domain's events, taken from what each transaction writes (no use-case has to remember).

People and mentorships changed through the ORM publish ``person.*`` and ``mentorship.*`` in
the transaction that changed them; the outbox rows commit or roll back with it. After a
commit that left deliveries waiting, a task delivers them. Bulk writes that bypass the ORM
(HR imports, demo data) publish nothing.
"""

from __future__ import annotations

from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from service.webhooks.logic import publish

MENTORSHIP_EVENTS = {
    "active": "mentorship.accepted",
    "declined": "mentorship.declined",
    "completed": "mentorship.completed",
    "cancelled": "mentorship.cancelled",
}


def _person(person: Any) -> dict[str, Any]:
    return {
        "id": person.id,
        "external_id": person.external_id,
        "email": person.email,
        "name": person.name,
        "active": person.active,
    }


def _mentorship(mentorship: Any) -> dict[str, Any]:
    return {
        "id": mentorship.id,
        "mentor_id": mentorship.mentor_id,
        "mentee_id": mentorship.mentee_id,
        "kind": mentorship.kind,
        "status": mentorship.status,
    }


def _changed(obj: Any, name: str) -> bool:
    return bool(inspect(obj).attrs[name].history.added)


def _after_flush(session: Session, _context: Any) -> None:
    from service.mentorships.models import Mentorship
    from service.people.models import Person

    found: list[tuple[str, dict[str, Any]]] = []
    for obj in session.new:
        if isinstance(obj, Person):
            found.append(("person.created", _person(obj)))
        elif isinstance(obj, Mentorship):
            found.append(("mentorship.proposed", _mentorship(obj)))
    for obj in session.dirty:
        if isinstance(obj, Person) and session.is_modified(obj):
            if _changed(obj, "active") and not obj.active:
                found.append(("person.deactivated", _person(obj)))
            else:
                found.append(("person.updated", _person(obj)))
        elif isinstance(obj, Mentorship) and _changed(obj, "status"):
            type_ = MENTORSHIP_EVENTS.get(obj.status)
            if type_:
                found.append((type_, _mentorship(obj)))
    # A transaction that flushes a person twice publishes one event about them.
    published = session.info.setdefault("webhook_events_published", set())
    for type_, data in found:
        if (type_, data["id"]) not in published:
            published.add((type_, data["id"]))
            publish(session, type_, data)


def _after_commit(session: Session) -> None:
    session.info.pop("webhook_events_published", None)
    if not session.info.pop("webhook_deliveries_pending", False) or not has_app_context():
        return
    from service.tasks import submit
    from service.webhooks.tasks import deliver_webhooks

    submit(deliver_webhooks)


def _after_rollback(session: Session) -> None:
    session.info.pop("webhook_deliveries_pending", None)
    session.info.pop("webhook_events_published", None)


def listen() -> None:
    """Watch every session (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
