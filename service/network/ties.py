"""The ties of the influence map, typed, read from interactions, mentorships and reporting lines.

Every tie joins two *active* people and has a weight in (0, 1]; a pair's kinds combine as a
noisy-OR, w = 1 − Π(1 − w_kind) (``matching.graph.combine``):

* ``interaction`` — the relationship strength Rapport already derives from interactions
  (``service/relationships/strength.py``): each interaction, whoever logged it, adds its depth
  (mentoring session 1.0, coffee chat 0.9, video call 0.8, meeting 0.7, event 0.4, message
  0.35, social-media message 0.2) halved every 90 days of age, and the sum s saturates as
  1 − exp(−s/2): one recent coffee chat ≈ 0.36, three ≈ 0.74. Below 10⁻⁴ (one coffee chat
  about three years ago) the interactions no longer make a tie.
* ``mentorship`` — an active mentorship (of any kind) 0.6; a completed one 0.3 (mentor and
  mentee keep a tie). Proposed, declined and cancelled ones are no tie.
* ``reporting`` — a manager and each direct report, 0.5.

The job reads the whole graph into arrays (:func:`whole_graph`); requests read only the ties
around a few people (:func:`ties_between`), so that no request loads the whole graph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from matching.graph import combine
from service.interactions.models import Interaction
from service.mentorships.logic import today_of
from service.mentorships.models import Mentorship
from service.people.models import Person
from service.relationships.strength import DEPTH, HALF_LIFE_DAYS, SATURATION, contribution

MENTORSHIP_WEIGHT = {"active": 0.6, "completed": 0.3}
# Interactions whose strength decayed below this are no tie (one coffee chat three years ago,
# or anything decades old): the same cut in the job and in requests.
MIN_INTERACTION_WEIGHT = 1e-4
REPORTING_WEIGHT = 0.5
# The kinds that make a person's informal network (brokerage, communities, silos): the
# reporting lines are the formal organisation, which every org chart already shows.
INFORMAL = ("interaction", "mentorship")


@dataclass
class Evidence:
    """What is known of the tie between two people: its kinds, weights and contacts."""

    a: str
    b: str
    interaction: float = 0.0
    interactions: int = 0
    first_contact_at: datetime | None = None
    last_contact_at: datetime | None = None
    mentorship: str | None = None  # "active" or "completed"
    mentor_id: str | None = None
    manager_id: str | None = None
    contributions: float = field(default=0.0, repr=False)

    @property
    def kinds(self) -> list[str]:
        """The kinds of evidence of this tie."""
        found = []
        if self.interactions:
            found.append("interaction")
        if self.mentorship:
            found.append("mentorship")
        if self.manager_id:
            found.append("reporting")
        return found

    def weight(self, kinds: Collection[str] = ("interaction", "mentorship", "reporting")) -> float:
        """The tie's weight, counting only the given kinds."""
        parts = []
        if "interaction" in kinds and self.interaction >= MIN_INTERACTION_WEIGHT:
            parts.append(self.interaction)
        if "mentorship" in kinds and self.mentorship:
            parts.append(MENTORSHIP_WEIGHT[self.mentorship])
        if "reporting" in kinds and self.manager_id:
            parts.append(REPORTING_WEIGHT)
        return combine(parts)

    def other(self, person_id: str) -> str:
        """The other side of the tie."""
        return self.b if person_id == self.a else self.a


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


# Statements built once, with expanding parameters: a request pays for neither building nor
# compiling them again (SQLAlchemy caches the compiled form), only for the lookups.
LEFT = bindparam("left", expanding=True)
RIGHT = bindparam("right", expanding=True)


def _touching(left_column, right_column):
    """SQL: the row joins someone in ``left`` to anyone."""
    return or_(left_column.in_(LEFT), right_column.in_(LEFT))


def _joining(left_column, right_column):
    """SQL: the row joins someone in ``left`` to someone in ``right``."""
    return or_(
        and_(left_column.in_(LEFT), right_column.in_(RIGHT)),
        and_(right_column.in_(LEFT), left_column.in_(RIGHT)),
    )


