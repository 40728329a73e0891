"""Feedback on mentorships and its schedule: asked 30 days after acceptance, then every 60."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.auth import Caller
from service.db import page_of
from service.errors import Conflict, Forbidden
from service.feedback.models import MentorshipFeedback
from service.mentorships.logic import effective_status, get_mentorship, is_active, today_of
from service.mentorships.models import Mentorship
from service.people.logic import require_exists

FIRST_REQUEST = timedelta(days=30)
REQUEST_EVERY = timedelta(days=60)


def due_dates(accepted_at: datetime, now: datetime) -> list[datetime]:
    """When feedback on a mentorship accepted at ``accepted_at`` fell due, up to ``now``."""
    dates = []
    due = accepted_at + FIRST_REQUEST
    while due <= now:
        dates.append(due)
        due += REQUEST_EVERY
    return dates


def give(
    session: Session, caller: Caller, mentorship_id: str, data: dict[str, Any], now: datetime
) -> MentorshipFeedback:
    """Record one side's feedback on an active (or completed) mentorship."""
    mentorship = get_mentorship(session, caller, mentorship_id)
    if not caller.is_member or caller.person_id not in (
        mentorship.mentor_id,
        mentorship.mentee_id,
    ):
        raise Forbidden("Only the mentor and the mentee give feedback on a mentorship.")
    status = effective_status(mentorship, today_of(now))
    if status not in ("active", "completed"):
        raise Conflict(f"A {status} mentorship takes no feedback; an active or completed one does.")
    feedback = MentorshipFeedback(
        mentorship_id=mentorship.id,
        person_id=caller.person_id,
        rating=data["rating"],
        goals_progressing=data["goals_progressing"],
        comment=data.get("comment"),
        created_at=now,
    )
    session.add(feedback)
    session.flush()
    return shown(feedback, caller)


def shown(feedback: MentorshipFeedback, caller: Caller) -> MentorshipFeedback:
    """Set what the caller may read: the comment is its author's alone."""
    feedback.shown_comment = feedback.comment if caller.is_person(feedback.person_id) else None
    return feedback


def list_feedback(
    session: Session, caller: Caller, mentorship_id: str, *, offset: int, limit: int
) -> tuple[list[MentorshipFeedback], int]:
    """One page of a mentorship's feedback, newest first (the two people and admins)."""
    get_mentorship(session, caller, mentorship_id)
    query = select(MentorshipFeedback).where(MentorshipFeedback.mentorship_id == mentorship_id)
    items, total = page_of(
        session,
        query,
        MentorshipFeedback.created_at.desc(),
        MentorshipFeedback.id.desc(),
        offset=offset,
        limit=limit,
    )
    return [shown(item, caller) for item in items], total


def requests(session: Session, caller: Caller, person_id: str, now: datetime) -> list[dict]:
    """The feedback a person owes now: one per active mentorship whose latest request is open.

    A request falls due 30 days after acceptance and every 60 days after that; it is answered
    by feedback the person gives from its due date on, and superseded by the next one.
    """
    if caller.is_member and not caller.is_person(person_id):
        raise Forbidden("A member token reads only its own feedback requests.")
    require_exists(session, person_id)
    mentorships = session.scalars(
        select(Mentorship)
        .where(
            or_(Mentorship.mentor_id == person_id, Mentorship.mentee_id == person_id),
            is_active(today_of(now)),
            Mentorship.accepted_at.is_not(None),
        )
        .order_by(Mentorship.accepted_at, Mentorship.id)
    ).all()
    latest = dict(
        session.execute(
            select(MentorshipFeedback.mentorship_id, MentorshipFeedback.created_at)
            .where(
                MentorshipFeedback.person_id == person_id,
                MentorshipFeedback.mentorship_id.in_([m.id for m in mentorships]),
                MentorshipFeedback.created_at <= now,
            )
            .order_by(MentorshipFeedback.created_at)
        ).all()
    )
    out = []
    for mentorship in mentorships:
        dates = due_dates(mentorship.accepted_at, now)
        if not dates:
            continue
        answered = latest.get(mentorship.id)
        if answered is not None and answered >= dates[-1]:
            continue
        is_mentor = mentorship.mentor_id == person_id
        out.append(
            {
                "mentorship_id": mentorship.id,
                "counterpart_id": mentorship.mentee_id if is_mentor else mentorship.mentor_id,
                "role": "mentor" if is_mentor else "mentee",
                "sequence": len(dates),
                "due_at": dates[-1],
                "next_due_at": dates[-1] + REQUEST_EVERY,
            }
        )
    out.sort(key=lambda request: (request["due_at"], request["mentorship_id"]))
    return out


def latest_feedback(
    session: Session, mentorship_ids: list[str], now: datetime
) -> dict[str, dict[str, MentorshipFeedback]]:
    """Each mentorship's latest feedback from each side, up to ``now``."""
    out: dict[str, dict[str, MentorshipFeedback]] = {}
    for start in range(0, len(mentorship_ids), 900):
        rows = session.scalars(
            select(MentorshipFeedback)
            .where(
                MentorshipFeedback.mentorship_id.in_(mentorship_ids[start : start + 900]),
                MentorshipFeedback.created_at <= now,
            )
            .order_by(MentorshipFeedback.created_at, MentorshipFeedback.id)
        )
        for feedback in rows:
            out.setdefault(feedback.mentorship_id, {})[feedback.person_id] = feedback
    return out
