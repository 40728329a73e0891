"""The lifecycle of mentorships: propose → accept / decline → active → complete / cancel.

Either side proposes; only the other side accepts or declines; either side (or an admin)
cancels; either side completes with a closure reason. A mentor's ``mentor_capacity`` bounds
their active mentorships, checked under a lock on the mentor's row so that two concurrent
accepts for the last slot make exactly one active mentorship.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from service import changes
from service.auth import Caller
from service.db import page_of
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.goals.models import Goal
from service.mentorships.models import Mentorship
from service.people.logic import require_person
from service.people.models import Person

LAPSED_REASON = "Reached its end date."


def today_of(now: datetime) -> date:
    """The calendar day (UTC) that end dates are compared with."""
    return now.date()


def effective_status(mentorship: Mentorship, today: date) -> str:
    """The status as it reads today: an active mentorship past its end date is completed."""
    if (
        mentorship.status == "active"
        and mentorship.ends_on is not None
        and mentorship.ends_on < today
    ):
        return "completed"
    return mentorship.status


def is_active(today: date):
    """SQL condition: active today (accepted, and not past its end date)."""
    return and_(
        Mentorship.status == "active",
        or_(Mentorship.ends_on.is_(None), Mentorship.ends_on >= today),
    )


def _status_condition(status: str, today: date):
    lapsed = and_(Mentorship.status == "active", Mentorship.ends_on < today)
    if status == "active":
        return is_active(today)
    if status == "completed":
        return or_(Mentorship.status == "completed", lapsed)
    return Mentorship.status == status


def settle_lapsed(session: Session, person_ids: Collection[str], now: datetime) -> None:
    """Record as completed the active mentorships of these people that are past their end."""
    today = today_of(now)
    lapsed = and_(
        Mentorship.status == "active",
        Mentorship.ends_on < today,
        or_(Mentorship.mentor_id.in_(person_ids), Mentorship.mentee_id.in_(person_ids)),
    )
    rows = session.execute(select(Mentorship.mentor_id, Mentorship.mentee_id).where(lapsed)).all()
    if rows:
        session.execute(
            update(Mentorship)
            .where(lapsed)
            .values(status="completed", closure_reason=LAPSED_REASON, ended_at=now, updated_at=now)
            .execution_options(synchronize_session="fetch")
        )
        changes.record(session, {p for row in rows for p in row})


DEPARTED_REASON = "One of the two people left the directory."


def close_for_departed(session: Session, person_ids: Collection[str], now: datetime) -> None:
    """Cancel the proposed and active mentorships of people who were deactivated."""
    departed = and_(
        Mentorship.status.in_(("proposed", "active")),
        or_(Mentorship.mentor_id.in_(person_ids), Mentorship.mentee_id.in_(person_ids)),
    )
    rows = session.execute(select(Mentorship.mentor_id, Mentorship.mentee_id).where(departed)).all()
    if rows:
        session.execute(
            update(Mentorship)
            .where(departed)
            .values(
                status="cancelled",
                closure_reason=DEPARTED_REASON,
                ended_at=now,
                updated_at=now,
                version=Mentorship.version + 1,
            )
            .execution_options(synchronize_session="fetch")
        )
        changes.record(session, {p for row in rows for p in row})


def _visible(caller: Caller, mentorship: Mentorship) -> bool:
    return not caller.is_member or caller.person_id in (mentorship.mentor_id, mentorship.mentee_id)


def get_mentorship(session: Session, caller: Caller, mentorship_id: str) -> Mentorship:
    """Return a mentorship the caller may see (members: their own), or raise NotFound."""
    mentorship = session.get(Mentorship, mentorship_id)
    if mentorship is None or not _visible(caller, mentorship):
        raise NotFound(f"No mentorship has id {mentorship_id!r}.")
    return mentorship


@dataclass(frozen=True)
class MentorshipFilters:
    """The filters of the mentorship list."""

    person_id: str | None = None
    mentor_id: str | None = None
    mentee_id: str | None = None
    status: str | None = None
    kind: str | None = None


def list_mentorships(
    session: Session,
    caller: Caller,
    filters: MentorshipFilters,
    now: datetime,
    *,
    offset: int,
    limit: int,
) -> tuple[list[Mentorship], int]:
    """Return one page of visible mentorships, newest first, and how many in all."""
    query = select(Mentorship)
    if caller.is_member:
        query = query.where(
            or_(Mentorship.mentor_id == caller.person_id, Mentorship.mentee_id == caller.person_id)
        )
    if filters.person_id:
        query = query.where(
            or_(
                Mentorship.mentor_id == filters.person_id, Mentorship.mentee_id == filters.person_id
            )
        )
    if filters.mentor_id:
        query = query.where(Mentorship.mentor_id == filters.mentor_id)
    if filters.mentee_id:
        query = query.where(Mentorship.mentee_id == filters.mentee_id)
    if filters.status:
        query = query.where(_status_condition(filters.status, today_of(now)))
    if filters.kind:
        query = query.where(Mentorship.kind == filters.kind)
    return page_of(
        session,
        query,
        Mentorship.created_at.desc(),
        Mentorship.id.desc(),
        offset=offset,
        limit=limit,
    )


def _check_goals(session: Session, goal_ids: list[str], mentee_id: str) -> list[str]:
    if not goal_ids:
        return []
    owners = dict(
        session.execute(select(Goal.id, Goal.person_id).where(Goal.id.in_(goal_ids))).all()
    )
    for i, goal_id in enumerate(goal_ids):
        if owners.get(goal_id) != mentee_id:
            raise Invalid.field(f"/goals/{i}", f"{goal_id!r} is not a goal of the mentee.")
    return list(dict.fromkeys(goal_ids))


def _check_pairing(kind: str, mentor: Person, mentee: Person) -> None:
    if kind == "mentorship":
        if mentor.level < mentee.level:
            raise Invalid.field(
                "/mentor_id",
                "A mentor is at least as senior as the mentee; try a reverse_mentorship.",
            )
        if not mentor.open_to_mentor:
            raise Invalid.field("/mentor_id", "This person is not open to mentoring.")
    elif kind == "reverse_mentorship":
        if mentor.level >= mentee.level:
            raise Invalid.field("/mentor_id", "A reverse mentor is more junior than the mentee.")
        if not mentor.open_to_reverse_mentor:
            raise Invalid.field("/mentor_id", "This person is not open to reverse mentoring.")
    elif mentor.function == mentee.function:
        raise Invalid.field(
            "/mentor_id", "A cross-functional pairing joins two different functions."
        )


def propose(session: Session, caller: Caller, data: dict[str, Any], now: datetime) -> Mentorship:
    """Propose a mentorship; the proposer is one of the two people (a member is themself)."""
    mentor_id, mentee_id = data["mentor_id"], data["mentee_id"]
    if mentor_id == mentee_id:
        raise Invalid.field("/mentee_id", "A mentorship joins two different people.")
    if caller.is_member:
        if caller.person_id not in (mentor_id, mentee_id):
            raise Forbidden("A member token proposes only mentorships it is part of.")
        proposed_by = caller.person_id
    else:
        proposed_by = data.get("proposed_by") or mentee_id
        if proposed_by not in (mentor_id, mentee_id):
            raise Invalid.field("/proposed_by", "The proposer is the mentor or the mentee.")
    mentor = require_person(session, mentor_id, "/mentor_id")
    mentee = require_person(session, mentee_id, "/mentee_id")
    for person, pointer in ((mentor, "/mentor_id"), (mentee, "/mentee_id")):
        if not person.active:
            raise Invalid.field(pointer, "This person is no longer active.")
    kind = data["kind"]
    _check_pairing(kind, mentor, mentee)
    goal_ids = _check_goals(session, data.get("goal_ids", []), mentee_id)
    lock_people(session, (mentor_id, mentee_id))
    settle_lapsed(session, (mentor_id, mentee_id), now)
    pair = or_(
        and_(Mentorship.mentor_id == mentor_id, Mentorship.mentee_id == mentee_id),
        and_(Mentorship.mentor_id == mentee_id, Mentorship.mentee_id == mentor_id),
    )
    open_one = session.scalar(
        select(Mentorship.id).where(
            pair, Mentorship.kind == kind, Mentorship.status.in_(("proposed", "active"))
        )
    )
    if open_one is not None:
        raise Conflict(
            f"These two people already have a {kind} that is proposed or active ({open_one}).",
            mentorship_id=open_one,
        )
    mentorship = Mentorship(
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        kind=kind,
        status="proposed",
        proposed_by=proposed_by,
        goal_ids=goal_ids,
        cadence_days=data.get("cadence_days", 14),
        ends_on=data.get("ends_on"),
        message=data.get("message"),
        created_at=now,
        updated_at=now,
    )
    session.add(mentorship)
    session.flush()
    return mentorship


def _require_side(caller: Caller, mentorship: Mentorship, *, other_side: bool, action: str) -> None:
    sides = (mentorship.mentor_id, mentorship.mentee_id)
    if not caller.is_member:
        raise Forbidden(f"Only the people of a mentorship {action} it; an admin may only cancel.")
    if caller.person_id not in sides:
        raise Forbidden(f"Only the people of a mentorship {action} it.")
    if other_side and caller.person_id == mentorship.proposed_by:
        raise Forbidden(f"Only the side that did not propose a mentorship may {action} it.")


def _transition(
    mentorship: Mentorship, now: datetime, allowed: tuple[str, ...], action: str
) -> None:
    current = effective_status(mentorship, today_of(now))
    if current not in allowed:
        raise Conflict(
            f"A {current} mentorship cannot be {action}; only a {' or '.join(allowed)} one can."
        )


def lock_people(session: Session, person_ids: Collection[str]) -> None:
    """Take the row locks of these people until the transaction ends, in id order.

    A no-op write: a row lock on PostgreSQL, the database's write lock on SQLite. Writers
    that take the same people queue here, so that what they read next is current.
    """
    people = Person.__table__
    for person_id in sorted(set(person_ids)):
        session.execute(
            update(people)
            .where(people.c.id == person_id)
            .values(mentor_capacity=people.c.mentor_capacity)
        )


def accept(session: Session, caller: Caller, mentorship: Mentorship, now: datetime) -> Mentorship:
    """Accept a proposal: both people still active and, for a mentorship, a free slot.

    ``mentor_capacity`` bounds the mentorships of kind ``mentorship`` a person gives, the
    ones ``open_to_mentor`` is about; reverse mentoring and cross-functional pairings are
    agreed between the two people and not counted against it.
    """
    _require_side(caller, mentorship, other_side=True, action="accept")
    # Concurrent accepts for the same mentor queue on the mentor's lock, then read again.
    lock_people(session, [mentorship.mentor_id])
    session.refresh(mentorship)
    _transition(mentorship, now, ("proposed",), "accepted")
    people = dict(
        session.execute(
            select(Person.id, Person.active).where(
                Person.id.in_((mentorship.mentor_id, mentorship.mentee_id))
            )
        ).all()
    )
    if not people.get(mentorship.mentor_id) or not people.get(mentorship.mentee_id):
        raise Conflict("One of the two people is no longer active.")
    if mentorship.kind == "mentorship":
        capacity = session.scalar(
            select(Person.mentor_capacity).where(Person.id == mentorship.mentor_id)
        )
        taken = session.scalar(
            select(func.count())
            .select_from(Mentorship)
            .where(
                Mentorship.mentor_id == mentorship.mentor_id,
                Mentorship.kind == "mentorship",
                is_active(today_of(now)),
            )
        )
        if taken >= capacity:
            raise Conflict(
                f"The mentor's capacity is full ({taken} of {capacity} active mentorships)."
            )
    mentorship.status = "active"
    mentorship.accepted_at = now
    mentorship.updated_at = now
    session.flush()
    return mentorship


def decline(
    session: Session, caller: Caller, mentorship: Mentorship, reason: str | None, now: datetime
) -> Mentorship:
    """Decline a proposal, with an optional reason."""
    _require_side(caller, mentorship, other_side=True, action="decline")
    _transition(mentorship, now, ("proposed",), "declined")
    mentorship.status = "declined"
    mentorship.decline_reason = reason
    mentorship.ended_at = mentorship.updated_at = now
    session.flush()
    return mentorship


def complete(
    session: Session, caller: Caller, mentorship: Mentorship, reason: str, now: datetime
) -> Mentorship:
    """Complete an active mentorship, recording why it ends."""
    _require_side(caller, mentorship, other_side=False, action="complete")
    if not reason:
        raise Invalid.field(
            "/reason", "Say why the mentorship ends: the closure reason is required."
        )
    _transition(mentorship, now, ("active",), "completed")
    mentorship.status = "completed"
    mentorship.closure_reason = reason
    mentorship.ended_at = mentorship.updated_at = now
    session.flush()
    return mentorship


def cancel(
    session: Session, caller: Caller, mentorship: Mentorship, reason: str | None, now: datetime
) -> Mentorship:
    """Cancel a proposed or active mentorship (either side, or an admin)."""
    if not caller.is_admin:
        _require_side(caller, mentorship, other_side=False, action="cancel")
    _transition(mentorship, now, ("proposed", "active"), "cancelled")
    mentorship.status = "cancelled"
    mentorship.closure_reason = reason
    mentorship.ended_at = mentorship.updated_at = now
    session.flush()
    return mentorship


def update_agreement(
    session: Session,
    caller: Caller,
    mentorship: Mentorship,
    changes_: dict[str, Any],
    now: datetime,
) -> Mentorship:
    """Change the agreement (goals, cadence, end date) of a proposed or active mentorship."""
    if caller.is_member and caller.person_id not in (mentorship.mentor_id, mentorship.mentee_id):
        raise Forbidden("Only the people of a mentorship change its agreement.")
    _transition(mentorship, now, ("proposed", "active"), "changed")
    if "goal_ids" in changes_:
        mentorship.goal_ids = _check_goals(session, changes_["goal_ids"], mentorship.mentee_id)
    for name in ("cadence_days", "ends_on", "message"):
        if name in changes_:
            setattr(mentorship, name, changes_[name])
    mentorship.updated_at = now
    session.flush()
    return mentorship
