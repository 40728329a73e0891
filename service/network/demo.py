"""The demo company's brokers, and its first influence map.

Inside the demo company people mostly meet their own team and division (``service/demo.py``),
so divisions are silos. A few people bridge them, as in real organisations: about one person
in 150 (at least three), at levels 3 to 6, keeps up with two or three people in each of three
to five other divisions (coffee chats, calls and meetings over the past half year). Then the
metrics are computed once, so that the map answers from the start.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from service.db import new_id
from service.interactions.models import Interaction
from service.network.compute import Settings, compute

BROKER_SHARE = 1 / 150
KINDS = ("coffee_chat", "video_call", "meeting")


def broker_interactions(people: list[dict], now: datetime, seed: int) -> list[dict]:
    """The interactions that make a few people brokers between divisions."""
    rng = random.Random(f"brokers-{seed}")
    by_division: dict[str, list[str]] = {}
    for person in people:
        if person["active"] and person["division"]:
            by_division.setdefault(person["division"], []).append(person["id"])
    pool = [p for p in people if p["active"] and p["division"] and 3 <= p["level"] <= 6]
    if len(by_division) < 2 or not pool:
        return []
    brokers = rng.sample(pool, min(len(pool), max(3, round(len(people) * BROKER_SHARE))))
    rows = []
    for broker in brokers:
        others = sorted(d for d in by_division if d != broker["division"])
        for division in rng.sample(others, min(len(others), rng.randint(3, 5))):
            members = by_division[division]
            for contact in rng.sample(members, min(len(members), rng.randint(2, 3))):
                for _ in range(rng.randint(2, 4)):
                    at = now - timedelta(days=rng.uniform(3, 180))
                    rows.append(
                        {
                            "id": new_id("int"),
                            "person_id": broker["id"],
                            "contact_id": contact,
                            "kind": rng.choice(KINDS),
                            "occurred_at": at,
                            "initiated_by": "person",
                            "given": ["introduction"] if rng.random() < 0.4 else [],
                            "received": [],
                            "follow_up_done": False,
                            "created_at": at,
                            "updated_at": at,
                            "version": 1,
                        }
                    )
    return rows


def load(
    session: Session,
    people: list[dict],
    now: datetime,
    seed: int,
    progress: Callable[[str, int], Any],
) -> None:
    """Add the brokers' interactions, then compute the first influence map."""
    rows = broker_interactions(people, now, seed)
    advance = progress("brokers", len(rows))
    for start in range(0, len(rows), 2000):
        session.execute(insert(Interaction), rows[start : start + 2000])
        advance(len(rows[start : start + 2000]))
    session.flush()
    compute(session, now, Settings())
