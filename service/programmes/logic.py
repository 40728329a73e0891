"""Programmes: enrolment, cohort runs, review, publication.

A run is validated when it is requested (an empty cohort, a mentor with no room, a pinned
pair that breaks a rule: 422, nothing written), then executed in the background by
:func:`execute_run`, which scores the cohort in blocks (``matching.cohort_scores``), solves
it (``matching.cohort``) and stores a draft: assignments with their explanations, the
unmatched with their reasons, metrics beside a greedy baseline, and both sides' lists.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from matching.cohort import Assignment, Cohort, evaluate, intro_groups, outcomes, solve
from matching.cohort_scores import CohortScorer
from service import webhooks
from service.auth import Caller
from service.db import page_of
from service.dismissals.logic import do_not_suggest_pairs
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.interactions.models import Interaction
from service.mentorships.logic import is_active, today_of
from service.mentorships.models import Mentorship
from service.people.logic import PeopleFilters, filtered_people
from service.people.models import Person
from service.programmes.models import (
    MENTORSHIP_KINDS,
    PURPOSES,
    Participant,
    Programme,
    Run,
)
from service.recommendations.records import person_records

log = logging.getLogger(__name__)

DROPPED = "dropped_in_review"
MONTH = timedelta(days=30)


# ------------------------------------------------------------------ programmes


def get_programme(session: Session, programme_id: str) -> Programme:
    """Return a programme, or raise NotFound (every token may read programmes, to join them)."""
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"No programme has id {programme_id!r}.")
    return programme


def list_programmes(
    session: Session, kind: str | None, status: str | None, *, offset: int, limit: int
) -> tuple[list[Programme], int]:
    """One page of programmes, newest first."""
    query = select(Programme)
    if kind:
        query = query.where(Programme.kind == kind)
    if status:
        query = query.where(Programme.status == status)
    return page_of(
        session, query, Programme.created_at.desc(), Programme.id.desc(), offset=offset, limit=limit
    )


def _check_rules(session: Session, rules: dict[str, Any]) -> None:
    ids = {
        p[k] for name in ("forbidden_pairs", "pinned_pairs") for p in rules.get(name, []) for k in p
    }
    ids |= set(rules.get("capacity_overrides", {}))
    known = set(session.scalars(select(Person.id).where(Person.id.in_(ids)))) if ids else set()
    for name in ("forbidden_pairs", "pinned_pairs"):
        for i, pair in enumerate(rules.get(name, [])):
            for key in ("mentee_id", "mentor_id"):
                if pair[key] not in known:
                    raise Invalid.field(
                        f"/rules/{name}/{i}/{key}", f"No person has id {pair[key]!r}."
                    )
            if pair["mentee_id"] == pair["mentor_id"]:
                raise Invalid.field(f"/rules/{name}/{i}", "A pair joins two different people.")
    pinned = [p["mentee_id"] for p in rules.get("pinned_pairs", [])]
    if len(set(pinned)) != len(pinned):
        raise Invalid.field("/rules/pinned_pairs", "A mentee is pinned to two mentors.")
    for person_id in rules.get("capacity_overrides", {}):
        if person_id not in known:
            raise Invalid.field("/rules/capacity_overrides", f"No person has id {person_id!r}.")


def create_programme(session: Session, data: dict[str, Any], now: datetime) -> Programme:
    """Create a programme; the people its rules name must exist."""
    _check_rules(session, data.get("rules", {}))
    programme = Programme(**data, created_at=now, updated_at=now)
    session.add(programme)
    session.flush()
    return programme


def update_programme(
    session: Session, programme: Programme, changes: dict[str, Any], now: datetime
) -> Programme:
    """Change a programme's fields; ``rules`` is replaced as a whole."""
    if "kind" in changes and changes["kind"] != programme.kind:
        if session.scalar(select(Run.id).where(Run.programme_id == programme.id).limit(1)):
            raise Conflict("A programme that has runs keeps its kind.")
    if "rules" in changes:
        _check_rules(session, changes["rules"])
    for name, value in changes.items():
        setattr(programme, name, value)
    starts, ends = programme.starts_on, programme.ends_on
    if starts and ends and starts > ends:
        raise Invalid.field("/ends_on", "ends_on is before starts_on.")
    programme.updated_at = now
    session.flush()
    return programme


# ------------------------------------------------------------------ participants


def list_participants(
    session: Session,
    caller: Caller,
    programme: Programme,
    role: str | None,
    *,
    offset: int,
    limit: int,
) -> tuple[list[Participant], int]:
    """One page of participants; a member sees only their own participation."""
    query = select(Participant).where(Participant.programme_id == programme.id)
    if caller.is_member:
        query = query.where(Participant.person_id == caller.person_id)
    if role:
        query = query.where(Participant.role == role)
    return page_of(
        session, query, Participant.joined_at, Participant.id, offset=offset, limit=limit
    )


