"""Versioned weight sets and the log of their adoptions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

# The built-in weights (matching.DEFAULT_WEIGHTS) are version 0; learnt sets count up from 1.
DEFAULT_VERSION = 0
ACTIONS = ("adopt", "roll_back")


class WeightSet(Base):
    """A learnt set of matching weights with its offline evaluation. Never changed once made."""

    __tablename__ = "weight_sets"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("wts")
    )
    version: Mapped[int] = mapped_column(Integer, unique=True)
    weights: Mapped[dict] = mapped_column(JSON)
    evaluation: Mapped[dict] = mapped_column(JSON)
    # Whether the learning's own rules (enough outcomes, significant gain, exposure guard)
    # recommended it, and why (or why not).
    recommended: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WeightEvent(Base):
    """One change of the current weights: an adoption or a roll-back."""

    __tablename__ = "weight_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(16))
    # The version current after this event, and the one it replaced.
    version: Mapped[int] = mapped_column(Integer)
    previous_version: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
