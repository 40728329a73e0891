"""Relationships derived from interactions: ties, follow-ups, check-ins and network health.

Everything here is computed from a handful of set-wise queries per person, never one query
per contact. The formulas are written out next to each computation and in the OpenAPI
descriptions of the endpoints.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth import Caller
from service.db import page_of
from service.errors import Forbidden, NotFound, PreconditionFailed
from service.goals.models import Goal, goal_skills
from service.interactions.models import Interaction
from service.mentorships.logic import is_active, today_of
from service.mentorships.models import Mentorship
from service.people.models import FUNCTIONS, Person, PersonSkill
from service.relationships.models import RelationshipSetting
from service.relationships.strength import contribution, strength

# A relationship is "slipping away" once past its cadence by more than half again.
SLIPPING_FACTOR = 1.5
# Network health looks at the past year.
WINDOW_DAYS = 365
# A contact met once counts as "met once and never again" only after this long.
SINGLE_TOUCH_GRACE_DAYS = 30
# A skill counts towards a goal when a contact holds it at least this well.
SERVING_SKILL_LEVEL = 3


def authorize_view(caller: Caller, person_id: str) -> None:
    """A member reads only their own relationships; admins read anyone's."""
    if caller.is_member and not caller.is_person(person_id):
        raise Forbidden(
            "A member token reads only its own relationships, follow-ups and check-ins."
        )


@dataclass
class Tie:
    """One relationship of a person, as derived from the interactions of both sides."""

    contact_id: str
    interactions: int = 0
    first_contact_at: datetime | None = None
    last_contact_at: datetime | None = None
    second_contact_at: datetime | None = None
    given: int = 0
    received: int = 0
    kinds: Counter = field(default_factory=Counter)
    goal_ids: set[str] = field(default_factory=set)
    strength: float = 0.0
    cadence_days: int = 90
    cadence_source: str = "default"
    next_check_in_at: datetime | None = None
    status: str = "ok"


@dataclass(frozen=True)
class Settings:
    """The knobs of relationship keeping, from the application's configuration."""

    default_cadence_days: int = 90
    follow_up_hours: int = 24


def ties_of(session: Session, person_id: str, now: datetime, settings: Settings) -> dict[str, Tie]:
    """Return every tie of a person, keyed by contact id (three queries in all)."""
    ties: dict[str, Tie] = {}
    totals: dict[str, float] = defaultdict(float)
    rows = session.execute(
        select(
            Interaction.person_id,
            Interaction.contact_id,
            Interaction.kind,
            Interaction.occurred_at,
            Interaction.given,
            Interaction.received,
            Interaction.goal_id,
        )
        .where(or_(Interaction.person_id == person_id, Interaction.contact_id == person_id))
        .order_by(Interaction.occurred_at, Interaction.id)
    )
    for logger, contact, kind, occurred_at, given, received, goal_id in rows:
        mine = logger == person_id
        other = contact if mine else logger
        tie = ties.get(other) or ties.setdefault(other, Tie(contact_id=other))
        tie.interactions += 1
        if tie.first_contact_at is None:
            tie.first_contact_at = occurred_at
        elif tie.second_contact_at is None:
            tie.second_contact_at = occurred_at
        tie.last_contact_at = occurred_at
        tie.kinds[kind] += 1
        # What the other side logged as given, this person received, and the reverse.
        tie.given += len(given or ()) if mine else len(received or ())
        tie.received += len(received or ()) if mine else len(given or ())
        if mine and goal_id:
            tie.goal_ids.add(goal_id)
        totals[other] += contribution(kind, occurred_at, now)
    mentorship_cadence: dict[str, int] = {}
    for mentor_id, mentee_id, cadence in session.execute(
        select(Mentorship.mentor_id, Mentorship.mentee_id, Mentorship.cadence_days).where(
            or_(Mentorship.mentor_id == person_id, Mentorship.mentee_id == person_id),
            is_active(today_of(now)),
        )
    ):
        other = mentee_id if mentor_id == person_id else mentor_id
        mentorship_cadence[other] = min(cadence, mentorship_cadence.get(other, cadence))
    custom = dict(
        session.execute(
            select(RelationshipSetting.contact_id, RelationshipSetting.cadence_days).where(
                RelationshipSetting.person_id == person_id
            )
        ).all()
    )
    for other, tie in ties.items():
        tie.strength = strength(totals[other])
        if other in custom:
            tie.cadence_days, tie.cadence_source = custom[other], "custom"
        elif other in mentorship_cadence:
            tie.cadence_days, tie.cadence_source = mentorship_cadence[other], "mentorship"
        else:
            tie.cadence_days, tie.cadence_source = settings.default_cadence_days, "default"
        assert tie.last_contact_at is not None
        tie.next_check_in_at = tie.last_contact_at + timedelta(days=tie.cadence_days)
        overdue_by = now - tie.last_contact_at
        if overdue_by > timedelta(days=tie.cadence_days * SLIPPING_FACTOR):
            tie.status = "slipping"
        elif now >= tie.next_check_in_at:
            tie.status = "due"
    return ties