def _check_role(programme: Programme, role: str) -> None:
    if (role == "either") != (programme.kind == "intro_rounds"):
        expected = "`either`" if programme.kind == "intro_rounds" else "`mentee` or `mentor`"
        raise Invalid.field("/role", f"In a {programme.kind} programme the role is {expected}.")


def enrol(
    session: Session, caller: Caller, programme: Programme, data: dict[str, Any], now: datetime
) -> list[Participant]:
    """Enrol people: an admin by ids or people filters, a member themself in an open programme."""
    role = data["role"]
    _check_role(programme, role)
    if caller.is_member:
        if data.get("person_ids") or data.get("filters"):
            raise Forbidden("A member token enrols only itself; send just the role.")
        if programme.status != "open":
            raise Conflict("This programme is closed: nobody joins it any more.")
        ids = [caller.person_id]
    elif data.get("person_ids") and data.get("filters") is not None:
        raise Invalid.field("/filters", "Send person_ids or filters, not both.")
    elif data.get("person_ids"):
        ids = data["person_ids"]
        for i, person_id in enumerate(ids):
            if person_id in ids[:i]:
                raise Invalid.field(f"/person_ids/{i}", f"{person_id!r} is listed twice.")
        found = dict(
            session.execute(select(Person.id, Person.active).where(Person.id.in_(ids))).all()
        )
        for i, person_id in enumerate(ids):
            if person_id not in found:
                raise Invalid.field(f"/person_ids/{i}", f"No person has id {person_id!r}.")
            if not found[person_id]:
                raise Invalid.field(f"/person_ids/{i}", "This person is no longer active.")
    elif data.get("filters") is not None:
        filters = data["filters"]
        query = filtered_people(
            session,
            PeopleFilters(
                function=filters.get("function"),
                division=filters.get("division"),
                skills=tuple(filters.get("skill", ())),
                min_level=filters.get("min_level"),
                max_level=filters.get("max_level"),
                active=True,
                q=filters.get("q"),
            ),
        )
        ids = [] if query is None else list(session.scalars(query.with_only_columns(Person.id)))
        enrolled = set(
            session.scalars(
                select(Participant.person_id).where(Participant.programme_id == programme.id)
            )
        )
        ids = [person_id for person_id in ids if person_id not in enrolled]
        if not ids:
            raise Invalid.field("/filters", "Nobody who is not enrolled yet matches these filters.")
    else:
        raise Invalid.field("/person_ids", "Send person_ids or filters.")
    already = session.scalars(
        select(Participant.person_id).where(
            Participant.programme_id == programme.id, Participant.person_id.in_(ids)
        )
    ).all()
    if already:
        raise Conflict(
            f"Already enrolled in this programme: {', '.join(sorted(already))}.",
            person_id=sorted(already)[0],
        )
    participants = [
        Participant(programme_id=programme.id, person_id=person_id, role=role, joined_at=now)
        for person_id in ids
    ]
    session.add_all(participants)
    session.flush()
    return participants


def leave(session: Session, caller: Caller, programme: Programme, person_id: str) -> None:
    """Remove a participant (an admin anyone, a member themself while the programme is open)."""
    if caller.is_member:
        if caller.person_id != person_id:
            raise Forbidden("A member token removes only its own participation.")
        if programme.status != "open":
            raise Conflict("This programme is closed: nobody leaves it any more.")
    participant = session.scalar(
        select(Participant).where(
            Participant.programme_id == programme.id, Participant.person_id == person_id
        )
    )
    if participant is None:
        raise NotFound(f"{person_id!r} is not a participant of this programme.")
    session.delete(participant)
    session.flush()


# ------------------------------------------------------------------ the rules of a pair