def _statements(condition) -> tuple:
    interactions = (
        select(
            Interaction.person_id, Interaction.contact_id, Interaction.kind, Interaction.occurred_at
        )
        .where(condition(Interaction.person_id, Interaction.contact_id))
        .order_by(Interaction.occurred_at)
    )
    mentorships = select(
        Mentorship.mentor_id, Mentorship.mentee_id, Mentorship.status, Mentorship.ends_on
    ).where(
        Mentorship.status.in_(("active", "completed")),
        condition(Mentorship.mentor_id, Mentorship.mentee_id),
    )
    reports = select(Person.id, Person.manager_id).where(
        Person.manager_id.is_not(None), condition(Person.id, Person.manager_id)
    )
    return interactions, mentorships, reports


TOUCHING = _statements(_touching)
JOINING = _statements(_joining)
ACTIVE = select(Person.id).where(Person.id.in_(bindparam("ids", expanding=True)), Person.active)


def ties_between(
    session: Session, left: Collection[str], right: Collection[str] | None, now: datetime
) -> dict[tuple[str, str], Evidence]:
    """The ties joining someone in ``left`` to someone in ``right`` (to anyone when None).

    Keyed by the pair in id order; only ties between two active people. Four indexed queries.
    """
    if not left or (right is not None and not right):
        return {}
    found: dict[tuple[str, str], Evidence] = {}

    def evidence(a: str, b: str) -> Evidence:
        key = _pair(a, b)
        tie = found.get(key)
        if tie is None:
            tie = found[key] = Evidence(*key)
        return tie

    interactions, mentorships, reports = TOUCHING if right is None else JOINING
    params = {"left": sorted(left)}
    if right is not None:
        params["right"] = sorted(right)
    for logger, contact, kind, occurred_at in session.execute(interactions, params):
        if logger == contact:
            continue
        tie = evidence(logger, contact)
        tie.interactions += 1
        tie.contributions += contribution(kind, occurred_at, now)
        tie.first_contact_at = tie.first_contact_at or occurred_at
        tie.last_contact_at = occurred_at
    today = today_of(now)
    for mentor_id, mentee_id, status, ends_on in session.execute(mentorships, params):
        if mentor_id == mentee_id:
            continue
        state = "completed" if status == "active" and ends_on and ends_on < today else status
        tie = evidence(mentor_id, mentee_id)
        if tie.mentorship != "active":
            tie.mentorship, tie.mentor_id = state, mentor_id
    for report_id, manager_id in session.execute(reports, params):
        if report_id != manager_id:
            evidence(report_id, manager_id).manager_id = manager_id
    people = sorted({p for key in found for p in key})
    active = set(session.scalars(ACTIVE, {"ids": people})) if people else set()
    for key in [k for k in found if not (k[0] in active and k[1] in active)]:
        del found[key]
    for tie in found.values():
        tie.interaction = -float(np.expm1(-tie.contributions / SATURATION))
    return found


def adjacency(
    ties: Iterable[Evidence], kinds: Collection[str] = ("interaction", "mentorship", "reporting")
) -> dict[str, dict[str, float]]:
    """``{person: {contact: weight}}``, symmetric, from the ties (only the given kinds)."""
    out: dict[str, dict[str, float]] = {}
    for tie in ties:
        weight = tie.weight(kinds)
        if weight > 0:
            out.setdefault(tie.a, {})[tie.b] = weight
            out.setdefault(tie.b, {})[tie.a] = weight
    return out


@dataclass
class WholeGraph:
    """Every active person and every typed tie, as arrays (for the metrics job)."""

    ids: list[str]
    function: np.ndarray  # object array of function names
    division: np.ndarray  # object array; None for people without a division
    level: np.ndarray
    # One entry per typed tie: row < col, log(1 − weight), and whether it is informal.
    rows: np.ndarray
    cols: np.ndarray
    log_remaining: np.ndarray
    informal: np.ndarray


def whole_graph(session: Session, now: datetime) -> WholeGraph:
    """Read every active person and every tie between active people into arrays."""
    people = session.execute(
        select(Person.id, Person.function, Person.division, Person.level, Person.manager_id)
        .where(Person.active)
        .order_by(Person.id)
    ).all()
    interactions = session.execute(
        select(
            Interaction.person_id, Interaction.contact_id, Interaction.kind, Interaction.occurred_at
        )
    )
    mentorships = session.execute(
        select(
            Mentorship.mentor_id, Mentorship.mentee_id, Mentorship.status, Mentorship.ends_on
        ).where(Mentorship.status.in_(("active", "completed")))
    )
    return graph_of(people, interactions, mentorships, now)


