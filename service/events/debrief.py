"""What an event built: the leaderboard, and the debrief's figures and discussion points.

Everything is computed when it is read, from the cards, the meetings and the interactions, so
the debrief follows the follow-ups as they happen.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.events.logic import participant_ids, status_of
from service.events.models import (
    CATEGORIES,
    STRUCTURE_EFFECTS,
    BingoCard,
    BingoPrompt,
    BingoSquare,
    Event,
    EventMeeting,
    Reflection,
)
from service.interactions.models import Interaction
from service.people.models import Person


def _people(session: Session, ids: set[str]) -> dict[str, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def leaderboard(session: Session, event: Event, limit: int = 10) -> dict[str, Any]:
    """First bingos in the order they were called, and who met the most functions."""
    cards = list(
        session.scalars(
            select(BingoCard)
            .where(BingoCard.event_id == event.id, BingoCard.bingo_at.is_not(None))
            .order_by(BingoCard.bingo_at, BingoCard.id)
            .limit(limit)
        )
    )
    meetings = list(session.scalars(select(EventMeeting).where(EventMeeting.event_id == event.id)))
    players = set(participant_ids(session, event.id))
    people = _people(
        session,
        players
        | {c.person_id for c in cards}
        | {m.first_id for m in meetings}
        | {m.second_id for m in meetings},
    )
    met: dict[str, set[str]] = defaultdict(set)
    for m in meetings:
        met[m.first_id].add(m.second_id)
        met[m.second_id].add(m.first_id)
    rows = []
    for person_id in players:
        others = met.get(person_id, set())
        functions = {people[o].function for o in others if o in people}
        rows.append(
            {
                "person_id": person_id,
                "name": people[person_id].name,
                "functions_met": len(functions),
                "functions": sorted(functions),
                "people_met": len(others),
            }
        )
    # Functions first; among equals, fewer people for as many functions is the better mix.
    rows.sort(key=lambda r: (-r["functions_met"], r["people_met"], r["name"], r["person_id"]))
    return {
        "event_id": event.id,
        "first_bingos": [
            {
                "rank": k + 1,
                "card_id": c.id,
                "person_id": c.person_id,
                "name": people[c.person_id].name if c.person_id in people else None,
                "bingo_at": c.bingo_at,
                "bingos": c.bingos,
            }
            for k, c in enumerate(cards)
        ],
        "most_functions": [r for r in rows if r["functions_met"]][:limit],
    }


def _rate(done: int, total: int) -> float | None:
    return round(done / total, 3) if total else None


def debrief(
    session: Session, event: Event, now: datetime, follow_up_hours: int = 24
) -> dict[str, Any]:
    """The debrief's figures, and three discussion points computed from them."""
    squares = list(
        session.execute(
            select(BingoSquare, BingoCard.person_id)
            .join(BingoCard, BingoCard.id == BingoSquare.card_id)
            .where(BingoCard.event_id == event.id, BingoSquare.free.is_(False))
        )
    )
    cards = list(session.scalars(select(BingoCard).where(BingoCard.event_id == event.id)))
    by_prompt: dict[str, dict[str, Any]] = {}
    by_category = {c: {"category": c, "on_cards": 0, "completed": 0} for c in CATEGORIES}
    for square, _owner in squares:
        key = square.prompt_id or f"text:{square.text}"
        row = by_prompt.setdefault(
            key,
            {
                "prompt_id": square.prompt_id,
                "text": square.text,
                "category": square.category,
                "on_cards": 0,
                "completed": 0,
            },
        )
        row["on_cards"] += 1
        category = by_category.setdefault(
            square.category or "", {"category": square.category, "on_cards": 0, "completed": 0}
        )
        category["on_cards"] += 1
        if square.met_id:
            row["completed"] += 1
            category["completed"] += 1
    prompts = list(by_prompt.values())
    for row in prompts + list(by_category.values()):
        row["completion_rate"] = _rate(row["completed"], row["on_cards"])
    prompts.sort(key=lambda r: (-(r["completion_rate"] or 0), -r["completed"], r["text"] or ""))
    never = [r for r in prompts if r["completed"] == 0]

    ties = _ties(session, event, now, follow_up_hours)
    reflections = _reflections(session, event)
    figures: dict[str, Any] = {
        "event_id": event.id,
        "status": status_of(event, now),
        "participants": len(participant_ids(session, event.id)),
        "cards": len(cards),
        "squares_on_cards": len(squares),
        "squares_completed": sum(1 for s, _ in squares if s.met_id),
        "cards_with_bingo": sum(1 for c in cards if c.bingo_at is not None),
        "prompts": prompts,
        "categories": [r for r in by_category.values() if r["on_cards"]],
        "never_completed": [r["text"] for r in never],
        **ties,
        **reflections,
    }
    figures["discussion_points"] = discussion_points(figures, follow_up_hours)
    return figures