def forbidden_pairs(
    session: Session,
    programme: Programme,
    mentee_ids: Collection[str],
    mentor_ids: Collection[str],
    now: datetime,
) -> set[tuple[str, str]]:
    """Every (mentee, mentor) pair of the cohort that a run must never make.

    The one place where pair exclusions gather: the programme's forbidden pairs, and pairs
    who had a mentorship that started within ``avoid_recent_months``, and pairs of whom one
    dismissed the other with ``do_not_suggest``. The manager chain and current mentors are
    excluded by the scorer itself, from the records.
    """
    rules = programme.rules or {}
    mentees, mentors = set(mentee_ids), set(mentor_ids)
    pairs = {
        (p["mentee_id"], p["mentor_id"])
        for p in rules.get("forbidden_pairs", [])
        if p["mentee_id"] in mentees and p["mentor_id"] in mentors
    }
    for pair in do_not_suggest_pairs(session, mentees | mentors):
        for mentee, mentor in (tuple(pair), tuple(pair)[::-1]):
            if mentee in mentees and mentor in mentors:
                pairs.add((mentee, mentor))
    months = rules.get("avoid_recent_months", 12)
    if months:
        since = now - months * MONTH
        everyone = sorted(mentees | mentors)
        for start in range(0, len(everyone), 900):
            chunk = everyone[start : start + 900]
            rows = session.execute(
                select(Mentorship.mentor_id, Mentorship.mentee_id).where(
                    Mentorship.created_at >= since,
                    or_(Mentorship.mentor_id.in_(chunk), Mentorship.mentee_id.in_(chunk)),
                )
            )
            for a, b in rows:
                for mentee, mentor in ((a, b), (b, a)):
                    if mentee in mentees and mentor in mentors:
                        pairs.add((mentee, mentor))
    return pairs


def _manager_chain(managers: dict[str, str | None], person_id: str) -> set[str]:
    chain, manager_id = set(), managers.get(person_id)
    while manager_id is not None and manager_id not in chain and manager_id != person_id:
        chain.add(manager_id)
        manager_id = managers.get(manager_id)
    return chain


def check_pair(
    session: Session,
    programme: Programme,
    mentee_id: str,
    mentor_id: str,
    pointer: str,
    now: datetime,
) -> None:
    """Raise a 422 naming ``pointer`` when a pair breaks one of the programme's rules."""
    people = {
        p.id: p
        for p in session.scalars(select(Person).where(Person.id.in_((mentee_id, mentor_id))))
    }
    mentee, mentor = people.get(mentee_id), people.get(mentor_id)
    if mentee is None or mentor is None or mentee_id == mentor_id:
        raise Invalid.field(pointer, "A pair joins two different, known people.")
    if not mentee.active or not mentor.active:
        raise Invalid.field(pointer, "Both people must be active.")
    kind = programme.kind
    if kind == "mentoring" and mentor.level <= mentee.level:
        raise Invalid.field(pointer, "In a mentoring programme the mentor is more senior.")
    if kind == "reverse_mentoring" and mentor.level >= mentee.level:
        raise Invalid.field(pointer, "In a reverse-mentoring programme the mentor is more junior.")
    if kind == "cross_functional" and mentor.function == mentee.function:
        raise Invalid.field(pointer, "A cross-functional pair joins two functions.")
    managers = dict(session.execute(select(Person.id, Person.manager_id)).all())
    if mentor_id in _manager_chain(managers, mentee_id) or mentee_id in _manager_chain(
        managers, mentor_id
    ):
        raise Invalid.field(pointer, "One of the two is in the other's manager chain.")
    if (mentee_id, mentor_id) in forbidden_pairs(session, programme, [mentee_id], [mentor_id], now):
        raise Invalid.field(
            pointer, "This pair is forbidden, or was matched within the programme's recent months."
        )


# ------------------------------------------------------------------ runs


def _cohort_ids(session: Session, programme: Programme) -> tuple[list[str], list[str]]:
    rows = session.execute(
        select(Participant.person_id, Participant.role)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.programme_id == programme.id, Person.active.is_(True))
    ).all()
    mentees = sorted(p for p, role in rows if role == "mentee")
    mentors = sorted(p for p, role in rows if role == "mentor")
    return mentees, mentors


def capacities(
    session: Session, programme: Programme, mentor_ids: Collection[str], now: datetime
) -> dict[str, int]:
    """Each mentor's room in this programme: the override, else their profile's free capacity."""
    overrides = (programme.rules or {}).get("capacity_overrides", {})
    ids = sorted(mentor_ids)
    profile = dict(
        session.execute(select(Person.id, Person.mentor_capacity).where(Person.id.in_(ids))).all()
    )
    taken = dict(
        session.execute(
            select(Mentorship.mentor_id, func.count())
            .where(
                Mentorship.mentor_id.in_(ids),
                Mentorship.kind == "mentorship",
                is_active(today_of(now)),
            )
            .group_by(Mentorship.mentor_id)
        ).all()
    )
    return {
        m: overrides[m] if m in overrides else max(profile.get(m, 0) - taken.get(m, 0), 0)
        for m in ids
    }


