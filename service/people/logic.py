"""Use-cases of the directory: create, read, list, change and deactivate people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from service.auth import Caller
from service.db import LIKE_ESCAPE, escape_like, page_of, utcnow
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.people.models import Person, PersonLearning, PersonSkill
from service.skills import logic as skills

# What a member may change on their own profile; the rest is owned by HR (admin and
# integration tokens), so that nobody can, say, raise their own level to be matched as a mentor.
SELF_SERVICE_FIELDS = frozenset(
    {"location", "timezone", "languages", "perspectives", "skills", "learning", "mentoring"}
)
MENTORING_FIELDS = ("open_to_mentor", "mentor_capacity", "open_to_reverse_mentor", "seeking_mentor")
# The fields stored as given, one column each (lists are JSON columns).
SCALAR_FIELDS = (
    "external_id",
    "name",
    "title",
    "function",
    "level",
    "division",
    "team",
    "location",
    "timezone",
    "active",
)
# What identity providers add: their own id of the person, the parts of the name, and a
# manager reference that names nobody yet.
IDENTITY_FIELDS = ("idp_id", "given_name", "family_name", "manager_ref")
_PLAIN_FIELDS = (*SCALAR_FIELDS, "languages", *IDENTITY_FIELDS)


def get_person(session: Session, person_id: str) -> Person:
    """Return a person by id, or raise NotFound."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person has id {person_id!r}.")
    return person


def require_exists(session: Session, person_id: str) -> None:
    """Raise NotFound unless the person exists (one indexed read; nothing is loaded)."""
    if session.scalar(select(Person.id).where(Person.id == person_id)) is None:
        raise NotFound(f"No person has id {person_id!r}.")


def require_reference(session: Session, person_id: str, pointer: str) -> None:
    """Raise a 422 naming the field unless the person a request body refers to exists."""
    if session.scalar(select(Person.id).where(Person.id == person_id)) is None:
        raise Invalid.field(pointer, f"No person has id {person_id!r}.")


def require_person(session: Session, person_id: str, pointer: str) -> Person:
    """Return the person a request body refers to, or raise a 422 naming the field."""
    person = session.get(Person, person_id)
    if person is None:
        raise Invalid.field(pointer, f"No person has id {person_id!r}.")
    return person


@dataclass(frozen=True)
class PeopleFilters:
    """The filters of the people list; all given filters must match."""

    function: str | None = None
    division: str | None = None
    skills: tuple[str, ...] = field(default_factory=tuple)
    min_level: int | None = None
    max_level: int | None = None
    active: bool | None = None
    q: str | None = None


