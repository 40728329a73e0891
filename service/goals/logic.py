"""Use-cases of goals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Caller, owner_for_new
from service.db import page_of, utcnow
from service.errors import Forbidden, NotFound
from service.goals.models import Goal
from service.people.logic import require_reference
from service.skills import logic as skills


def _visible(caller: Caller, goal: Goal) -> bool:
    return not caller.is_member or caller.is_person(goal.person_id)


def get_goal(session: Session, caller: Caller, goal_id: str) -> Goal:
    """Return a goal the caller may see, or raise NotFound (members see only their own)."""
    goal = session.get(Goal, goal_id)
    if goal is None or not _visible(caller, goal):
        raise NotFound(f"No goal has id {goal_id!r}.")
    return goal


@dataclass(frozen=True)
class GoalFilters:
    """The filters of the goal list."""

    person_id: str | None = None
    status: str | None = None
    kind: str | None = None


def list_goals(
    session: Session, caller: Caller, filters: GoalFilters, *, offset: int, limit: int
) -> tuple[list[Goal], int]:
    """Return one page of the goals the caller may see, newest first, and how many in all."""
    person_id = filters.person_id
    if caller.is_member:
        if person_id is not None and person_id != caller.person_id:
            raise Forbidden("A member token reads only its own goals.")
        person_id = caller.person_id
    query = select(Goal)
    if person_id is not None:
        query = query.where(Goal.person_id == person_id)
    if filters.status:
        query = query.where(Goal.status == filters.status)
    if filters.kind:
        query = query.where(Goal.kind == filters.kind)
    return page_of(
        session, query, Goal.created_at.desc(), Goal.id.desc(), offset=offset, limit=limit
    )


def _apply(session: Session, goal: Goal, data: dict[str, Any]) -> None:
    for name in ("title", "kind", "description", "due_on", "status"):
        if name in data:
            setattr(goal, name, data[name])
    if "target_functions" in data:
        goal.target_functions = list(data["target_functions"])
    if "target_skills" in data:
        resolved = skills.resolve(session, data["target_skills"], "/target_skills")
        goal.skills = sorted({s.id: s for s in resolved.values()}.values(), key=lambda s: s.name)


def create_goal(session: Session, caller: Caller, data: dict[str, Any]) -> Goal:
    """Add a goal for a person."""
    person_id = owner_for_new(caller, data.get("person_id"), "goals")
    require_reference(session, person_id, "/person_id")
    goal = Goal(person_id=person_id, target_functions=[], status="active")
    _apply(session, goal, data)
    session.add(goal)
    session.flush()
    return goal


def authorize_change(caller: Caller, goal: Goal) -> None:
    """Members change only their own goals (others are already invisible to them)."""
    if caller.is_member and not caller.is_person(goal.person_id):
        raise Forbidden("A member token may change only its own goals.")


def update_goal(session: Session, goal: Goal, changes: dict[str, Any]) -> Goal:
    """Change some fields of a goal."""
    _apply(session, goal, changes)
    goal.updated_at = utcnow()
    session.flush()
    return goal


def delete_goal(session: Session, goal: Goal) -> None:
    """Delete a goal; interactions and mentorships that served it keep existing without it."""
    from service.mentorships.models import Mentorship

    for mentorship in session.scalars(
        select(Mentorship).where(Mentorship.mentee_id == goal.person_id)
    ):
        if goal.id in mentorship.goal_ids:
            mentorship.goal_ids = [g for g in mentorship.goal_ids if g != goal.id]
    session.delete(goal)
    session.flush()
