"""Use-cases of the skill taxonomy, and the resolution of any skill name to its canonical skill."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service import changes as directory
from service.db import LIKE_ESCAPE, escape_like, new_id, page_of, utcnow
from service.errors import Conflict, Invalid, NotFound
from service.skills.models import UNCATEGORIZED, Skill, SkillAlias

MAX_NAME_LENGTH = 80
_SPACES = re.compile(r"\s+")


def normalize(name: str) -> str:
    """Return the canonical spelling of a skill name: trimmed, case-folded, single-spaced."""
    return _SPACES.sub(" ", name.strip()).casefold()


def _checked(name: str, pointer: str) -> str:
    key = normalize(name)
    if not key:
        raise Invalid.field(pointer, "A skill name cannot be blank.")
    if len(key) > MAX_NAME_LENGTH:
        raise Invalid.field(pointer, f"A skill name has at most {MAX_NAME_LENGTH} characters.")
    return key


def find(session: Session, names: Iterable[str]) -> dict[str, Skill]:
    """Return the skills known by the given names or aliases, keyed by normalised name.

    Unknown names are simply absent from the result.
    """
    keys = {normalize(n) for n in names} - {""}
    if not keys:
        return {}
    found: dict[str, Skill] = {}
    for skill in session.scalars(select(Skill).where(Skill.name.in_(keys))):
        found[skill.name] = skill
    rows = session.execute(
        select(SkillAlias.alias, Skill).join(Skill).where(SkillAlias.alias.in_(keys - found.keys()))
    )
    for alias, skill in rows:
        found[alias] = skill
    return found


def resolve(session: Session, names: Iterable[str], pointer: str = "") -> dict[str, Skill]:
    """Return the canonical skill of every name, creating unknown names as ``uncategorized``.

    Creation tolerates a concurrent request creating the same skill (insert-or-ignore, then
    read back), so two people naming a new skill at once both succeed.
    """
    keys = {_checked(n, pointer) for n in names}
    found = find(session, keys)
    missing = sorted(keys - found.keys())
    if missing:
        now = utcnow()
        rows = [
            {
                "id": new_id("skl"),
                "name": key,
                "category": UNCATEGORIZED,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for key in missing
        ]
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(Skill).values(rows).on_conflict_do_nothing(index_elements=["name"]))
        found.update(find(session, missing))
    return found


@dataclass(frozen=True)
class NewSkillBounds:
    """How many skills a member's profile may bring into the taxonomy."""

    per_request: int
    per_day: int


# How alike an unknown name and an existing one must be to be taken for a typo of it
# (difflib's ratio: "kubernets" and "kubernetes" are 0.95).
TYPO_SIMILARITY = 0.85


def admit_new(
    session: Session,
    named: list[tuple[str, str]],
    creator: str,
    bounds: NewSkillBounds,
) -> set[str]:
    """Check the names a member gives (``(pointer, name)`` pairs) that the taxonomy lacks.

    A name that looks like a typo of an existing skill or alias is refused with that skill
    as the suggestion; beyond ``bounds`` new skills in one request, or a day, the request is
    refused. Returns the new names (normalised), for :func:`record_creator`.
    """
    keys = {pointer: _checked(name, pointer) for pointer, name in named}
    known = find(session, keys.values())
    new = {pointer: key for pointer, key in keys.items() if key not in known}
    if not new:
        return set()
    existing = list(session.scalars(select(Skill.name))) + list(
        session.scalars(select(SkillAlias.alias))
    )
    for pointer, key in new.items():
        close = difflib.get_close_matches(key, existing, n=1, cutoff=TYPO_SIMILARITY)
        if close:
            canonical = find(session, close)[close[0]].name
            raise Invalid.field(
                pointer,
                f"{key!r} is not a skill yet: did you mean {canonical!r}? (An admin can add "
                "it to the taxonomy if it is really new.)",
            )
    names = set(new.values())
    if len(names) > bounds.per_request:
        raise Invalid.field(
            "/" + next(iter(new)).split("/")[1],
            f"A profile change may bring at most {bounds.per_request} new skills into the "
            f"taxonomy; this one brings {len(names)}.",
        )
    today = session.scalar(
        select(func.count())
        .select_from(Skill)
        .where(Skill.created_by == creator, Skill.created_at > utcnow() - timedelta(days=1))
    )
    if (today or 0) + len(names) > bounds.per_day:
        raise Invalid.field(
            "/" + next(iter(new)).split("/")[1],
            f"A member may bring at most {bounds.per_day} new skills a day into the taxonomy; "
            "ask an admin to add more.",
        )
    return names


