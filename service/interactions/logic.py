"""Use-cases of interactions, and who may read their private notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session

from service.auth import Caller, owner_for_new
from service.db import page_of
from service.errors import Forbidden, Invalid, NotFound
from service.goals.models import Goal
from service.interactions.models import Interaction
from service.people.logic import require_reference

# Clocks drift; an interaction logged "now" by a client slightly ahead is not in the future.
CLOCK_SKEW = timedelta(minutes=5)


def reveal_notes(caller: Caller, interactions: Iterable[Interaction]) -> None:
    """Expose notes to the serializer only for the person who logged them.

    Everyone else, admins included, gets the field omitted: the schema reads
    ``visible_notes``, which is absent unless set here.
    """
    for interaction in interactions:
        if caller.is_person(interaction.person_id):
            interaction.visible_notes = interaction.notes  # type: ignore[attr-defined]


def _visible(caller: Caller, interaction: Interaction) -> bool:
    if not caller.is_member:
        return True
    return caller.person_id in (interaction.person_id, interaction.contact_id)


def get_interaction(session: Session, caller: Caller, interaction_id: str) -> Interaction:
    """Return an interaction the caller may see (members: those they took part in)."""
    interaction = session.get(Interaction, interaction_id)
    if interaction is None or not _visible(caller, interaction):
        raise NotFound(f"No interaction has id {interaction_id!r}.")
    return interaction


@dataclass(frozen=True)
class InteractionFilters:
    """The filters of the interaction list."""

    person_id: str | None = None
    contact_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    kind: str | None = None


def list_interactions(
    session: Session, caller: Caller, filters: InteractionFilters, *, offset: int, limit: int
) -> tuple[list[Interaction], int]:
    """Return one page of visible interactions, most recent first, and how many in all."""
    query = select(Interaction)
    if caller.is_member:
        query = query.where(
            or_(
                Interaction.person_id == caller.person_id,
                Interaction.contact_id == caller.person_id,
            )
        )
    if filters.person_id:
        query = query.where(Interaction.person_id == filters.person_id)
    if filters.contact_id:
        query = query.where(Interaction.contact_id == filters.contact_id)
    if filters.since:
        query = query.where(Interaction.occurred_at >= filters.since)
    if filters.until:
        query = query.where(Interaction.occurred_at < filters.until)
    if filters.kind:
        query = query.where(Interaction.kind == filters.kind)
    return page_of(
        session,
        query,
        Interaction.occurred_at.desc(),
        Interaction.id.desc(),
        offset=offset,
        limit=limit,
    )


def _check_goal(session: Session, goal_id: str | None, person_id: str) -> None:
    if goal_id is None:
        return
    owner = session.scalar(select(Goal.person_id).where(Goal.id == goal_id))
    # Another person's goal and no goal at all get the same answer: telling them apart
    # would tell a member which goal ids exist.
    if owner != person_id:
        raise Invalid.field("/goal_id", f"The logging person has no goal with id {goal_id!r}.")


def _check_time(occurred_at: datetime | None, now: datetime) -> None:
    if occurred_at is not None and occurred_at > now + CLOCK_SKEW:
        raise Invalid.field(
            "/occurred_at", "An interaction is logged after it happens; this time is in the future."
        )


_FIELDS = (
    "kind",
    "occurred_at",
    "initiated_by",
    "goal_id",
    "notes",
    "follow_up_due_at",
    "follow_up_done",
)


def _between(a: str, b: str):
    return or_(
        and_(Interaction.person_id == a, Interaction.contact_id == b),
        and_(Interaction.person_id == b, Interaction.contact_id == a),
    )


def create_interaction(
    session: Session,
    caller: Caller,
    data: dict[str, Any],
    now: datetime,
    follow_up_after: timedelta = timedelta(hours=24),
) -> Interaction:
    """Log an interaction between a person and a contact, keeping follow-ups in step.

    A first interaction between the two falls due for a follow-up ``follow_up_after`` later
    (unless the log sets its own time); any interaction marks the pair's earlier pending
    follow-ups done.
    """
    person_id = owner_for_new(caller, data.get("person_id"), "interactions")
    require_reference(session, person_id, "/person_id")
    require_reference(session, data["contact_id"], "/contact_id")
    if data["contact_id"] == person_id:
        raise Invalid.field("/contact_id", "An interaction is with someone else.")
    if data.get("notes") and not caller.is_person(person_id):
        raise Forbidden("Notes are private to the person who logs the interaction.")
    _check_goal(session, data.get("goal_id"), person_id)
    _check_time(data.get("occurred_at"), now)
    contact_id = data["contact_id"]
    interaction = Interaction(
        person_id=person_id, contact_id=contact_id, created_at=now, updated_at=now
    )
    for name in _FIELDS:
        if name in data:
            setattr(interaction, name, data[name])
    interaction.given = list(data.get("given", []))
    interaction.received = list(data.get("received", []))
    first = not session.scalar(select(exists().where(_between(person_id, contact_id))))
    if first and "follow_up_due_at" not in data:
        interaction.follow_up_due_at = interaction.occurred_at + follow_up_after
    session.execute(
        update(Interaction)
        .where(
            _between(person_id, contact_id),
            Interaction.follow_up_due_at.is_not(None),
            Interaction.follow_up_done.is_(False),
            Interaction.occurred_at < interaction.occurred_at,
        )
        .values(follow_up_done=True, updated_at=now, version=Interaction.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    session.add(interaction)
    session.flush()
    return interaction


def authorize_change(caller: Caller, interaction: Interaction, fields: set[str]) -> None:
    """Only the logger's member token or an admin changes an interaction; notes only the logger."""
    if caller.is_member and not caller.is_person(interaction.person_id):
        raise Forbidden("Only the person who logged an interaction may change it.")
    if "notes" in fields and not caller.is_person(interaction.person_id):
        raise Forbidden("Notes are private to the person who logged the interaction.")


def update_interaction(
    session: Session, interaction: Interaction, changes: dict[str, Any], now: datetime
) -> Interaction:
    """Change some fields of an interaction."""
    if "goal_id" in changes:
        _check_goal(session, changes["goal_id"], interaction.person_id)
    _check_time(changes.get("occurred_at"), now)
    for name in _FIELDS:
        if name in changes:
            setattr(interaction, name, changes[name])
    for name in ("given", "received"):
        if name in changes:
            setattr(interaction, name, list(changes[name]))
    interaction.updated_at = now
    session.flush()
    return interaction


def delete_interaction(session: Session, interaction: Interaction) -> None:
    """Delete an interaction."""
    session.delete(interaction)
    session.flush()
