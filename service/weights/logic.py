"""The current matching weights, their versions, and learning new ones from outcomes.

Version 0 is the engine's built-in :data:`matching.DEFAULT_WEIGHTS`; learnt sets count up from
1. The current version is the one named by the latest adoption or roll-back; a roll-back
returns to the version that was current before the current one was last adopted.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import matching
from matching.learn import WeightLearner, adopted_weights, decide, exposure_gini
from service.errors import Conflict, NotFound
from service.outcomes import logic as outcomes
from service.weights.models import DEFAULT_VERSION, WeightEvent, WeightSet

log = logging.getLogger(__name__)

DEFAULT_ID = "default"
# The exposure guard replays at most this many of the last month's queries.
GUARD_QUERIES = 300
GUARD_DAYS = 30


@dataclass(frozen=True)
class Current:
    """The weights recommendations use now."""

    version: int
    weights: dict[str, dict[str, float]]


def _defaults() -> dict[str, dict[str, float]]:
    return {purpose: dict(weights) for purpose, weights in matching.DEFAULT_WEIGHTS.items()}


def current_version(session: Session) -> int:
    """The version in use: that of the latest event, or 0 (the built-in weights)."""
    version = session.scalar(select(WeightEvent.version).order_by(WeightEvent.id.desc()).limit(1))
    return DEFAULT_VERSION if version is None else version


def current(session: Session) -> Current:
    """The weights in use and their version (two indexed one-row reads)."""
    version = current_version(session)
    if version == DEFAULT_VERSION:
        return Current(version, _defaults())
    weights = session.scalar(select(WeightSet.weights).where(WeightSet.version == version))
    return Current(version, weights)


def default_set() -> dict[str, Any]:
    """The built-in weights, shown like a weight set."""
    return {
        "id": DEFAULT_ID,
        "version": DEFAULT_VERSION,
        "weights": _defaults(),
        "evaluation": {},
        "recommended": False,
        "reasons": ["The engine's built-in weights (matching.DEFAULT_WEIGHTS)."],
        "created_at": None,
    }


def shown(weight_set: WeightSet | dict[str, Any], current_version: int) -> dict[str, Any]:
    """A weight set as the API shows it, with its status today."""
    if isinstance(weight_set, WeightSet):
        body = {
            name: getattr(weight_set, name)
            for name in (
                "id",
                "version",
                "weights",
                "evaluation",
                "recommended",
                "reasons",
                "created_at",
            )
        }
    else:
        body = dict(weight_set)
    body["current"] = body["version"] == current_version
    return body


def get_set(session: Session, weights_id: str) -> WeightSet | dict[str, Any]:
    """A weight set by id (``default`` for the built-in weights), or NotFound."""
    if weights_id == DEFAULT_ID:
        return default_set()
    found = session.get(WeightSet, weights_id)
    if found is None:
        raise NotFound(f"No weight set has id {weights_id!r}.")
    return found


def overview(session: Session) -> dict[str, Any]:
    """Current weights, candidates (never adopted, newest first) and the history of changes."""
    version = current_version(session)
    events = list(session.scalars(select(WeightEvent).order_by(WeightEvent.id.desc())))
    ever_adopted = {event.version for event in events}
    sets = list(session.scalars(select(WeightSet).order_by(WeightSet.version.desc())))
    by_version: dict[int, Any] = {s.version: s for s in sets}
    current_set = by_version.get(version, default_set())
    return {
        "current": shown(current_set, version),
        "candidates": [shown(s, version) for s in sets if s.version not in ever_adopted],
        "history": events,
    }


def _change(session: Session, action: str, version: int, actor: str, now: datetime) -> WeightEvent:
    event = WeightEvent(
        action=action,
        version=version,
        previous_version=current_version(session),
        actor=actor,
        at=now,
    )
    session.add(event)
    session.flush()
    return event


def adopt(session: Session, weights_id: str, actor: str, now: datetime) -> WeightEvent:
    """Make a weight set current (``default`` returns to the built-in weights)."""
    weight_set = get_set(session, weights_id)
    version = weight_set["version"] if isinstance(weight_set, dict) else weight_set.version
    if version == current_version(session):
        raise Conflict(f"Weights version {version} is already current.")
    return _change(session, "adopt", version, actor, now)


def roll_back(session: Session, actor: str, now: datetime) -> WeightEvent:
    """Return to the version that was current before the current one was last adopted."""
    version = current_version(session)
    if version == DEFAULT_VERSION:
        raise Conflict("The built-in weights are current: there is nothing to roll back.")
    adopted = session.scalar(
        select(WeightEvent)
        .where(WeightEvent.action == "adopt", WeightEvent.version == version)
        .order_by(WeightEvent.id.desc())
        .limit(1)
    )
    previous = adopted.previous_version if adopted is not None else DEFAULT_VERSION
    return _change(session, "roll_back", previous, actor, now)


def _exposure(
    index: matching.MatchIndex,
    queries: list[tuple[str, str, str | None]],
    weights: dict[str, dict[str, float]],
) -> float:
    lists = []
    for person_id, purpose, _goal_id in queries:
        if person_id not in index:
            continue
        found = index.recommend(person_id, purpose, k=10, weights=weights)
        lists.append([r.person_id for r in found])
    return exposure_gini(lists)


@dataclass(frozen=True)
class LearningSettings:
    """What the learning reads from the configuration."""

    retention_days: int
    min_outcomes: int
    max_gini_increase: float


def learn(
    session: Session,
    index: matching.MatchIndex,
    settings: LearningSettings,
    now: datetime,
    actor: str = "learning",
) -> WeightSet:
    """Learn a weight set from the kept impressions, evaluate it, adopt it if it earns it.

    Lists younger than the attribution window are left out: their outcomes are not in yet.
    The candidate is stored in any case, as a report; it becomes current only with at least
    ``min_outcomes`` good outcomes in a purpose, a significant NDCG@10 gain there, and an
    exposure Gini on the last month's queries within the guard.
    """
    pruned = outcomes.prune_impressions(session, now, settings.retention_days)
    until = now - timedelta(days=outcomes.ATTRIBUTION_DAYS)
    lists, linked = outcomes.logged_lists(
        session, now - timedelta(days=settings.retention_days), until, now
    )
    in_use = current(session)
    learner = WeightLearner().fit(lists, current=in_use.weights)
    queries = outcomes.recent_queries(session, now - timedelta(days=GUARD_DAYS), GUARD_QUERIES)
    proposed = adopted_weights(learner.reports_, min_outcomes=settings.min_outcomes)
    gini_current = _exposure(index, queries, in_use.weights) if queries else None
    gini_candidate = _exposure(index, queries, proposed) if queries else None
    decision = decide(
        learner.reports_,
        min_outcomes=settings.min_outcomes,
        gini_current=gini_current,
        gini_candidate=gini_candidate,
        max_gini_increase=settings.max_gini_increase,
    )
    version = (session.scalar(select(func.max(WeightSet.version))) or DEFAULT_VERSION) + 1
    weight_set = WeightSet(
        version=version,
        weights=proposed if decision.adopt else learner.weights_,
        evaluation={
            "based_on_version": in_use.version,
            "lists": len(lists),
            "served_before": until.isoformat(),
            "outcomes": dict(Counter(outcome.kind for outcome in linked)),
            "impressions_pruned": pruned,
            "min_outcomes": settings.min_outcomes,
            "exposure_gini": {
                "current": gini_current,
                "candidate": gini_candidate,
                "max_increase": settings.max_gini_increase,
                "queries": len(queries),
            },
            "purposes": {purpose: report.as_dict() for purpose, report in learner.reports_.items()},
        },
        recommended=decision.adopt,
        reasons=list(decision.reasons),
        created_at=now,
    )
    session.add(weight_set)
    session.flush()
    if decision.adopt:
        _change(session, "adopt", version, actor, now)
    log.info("weights learnt: version %d, adopted: %s", version, decision.adopt)
    return weight_set