def start_run(session: Session, programme: Programme, method: str, now: datetime) -> Run:
    """Validate the cohort and queue a run (the caller submits it once committed)."""
    if programme.kind == "intro_rounds":
        raise Conflict("An intro-rounds programme draws rounds, not matching runs.")
    mentees, mentors = _cohort_ids(session, programme)
    if not mentees or not mentors:
        raise Invalid(
            "The cohort is empty: enrol at least one active mentee and one active mentor.",
            errors=[{"pointer": "", "detail": "No mentee or no mentor is enrolled."}],
        )
    room = capacities(session, programme, mentors, now)
    full = [m for m in mentors if room[m] <= 0]
    if full:
        raise Invalid(
            f"Mentors with capacity 0: {', '.join(full)}. Give them room with "
            "rules.capacity_overrides, or remove them.",
            errors=[
                {"pointer": "/rules/capacity_overrides", "detail": f"Capacity 0: {m}."}
                for m in full
            ],
        )
    pinned = (programme.rules or {}).get("pinned_pairs", [])
    load: dict[str, int] = {}
    for i, pair in enumerate(pinned):
        pointer = f"/rules/pinned_pairs/{i}"
        if pair["mentee_id"] not in mentees or pair["mentor_id"] not in mentors:
            raise Invalid.field(
                pointer, "Both people of a pinned pair must be enrolled, in these roles."
            )
        check_pair(session, programme, pair["mentee_id"], pair["mentor_id"], pointer, now)
        load[pair["mentor_id"]] = load.get(pair["mentor_id"], 0) + 1
        if load[pair["mentor_id"]] > room[pair["mentor_id"]]:
            raise Invalid.field(pointer, "The pinned pairs exceed this mentor's capacity.")
    run = Run(programme_id=programme.id, method=method, status="queued", created_at=now)
    session.add(run)
    session.flush()
    return run


def get_run(session: Session, programme: Programme, run_id: str) -> Run:
    """Return a run of this programme, or raise NotFound."""
    run = session.get(Run, run_id)
    if run is None or run.programme_id != programme.id:
        raise NotFound(f"No run {run_id!r} in this programme.")
    return run


def list_runs(
    session: Session, programme: Programme, *, offset: int, limit: int
) -> tuple[list[Run], int]:
    """One page of a programme's runs, newest first."""
    query = select(Run).where(Run.programme_id == programme.id)
    return page_of(session, query, Run.created_at.desc(), Run.id.desc(), offset=offset, limit=limit)


def execute_run(session: Session, run_id: str, now: datetime) -> None:
    """Match the cohort of a queued run and store the draft (commits its own progress)."""
    run = session.get(Run, run_id)
    if run is None or run.status != "queued":
        return
    programme = session.get(Programme, run.programme_id)
    run.status, run.started_at = "running", now
    session.commit()
    try:
        if run.method == "round":
            _draw(session, programme, run, now)
        else:
            _match(session, programme, run, now)
        run.status, run.progress = "succeeded", 1.0
    except Exception as error:  # noqa: BLE001 - a failed run says why; the worker goes on
        log.exception("run %s failed", run_id)
        session.rollback()
        run = session.get(Run, run_id)
        run.status, run.error = "failed", f"{type(error).__name__}: {error}"
    run.finished_at = now
    webhooks.publish(
        session,
        "programme.run.completed",
        {
            "id": run.id,
            "programme_id": run.programme_id,
            "method": run.method,
            "status": run.status,
            "metrics": (run.result or {}).get("metrics"),
        },
    )
    session.commit()


def _match(session: Session, programme: Programme, run: Run, now: datetime) -> None:
    rules = programme.rules or {}
    mentees, mentors = _cohort_ids(session, programme)
    room = capacities(session, programme, mentors, now)
    records = person_records(session, None, now)
    scorer = CohortScorer(PURPOSES[programme.kind], length=rules.get("preference_length", 50))
    scorer.fit(records.values())

    def progress(share: float) -> None:
        run.progress = round(0.8 * share, 3)
        session.commit()

    prefs = scorer.preferences(
        mentees,
        mentors,
        forbidden=forbidden_pairs(session, programme, mentees, mentors, now),
        min_score=rules.get("min_score", 0.0),
        progress=progress,
    )
    lists = {
        e: [
            [prefs.mentor_ids[j], float(prefs.scores[i, k]), float(prefs.mentor_scores[i, k])]
            for k, j in enumerate(prefs.choices[i])
            if j >= 0
        ]
        for i, e in enumerate(prefs.mentee_ids)
    }
    pins = {p["mentee_id"]: p["mentor_id"] for p in rules.get("pinned_pairs", [])}
    run.preferences = {
        "mentees": lists,
        "capacity": room,
        "eligible": {e: int(prefs.eligible[i]) for i, e in enumerate(prefs.mentee_ids)},
    }
    cohort = _cohort(run.preferences, pins)
    assignment = solve(cohort, run.method)
    baseline = evaluate(cohort, solve(cohort, "greedy"), _divisions(session, cohort))
    mentor_of = {
        cohort.mentee_ids[i]: cohort.mentor_ids[j]
        for i, j in enumerate(assignment.mentor)
        if j >= 0
    }
    run.result = _draft(session, programme, run, scorer, mentor_of, pins, set(), {}, baseline)


