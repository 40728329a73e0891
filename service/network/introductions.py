"""What the influence map adds to recommendations: who can introduce you, and brokers.

* :func:`annotate` — a recommended person who is not yet a tie, but a tie of one of the
  person's contacts, gets the reason "Ana Lima can introduce you: you met Ana twice (last in May 2026)": the
  contact of the warmest two-hop path, named from the person's own records.
* :func:`broker_recommendations` — ``purpose=broker``: the people who would connect the person
  to a goal's target functions fastest. Candidates are the person's contacts and their
  contacts (not working in a target function themselves). Each is scored

      score = reach · warmth · (1 if a contact, ½ if two hops away)

  with warmth the weakest tie of the path to them, and reach = 1 − Π(1 − w) over their ties
  into the target functions (one strong tie there counts as much as several weak ones).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import Invalid
from service.goals.models import Goal
from service.network.logic import cards, neighbourhood, own_evidence
from service.network.ties import adjacency, ties_between
from service.people.models import Person

# The purpose served here rather than by the matching engine.
BROKER = "broker"
# The engine names an introducer by id ("per_… can introduce you: you both know them"); the
# map names them, from the person's own ties, in its place.
ENGINE_INTRODUCTION = "can introduce you: you both know them"


def annotate(
    session: Session, person_id: str, items: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """Add "X can introduce you" to the items whose person a contact of ``person_id`` knows."""
    candidates = {item["person"].id for item in items}
    if not candidates:
        return items
    mine = ties_between(session, {person_id}, None, now)
    first = {tie.other(person_id) for tie in mine.values()}
    if not first:
        return items
    onward = ties_between(session, first, candidates, now)
    weights = adjacency([*mine.values(), *onward.values()])
    direct = weights.get(person_id, {})
    best: dict[str, tuple[float, str]] = {}
    for candidate in candidates - first - {person_id}:
        for contact, weight in weights.get(candidate, {}).items():
            if contact in direct:
                key = (min(weight, direct[contact]), contact)
                best[candidate] = max(best.get(candidate, key), key)
    people = cards(session, {contact for _w, contact in best.values()})
    for item in items:
        found = best.get(item["person"].id)
        if found is None or found[1] not in people:
            continue
        introducer = people[found[1]]
        tie = mine[tuple(sorted((person_id, introducer.id)))]
        reasons = [r for r in item["reasons"] if not r.endswith(ENGINE_INTRODUCTION)]
        reasons.append(
            f"{introducer.name} can introduce you: {own_evidence(tie, person_id, introducer)}"
        )
        item["reasons"] = reasons
    return items


def target_functions(session: Session, person_id: str, goal: Goal | None) -> list[str]:
    """The functions to reach: the goal's, or those of every active goal of the person."""
    if goal is not None:
        functions = list(goal.target_functions or ())
    else:
        functions = sorted(
            {
                function
                for listed in session.scalars(
                    select(Goal.target_functions).where(
                        Goal.person_id == person_id, Goal.status == "active"
                    )
                )
                for function in listed or ()
            }
        )
    if not functions:
        raise Invalid(
            "purpose broker needs a goal that targets functions: give goal_id, or set "
            "target_functions on an active goal.",
            errors=[
                {"parameter": "purpose", "in": "query", "detail": "No target functions to reach."}
            ],
        )
    return functions


def broker_recommendations(
    session: Session, person_id: str, functions: list[str], limit: int, now: datetime
) -> list[dict[str, Any]]:
    """The people who would connect ``person_id`` to ``functions`` fastest, best first."""
    near = neighbourhood(session, person_id, now)
    candidates = near.first | near.second
    if not candidates:
        return []
    beyond = ties_between(session, near.second, None, now)
    weights = adjacency([*near.ties.values(), *beyond.values()])
    people = cards(session, {p for p in weights} | {c for w in weights.values() for c in w})
    wanted = set(functions)
    mine = weights.get(person_id, {})
    scored = []
    for candidate in candidates:
        card = people.get(candidate)
        if card is None or card.function in wanted:
            continue
        into = [
            (w, c)
            for c, w in weights.get(candidate, {}).items()
            if c != person_id and c in people and people[c].function in wanted
        ]
        if not into:
            continue
        remaining = 1.0
        for w, _c in into:
            remaining *= 1.0 - w
        reach = 1.0 - remaining
        if candidate in mine:
            warmth, via, hops = mine[candidate], None, 1
        else:
            warmth, via = max(
                (min(w, mine[a]), a) for a, w in weights.get(candidate, {}).items() if a in mine
            )
            hops = 2
        score = round(reach * warmth * (1.0 if hops == 1 else 0.5), 10)
        target = max(into)[1]
        scored.append((score, candidate, via, target, len(into)))
    scored.sort(key=lambda s: (-s[0], s[1]))
    chosen = scored[:limit]
    rows = {
        p.id: p
        for p in session.scalars(select(Person).where(Person.id.in_([s[1] for s in chosen])))
    }
    items = []
    for score, candidate, via, target, count in chosen:
        card, aimed = people[candidate], people[target]
        reached = sorted({people[c].function for c in weights[candidate] if c in people} & wanted)
        reasons = [
            f"{card.first_name} can introduce you to {aimed.name} ({aimed.function})",
            f"knows {count} {'person' if count == 1 else 'people'} in {' or '.join(reached)}",
        ]
        if via is None:
            tie = near.ties[tuple(sorted((person_id, candidate)))]
            reasons.append(own_evidence(tie, person_id, card))
        else:
            reasons.append(f"reached through {people[via].name}")
        items.append(
            {"person": rows[candidate], "score": score, "components": {}, "reasons": reasons}
        )
    return items
