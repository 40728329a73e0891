"""Use-cases of SCIM provisioning: find, create, replace, patch and deactivate users.

Users are people: every write goes through the directory's own use-cases
(:mod:`service.people.logic`), so that the rules of uniqueness, managers and deactivation
are the same whichever door a change comes in by.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.people import logic as people
from service.people.models import Person
from service.scim import filters, mapping
from service.scim.resources import POLICY


def find_users(
    session: Session, scim_filter: Any, *, start: int, count: int
) -> tuple[list[Person], int]:
    """Return the page of people matching a SCIM filter, in id order, and how many match.

    ``start`` is 1-based; a ``count`` of 0 asks only for the total.
    """
    condition = filters.condition(scim_filter)
    total = session.scalar(select(func.count()).select_from(Person).where(condition)) or 0
    if count == 0 or start > total:
        return [], total
    people_page = session.scalars(
        select(Person).where(condition).order_by(Person.id).offset(start - 1).limit(count)
    )
    return list(people_page), total


def get_user(session: Session, person_id: str) -> Person:
    """Return the person a SCIM id names, or raise NotFound."""
    return people.get_person(session, person_id)


def _with_manager(session: Session, fields: dict[str, Any]) -> dict[str, Any]:
    """Turn the manager reference of SCIM fields into a manager id, or keep it pending.

    Identity providers provision in any order and may name a manager by employee id or
    email: a reference that names nobody yet is kept, and resolved when that person arrives.
    """
    if "manager" not in fields:
        return fields
    reference = fields.pop("manager")
    manager = people.find_by_reference(session, reference) if reference else None
    fields["manager_id"] = manager
    fields["manager_ref"] = reference if manager is None else None
    return fields


def create_user(session: Session, user: Any, defaults: mapping.Defaults) -> Person:
    """Add the person a SCIM user describes to the directory."""
    return people.create_person(session, _with_manager(session, mapping.new_person(user, defaults)))


def _update(session: Session, person: Person, fields: dict[str, Any]) -> Person:
    changes = mapping.changed(person, _with_manager(session, fields))
    # An unchanged person keeps its lastModified and version.
    if changes:
        people.update_person(session, person, changes)
    return person


def replace_user(session: Session, person: Person, user: Any) -> Person:
    """Replace a person's SCIM attributes with those of ``user`` (PUT)."""
    return _update(session, person, mapping.replaced_person(user, person))


def patch_user(
    session: Session,
    person: Person,
    patch: Any,
    location: Callable[[str], str] | None = None,
) -> Person:
    """Apply a SCIM PatchOp to a person: to its SCIM form, then back to the person."""
    before = mapping.to_user(person, location)
    after = before.model_copy(deep=True)
    patch.patch(after, scim_policy=POLICY)
    return _update(session, person, mapping.patched_person(before, after, person))


def deactivate_user(session: Session, person: Person) -> Person:
    """Deactivate a person (SCIM DELETE): nobody is erased, and they stay readable."""
    return people.deactivate_person(session, person)