def _cohort(preferences: dict[str, Any], pins: dict[str, str]) -> Cohort:
    lists = preferences["mentees"]
    mentor_scores: dict[str, dict[str, float]] = {m: {} for m in preferences["capacity"]}
    for mentee_id, items in lists.items():
        for mentor_id, _score, theirs in items:
            mentor_scores[mentor_id][mentee_id] = theirs
    cohort = Cohort.from_lists(
        {e: [(m, s) for m, s, _ in items] for e, items in lists.items()},
        mentor_scores,
        preferences["capacity"],
        pins,
    )
    cohort.eligible = np.asarray([preferences["eligible"][e] for e in cohort.mentee_ids])
    return cohort


def _divisions(session: Session, cohort: Cohort) -> dict[str, str]:
    ids = [*cohort.mentee_ids, *cohort.mentor_ids]
    out: dict[str, str] = {}
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(Person.id, Person.division).where(Person.id.in_(ids[start : start + 900]))
        )
        out.update({pid: division or "" for pid, division in rows})
    return out


def _names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(ids))
    out: dict[str, str] = {}
    for start in range(0, len(ids), 900):
        out.update(
            dict(
                session.execute(
                    select(Person.id, Person.name).where(Person.id.in_(ids[start : start + 900]))
                ).all()
            )
        )
    return out


def _draft(
    session: Session,
    programme: Programme,
    run: Run,
    scorer: CohortScorer | None,
    mentor_of: dict[str, str],
    pins: dict[str, str],
    dropped: set[str],
    known: dict[tuple[str, str], dict[str, Any]],
    baseline: dict[str, Any],
) -> dict[str, Any]:
    """The draft of a run from its lists and the chosen pairs: explained, measured."""
    cohort = _cohort(run.preferences, pins)
    row = {e: i for i, e in enumerate(cohort.mentee_ids)}
    column = {m: j for j, m in enumerate(cohort.mentor_ids)}
    mentor = np.full(len(cohort.mentee_ids), -1, dtype=np.int64)
    for mentee_id, mentor_id in mentor_of.items():
        mentor[row[mentee_id]] = column[mentor_id]
    assignment = Assignment(mentor, frozenset(row[e] for e in pins))
    names = _names(session, [*cohort.mentee_ids, *cohort.mentor_ids])
    assignments, unmatched = [], []
    for outcome in outcomes(cohort, assignment, run.method, names):
        mentee_id = cohort.mentee_ids[outcome.mentee]
        if outcome.mentor < 0:
            if mentee_id in dropped:
                text = "Your pair was dropped in the administrator's review."
                unmatched.append({"mentee_id": mentee_id, "reason": DROPPED, "explanation": text})
            else:
                unmatched.append(
                    {
                        "mentee_id": mentee_id,
                        "reason": outcome.reason,
                        "explanation": outcome.explanation,
                    }
                )
            continue
        mentor_id = cohort.mentor_ids[outcome.mentor]
        details = known.get((mentee_id, mentor_id))
        if details is None:
            assert scorer is not None
            score, components, reasons = scorer.pair(mentee_id, mentor_id)
            details = {"score": score, "components": components, "reasons": reasons}
        assignments.append(
            {
                "mentee_id": mentee_id,
                "mentor_id": mentor_id,
                "score": details["score"],
                "components": details["components"],
                "reasons": details["reasons"],
                "rank": outcome.rank,
                "explanation": outcome.explanation,
                "pinned": mentee_id in pins,
            }
        )
    return {
        "assignments": assignments,
        "unmatched": unmatched,
        "metrics": evaluate(cohort, assignment, _divisions(session, cohort)),
        "baseline": baseline,
        "pins": pins,
        "dropped": sorted(dropped),
    }