def _ties(session: Session, event: Event, now: datetime, follow_up_hours: int) -> dict[str, Any]:
    meetings = list(session.scalars(select(EventMeeting).where(EventMeeting.event_id == event.id)))
    people = _people(session, {m.first_id for m in meetings} | {m.second_id for m in meetings})
    window = timedelta(hours=follow_up_hours)
    new = cross_function = cross_division = 0
    within = later = pending = missed = 0
    for m in meetings:
        between = or_(
            and_(Interaction.person_id == m.first_id, Interaction.contact_id == m.second_id),
            and_(Interaction.person_id == m.second_id, Interaction.contact_id == m.first_id),
        )
        others = select(Interaction.occurred_at).where(between, Interaction.id != m.interaction_id)
        if session.scalar(others.where(Interaction.occurred_at < m.occurred_at).limit(1)):
            continue  # they knew each other already: not a new tie
        new += 1
        a, b = people.get(m.first_id), people.get(m.second_id)
        if a and b and a.function != b.function:
            cross_function += 1
        if a and b and a.division and b.division and a.division != b.division:
            cross_division += 1
        after = session.scalar(
            others.where(Interaction.occurred_at >= m.occurred_at)
            .order_by(Interaction.occurred_at)
            .limit(1)
        )
        if after is not None and after - m.occurred_at <= window:
            within += 1
        elif after is not None:
            later += 1
        elif now < m.occurred_at + window:
            pending += 1
        else:
            missed += 1
    return {
        "meetings": len(meetings),
        "new_ties": {
            "total": new,
            "cross_function": cross_function,
            "cross_division": cross_division,
        },
        "follow_ups": {
            "window_hours": follow_up_hours,
            "first_meetings": new,
            "done_within_window": within,
            "done_later": later,
            "pending": pending,
            "missed": missed,
        },
    }


def _reflections(session: Session, event: Event) -> dict[str, Any]:
    rows = list(
        session.execute(
            select(Reflection, Person.name, BingoPrompt.text)
            .join(Person, Person.id == Reflection.person_id)
            .outerjoin(BingoPrompt, BingoPrompt.id == Reflection.best_prompt_id)
            .where(Reflection.event_id == event.id)
            .order_by(Reflection.created_at, Reflection.id)
        )
    )
    structure = Counter(r.structure for r, _, _ in rows if r.structure)
    best = Counter(text for _, _, text in rows if text)
    return {
        "reflections": {
            "total": len(rows),
            "shared": sum(1 for r, _, _ in rows if r.shared),
            "structure": {effect: structure.get(effect, 0) for effect in STRUCTURE_EFFECTS},
            "best_prompts": [{"text": t, "votes": n} for t, n in best.most_common(3)],
        },
        "shared_reflections": [
            {
                "name": name,
                "best_prompt": text,
                "best_answer": r.best_answer,
                "structure": r.structure,
                "structure_notes": r.structure_notes,
            }
            for r, name, text in rows
            if r.shared
        ],
    }


def _pct(rate: float | None) -> str:
    return f"{round((rate or 0) * 100)}%"


def discussion_points(figures: dict[str, Any], follow_up_hours: int) -> list[str]:
    """Three points for the group to discuss, each drawn from the figures: what worked, what
    did not, and what the event built (or how the structure felt)."""
    points = []
    prompts = [p for p in figures["prompts"] if p["completed"]]
    votes = figures["reflections"]["best_prompts"]
    # Reflections speak first, when one prompt leads them; otherwise the squares do.
    if votes and (len(votes) == 1 or votes[0]["votes"] > votes[1]["votes"]):
        top = votes[0]
        points.append(
            f"“{top['text']}” was named most often ({top['votes']} of "
            f"{figures['reflections']['total']} reflections) as the question that drew the most "
            "useful answer. Ask those who chose it what they asked, and what they heard."
        )
    elif prompts:
        top = prompts[0]
        points.append(
            f"“{top['text']}” was the square most often completed ({top['completed']} of "
            f"{top['on_cards']} cards, {_pct(top['completion_rate'])}). What made it easy to "
            "start that conversation?"
        )
    else:
        points.append(
            "No square was completed. What stopped the first conversation from starting: the "
            "prompts, the time, or the room?"
        )
    categories = sorted(
        figures["categories"], key=lambda c: (c["completion_rate"] or 0, c["category"] or "")
    )
    never = figures["never_completed"]
    if never:
        more = (
            f" and {len(never) - 1} other prompt{'s' if len(never) > 2 else ''}"
            if len(never) > 1
            else ""
        )
        points.append(
            f"Nobody managed “{never[0]}”{more}. Was it the prompt, the people in the room, or "
            "the courage it takes? How would you ask it next time?"
        )
    elif categories:
        low = categories[0]
        points.append(
            f"“{low['category']}” squares were completed least ({_pct(low['completion_rate'])} "
            f"of {low['on_cards']}). Why is it harder to {low['category']} than to "
            f"{categories[-1]['category']} with someone new?"
        )
    else:
        points.append("No cards were dealt: was the event too small, or did it not start?")
    ties, follow = figures["new_ties"], figures["follow_ups"]
    structure = figures["reflections"]["structure"]
    if structure["hindered"] > structure["helped"]:
        points.append(
            f"{structure['hindered']} of {figures['reflections']['total']} participants felt the "
            f"structure hindered genuine connection (against {structure['helped']} who felt it "
            "helped). Which rule got in the way, and what would you keep?"
        )
    elif ties["total"]:
        points.append(
            f"{ties['total']} new ties formed, {ties['cross_function']} across functions and "
            f"{ties['cross_division']} across divisions; {follow['done_within_window']} of them "
            f"were followed up within {follow_up_hours} hours so far. Before you leave, name one "
            "person you will write to tomorrow, and what you will offer them."
        )
    else:
        points.append(
            "No new ties formed: everyone met people they already knew. Next time, who should be "
            "in the room?"
        )
    return points
