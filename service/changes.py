"""The directory's change log: whose matching record changed, in commit order.

Every transaction that changes a person's profile, skills, goals, interactions or
mentorships bumps one version counter and records the people it touched under that version.
Writers take the counter's row lock until they commit, so versions become visible in the
order they were handed out; a reader that has seen version ``v`` can therefore ask "who
changed after ``v``?" and miss nothing. Each worker's recommendation index uses this to follow
the database incrementally (a one-row read per request, then only the changed people), and
outbound webhooks can later read the same log.

Writes through the ORM are recorded by session events, so no use-case has to remember;
bulk writes that bypass the ORM (demo data, imports) call :func:`record` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Integer, String, delete, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.db import Base

# Person id recorded to mean "everyone": a reader rebuilds its index from scratch.
EVERYONE = "*"
# Above this many people changed at once, readers refit rather than upsert one by one.
REFIT_ABOVE = 5000
# How many versions of history to keep; a reader further behind rebuilds from scratch.
KEEP_VERSIONS = 100_000
PRUNE_EVERY = 1_000


class DirectoryState(Base):
    """The single row holding the directory's version counter."""

    __tablename__ = "directory_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class DirectoryChange(Base):
    """One person touched by the transaction that produced ``version``."""

    __tablename__ = "directory_changes"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(40), primary_key=True)


def _people_touched(objects: Iterable[Any]) -> set[str]:
    from service.goals.models import Goal
    from service.interactions.models import Interaction
    from service.people.models import Person, PersonLearning, PersonSkill

    touched: set[str] = set()
    for obj in objects:
        if isinstance(obj, Person):
            touched.add(obj.id)
        elif isinstance(obj, PersonSkill | PersonLearning | Goal):
            touched.add(obj.person_id)
        elif isinstance(obj, Interaction):
            touched.update((obj.person_id, obj.contact_id))
        else:
            touched.update(getattr(obj, "changed_people", lambda: ())())
    touched.discard(None)  # type: ignore[arg-type]
    return touched


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    # Changed and deleted rows are read before the flush, while their attributes are loaded
    # (a deleted row cannot be read afterwards).
    touched = _people_touched((*session.dirty, *session.deleted))
    if touched:
        session.info.setdefault("touched_people", set()).update(touched)


def _after_flush(session: Session, _context: Any) -> None:
    # New rows are read after the flush: their ids, defaults and the foreign keys copied from
    # relationships are only assigned by it. `session.new` still lists them at this point.
    touched = session.info.pop("touched_people", set()) | _people_touched(session.new)
    if touched:
        record(session, touched)


def _forget_version(session: Session, *_args: Any) -> None:
    session.info.pop("directory_version", None)
    session.info.pop("touched_people", None)


def record(session: Session, person_ids: Iterable[str]) -> int:
    """Record that these people changed in the current transaction; return its version."""
    people = set(person_ids)
    version = session.info.get("directory_version")
    connection = session.connection()
    if version is None:
        # The UPDATE takes the row lock that orders all writers until this transaction ends.
        connection.execute(
            update(DirectoryState)
            .where(DirectoryState.id == 1)
            .values(version=DirectoryState.version + 1)
        )
        version = connection.execute(
            select(DirectoryState.version).where(DirectoryState.id == 1)
        ).scalar_one()
        session.info["directory_version"] = version
        if version % PRUNE_EVERY == 0:
            connection.execute(
                delete(DirectoryChange).where(DirectoryChange.version <= version - KEEP_VERSIONS)
            )
    already = set(
        connection.execute(
            select(DirectoryChange.person_id).where(
                DirectoryChange.version == version, DirectoryChange.person_id.in_(people)
            )
        ).scalars()
    )
    rows = [{"version": version, "person_id": p} for p in sorted(people - already)]
    if rows:
        connection.execute(insert(DirectoryChange), rows)
    return version


def current_version(session: Session) -> int:
    """Return the directory's version as last committed."""
    return session.scalar(select(DirectoryState.version).where(DirectoryState.id == 1)) or 0


def changed_since(session: Session, seen: int, upto: int) -> set[str] | None:
    """Return who changed in versions (seen, upto], or None if a full rebuild is needed.

    A full rebuild is needed when someone recorded :data:`EVERYONE`, or when the history
    between ``seen`` and ``upto`` has been pruned.
    """
    oldest = session.scalar(select(func.min(DirectoryChange.version)))
    if oldest is not None and oldest > seen + 1:
        return None
    people = set(
        session.scalars(
            select(DirectoryChange.person_id)
            .where(DirectoryChange.version > seen, DirectoryChange.version <= upto)
            .distinct()
        )
    )
    return None if EVERYONE in people else people


def init_sessions(sessions: Any) -> None:
    """Track changes in every session made by ``sessions`` (a sessionmaker)."""
    from sqlalchemy import event

    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "after_commit", _forget_version)
    event.listen(sessions, "after_rollback", _forget_version)