def review(
    session: Session, programme: Programme, run: Run, change: dict[str, Any], now: datetime
) -> Run:
    """Pin, swap or drop pairs of a draft, re-validated; explanations and metrics recomputed."""
    if run.status != "succeeded":
        raise Conflict(f"Only a draft (a succeeded run) is reviewed; this run is {run.status}.")
    if run.method == "round":
        raise Conflict("An intro round is not edited: discard it and draw another.")
    result = run.result or {}
    mentor_of = {a["mentee_id"]: a["mentor_id"] for a in result["assignments"]}
    pins, dropped = dict(result.get("pins", {})), set(result.get("dropped", []))
    mentees = set(run.preferences["mentees"])
    room = run.preferences["capacity"]
    mentee_id, action = change["mentee_id"], change["action"]
    if mentee_id not in mentees:
        raise Invalid.field("/mentee_id", "Not a mentee of this run.")
    if action == "pin":
        mentor_id = change.get("mentor_id")
        if mentor_id is None:
            raise Invalid.field("/mentor_id", "Name the mentor to pin.")
        if mentor_id not in room:
            raise Invalid.field("/mentor_id", "Not a mentor of this run.")
        check_pair(session, programme, mentee_id, mentor_id, "/mentor_id", now)
        load = sum(1 for e, m in mentor_of.items() if m == mentor_id and e != mentee_id)
        if load >= room[mentor_id]:
            raise Conflict(
                f"This mentor is full ({load} of {room[mentor_id]}): drop or swap one of their pairs first."
            )
        mentor_of[mentee_id] = mentor_id
        pins[mentee_id] = mentor_id
        dropped.discard(mentee_id)
    elif action == "drop":
        if mentee_id not in mentor_of:
            raise Conflict("This mentee has no pair to drop.")
        del mentor_of[mentee_id]
        pins.pop(mentee_id, None)
        dropped.add(mentee_id)
    else:
        other = change.get("other_mentee_id")
        if other is None or other not in mentees or other == mentee_id:
            raise Invalid.field("/other_mentee_id", "Name another mentee of this run.")
        first, second = mentor_of.get(mentee_id), mentor_of.get(other)
        if first is None or second is None:
            raise Conflict("Both mentees need a mentor to swap them.")
        check_pair(session, programme, mentee_id, second, "/mentee_id", now)
        check_pair(session, programme, other, first, "/other_mentee_id", now)
        mentor_of[mentee_id], mentor_of[other] = second, first
        pins[mentee_id], pins[other] = second, first
    known = {(a["mentee_id"], a["mentor_id"]): a for a in result["assignments"]}
    scorer = None
    if any((e, m) not in known for e, m in mentor_of.items()):
        scorer = CohortScorer(
            PURPOSES[programme.kind], length=(programme.rules or {}).get("preference_length", 50)
        ).fit(person_records(session, None, now).values())
    run.result = _draft(
        session, programme, run, scorer, mentor_of, pins, dropped, known, result["baseline"]
    )
    session.flush()
    return run


def publish(session: Session, programme: Programme, run: Run, now: datetime) -> Run:
    """Create the draft's mentorships with the programme's agreement; a second publish is a no-op."""
    if run.status == "published":
        return run
    if run.status != "succeeded":
        raise Conflict(f"Only a draft (a succeeded run) is published; this run is {run.status}.")
    if run.method == "round":  # every round is published in turn; no mentorships
        run.status, run.published_at = "published", now
        programme.published_run_id = run.id
        session.flush()
        return run
    if programme.published_run_id not in (None, run.id):
        raise Conflict(
            f"Run {programme.published_run_id} of this programme is already published.",
            run_id=programme.published_run_id,
        )
    kind = MENTORSHIP_KINDS[programme.kind]
    pairs = [(a["mentor_id"], a["mentee_id"]) for a in run.result["assignments"]]
    open_pairs = set()
    for start in range(0, len(pairs), 400):
        chunk = pairs[start : start + 400]
        open_pairs |= set(
            session.execute(
                select(Mentorship.mentor_id, Mentorship.mentee_id).where(
                    Mentorship.kind == kind,
                    Mentorship.status.in_(("proposed", "active")),
                    or_(
                        *(
                            and_(Mentorship.mentor_id == r, Mentorship.mentee_id == e)
                            for r, e in chunk
                        )
                    ),
                )
            ).all()
        )
    message = f"Matched by the programme “{programme.name}”."
    for mentor_id, mentee_id in pairs:
        if (mentor_id, mentee_id) in open_pairs:
            continue  # the pair already has one: publishing adds nothing
        session.add(
            Mentorship(
                mentor_id=mentor_id,
                mentee_id=mentee_id,
                kind=kind,
                status=programme.publish_as,
                proposed_by=mentee_id,
                goal_ids=[],
                cadence_days=programme.cadence_days,
                ends_on=programme.mentorship_ends_on,
                message=message,
                accepted_at=now if programme.publish_as == "active" else None,
                created_at=now,
                updated_at=now,
            )
        )
    run.status, run.published_at = "published", now
    programme.published_run_id = run.id
    programme.updated_at = now
    session.flush()
    return run


def discard(session: Session, run: Run, now: datetime) -> Run:
    """Drop a draft (or a failed or queued run); a published run stays."""
    if run.status == "published":
        raise Conflict("A published run is not discarded; cancel its mentorships instead.")
    if run.status == "running":
        raise Conflict("This run is still running; discard it once it has finished.")
    run.status = "discarded"
    run.finished_at = run.finished_at or now
    session.flush()
    return run


