"""The health of a mentorship, from its interactions and feedback, with the evidence.

Only an active mentorship has a health (the others are answered with null):

* ``at_risk`` — either side's latest rating is :data:`LOW_RATING` or less, or both sides have
  been silent (no interaction logged by either with the other, no feedback) for twice the
  cadence;
* ``too_early`` — otherwise, while the mentorship is younger than its cadence;
* ``needs_check_in`` — otherwise, when no interaction between the two falls within the cadence;
* ``on_track`` — otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.feedback.logic import latest_feedback
from service.interactions.models import Interaction
from service.mentorships.logic import effective_status, today_of
from service.mentorships.models import Mentorship

STATES = ("on_track", "needs_check_in", "at_risk", "too_early")
LOW_RATING = 2
DAY = 86400.0


def _last_contacts(
    session: Session, pairs: set[frozenset[str]], now: datetime
) -> dict[frozenset[str], datetime]:
    people = sorted({person for pair in pairs for person in pair})
    last: dict[frozenset[str], datetime] = {}
    for start in range(0, len(people), 900):
        rows = session.execute(
            select(Interaction.person_id, Interaction.contact_id, func.max(Interaction.occurred_at))
            .where(
                Interaction.person_id.in_(people[start : start + 900]),
                Interaction.occurred_at <= now,
            )
            .group_by(Interaction.person_id, Interaction.contact_id)
        )
        for person_id, contact_id, at in rows:
            pair = frozenset((person_id, contact_id))
            if pair in pairs:
                if pair not in last or at > last[pair]:
                    last[pair] = at
    return last


def assess(
    session: Session, mentorships: Sequence[Mentorship], now: datetime
) -> dict[str, dict[str, Any] | None]:
    """The health of each mentorship (None for one that is not active), with its evidence."""
    today = today_of(now)
    active = [m for m in mentorships if effective_status(m, today) == "active"]
    contacts = _last_contacts(session, {frozenset((m.mentor_id, m.mentee_id)) for m in active}, now)
    feedback = latest_feedback(session, [m.id for m in active], now)
    out: dict[str, dict[str, Any] | None] = {m.id: None for m in mentorships}
    for mentorship in active:
        out[mentorship.id] = _health(
            mentorship,
            contacts.get(frozenset((mentorship.mentor_id, mentorship.mentee_id))),
            feedback.get(mentorship.id, {}),
            now,
        )
    return out


def _health(
    mentorship: Mentorship, last_contact: datetime | None, latest: dict[str, Any], now: datetime
) -> dict[str, Any]:
    cadence = mentorship.cadence_days
    started = mentorship.accepted_at or mentorship.created_at
    age = (now - started).total_seconds() / DAY
    contact_from = max(last_contact, started) if last_contact else started
    since_contact = (now - contact_from).total_seconds() / DAY
    last_feedback = max((f.created_at for f in latest.values()), default=None)
    last_sign = max(contact_from, last_feedback) if last_feedback else contact_from
    quiet = (now - last_sign).total_seconds() / DAY
    side = {mentorship.mentor_id: "mentor", mentorship.mentee_id: "mentee"}
    low = [f for f in latest.values() if f.rating <= LOW_RATING]
    reasons = []
    if low:
        state = "at_risk"
        reasons += [f"the {side[f.person_id]}'s latest rating is {f.rating} of 5" for f in low]
    elif quiet >= 2 * cadence:
        state = "at_risk"
        reasons.append(
            f"neither side has logged contact or feedback for {int(quiet)} days, "
            f"twice the cadence of {cadence} days or more"
        )
    elif age < cadence:
        state = "too_early"
        reasons.append(f"accepted {int(age)} days ago, within its first cadence of {cadence} days")
    elif since_contact > cadence:
        state = "needs_check_in"
        reasons.append(f"no contact for {int(since_contact)} days; the cadence is {cadence} days")
    else:
        state = "on_track"
        reasons.append(f"last contact {int(since_contact)} days ago, within the cadence")
    return {
        "state": state,
        "reasons": reasons,
        "cadence_days": cadence,
        "last_contact_at": last_contact,
        "days_since_contact": int(since_contact),
        "last_feedback_at": last_feedback,
        "latest_ratings": [
            {
                "person_id": f.person_id,
                "rating": f.rating,
                "goals_progressing": f.goals_progressing,
                "given_at": f.created_at,
            }
            for f in sorted(latest.values(), key=lambda f: f.person_id)
        ],
    }


def filtered(
    session: Session,
    caller: Any,
    filters: Any,
    state: str,
    now: datetime,
    *,
    offset: int,
    limit: int,
) -> tuple[list[Mentorship], int]:
    """One page of the visible mentorships in a health state, newest first, and how many.

    Health depends on time, interactions and feedback, so it is worked out for every active
    mentorship that passes the other filters, and the page cut afterwards.
    """
    from service.mentorships.logic import list_mentorships

    if filters.status not in (None, "active"):
        return [], 0
    active, _total = list_mentorships(
        session, caller, replace(filters, status="active"), now, offset=0, limit=2**31 - 1
    )
    healths = assess(session, active, now)
    matching = [m for m in active if (healths[m.id] or {}).get("state") == state]
    return matching[offset : offset + limit], len(matching)