def filtered_people(session: Session, filters: PeopleFilters) -> Select[tuple[Person]] | None:
    """Return the query of people matching ``filters``, or None when nobody can match."""
    query = select(Person)
    if filters.function:
        query = query.where(Person.function == filters.function)
    if filters.division:
        query = query.where(Person.division == filters.division)
    if filters.min_level is not None:
        query = query.where(Person.level >= filters.min_level)
    if filters.max_level is not None:
        query = query.where(Person.level <= filters.max_level)
    if filters.active is not None:
        query = query.where(Person.active.is_(filters.active))
    if filters.q:
        pattern = f"%{escape_like(filters.q.strip())}%"
        query = query.where(
            or_(
                Person.name.ilike(pattern, escape=LIKE_ESCAPE),
                Person.title.ilike(pattern, escape=LIKE_ESCAPE),
                Person.email_key.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    if filters.skills:
        known = skills.find(session, filters.skills)
        if len({skills.normalize(s) for s in filters.skills} - known.keys()):
            return None  # nobody holds a skill that does not exist
        for skill in {s.id for s in known.values()}:
            query = query.where(
                Person.id.in_(select(PersonSkill.person_id).where(PersonSkill.skill_id == skill))
            )
    return query


def list_people(
    session: Session, filters: PeopleFilters, *, offset: int, limit: int
) -> tuple[list[Person], int]:
    """Return one page of matching people, ordered by name then id, and how many match."""
    query = filtered_people(session, filters)
    if query is None:
        return [], 0
    return page_of(session, query, Person.name, Person.id, offset=offset, limit=limit)


def email_key(email: str) -> str:
    """The form of an email that makes it unique whatever its case."""
    return email.strip().casefold()


def _check_email(session: Session, email: str, person: Person | None) -> str:
    key = email_key(email)
    other = session.scalar(select(Person.id).where(Person.email_key == key))
    if other is not None and (person is None or other != person.id):
        raise Conflict(f"The email {email!r} already belongs to another person.", person_id=other)
    return key


def _check_external_id(session: Session, external_id: str | None, person: Person | None) -> None:
    _check_unique(session, Person.external_id, external_id, person, "external id")


def _check_unique(
    session: Session, column: Any, value: str | None, person: Person | None, what: str
) -> None:
    if value is None:
        return
    other = session.scalar(select(Person.id).where(column == value))
    if other is not None and (person is None or other != person.id):
        raise Conflict(f"The {what} {value!r} already belongs to another person.", person_id=other)


def find_by_reference(session: Session, reference: str) -> str | None:
    """Return the id of the person a reference names: by id, employee id, identity provider
    id or email (whatever its case), or None."""
    reference = reference.strip()
    return session.scalar(
        select(Person.id)
        .where(
            or_(
                Person.id == reference,
                Person.external_id == reference,
                Person.idp_id == reference,
                Person.email_key == email_key(reference),
            )
        )
        .limit(1)
    )


def _manages(session: Session, manager_id: str, person_id: str) -> bool:
    """Whether ``person_id`` is ``manager_id`` or above them in the management chain."""
    seen: set[str] = set()
    current: str | None = manager_id
    while current is not None and current not in seen:
        if current == person_id:
            return True
        seen.add(current)
        current = session.scalar(select(Person.manager_id).where(Person.id == current))
    return False


def resolve_manager_references(session: Session) -> int:
    """Give the people whose manager was named before they arrived that manager, now that
    they exist; return how many were resolved. A reference that would close a loop in the
    management chain stays unresolved."""
    pending = list(session.scalars(select(Person).where(Person.manager_ref.is_not(None))))
    resolved = 0
    for person in pending:
        assert person.manager_ref is not None
        manager = find_by_reference(session, person.manager_ref)
        if manager is None or _manages(session, manager, person.id):
            continue
        person.manager_id = manager
        person.manager_ref = None
        person.updated_at = utcnow()
        resolved += 1
    if resolved:
        session.flush()
    return resolved


def _check_manager(session: Session, manager_id: str | None, person: Person | None) -> None:
    if manager_id is None:
        return
    require_reference(session, manager_id, "/manager_id")
    if person is None:
        return
    # Walk up from the new manager; meeting the person again would close a loop.
    seen: set[str] = set()
    current: str | None = manager_id
    while current is not None and current not in seen:
        if current == person.id:
            raise Invalid.field(
                "/manager_id", "A person cannot be managed by themselves or by someone they manage."
            )
        seen.add(current)
        current = session.scalar(select(Person.manager_id).where(Person.id == current))


def _skill_rows(
    session: Session, entries: list[dict], value_key: str, pointer: str, row_type: type
) -> list:
    resolved = skills.resolve(session, [e["skill"] for e in entries], pointer)
    rows = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        skill = resolved[skills.normalize(entry["skill"])]
        if skill.id in seen:
            raise Invalid.field(
                f"{pointer}/{i}/skill",
                f"{entry['skill']!r} is {skill.name!r}, "
                f"already listed at position {seen[skill.id]}.",
            )
        seen[skill.id] = i
        rows.append(
            row_type(skill_id=skill.id, skill=skill, position=i, **{value_key: entry[value_key]})
        )
    return rows


def perspective_tags(values: list[str]) -> list[str]:
    """The stored form of perspective tags: each one normalised, once, sorted."""
    return sorted({_tag(value) for value in values})


def _tag(text: str) -> str:
    """Return a perspective tag: trimmed and case-folded letter by letter.

    Folding letter by letter keeps the length (``"ß".casefold()`` is ``"ss"``), so that a tag
    within the documented maximum stays within it.
    """
    return "".join(
        folded if len(folded := c.casefold()) == 1 else c.lower() if len(c.lower()) == 1 else c
        for c in text.strip()
    )


def _apply(session: Session, person: Person, data: dict[str, Any]) -> None:
    for name in _PLAIN_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    if "perspectives" in data:
        person.perspectives = perspective_tags(data["perspectives"])
    if "email" in data:
        person.email_key = _check_email(session, data["email"], person if person.id else None)
        person.email = data["email"].strip()
    if "user_name" in data:
        key = data["user_name"].casefold() if data["user_name"] is not None else None
        _check_unique(session, Person.user_name_key, key, person if person.id else None, "userName")
        person.user_name, person.user_name_key = data["user_name"], key
    if "manager_id" in data:
        person.manager_id = data["manager_id"]
        if "manager_ref" not in data:
            person.manager_ref = None  # a manager given explicitly replaces a pending one
    for name in MENTORING_FIELDS:
        if name in data.get("mentoring", {}):
            setattr(person, name, data["mentoring"][name])
    if "skills" in data:
        new_rows = _skill_rows(session, data["skills"], "level", "/skills", PersonSkill)
        person.skill_rows = _merge_rows(person.skill_rows, new_rows, "level")
    if "learning" in data:
        new_rows = _skill_rows(session, data["learning"], "priority", "/learning", PersonLearning)
        person.learning_rows = _merge_rows(person.learning_rows, new_rows, "priority")


def _merge_rows(old_rows: list, new_rows: list, value_key: str) -> list:
    # Reuse the rows of skills that stay, so that the flush updates them in place rather
    # than deleting and re-inserting the same primary key.
    old = {row.skill_id: row for row in old_rows}
    merged = []
    for row in new_rows:
        kept = old.get(row.skill_id)
        if kept is None:
            merged.append(row)
        else:
            setattr(kept, value_key, getattr(row, value_key))
            kept.position = row.position
            merged.append(kept)
    return merged


def create_person(session: Session, data: dict[str, Any]) -> Person:
    """Add a person to the directory."""
    _check_external_id(session, data.get("external_id"), None)
    _check_unique(session, Person.idp_id, data.get("idp_id"), None, "identity provider id")
    _check_manager(session, data.get("manager_id"), None)
    person = Person(languages=[], perspectives=[], active=True)
    _apply(session, person, data)
    session.add(person)
    session.flush()
    resolve_manager_references(session)
    return person


def authorize_change(caller: Caller, person: Person, fields: set[str]) -> None:
    """Refuse a member who changes someone else, or a field owned by HR."""
    if not caller.is_member:
        return
    if not caller.is_person(person.id):
        raise Forbidden("A member token may change only its own profile.")
    owned_by_hr = sorted(fields - SELF_SERVICE_FIELDS)
    if owned_by_hr:
        raise Forbidden(
            "These fields are maintained by HR and cannot be changed with a member token: "
            + ", ".join(owned_by_hr)
            + "."
        )


def update_person(session: Session, person: Person, changes: dict[str, Any]) -> Person:
    """Change some fields of a person; lists given replace the old ones."""
    if "external_id" in changes:
        _check_external_id(session, changes["external_id"], person)
    if "idp_id" in changes:
        _check_unique(session, Person.idp_id, changes["idp_id"], person, "identity provider id")
    if "manager_id" in changes:
        _check_manager(session, changes["manager_id"], person)
    leaving = person.active and changes.get("active") is False
    _apply(session, person, changes)
    person.updated_at = utcnow()
    session.flush()
    if {"email", "external_id", "idp_id"} & changes.keys():
        resolve_manager_references(session)
    if leaving:
        _left(session, person)
    return person


def deactivate_person(session: Session, person: Person) -> Person:
    """Mark a person inactive: they stay readable, leave recommendations, lose their tokens,
    and their proposed and active mentorships are cancelled."""
    leaving = person.active
    person.active = False
    person.updated_at = utcnow()
    session.flush()
    if leaving:
        _left(session, person)
    return person


def _left(session: Session, person: Person) -> None:
    from service.mentorships.logic import close_for_departed
    from service.tokens.logic import revoke_for_departed

    close_for_departed(session, [person.id], person.updated_at)
    revoke_for_departed(session, [person.id], person.updated_at)
