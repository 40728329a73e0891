"""Rows of the directory turned into the plain records the matching engine reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

import matching
from service.goals.models import Goal, goal_skills
from service.interactions.models import Interaction
from service.mentorships.logic import is_active, today_of
from service.mentorships.models import Mentorship
from service.people.models import Person, PersonLearning, PersonSkill
from service.relationships.strength import contribution, strength
from service.skills.models import Skill

# Ids per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters.
CHUNK = 900


def _chunks(ids: Collection[str] | None) -> Iterator[list[str] | None]:
    if ids is None:
        yield None
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _rows(session: Session, query: Select, column: Any, ids: Collection[str] | None) -> Iterator:
    for chunk in _chunks(ids):
        yield from session.execute(query if chunk is None else query.where(column.in_(chunk)))


def person_records(
    session: Session, ids: Collection[str] | None, now: datetime
) -> dict[str, matching.Person]:
    """Return the matching records of the given people (everyone when ``ids`` is None).

    A handful of set-wise queries, whatever the number of people: profiles, skills, learning
    wishes, active goals with their skills, and the interactions that make their ties.
    """
    people = list(
        _rows(
            session,
            select(
                Person.id,
                Person.function,
                Person.level,
                Person.division,
                Person.location,
                Person.team,
                Person.perspectives,
                Person.manager_id,
                Person.open_to_mentor,
                Person.mentor_capacity,
                Person.open_to_reverse_mentor,
                Person.seeking_mentor,
                Person.active,
            ),
            Person.id,
            ids,
        )
    )
    wanted = {row.id for row in people}
    skills: dict[str, dict[str, int]] = defaultdict(dict)
    query = select(PersonSkill.person_id, Skill.name, PersonSkill.level).join(Skill)
    for person_id, name, level in _rows(session, query, PersonSkill.person_id, ids):
        skills[person_id][name] = level
    learning: dict[str, dict[str, int]] = defaultdict(dict)
    query = select(PersonLearning.person_id, Skill.name, PersonLearning.priority).join(Skill)
    for person_id, name, priority in _rows(session, query, PersonLearning.person_id, ids):
        learning[person_id][name] = priority
    goals = _active_goals(session, ids)
    ties = _ties(session, ids, wanted, now)
    mentees_of, mentors_of = _mentoring(session, ids, now)
    return {
        row.id: matching.Person(
            id=row.id,
            function=row.function,
            level=row.level,
            division=row.division or "",
            location=row.location or "",
            team=row.team or "",
            skills=skills.get(row.id, {}),
            learning=learning.get(row.id, {}),
            perspectives=frozenset(row.perspectives or ()),
            manager_id=row.manager_id,
            open_to_mentor=row.open_to_mentor,
            mentor_capacity=row.mentor_capacity,
            open_to_reverse_mentor=row.open_to_reverse_mentor,
            seeking_mentor=row.seeking_mentor,
            active=row.active,
            ties=ties.get(row.id, {}),
            goals=tuple(goals.get(row.id, ())),
            active_mentees=mentees_of.get(row.id, 0),
            mentor_ids=frozenset(mentors_of.get(row.id, ())),
        )
        for row in people
    }


def _active_goals(session: Session, ids: Collection[str] | None) -> dict[str, list[matching.Goal]]:
    query = select(Goal.id, Goal.person_id, Goal.title, Goal.target_functions).where(
        Goal.status == "active"
    )
    rows = list(_rows(session, query, Goal.person_id, ids))
    goal_ids = [row.id for row in rows]
    skills_of: dict[str, set[str]] = defaultdict(set)
    query = select(goal_skills.c.goal_id, Skill.name).join(
        Skill, Skill.id == goal_skills.c.skill_id
    )
    for goal_id, name in _rows(session, query, goal_skills.c.goal_id, goal_ids):
        skills_of[goal_id].add(name)
    goals: dict[str, list[matching.Goal]] = defaultdict(list)
    for row in rows:
        goals[row.person_id].append(
            matching.Goal(
                title=row.title,
                skills=frozenset(skills_of.get(row.id, ())),
                functions=frozenset(row.target_functions or ()),
            )
        )
    return goals


def _ties(
    session: Session, ids: Collection[str] | None, wanted: set[str], now: datetime
) -> dict[str, dict[str, float]]:
    """Tie strengths of the wanted people, from interactions logged on either side."""
    query = select(
        Interaction.id,
        Interaction.person_id,
        Interaction.contact_id,
        Interaction.kind,
        Interaction.occurred_at,
    )
    seen: set[str] = set()
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for chunk in _chunks(ids):
        selected = (
            query
            if chunk is None
            else query.where(
                or_(Interaction.person_id.in_(chunk), Interaction.contact_id.in_(chunk))
            )
        )
        for interaction_id, person_id, contact_id, kind, occurred_at in session.execute(selected):
            if chunk is not None:  # an interaction may come back with both its people's chunks
                if interaction_id in seen:
                    continue
                seen.add(interaction_id)
            added = contribution(kind, occurred_at, now)
            if person_id in wanted:
                totals[person_id][contact_id] += added
            if contact_id in wanted:
                totals[contact_id][person_id] += added
    return {
        person_id: {other: strength(total) for other, total in others.items()}
        for person_id, others in totals.items()
    }


def _mentoring(
    session: Session, ids: Collection[str] | None, now: datetime
) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Each mentor's active mentorships of kind mentorship, and each mentee's current mentors."""
    query = select(
        Mentorship.id, Mentorship.mentor_id, Mentorship.mentee_id, Mentorship.kind
    ).where(is_active(today_of(now)))
    rows: dict[str, tuple[str, str, str]] = {}
    for chunk in _chunks(ids):
        selected = (
            query
            if chunk is None
            else query.where(or_(Mentorship.mentor_id.in_(chunk), Mentorship.mentee_id.in_(chunk)))
        )
        for mentorship_id, mentor_id, mentee_id, kind in session.execute(selected):
            rows[mentorship_id] = (mentor_id, mentee_id, kind)
    mentees_of: dict[str, int] = defaultdict(int)
    mentors_of: dict[str, set[str]] = defaultdict(set)
    for mentor_id, mentee_id, kind in rows.values():
        if kind == "mentorship":  # only these count against mentor_capacity
            mentees_of[mentor_id] += 1
        mentors_of[mentee_id].add(mentor_id)
    return mentees_of, mentors_of
