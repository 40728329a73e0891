"""Dismissals: recording them, and who must therefore not be suggested to whom."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from service.auth import Caller
from service.db import page_of
from service.dismissals.models import NOT_NOW_DAYS, Dismissal
from service.errors import Forbidden, Invalid, NotFound
from service.people.logic import require_exists, require_reference

# Ids per IN (...) list, well under the databases' limits on bound parameters.
CHUNK = 900


def _in_force(now: datetime):
    return or_(Dismissal.expires_at.is_(None), Dismissal.expires_at > now)


def authorize(caller: Caller, person_id: str) -> None:
    """A member manages only their own dismissals; an admin anyone's."""
    if caller.is_member and not caller.is_person(person_id):
        raise Forbidden("A member token manages only its own dismissals.")


def dismiss(
    session: Session, caller: Caller, person_id: str, data: dict[str, Any], now: datetime
) -> Dismissal:
    """Record that ``person_id`` does not want someone suggested to them for a purpose.

    ``data['dismissed_id']`` is whom (the body's ``person_id``). Dismissing the same person
    for the same purpose again replaces the earlier dismissal.
    """
    authorize(caller, person_id)
    require_exists(session, person_id)
    dismissed_id = data["dismissed_id"]
    if dismissed_id == person_id:
        raise Invalid.field("/person_id", "A person is never recommended to themself.")
    require_reference(session, dismissed_id, "/person_id")
    session.execute(
        delete(Dismissal).where(
            Dismissal.person_id == person_id,
            Dismissal.dismissed_id == dismissed_id,
            Dismissal.purpose == data["purpose"],
        )
    )
    reason = data["reason"]
    dismissal = Dismissal(
        person_id=person_id,
        dismissed_id=dismissed_id,
        purpose=data["purpose"],
        reason=reason,
        created_at=now,
        expires_at=now + timedelta(days=NOT_NOW_DAYS) if reason == "not_now" else None,
    )
    session.add(dismissal)
    session.flush()
    return dismissal


def list_dismissals(
    session: Session, caller: Caller, person_id: str, now: datetime, *, offset: int, limit: int
) -> tuple[list[Dismissal], int]:
    """One page of a person's dismissals in force, newest first, and how many in all."""
    authorize(caller, person_id)
    require_exists(session, person_id)
    query = select(Dismissal).where(Dismissal.person_id == person_id, _in_force(now))
    return page_of(
        session, query, Dismissal.created_at.desc(), Dismissal.id.desc(), offset=offset, limit=limit
    )


def get_dismissal(session: Session, caller: Caller, person_id: str, dismissal_id: str) -> Dismissal:
    """One of a person's dismissals, or NotFound."""
    authorize(caller, person_id)
    dismissal = session.get(Dismissal, dismissal_id)
    if dismissal is None or dismissal.person_id != person_id:
        raise NotFound(f"No dismissal has id {dismissal_id!r} for this person.")
    return dismissal


def withdraw(session: Session, dismissal: Dismissal) -> None:
    """Delete a dismissal: the person may be suggested again."""
    session.delete(dismissal)
    session.flush()


def dismissed_ids(session: Session, person_id: str, purpose: str, now: datetime) -> set[str]:
    """Whom never to list for ``person_id`` and ``purpose`` now.

    The person's own dismissals for this purpose that are in force, their ``do_not_suggest``
    dismissals for any purpose, and everyone who said ``do_not_suggest`` about them.
    """
    own = session.scalars(
        select(Dismissal.dismissed_id).where(
            Dismissal.person_id == person_id,
            or_(Dismissal.purpose == purpose, Dismissal.reason == "do_not_suggest"),
            _in_force(now),
        )
    )
    theirs = session.scalars(
        select(Dismissal.person_id).where(
            Dismissal.dismissed_id == person_id, Dismissal.reason == "do_not_suggest"
        )
    )
    return set(own) | set(theirs)


def do_not_suggest_pairs(session: Session, person_ids: Collection[str]) -> set[frozenset[str]]:
    """The pairs among ``person_ids`` that must never be matched, introduced or grouped.

    A pair is in when either of the two dismissed the other with ``do_not_suggest``, for
    whatever purpose. Programmes and intro rounds call this before they pair a cohort.
    """
    wanted = sorted(set(person_ids))
    pairs: set[frozenset[str]] = set()
    members = set(wanted)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = session.execute(
            select(Dismissal.person_id, Dismissal.dismissed_id).where(
                Dismissal.reason == "do_not_suggest", Dismissal.person_id.in_(chunk)
            )
        )
        pairs.update(frozenset(row) for row in rows if row.dismissed_id in members)
    return pairs