def preference_list(run: Run, mentee_id: str | None, mentor_id: str | None) -> dict[str, Any]:
    """One list the run used, with its scores: a mentee's mentors or a mentor's mentees."""
    if (mentee_id is None) == (mentor_id is None):
        raise Invalid(
            "Give exactly one of mentee_id and mentor_id.",
            errors=[{"parameter": "mentee_id", "in": "query", "detail": "One of the two."}],
        )
    if run.preferences is None:
        raise Conflict(f"This run is {run.status}: it has no lists yet.")
    lists = run.preferences["mentees"]
    if mentee_id is not None:
        if mentee_id not in lists:
            raise NotFound(f"{mentee_id!r} is not a mentee of this run.")
        items = [(m, s) for m, s, _ in lists[mentee_id]]
        return {
            "person_id": mentee_id,
            "side": "mentee",
            "capacity": None,
            "items": [
                {"person_id": p, "score": s, "rank": k + 1} for k, (p, s) in enumerate(items)
            ],
        }
    if mentor_id not in run.preferences["capacity"]:
        raise NotFound(f"{mentor_id!r} is not a mentor of this run.")
    theirs = sorted(((-t, e) for e, items in lists.items() for m, _s, t in items if m == mentor_id))
    return {
        "person_id": mentor_id,
        "side": "mentor",
        "capacity": run.preferences["capacity"][mentor_id],
        "items": [{"person_id": e, "score": -t, "rank": k + 1} for k, (t, e) in enumerate(theirs)],
    }


def shown(run: Run, caller: Caller) -> Run:
    """Set what the caller sees of a run: everything (admins) or their own pairing (members)."""
    result = run.result or {}
    assignments, unmatched = result.get("assignments", []), result.get("unmatched", [])
    if caller.is_member:
        me = caller.person_id
        assignments = [a for a in assignments if me in (a["mentee_id"], a["mentor_id"])]
        unmatched = [u for u in unmatched if u["mentee_id"] == me]
    groups = result.get("groups", [])
    if caller.is_member:
        groups = [g for g in groups if caller.person_id in g["person_ids"]]
    run.shown_groups = groups
    run.shown_assignments = assignments
    run.shown_unmatched = unmatched
    run.shown_metrics = None if caller.is_member else result.get("metrics")
    run.shown_baseline = None if caller.is_member else result.get("baseline")
    return run


def visible_run(session: Session, caller: Caller, programme: Programme, run_id: str) -> Run:
    """A run as the caller may read it: members only a published one they took part in."""
    run = get_run(session, programme, run_id)
    if caller.is_member:
        taking_part = session.scalar(
            select(Participant.id).where(
                Participant.programme_id == programme.id, Participant.person_id == caller.person_id
            )
        )
        if run.status != "published" or taking_part is None:
            raise NotFound(f"No run {run_id!r} in this programme.")
    return shown(run, caller)


# ------------------------------------------------------------------ intro rounds

IGNORED_TO_PAUSE = 3


def _rounds(session: Session, programme_id: str) -> list[Run]:
    """The published rounds of an intro programme, oldest first."""
    return list(
        session.scalars(
            select(Run)
            .where(
                Run.programme_id == programme_id, Run.method == "round", Run.status == "published"
            )
            .order_by(Run.published_at, Run.id)
        )
    )


def _met(
    session: Session, person_id: str, others: list[str], since: datetime, until: datetime | None
) -> bool:
    query = select(Interaction.id).where(
        or_(
            and_(Interaction.person_id == person_id, Interaction.contact_id.in_(others)),
            and_(Interaction.contact_id == person_id, Interaction.person_id.in_(others)),
        ),
        Interaction.occurred_at >= since,
    )
    if until is not None:
        query = query.where(Interaction.occurred_at < until)
    return session.scalar(query.limit(1)) is not None


