"""Impressions and their outcomes: what was served, and what came of it.

Outcomes are not copied into a table of their own: they are read from the mentorships and
interactions themselves and linked to the impression that preceded them, so they can never
drift from what happened (a mentorship declined after being accepted, an interaction deleted).

An outcome is linked to the latest impression that showed the candidate to the person for
the purpose, up to :data:`ATTRIBUTION_DAYS` before it:

* ``proposed``, ``accepted``, ``declined``, ``completed`` (with its closure reason),
  ``cancelled`` — a mentorship between the two of the kind the purpose is for (mentor: a
  ``mentorship`` with the candidate as mentor; reverse mentor: a ``reverse_mentorship`` with
  the candidate as mentor; cross-functional: any kind between the two), proposed after the
  impression;
* ``interacted`` — the first interaction logged between the two (by either) after it.

A **good outcome** (the label the learning predicts), per purpose:

* ``mentor`` and ``reverse_mentor``: the mentorship was accepted, and its feedback, if any,
  averages at least :data:`GOOD_RATING`;
* ``cross_functional``: the two interacted, or a mentorship between them was accepted.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from matching import COMPONENTS, PURPOSES
from matching.learn import LoggedItem, LoggedList
from service.feedback.models import MentorshipFeedback
from service.interactions.models import Interaction
from service.mentorships.models import Mentorship
from service.outcomes.models import Impression

# The same list asked again within this time is one impression, not two.
DEDUPLICATE_WITHIN = timedelta(hours=1)
# How long after an impression an outcome is still credited to it.
ATTRIBUTION_DAYS = 30
# Mean feedback rating (1–5) below which an accepted mentorship is not a good outcome.
GOOD_RATING = 3.0
# Mentorship kind each purpose is about (None: any kind).
KIND_OF_PURPOSE = {
    "mentor": "mentorship",
    "reverse_mentor": "reverse_mentorship",
    "cross_functional": None,
}


def list_signature(
    purpose: str, goal_id: str | None, weights_version: int, ids: Sequence[str]
) -> str:
    """What identifies a served list: purpose, goal, weights version and people, in order."""
    text = json.dumps([purpose, goal_id, weights_version, list(ids)])
    return hashlib.sha256(text.encode()).hexdigest()


def record_impression(
    session: Session, served: Mapping[str, Any], weights_version: int, now: datetime
) -> Impression | None:
    """Keep a served list (the answer of ``recommendations.logic.recommend``) compactly.

    An empty list is not kept, nor a list of a purpose the engine does not score with its
    weights (``broker``: the influence map ranks it); the same list served to the same person
    within an hour returns the impression already kept.
    """
    items = served["items"]
    if not items or served["purpose"] not in PURPOSES:
        return None
    ids = [item["person"].id for item in items]
    signature = list_signature(served["purpose"], served.get("goal_id"), weights_version, ids)
    earlier = session.scalar(
        select(Impression)
        .where(
            Impression.person_id == served["person_id"],
            Impression.purpose == served["purpose"],
            Impression.served_at > now - DEDUPLICATE_WITHIN,
            Impression.signature == signature,
        )
        .limit(1)
    )
    if earlier is not None:
        return earlier
    impression = Impression(
        person_id=served["person_id"],
        purpose=served["purpose"],
        goal_id=served.get("goal_id"),
        weights_version=weights_version,
        served_at=now,
        signature=signature,
        items=[
            [
                item["person"].id,
                round(item["score"], 6),
                [round(item["components"][name], 4) for name in COMPONENTS],
            ]
            for item in items
        ],
    )
    session.add(impression)
    session.flush()
    return impression


def prune_impressions(session: Session, now: datetime, retention_days: int) -> int:
    """Delete impressions older than the retention; return how many."""
    result = session.execute(
        delete(Impression).where(Impression.served_at < now - timedelta(days=retention_days))
    )
    return result.rowcount or 0


@dataclass(frozen=True)
class Outcome:
    """Something that happened between a person and someone recommended to them."""

    impression_id: str
    person_id: str
    candidate_id: str
    purpose: str
    kind: str  # proposed, accepted, declined, completed, cancelled, interacted
    at: datetime
    mentorship_id: str | None = None
    interaction_id: str | None = None
    closure_reason: str | None = None


def _impressions(session: Session, since: datetime, until: datetime) -> list[Impression]:
    return list(
        session.scalars(
            select(Impression)
            .where(Impression.served_at >= since, Impression.served_at < until)
            .order_by(Impression.served_at, Impression.id)
        )
    )


def _mentorship_events(mentorship: Mentorship) -> Iterator[tuple[str, datetime, str | None]]:
    yield "proposed", mentorship.created_at, None
    if mentorship.accepted_at is not None:
        yield "accepted", mentorship.accepted_at, None
    if mentorship.status in ("declined", "completed", "cancelled") and mentorship.ended_at:
        yield mentorship.status, mentorship.ended_at, mentorship.closure_reason


class _Shown:
    """When each candidate was shown to each person for each purpose, for attribution."""

    def __init__(self, impressions: Sequence[Impression]) -> None:
        self._times: dict[tuple[str, str, str], list[tuple[datetime, str]]] = defaultdict(list)
        for impression in impressions:  # in served order, so each list stays sorted
            for candidate_id, _score, _components in impression.items:
                key = (impression.person_id, candidate_id, impression.purpose)
                self._times[key].append((impression.served_at, impression.id))

    def pairs(self) -> set[tuple[str, str]]:
        """Every (person, candidate) shown."""
        return {(person, candidate) for person, candidate, _ in self._times}

    def credited(self, person: str, candidate: str, purpose: str, at: datetime) -> str | None:
        """The latest impression before ``at`` showing ``candidate`` to ``person``, if recent."""
        times = self._times.get((person, candidate, purpose))
        if not times:
            return None
        i = bisect.bisect_left(times, (at, "")) - 1
        if i < 0 or at - times[i][0] > timedelta(days=ATTRIBUTION_DAYS):
            return None
        return times[i][1]


def _fits(purpose: str, mentorship: Mentorship, person: str, candidate: str) -> bool:
    kind = KIND_OF_PURPOSE[purpose]
    if kind is None:
        return True
    return mentorship.kind == kind and (mentorship.mentor_id, mentorship.mentee_id) == (
        candidate,
        person,
    )


def _between(column_a, column_b, people: Sequence[str]):
    return or_(column_a.in_(people), column_b.in_(people))


def linked_outcomes(
    session: Session, impressions: Sequence[Impression], now: datetime
) -> list[Outcome]:
    """The outcomes that followed these impressions, each linked to the one it is credited to."""
    if not impressions:
        return []
    shown = _Shown(impressions)
    pairs = shown.pairs()
    people = sorted({person for person, _ in pairs})
    since = min(impression.served_at for impression in impressions)
    out: list[Outcome] = []
    purposes = sorted({impression.purpose for impression in impressions})
    for start in range(0, len(people), 900):
        chunk = people[start : start + 900]
        mentorships = session.scalars(
            select(Mentorship).where(
                Mentorship.created_at >= since,
                _between(Mentorship.mentor_id, Mentorship.mentee_id, chunk),
            )
        )
        for mentorship in mentorships:
            for person, candidate in (
                (mentorship.mentee_id, mentorship.mentor_id),
                (mentorship.mentor_id, mentorship.mentee_id),
            ):
                if (person, candidate) not in pairs or person not in chunk:
                    continue
                for purpose in purposes:
                    if not _fits(purpose, mentorship, person, candidate):
                        continue
                    credited = shown.credited(person, candidate, purpose, mentorship.created_at)
                    if credited is None:
                        continue
                    for kind, at, reason in _mentorship_events(mentorship):
                        if at <= now:
                            out.append(
                                Outcome(
                                    credited,
                                    person,
                                    candidate,
                                    purpose,
                                    kind,
                                    at,
                                    mentorship_id=mentorship.id,
                                    closure_reason=reason,
                                )
                            )
        interactions = session.execute(
            select(
                Interaction.id,
                Interaction.person_id,
                Interaction.contact_id,
                Interaction.occurred_at,
            )
            .where(
                Interaction.occurred_at >= since,
                Interaction.occurred_at <= now,
                _between(Interaction.person_id, Interaction.contact_id, chunk),
            )
            .order_by(Interaction.occurred_at, Interaction.id)
        )
        seen: set[tuple[str, str, str]] = set()
        for interaction_id, logger, contact, occurred_at in interactions:
            for person, candidate in ((logger, contact), (contact, logger)):
                if (person, candidate) not in pairs or person not in chunk:
                    continue
                for purpose in purposes:
                    credited = shown.credited(person, candidate, purpose, occurred_at)
                    if credited is None or (credited, candidate, purpose) in seen:
                        continue
                    seen.add((credited, candidate, purpose))
                    out.append(
                        Outcome(
                            credited,
                            person,
                            candidate,
                            purpose,
                            "interacted",
                            occurred_at,
                            interaction_id=interaction_id,
                        )
                    )
    return out


def _mean_ratings(session: Session, mentorship_ids: set[str]) -> dict[str, float]:
    means: dict[str, float] = {}
    ordered = sorted(mentorship_ids)
    for start in range(0, len(ordered), 900):
        rows = session.execute(
            select(MentorshipFeedback.mentorship_id, func.avg(MentorshipFeedback.rating))
            .where(MentorshipFeedback.mentorship_id.in_(ordered[start : start + 900]))
            .group_by(MentorshipFeedback.mentorship_id)
        )
        means.update({mentorship_id: float(mean) for mentorship_id, mean in rows})
    return means


def good_outcomes(session: Session, outcomes: Sequence[Outcome]) -> set[tuple[str, str]]:
    """The (impression, candidate) pairs whose outcome was good, by the rules above."""
    ratings = _mean_ratings(session, {o.mentorship_id for o in outcomes if o.mentorship_id})
    good: set[tuple[str, str]] = set()
    for outcome in outcomes:
        accepted = outcome.kind == "accepted" and (
            ratings.get(outcome.mentorship_id or "", GOOD_RATING) >= GOOD_RATING
        )
        interacted = outcome.kind == "interacted" and outcome.purpose == "cross_functional"
        if accepted or interacted:
            good.add((outcome.impression_id, outcome.candidate_id))
    return good


def logged_lists(
    session: Session, since: datetime, until: datetime, now: datetime
) -> tuple[list[LoggedList], list[Outcome]]:
    """The lists served in [since, until), labelled with their good outcomes, for learning.

    Returns the outcomes too, so that a report can count them by kind.
    """
    impressions = _impressions(session, since, until)
    outcomes = linked_outcomes(session, impressions, now)
    good = good_outcomes(session, outcomes)
    lists = [
        LoggedList(
            list_id=impression.id,
            person_id=impression.person_id,
            purpose=impression.purpose,
            served_at=impression.served_at,
            items=tuple(
                LoggedItem(
                    candidate_id=candidate_id,
                    position=position,
                    components=dict(zip(COMPONENTS, components, strict=True)),
                    good=(impression.id, candidate_id) in good,
                )
                for position, (candidate_id, _score, components) in enumerate(
                    impression.items, start=1
                )
            ),
        )
        for impression in impressions
    ]
    return lists, outcomes


def recent_queries(
    session: Session, since: datetime, limit: int
) -> list[tuple[str, str, str | None]]:
    """Distinct (person, purpose, goal) asked since ``since``, the most recent first."""
    rows = session.execute(
        select(Impression.person_id, Impression.purpose, Impression.goal_id)
        .where(Impression.served_at >= since)
        .group_by(Impression.person_id, Impression.purpose, Impression.goal_id)
        .order_by(func.max(Impression.served_at).desc())
        .limit(limit)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]