def tie_with(
    session: Session, person_id: str, contact_id: str, now: datetime, settings: Settings
) -> Tie:
    """Return the tie between two people, or raise NotFound if they never interacted."""
    tie = ties_of(session, person_id, now, settings).get(contact_id)
    if tie is None:
        raise NotFound("These two people have no relationship yet: log an interaction first.")
    return tie


def setting_version(session: Session, person_id: str, contact_id: str) -> int:
    """Return the row version of a person's own setting for a relationship (0 for none yet)."""
    setting = session.get(RelationshipSetting, (person_id, contact_id))
    return setting.version if setting is not None else 0


def set_cadence(
    session: Session,
    person_id: str,
    contact_id: str,
    cadence_days: int | None,
    now: datetime,
    *,
    expected_version: int,
) -> None:
    """Set (or, with None, clear) a person's own cadence for one relationship.

    Only over ``expected_version`` of the setting (the one the client's ETag names): the
    UPDATE or DELETE repeats that version in its WHERE clause, so a concurrent change makes
    it a 412; two first settings racing collide on the primary key, the second a 412 too.
    """
    setting = session.get(RelationshipSetting, (person_id, contact_id))
    if (setting.version if setting is not None else 0) != expected_version:
        raise PreconditionFailed("The relationship changed meanwhile; read it again and retry.")
    if cadence_days is None:
        if setting is not None:
            session.delete(setting)
    elif setting is None:
        session.add(
            RelationshipSetting(
                person_id=person_id,
                contact_id=contact_id,
                cadence_days=cadence_days,
                updated_at=now,
            )
        )
    else:
        setting.cadence_days, setting.updated_at = cadence_days, now
    try:
        session.flush()
    except IntegrityError as error:
        raise PreconditionFailed(
            "The relationship changed meanwhile; read it again and retry."
        ) from error


def check_ins(ties: dict[str, Tie], status: str | None = None) -> list[Tie]:
    """The relationships due for a check-in or slipping away, the most overdue first."""
    wanted = {status} if status else {"due", "slipping"}
    found = [tie for tie in ties.values() if tie.status in wanted]
    return sorted(found, key=lambda tie: (tie.next_check_in_at, tie.contact_id))


def follow_ups(
    session: Session, person_id: str, status: str | None, now: datetime, *, offset: int, limit: int
):
    """Interactions logged by the person with a follow-up, by due time: due, overdue or done.

    ``due``: not done and not yet past its time; ``overdue``: not done and past it;
    ``done``: done. Without a status, the due and the overdue.
    """
    query = select(Interaction).where(
        Interaction.person_id == person_id, Interaction.follow_up_due_at.is_not(None)
    )
    if status == "done":
        query = query.where(Interaction.follow_up_done.is_(True))
    else:
        query = query.where(Interaction.follow_up_done.is_(False))
        if status == "due":
            query = query.where(Interaction.follow_up_due_at >= now)
        elif status == "overdue":
            query = query.where(Interaction.follow_up_due_at < now)
    return page_of(
        session, query, Interaction.follow_up_due_at, Interaction.id, offset=offset, limit=limit
    )


def follow_up_status(interaction: Interaction, now: datetime) -> str:
    """``done``, ``overdue`` or ``due``."""
    if interaction.follow_up_done:
        return "done"
    assert interaction.follow_up_due_at is not None
    return "overdue" if interaction.follow_up_due_at < now else "due"


def people_by_id(session: Session, ids: set[str]) -> dict[str, Person]:
    """Load the given people in one query."""
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(sorted(ids))))}


# -- network health ---------------------------------------------------------------------


def _measure(
    name: str, value: float | None, finding: str, next_step: str | None, **details
) -> dict:
    rounded = None if value is None else round(value, 4)
    return {
        "name": name,
        "value": rounded,
        "finding": finding,
        "next_step": next_step,
        "details": details,
    }