def intros_of(session: Session, person_id: str) -> dict[str, Any]:
    """A person's intros in every intro programme, newest first, and whether they are paused.

    An intro counts as met when either side logged an interaction with the other after the
    round was published and before the next one; three ignored rounds in a row (since the
    person last joined) pause them.
    """
    joined = dict(
        session.execute(
            select(Participant.programme_id, Participant.joined_at)
            .join(Programme, Programme.id == Participant.programme_id)
            .where(Participant.person_id == person_id, Programme.kind == "intro_rounds")
        ).all()
    )
    items, paused_in = [], []
    for programme_id, joined_at in joined.items():
        rounds = [r for r in _rounds(session, programme_id) if r.published_at >= joined_at]
        statuses = []
        for k, run in enumerate(rounds):
            group = next((g for g in run.result["groups"] if person_id in g["person_ids"]), None)
            if group is None:
                statuses.append(None)
                continue
            others = [p for p in group["person_ids"] if p != person_id]
            until = rounds[k + 1].published_at if k + 1 < len(rounds) else None
            if _met(session, person_id, others, run.published_at, until):
                status = "met"
            else:
                status = "pending" if until is None else "ignored"
            statuses.append(status)
            items.append(
                {
                    "programme_id": programme_id,
                    "run_id": run.id,
                    "person_ids": others,
                    "drawn_at": run.published_at,
                    "status": status,
                }
            )
        if _paused(statuses):
            paused_in.append(programme_id)
    items.sort(key=lambda item: item["drawn_at"], reverse=True)
    notice = None
    if paused_in:
        notice = (
            f"You let {IGNORED_TO_PAUSE} intro rounds in a row pass without meeting anyone, so "
            "you are paused and left out of the next rounds. Leave and join the programme "
            "again to take part."
        )
    return {"person_id": person_id, "paused": bool(paused_in), "notice": notice, "items": items}


def _paused(statuses: list[str | None]) -> bool:
    last = [s for s in statuses if s in ("met", "ignored")][-IGNORED_TO_PAUSE:]
    return len(last) == IGNORED_TO_PAUSE and all(s == "ignored" for s in last)


def start_round(session: Session, programme: Programme, now: datetime) -> Run:
    """Check that an intro programme has people to introduce and queue a round."""
    if programme.kind != "intro_rounds":
        raise Conflict("Only an intro-rounds programme draws rounds; run a matching instead.")
    if len(_round_people(session, programme)) < 2:
        raise Invalid(
            "An intro round needs at least two active participants who are not paused.",
            errors=[{"pointer": "", "detail": "Fewer than two people to introduce."}],
        )
    run = Run(programme_id=programme.id, method="round", status="queued", created_at=now)
    session.add(run)
    session.flush()
    return run


def _round_people(session: Session, programme: Programme) -> list[str]:
    rows = session.execute(
        select(Participant.person_id)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.programme_id == programme.id, Person.active.is_(True))
    ).all()
    return sorted(p for (p,) in rows if programme.id not in _paused_programmes(session, p))


def _paused_programmes(session: Session, person_id: str) -> set[str]:
    found = intros_of(session, person_id)
    if not found["paused"]:
        return set()
    by_programme: dict[str, list[str]] = {}
    for item in reversed(found["items"]):
        by_programme.setdefault(item["programme_id"], []).append(item["status"])
    return {p for p, statuses in by_programme.items() if _paused(statuses)}


def _draw(session: Session, programme: Programme, run: Run, now: datetime) -> None:
    rules = programme.rules or {}
    people = _round_people(session, programme)
    n = len(people)
    index = {p: i for i, p in enumerate(people)}
    records = person_records(session, None, now)
    scorer = CohortScorer("cross_functional", length=max(n - 1, 1)).fit(records.values())
    prefs = scorer.preferences(people, people)
    score = np.zeros((n, n))
    for i, mentee_id in enumerate(prefs.mentee_ids):
        for k, j in enumerate(prefs.choices[i]):
            if j >= 0:
                a, b = index[mentee_id], index[prefs.mentor_ids[j]]
                score[a, b] = score[b, a] = max(score[a, b], prefs.scores[i, k])
    allowed = ~np.eye(n, dtype=bool)
    for pair in rules.get("forbidden_pairs", []):
        a, b = index.get(pair["mentee_id"]), index.get(pair["mentor_id"])
        if a is not None and b is not None:
            allowed[a, b] = allowed[b, a] = False
    # "Don't pair me with": a do_not_suggest dismissal holds for intro rounds too.
    for pair in do_not_suggest_pairs(session, people):
        a, b = (index[p] for p in pair)
        allowed[a, b] = allowed[b, a] = False
    last = rules.get("avoid_recent_rounds", 6)
    recent = _rounds(session, programme.id)[-last:] if last else []
    for past in recent:
        for group in past.result["groups"]:
            members = [index[p] for p in group["person_ids"] if p in index]
            for a in members:
                for b in members:
                    allowed[a, b] = allowed[a, b] and a == b
    run.progress = 0.8
    groups = intro_groups(score, allowed, rules.get("group_size", 2))
    run.result = {
        "groups": [
            {
                "person_ids": [people[p] for p in g],
                "score": round(float(np.mean([score[a, b] for a in g for b in g if a < b])), 6),
                "repeats": any(not allowed[a, b] for a in g for b in g if a < b),
            }
            for g in groups
        ]
    }
