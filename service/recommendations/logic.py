"""Serving recommendations: a process-wide index kept fresh from the change log."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from service import changes, metrics
from service.auth import Caller
from service.db import utcnow
from service.errors import Forbidden, Invalid
from service.goals.models import Goal
from service.network import introductions
from service.people.logic import require_exists
from service.people.models import Person
from service.recommendations.records import person_records

log = logging.getLogger(__name__)

# Scores and their components are shown to this many decimal places, all alike: more digits
# only show the noise of floating-point sums (the engine ranks on 10).
SHOWN_DECIMALS = 4


class RecommendationIndex:
    """The matching index of one process, following the database through the change log.

    Each request costs one indexed read of the directory's version; when it moved, only the
    people recorded as changed since are reloaded and upserted. A full fit happens once per
    process, again if the change log was pruned past this process's version, and in the
    background every ``refresh_after`` seconds: records also hold what time changes without
    any write (ties decay, mentorships reach their end date), and the refit brings those
    back in step while requests go on with the current index. Safe to share between a
    worker's threads.
    """

    def __init__(self, refresh_after: float = 6 * 3600) -> None:
        self.refresh_after = refresh_after
        self._lock = threading.Lock()
        self._index: matching.MatchIndex | None = None
        self._version = -1
        self._fitted_at = 0.0
        self._refitting = False

    @property
    def version(self) -> int:
        """The directory version the index has taken in (-1 before its first fit)."""
        return self._version

    def reset(self) -> None:
        """Forget the index; the next request fits it again."""
        with self._lock:
            self._index = None
            self._version = -1

    def fresh(self, session: Session) -> matching.MatchIndex:
        """Return the index, brought up to the database's current version."""
        version = changes.current_version(session)
        if self._index is not None and time.monotonic() - self._fitted_at > self.refresh_after:
            self._refit_in_background(session)
        if self._index is not None and version == self._version:
            return self._index
        with self._lock:
            if self._index is not None and version == self._version:
                return self._index
            people = None
            # A version that went backwards means the database was restored: start again.
            if self._index is not None and version > self._version:
                people = changes.changed_since(session, self._version, version)
            if people is None:
                self._install(*self._fitted(session, version))
            elif people:
                self._update(session, people)
                self._version = version
            return self._index  # type: ignore[return-value]

    @staticmethod
    def _fitted(session: Session, version: int) -> tuple[matching.MatchIndex, int]:
        started = time.perf_counter()
        records = person_records(session, None, utcnow())
        index = matching.MatchIndex().fit(records.values())
        metrics.INDEX_FIT_SECONDS.observe(time.perf_counter() - started)
        metrics.INDEX_PEOPLE.set(len(records))
        log.info(
            "matching index fitted: %d people in %.2f s",
            len(records),
            time.perf_counter() - started,
        )
        return index, version

    def _install(self, index: matching.MatchIndex, version: int) -> None:
        # Changes after `version` are applied by the next request, even those the replaced
        # index had already taken in.
        self._index, self._version, self._fitted_at = index, version, time.monotonic()

    def _refit_in_background(self, session: Session) -> None:
        with self._lock:
            if self._refitting:
                return
            self._refitting = True
        bind = session.get_bind()

        def refit() -> None:
            try:
                with Session(bind) as own:
                    fitted = self._fitted(own, changes.current_version(own))
                with self._lock:
                    self._install(*fitted)
            except Exception:  # noqa: BLE001 - the current index keeps serving; next time
                log.exception("background refit of the matching index failed")
                self._fitted_at = time.monotonic()
            finally:
                self._refitting = False

        threading.Thread(target=refit, name="refit-index", daemon=True).start()

    def including(self, session: Session, person_id: str) -> matching.MatchIndex:
        """Return the fresh index, loading ``person_id`` on the spot if it lacks them.

        The change log records every write, so this happens only when a write escaped it
        (a row inserted by hand, say): one person's record is a handful of indexed reads,
        cheaper for the client than being told to come back later.
        """
        index = self.fresh(session)
        if person_id in index:
            return index
        with self._lock:
            log.warning("person %s was missing from the matching index; loaded it", person_id)
            self._update(session, {person_id})
            return self._index  # type: ignore[return-value]

    def _update(self, session: Session, people: set[str]) -> None:
        assert self._index is not None
        records = person_records(session, people, utcnow())
        for person_id in people:
            record = records.get(person_id)
            if record is not None:
                self._index.upsert(record)
            elif person_id in self._index:
                self._index.remove(person_id)


def warm(app: Any) -> None:
    """Fit ``app``'s recommendation index now (a worker calls this once it has started)."""
    from service.db import database

    with app.app_context(), database().sessions() as session:
        try:
            app.extensions["rapport.recommendations"].fresh(session)
        except Exception:  # noqa: BLE001 - a failed warm-up only defers the fit to the first request
            log.exception("could not warm the recommendation index; the first request will fit it")


@dataclass(frozen=True)
class Query:
    """What a caller asks for."""

    person_id: str
    purpose: str
    limit: int
    diversity: float
    goal_id: str | None = None


def recommend(
    session: Session,
    index: RecommendationIndex,
    caller: Caller,
    query: Query,
    *,
    exclude: Collection[str] = (),
    weights: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, Any]:
    """Return ranked, explained people for ``query.person_id`` to meet.

    A member asks for their own recommendations only (the reasons quote their goals).
    ``exclude`` names people never to list (dismissed); ``weights`` rank the list instead
    of the engine's defaults (the weights in use).
    """
    if caller.is_member and not caller.is_person(query.person_id):
        raise Forbidden("A member token reads only its own recommendations.")
    require_exists(session, query.person_id)
    goal_skills = goal_functions = goal = None
    if query.goal_id is not None:
        goal = session.get(Goal, query.goal_id)
        if goal is None or goal.person_id != query.person_id:
            raise Invalid(
                f"goal_id: {query.goal_id!r} is not a goal of this person.",
                errors=[
                    {"parameter": "goal_id", "in": "query", "detail": "Not a goal of this person."}
                ],
            )
        goal_skills = {name: [goal.title] for name in goal.target_skills}
        goal_functions = {name: [goal.title] for name in goal.target_functions}
    answer = {
        "person_id": query.person_id,
        "purpose": query.purpose,
        "diversity": query.diversity,
        "goal_id": query.goal_id,
    }
    if query.purpose == introductions.BROKER:
        functions = introductions.target_functions(session, query.person_id, goal)
        brokers = introductions.broker_recommendations(
            session, query.person_id, functions, query.limit + len(exclude), utcnow()
        )
        dismissed = set(exclude)
        kept = [
            item | {"score": round(item["score"], SHOWN_DECIMALS)}
            for item in brokers
            if item["person"].id not in dismissed
        ]
        return answer | {"items": kept[: query.limit]}
    found = index.including(session, query.person_id).recommend(
        query.person_id,
        purpose=query.purpose,
        k=query.limit,
        diversity=query.diversity,
        goal_skills=goal_skills,
        goal_functions=goal_functions,
        exclude=exclude,
        weights=weights,
    )
    people = {
        person.id: person
        for person in session.scalars(
            select(Person).where(Person.id.in_([r.person_id for r in found]))
        )
    }
    items = [
        {
            "person": people[r.person_id],
            "score": round(r.score, SHOWN_DECIMALS),
            "components": {
                name: round(value, SHOWN_DECIMALS) for name, value in r.components.items()
            },
            "reasons": r.reasons,
        }
        for r in found
        if r.person_id in people
    ]
    return answer | {"items": introductions.annotate(session, query.person_id, items, utcnow())}