def graph_of(
    people: Sequence[Any],
    interactions: Iterable[tuple[str, str, str, datetime]],
    mentorships: Iterable[tuple[str, str, str, date | None]],
    now: datetime,
) -> WholeGraph:
    """Build the arrays from rows: active people as ``(id, function, division, level,
    manager_id)`` (in a stable order), interactions as ``(person_id, contact_id, kind,
    occurred_at)`` and mentorships as ``(mentor_id, mentee_id, status, ends_on)``."""
    ids = [p[0] for p in people]
    index = {pid: i for i, pid in enumerate(ids)}
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = []

    # Interactions: contributions summed per pair with numpy (a million rows in seconds).
    logger, contact, depth, age = [], [], [], []
    for person_id, contact_id, kind, occurred_at in interactions:
        i, j = index.get(person_id), index.get(contact_id)
        if i is None or j is None or i == j:
            continue
        logger.append(i)
        contact.append(j)
        depth.append(DEPTH.get(kind, 0.5))
        age.append((now - occurred_at).total_seconds())
    if logger:
        a, b = np.array(logger), np.array(contact)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        days = np.maximum(0.0, np.array(age) / 86400.0)
        amount = np.array(depth) * np.exp2(-days / HALF_LIFE_DAYS)
        pairs, inverse = np.unique(lo.astype(np.int64) * len(ids) + hi, return_inverse=True)
        totals = np.bincount(inverse, weights=amount)
        strength = -np.expm1(-totals / SATURATION)
        alive = strength >= MIN_INTERACTION_WEIGHT
        pairs, strength = pairs[alive], strength[alive]
        parts.append((pairs // len(ids), pairs % len(ids), strength, True))

    today = today_of(now)
    mentor_rows, mentee_rows, weights = [], [], []
    for mentor_id, mentee_id, status, ends_on in mentorships:
        if status not in MENTORSHIP_WEIGHT:
            continue
        i, j = index.get(mentor_id), index.get(mentee_id)
        if i is None or j is None or i == j:
            continue
        state = "completed" if status == "active" and ends_on and ends_on < today else status
        mentor_rows.append(min(i, j))
        mentee_rows.append(max(i, j))
        weights.append(MENTORSHIP_WEIGHT[state])
    if mentor_rows:
        # A pair with several mentorships keeps its strongest one.
        pairs = np.array(mentor_rows, dtype=np.int64) * len(ids) + np.array(mentee_rows)
        order = np.lexsort((-np.array(weights), pairs))
        pairs, strongest = pairs[order], np.array(weights)[order]
        first = np.concatenate(([True], pairs[1:] != pairs[:-1]))
        parts.append((pairs[first] // len(ids), pairs[first] % len(ids), strongest[first], True))

    reports = [(index[p[0]], index[p[4]]) for p in people if p[4] in index and p[4] != p[0]]
    if reports:
        r = np.array(reports)
        lo, hi = r.min(axis=1), r.max(axis=1)
        parts.append((lo, hi, np.full(len(r), REPORTING_WEIGHT), False))

    def joined(position: int, dtype) -> np.ndarray:
        if not parts:
            return np.zeros(0, dtype=dtype)
        return np.concatenate([np.asarray(part[position], dtype=dtype) for part in parts])

    weight = joined(2, np.float64)
    return WholeGraph(
        ids=ids,
        function=np.array([p[1] for p in people], dtype=object),
        division=np.array([p[2] for p in people], dtype=object),
        level=np.array([p[3] for p in people], dtype=np.int64),
        rows=joined(0, np.int64),
        cols=joined(1, np.int64),
        log_remaining=np.log1p(-np.minimum(weight, 1.0 - 1e-12)),
        informal=np.concatenate([np.full(len(part[0]), part[3]) for part in parts])
        if parts
        else np.zeros(0, dtype=bool),
    )