def network_health(session: Session, person_id: str, now: datetime, settings: Settings) -> dict:
    """Measure a person's network against the pitfalls of networking (see the endpoint's docs)."""
    all_ties = ties_of(session, person_id, now, settings)
    since = now - timedelta(days=WINDOW_DAYS)
    window = {
        cid: t for cid, t in all_ties.items() if t.last_contact_at and t.last_contact_at >= since
    }
    recent = session.execute(
        select(
            Interaction.person_id,
            Interaction.contact_id,
            Interaction.kind,
            Interaction.given,
            Interaction.received,
        ).where(
            or_(Interaction.person_id == person_id, Interaction.contact_id == person_id),
            Interaction.occurred_at >= since,
        )
    ).all()
    contacts = (
        {
            row.id: row
            for row in session.execute(
                select(Person.id, Person.function, Person.division).where(
                    Person.id.in_(sorted(window))
                )
            )
        }
        if window
        else {}
    )
    return {
        "person_id": person_id,
        "as_of": now,
        "window_days": WINDOW_DAYS,
        "contacts": len(window),
        "measures": [
            _breadth(window, contacts),
            _reciprocity(person_id, recent),
            _channel_mix(recent),
            _follow_up(all_ties, now, since, settings),
            _depth(all_ties, now),
            _goal_coverage(session, person_id, window),
            _check_ins(all_ties),
        ],
    }


def _breadth(window: dict[str, Tie], contacts: dict) -> dict:
    """value = Shannon entropy of the contacts' functions ÷ ln(number of functions), in [0, 1]."""
    functions = Counter(contacts[cid].function for cid in window if cid in contacts)
    divisions = {
        contacts[cid].division for cid in window if cid in contacts and contacts[cid].division
    }
    total = sum(functions.values())
    entropy = -sum((n / total) * math.log(n / total) for n in functions.values()) if total else 0.0
    value = entropy / math.log(len(FUNCTIONS))
    if not total:
        finding, step = (
            "No contacts in the past year.",
            "Ask for recommendations and log your first conversations.",
        )
    elif len(functions) == 1:
        only = next(iter(functions))
        finding = f"All {total} of your contacts in the past year work in {only}."
        step = "Meet someone from product, sales, marketing or operations: ask for cross-functional recommendations."
    elif value < 0.35:
        finding = f"Your network spans {len(functions)} functions but leans on {functions.most_common(1)[0][0]}."
        step = "Add a tie in a function you rarely talk to."
    else:
        finding, step = (
            f"Your network spans {len(functions)} functions and {len(divisions)} divisions.",
            None,
        )
    return _measure(
        "breadth",
        value,
        finding,
        step,
        functions=len(functions),
        divisions=len(divisions),
        entropy=round(entropy, 4),
        by_function=dict(functions),
    )


def _reciprocity(person_id: str, recent: list) -> dict:
    """value = given ÷ (given + received) over the past year; 0.5 is balanced."""
    given = received = 0
    for logger, _contact, _kind, gave, got in recent:
        mine = logger == person_id
        given += len((gave if mine else got) or ())
        received += len((got if mine else gave) or ())
    if not given + received:
        return _measure(
            "reciprocity",
            None,
            "No exchanges recorded in the past year.",
            "Note what you give and receive when you log an interaction.",
            given=0,
            received=0,
        )
    value = given / (given + received)
    if value < 0.35:
        finding, step = (
            f"You received {received} times and gave {given}: the network mostly serves you.",
            "Offer help, an introduction or a resource in your next conversations.",
        )
    elif value > 0.65:
        finding, step = (
            f"You gave {given} times and received {received}.",
            "Generous; remember to ask for what you need too.",
        )
    else:
        finding, step = f"Give and take are balanced ({given} given, {received} received).", None
    return _measure("reciprocity", value, finding, step, given=given, received=received)


def _channel_mix(recent: list) -> dict:
    """value = share of the past year's interactions that are social-media messages."""
    kinds = Counter(kind for _l, _c, kind, _g, _r in recent)
    total = sum(kinds.values())
    if not total:
        return _measure(
            "channel_mix",
            None,
            "No interactions in the past year.",
            None,
            interactions=0,
            social_messages=0,
            by_kind={},
        )
    value = kinds["social_message"] / total
    if value > 0.5:
        finding, step = (
            f"{kinds['social_message']} of your {total} interactions were social-media messages.",
            "Turn online contacts into coffee chats or video calls.",
        )
    else:
        finding, step = "Your contact is mostly face to face, by call or by direct message.", None
    return _measure(
        "channel_mix",
        value,
        finding,
        step,
        interactions=total,
        social_messages=kinds["social_message"],
        by_kind=dict(kinds),
    )


