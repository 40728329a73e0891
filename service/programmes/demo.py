"""Demo programmes: one of each kind, run (or drawn) and published, so that `make run` shows them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.people.models import Person
from service.programmes import logic
from service.programmes.models import Participant, Programme, Run


def _programme(session: Session, now: datetime, **fields) -> Programme:
    programme = Programme(created_at=now, updated_at=now, **fields)
    session.add(programme)
    session.flush()
    return programme


def _enrol(
    session: Session, programme: Programme, role: str, ids: list[str], now: datetime
) -> None:
    session.add_all(
        Participant(programme_id=programme.id, person_id=p, role=role, joined_at=now) for p in ids
    )
    session.flush()


def _run_and_publish(
    session: Session, programme: Programme, now: datetime, *, round_: bool = False
) -> Run:
    run = (
        logic.start_round(session, programme, now)
        if round_
        else logic.start_run(session, programme, "stable", now)
    )
    session.commit()
    logic.execute_run(session, run.id, now)
    run = session.get(Run, run.id)
    if run.status == "succeeded":
        logic.publish(session, programme, run, now)
        session.commit()
    return run


def load_programmes(session: Session, now: datetime) -> int:
    """Create, run and publish one programme of each kind from the demo directory."""
    people = session.execute(
        select(
            Person.id, Person.level, Person.function, Person.open_to_mentor, Person.mentor_capacity
        )
        .where(Person.active.is_(True))
        .order_by(Person.id)
    ).all()
    if len(people) < 40:
        return 0
    start = (now + timedelta(days=7)).date()
    end = start + timedelta(days=120)

    juniors = [p.id for p in people if p.level <= 3]
    mentors = [p.id for p in people if p.level >= 5 and p.open_to_mentor]
    seniors = [p.id for p in people if p.level >= 6][:15]
    engineers = [p.id for p in people if p.function == "engineering" and p.level <= 4]
    others = [p.id for p in people if p.function in ("product", "design", "sales")]
    cohorts = [
        (
            "Spring mentoring cohort",
            "Mentors for people in their first levels, matched as a cohort.",
            "mentoring",
            juniors[:60],
            mentors[:20],
            2,
        ),
        (
            "Reverse mentoring: the new stack",
            "Juniors who know the new tools teach executives.",
            "reverse_mentoring",
            seniors,
            juniors[60:80],
            1,
        ),
        (
            "Cross-functional pairs",
            "Engineers paired with product, design and sales.",
            "cross_functional",
            engineers[-30:],
            others[:15],
            2,
        ),
    ]
    made = []
    for name, description, kind, mentees, teachers, room in cohorts:
        if not mentees or not teachers:
            continue
        programme = _programme(
            session,
            now,
            name=name,
            description=description,
            kind=kind,
            starts_on=start,
            ends_on=end,
            mentorship_ends_on=end,
            rules={"capacity_overrides": {m: room for m in teachers}},
        )
        _enrol(session, programme, "mentee", mentees, now)
        _enrol(session, programme, "mentor", teachers, now)
        made.append(programme)

    coffee = _programme(
        session,
        now,
        name="Monthly coffee roulette",
        description="Meet someone from another function every two weeks.",
        kind="intro_rounds",
        starts_on=start,
    )
    _enrol(
        session, coffee, "either", [p.id for p in people[:: max(len(people) // 25, 1)]][:25], now
    )
    session.commit()

    for programme in made:
        _run_and_publish(session, programme, now)
    _run_and_publish(session, coffee, now, round_=True)
    return len(made) + 1
