"""The strength of a tie between two people, from their interactions.

Each interaction adds its *depth* (a coffee chat counts more than a social-media message),
discounted by its age with a half-life; the sum saturates into [0, 1):

    strength = 1 − exp(−Σ depth(kind) · 2^(−age_days / HALF_LIFE_DAYS) / SATURATION)

so one recent coffee chat gives about 0.36, three give about 0.74, and a tie left alone
halves its contribution every 90 days.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

HALF_LIFE_DAYS = 90.0
SATURATION = 2.0
DEPTH = {
    "mentoring_session": 1.0,
    "coffee_chat": 0.9,
    "video_call": 0.8,
    "meeting": 0.7,
    "event": 0.4,
    "message": 0.35,
    "social_message": 0.2,
}


def contribution(kind: str, occurred_at: datetime, now: datetime) -> float:
    """What one interaction adds to a tie today."""
    age_days = max(0.0, (now - occurred_at).total_seconds() / 86400.0)
    return DEPTH.get(kind, 0.5) * 2.0 ** (-age_days / HALF_LIFE_DAYS)


def strength(total: float) -> float:
    """Turn summed contributions into a strength in [0, 1)."""
    return 1.0 - math.exp(-total / SATURATION)


def tie_strength(interactions: Iterable[tuple[str, datetime]], now: datetime) -> float:
    """Return the strength of a tie from its interactions, given as ``(kind, occurred_at)``."""
    return strength(sum(contribution(kind, at, now) for kind, at in interactions))