def _follow_up(
    all_ties: dict[str, Tie], now: datetime, since: datetime, settings: Settings
) -> dict:
    """value = share of first meetings (in the past year, whose window has closed) followed by
    another interaction with the same person within the follow-up window (24 hours)."""
    window = timedelta(hours=settings.follow_up_hours)
    firsts = [
        t
        for t in all_ties.values()
        if t.first_contact_at and since <= t.first_contact_at <= now - window
    ]
    followed = [
        t
        for t in firsts
        if t.second_contact_at is not None and t.second_contact_at - t.first_contact_at <= window
    ]
    if not firsts:
        return _measure(
            "follow_up",
            None,
            "No first meetings to follow up in the past year.",
            None,
            first_meetings=0,
            followed_up=0,
        )
    value = len(followed) / len(firsts)
    if value < 0.5:
        finding, step = (
            f"You followed up {len(followed)} of {len(firsts)} first meetings within {settings.follow_up_hours} hours.",
            "Send a short note the day after you meet someone new.",
        )
    else:
        finding, step = (
            f"You followed up {len(followed)} of {len(firsts)} first meetings within {settings.follow_up_hours} hours.",
            None,
        )
    return _measure(
        "follow_up", value, finding, step, first_meetings=len(firsts), followed_up=len(followed)
    )


def _depth(all_ties: dict[str, Tie], now: datetime) -> dict:
    """value = share of contacts met exactly once, more than 30 days ago, and never again."""
    grace = now - timedelta(days=SINGLE_TOUCH_GRACE_DAYS)
    settled = [t for t in all_ties.values() if t.first_contact_at and t.first_contact_at <= grace]
    single = [t for t in settled if t.interactions == 1]
    if not settled:
        return _measure(
            "depth",
            None,
            "Too early to tell: no contact older than 30 days.",
            None,
            contacts=0,
            single_touch=0,
        )
    value = len(single) / len(settled)
    if value > 0.5:
        finding, step = (
            f"{len(single)} of {len(settled)} contacts were met once and never again.",
            "Pick three of them worth a second conversation; quality beats quantity.",
        )
    else:
        finding, step = (
            f"Most of your contacts ({len(settled) - len(single)} of {len(settled)}) became repeat conversations.",
            None,
        )
    return _measure("depth", value, finding, step, contacts=len(settled), single_touch=len(single))


def _goal_coverage(session: Session, person_id: str, window: dict[str, Tie]) -> dict:
    """value = share of active goals served by a tie of the past year: an interaction logged for
    the goal, or a contact who holds a target skill (level 3+) or works in a target function."""
    goals = session.execute(
        select(Goal.id, Goal.title, Goal.target_functions)
        .where(Goal.person_id == person_id, Goal.status == "active")
        .order_by(Goal.created_at, Goal.id)
    ).all()
    if not goals:
        return _measure(
            "goal_coverage",
            None,
            "No active goals.",
            "Set a goal so that your network can serve it.",
            goals=[],
        )
    targets: dict[str, set[str]] = defaultdict(set)
    for goal_id, skill_id in session.execute(
        select(goal_skills.c.goal_id, goal_skills.c.skill_id).where(
            goal_skills.c.goal_id.in_([g.id for g in goals])
        )
    ):
        targets[goal_id].add(skill_id)
    contact_ids = sorted(window)
    skills_of: dict[str, set[str]] = defaultdict(set)
    functions_of: dict[str, str] = {}
    if contact_ids:
        for pid, skill_id in session.execute(
            select(PersonSkill.person_id, PersonSkill.skill_id).where(
                PersonSkill.person_id.in_(contact_ids), PersonSkill.level >= SERVING_SKILL_LEVEL
            )
        ):
            skills_of[pid].add(skill_id)
        functions_of = dict(
            session.execute(
                select(Person.id, Person.function).where(Person.id.in_(contact_ids))
            ).all()
        )
    detail = []
    for goal in goals:
        serving = sorted(
            cid
            for cid, tie in window.items()
            if goal.id in tie.goal_ids
            or skills_of[cid] & targets[goal.id]
            or functions_of.get(cid) in (goal.target_functions or ())
        )
        detail.append(
            {
                "goal_id": goal.id,
                "title": goal.title,
                "served": bool(serving),
                "contact_ids": serving,
            }
        )
    served = sum(1 for d in detail if d["served"])
    value = served / len(goals)
    unserved = [d["title"] for d in detail if not d["served"]]
    if unserved:
        finding = (
            f"{served} of {len(goals)} active goals have someone in your network who serves them."
        )
        step = f"Ask for recommendations for '{unserved[0]}'."
    else:
        finding, step = (
            f"Every active goal ({len(goals)}) has someone in your network who serves it.",
            None,
        )
    return _measure("goal_coverage", value, finding, step, goals=detail)


def _check_ins(all_ties: dict[str, Tie]) -> dict:
    """value = number of relationships due for a check-in or slipping away."""
    due = sum(1 for t in all_ties.values() if t.status == "due")
    slipping = sum(1 for t in all_ties.values() if t.status == "slipping")
    if due + slipping:
        finding = f"{due} relationships are due for a check-in and {slipping} are slipping away."
        step = "Start with the oldest: see the check-ins list."
    else:
        finding, step = "Every relationship is within its cadence.", None
    return _measure("check_ins", float(due + slipping), finding, step, due=due, slipping=slipping)
