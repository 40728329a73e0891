"""Recording and listing audit events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.db import page_of


@dataclass(frozen=True)
class Actor:
    """Who acts, as the audit log names them."""

    name: str
    token_id: str | None = None
    client_address: str | None = None
    request_id: str | None = None


COMMAND_LINE = Actor(name="command line")


def record(
    session: Session,
    action: str,
    actor: Actor,
    *,
    token_id: str | None = None,
    person_id: str | None = None,
    detail: str = "",
) -> AuditEvent:
    """Add an audit event to ``session`` (it is committed with the rest of the work)."""
    entry = AuditEvent(
        action=action,
        actor=actor.name[:120],
        actor_token_id=actor.token_id,
        token_id=token_id,
        person_id=person_id,
        client_address=actor.client_address,
        request_id=actor.request_id,
        detail=detail[:500],
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilters:
    """The filters of the audit log."""

    action: str | None = None
    token_id: str | None = None
    person_id: str | None = None
    since: datetime | None = None


def list_events(
    session: Session, filters: AuditFilters, *, offset: int, limit: int
) -> tuple[list[AuditEvent], int]:
    """Return one page of audit events, newest first, and how many match."""
    query: Select = select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.token_id:
        query = query.where(AuditEvent.token_id == filters.token_id)
    if filters.person_id:
        query = query.where(AuditEvent.person_id == filters.person_id)
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= filters.since)
    return page_of(
        session,
        query,
        AuditEvent.occurred_at.desc(),
        AuditEvent.id.desc(),
        offset=offset,
        limit=limit,
    )