def record_creator(session: Session, names: set[str], creator: str) -> None:
    """Note who brought new skills in (for the daily bound, and for the curators)."""
    if names:
        session.execute(
            update(Skill)
            .where(Skill.name.in_(names), Skill.created_by.is_(None))
            .values(created_by=creator)
            .execution_options(synchronize_session=False)
        )


@dataclass(frozen=True)
class SkillFilters:
    """The filters of the skill list."""

    q: str | None = None
    category: str | None = None


def list_skills(
    session: Session, filters: SkillFilters, *, offset: int, limit: int
) -> tuple[list[Skill], int]:
    """Return one page of skills ordered by name, and how many match in all."""
    query = select(Skill)
    if filters.category:
        query = query.where(Skill.category == normalize(filters.category))
    if filters.q:
        pattern = f"%{escape_like(normalize(filters.q))}%"
        query = query.where(
            or_(
                Skill.name.like(pattern, escape=LIKE_ESCAPE),
                exists().where(
                    SkillAlias.skill_id == Skill.id,
                    SkillAlias.alias.like(pattern, escape=LIKE_ESCAPE),
                ),
            )
        )
    return page_of(session, query, Skill.name, Skill.id, offset=offset, limit=limit)


def get_skill(session: Session, skill_id: str) -> Skill:
    """Return a skill by id, or raise NotFound."""
    skill = session.get(Skill, skill_id)
    if skill is None:
        raise NotFound(f"No skill has id {skill_id!r}.")
    return skill


def _claim_names(
    session: Session, skill: Skill | None, name: str, aliases: list[str]
) -> tuple[str, list[str]]:
    """Check that a name and aliases belong to no other skill; return them normalised."""
    key = _checked(name, "/name")
    alias_keys: list[str] = []
    for i, alias in enumerate(aliases):
        alias_key = _checked(alias, f"/aliases/{i}")
        if alias_key != key and alias_key not in alias_keys:
            alias_keys.append(alias_key)
    taken = find(session, [key, *alias_keys])
    for taken_name, other in taken.items():
        if skill is None or other.id != skill.id:
            raise Conflict(
                f"{taken_name!r} already names the skill {other.name!r}.", skill_id=other.id
            )
    return key, sorted(alias_keys)


def create_skill(session: Session, *, name: str, aliases: list[str], category: str | None) -> Skill:
    """Add a skill to the taxonomy; its name and aliases must be new."""
    key, alias_keys = _claim_names(session, None, name, aliases)
    skill = Skill(name=key, category=normalize(category or UNCATEGORIZED))
    skill.alias_rows = [SkillAlias(alias=a) for a in alias_keys]
    session.add(skill)
    session.flush()
    return skill


def update_skill(session: Session, skill: Skill, changes: dict) -> Skill:
    """Rename, re-alias or re-categorise a skill."""
    name = changes.get("name", skill.name)
    aliases = changes.get("aliases", skill.aliases)
    key, alias_keys = _claim_names(session, skill, name, aliases)
    if alias_keys != skill.aliases:
        kept = {row.alias: row for row in skill.alias_rows}
        skill.alias_rows = [kept.get(a) or SkillAlias(alias=a) for a in alias_keys]
    renamed = key != skill.name
    skill.name = key
    if "category" in changes:
        skill.category = normalize(changes["category"] or UNCATEGORIZED)
    skill.updated_at = utcnow()
    session.flush()
    if renamed:
        # Matching records name skills: everyone who holds, wants or targets it changed.
        directory.record(session, _people_naming(session, skill.id))
    return skill


def _people_naming(session: Session, skill_id: str) -> set[str]:
    from service.goals.models import Goal, goal_skills
    from service.people.models import PersonLearning, PersonSkill

    holders = select(PersonSkill.person_id).where(PersonSkill.skill_id == skill_id)
    wanting = select(PersonLearning.person_id).where(PersonLearning.skill_id == skill_id)
    targeting = select(Goal.person_id).join(goal_skills).where(goal_skills.c.skill_id == skill_id)
    people = set(session.scalars(holders.union(wanting, targeting)))
    return {directory.EVERYONE} if len(people) > directory.REFIT_ABOVE else people


def delete_skill(session: Session, skill: Skill) -> None:
    """Remove a skill nobody holds, wants or targets; otherwise it is a conflict."""
    from service.goals.models import goal_skills
    from service.people.models import PersonLearning, PersonSkill

    in_use = session.scalar(
        select(
            exists().where(PersonSkill.skill_id == skill.id)
            | exists().where(PersonLearning.skill_id == skill.id)
            | exists().where(goal_skills.c.skill_id == skill.id)
        )
    )
    if in_use:
        raise Conflict(
            f"The skill {skill.name!r} is still held, wanted or targeted; "
            "rename it or add an alias instead."
        )
    session.delete(skill)
    session.flush()
