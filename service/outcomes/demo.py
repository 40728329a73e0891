"""Demo outcomes: recommendation lists served over the last half year and what came of them.

Simulated members react to the lists they were served with hidden preferences that differ
from the engine's defaults (they value what they can teach back and a different perspective
more, and seniority less), so that `rapport matching learn` on the demo database has
something to find: mentorships proposed, accepted, declined and completed, interactions with
recommended people, and feedback on the accepted mentorships.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

import matching
from service import changes
from service.db import new_id
from service.feedback.models import MentorshipFeedback
from service.interactions.models import Interaction
from service.mentorships.models import OPEN_STATUSES, Mentorship
from service.outcomes.logic import list_signature
from service.outcomes.models import Impression
from service.recommendations.records import person_records

# What the demo's members really value (hidden from the engine), per component.
HIDDEN = {
    "skill_fit": 0.25,
    "goal_alignment": 0.10,
    "seniority_fit": 0.02,
    "perspective_diversity": 0.20,
    "network_novelty": 0.08,
    "mutual_benefit": 0.30,
    "availability": 0.05,
}
PURPOSE_SHARE = {"mentor": 0.5, "reverse_mentor": 0.15, "cross_functional": 0.35}
KIND = {"mentor": "mentorship", "reverse_mentor": "reverse_mentorship"}


def _appeal(components: dict[str, float]) -> float:
    utility = sum(HIDDEN[name] * value for name, value in components.items())
    return 1.0 / (1.0 + math.exp(-14.0 * (utility - 0.45)))


def load(session: Session, *, seed: int, now: datetime) -> dict[str, int]:
    """Serve lists in the past, record reactions to them; return the rows written."""
    rng = random.Random(seed * 7919 + 15)
    records = person_records(session, None, now)
    index = matching.MatchIndex().fit(records.values())
    active = sorted(pid for pid, record in records.items() if record.active)
    open_pairs = {
        (m, e, k)
        for m, e, k in session.execute(
            select(Mentorship.mentor_id, Mentorship.mentee_id, Mentorship.kind).where(
                Mentorship.status.in_(OPEN_STATUSES)
            )
        )
    }
    taken: Counter[str] = Counter(record.active_mentees for record in records.values())
    impressions, mentorships, interactions, feedback = [], [], [], []
    for _ in range(min(3000, len(active))):
        person_id = rng.choice(active)
        purpose = rng.choices(list(PURPOSE_SHARE), list(PURPOSE_SHARE.values()))[0]
        found = index.recommend(person_id, purpose, k=10)
        if not found:
            continue
        served_at = now - timedelta(days=rng.uniform(1, 180), minutes=rng.randint(0, 600))
        ids = [r.person_id for r in found]
        impressions.append(
            {
                "id": new_id("imp"),
                "person_id": person_id,
                "purpose": purpose,
                "goal_id": None,
                "weights_version": 0,
                "served_at": served_at,
                "signature": list_signature(purpose, None, 0, ids),
                "items": [
                    [r.person_id, r.score, [round(r.components[c], 4) for c in matching.COMPONENTS]]
                    for r in found
                ],
            }
        )
        for position, item in enumerate(found, start=1):
            # People look at the top of a list more than its end.
            p = _appeal(item.components) / (1.0 + 0.15 * (position - 1))
            reacted = rng.random() < p
            at = served_at + timedelta(days=rng.uniform(0.5, 20))
            if at > now:
                continue
            if purpose == "cross_functional":
                if reacted:
                    interactions.append(_interaction(person_id, item.person_id, at))
                continue
            pair = (item.person_id, person_id, KIND[purpose])
            if not (reacted or rng.random() < 0.02) or pair in open_pairs:
                continue
            full = (
                purpose == "mentor"
                and taken[item.person_id] >= records[item.person_id].mentor_capacity
            )
            accepted = reacted and not full
            mentorship = _mentorship(rng, pair, person_id, at, now, accepted)
            mentorships.append(mentorship)
            if mentorship["status"] in OPEN_STATUSES:
                open_pairs.add(pair)
            if mentorship["status"] == "active" and purpose == "mentor":
                taken[item.person_id] += 1
            if mentorship["accepted_at"] is not None:
                feedback.extend(_feedback(rng, mentorship, item.components, now))
    for table, rows in (
        (Impression.__table__, impressions),
        (Mentorship.__table__, mentorships),
        (Interaction.__table__, interactions),
        (MentorshipFeedback.__table__, feedback),
    ):
        for start in range(0, len(rows), 2000):
            session.execute(insert(table), rows[start : start + 2000])
    changes.record(session, {changes.EVERYONE})
    session.commit()
    return {
        "impressions": len(impressions),
        "outcome mentorships": len(mentorships),
        "outcome interactions": len(interactions),
        "feedback": len(feedback),
    }


def _interaction(person_id: str, contact_id: str, at: datetime) -> dict:
    return {
        "id": new_id("int"),
        "person_id": person_id,
        "contact_id": contact_id,
        "kind": "coffee_chat",
        "occurred_at": at,
        "initiated_by": "person",
        "given": [],
        "received": ["advice"],
        "goal_id": None,
        "notes": None,
        "follow_up_due_at": None,
        "follow_up_done": False,
        "created_at": at,
        "updated_at": at,
        "version": 1,
    }


def _mentorship(
    rng: random.Random,
    pair: tuple[str, str, str],
    mentee_id: str,
    at: datetime,
    now: datetime,
    accepted: bool,
) -> dict:
    mentor_id, _, kind = pair
    answered = at + timedelta(days=rng.uniform(0.5, 5))
    if answered > now:
        status, accepted_at, ended_at = "proposed", None, None
    elif not accepted:
        status, accepted_at, ended_at = "declined", None, answered
    else:
        accepted_at = answered
        ended_at = accepted_at + timedelta(days=rng.uniform(60, 150))
        status = "completed" if ended_at <= now else "active"
        ended_at = ended_at if status == "completed" else None
    return {
        "id": new_id("men"),
        "mentor_id": mentor_id,
        "mentee_id": mentee_id,
        "kind": kind,
        "status": status,
        "proposed_by": mentee_id,
        "goal_ids": [],
        "cadence_days": rng.choice((14, 14, 30)),
        "ends_on": None,
        "message": "Saw you among my recommendations.",
        "decline_reason": "No time this quarter." if status == "declined" else None,
        "closure_reason": "Goal achieved." if status == "completed" else None,
        "accepted_at": accepted_at,
        "ended_at": ended_at,
        "created_at": at,
        "updated_at": ended_at or accepted_at or at,
        "version": 1,
    }


def _feedback(
    rng: random.Random, mentorship: dict, components: dict[str, float], now: datetime
) -> list[dict]:
    rows = []
    due = mentorship["accepted_at"] + timedelta(days=30)
    end = mentorship["ended_at"] or now
    appeal = _appeal(components)
    while due <= min(now, end):
        for person_id in (mentorship["mentee_id"], mentorship["mentor_id"]):
            if rng.random() < 0.8:
                rating = max(1, min(5, round(rng.gauss(2.2 + 3.0 * appeal, 0.8))))
                rows.append(
                    {
                        "id": new_id("fbk"),
                        "mentorship_id": mentorship["id"],
                        "person_id": person_id,
                        "rating": rating,
                        "goals_progressing": rating >= 3,
                        "comment": None,
                        "created_at": due + timedelta(days=rng.uniform(0, 5)),
                    }
                )
        due += timedelta(days=60)
    return [row for row in rows if row["created_at"] <= now]
