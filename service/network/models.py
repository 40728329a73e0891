"""Stored graph measures: one row per person, one snapshot per computation, decision-makers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow
from service.interactions.models import Interaction

# The influence map reads the ties around a few people on every request: these two indexes
# cover those reads (pair, time and kind), so the database never visits the table's rows.
Index(
    "ix_interactions_ties_by_person",
    Interaction.person_id,
    Interaction.contact_id,
    Interaction.occurred_at,
    Interaction.kind,
)
Index(
    "ix_interactions_ties_by_contact",
    Interaction.contact_id,
    Interaction.person_id,
    Interaction.occurred_at,
    Interaction.kind,
)


class NetworkSnapshot(Base):
    """One computation of the whole graph: when, how big, and its aggregates.

    ``communities`` and ``divisions`` hold the aggregates the analyst views serve (groups of
    any size; the views hide those smaller than the anonymity threshold).
    """

    __tablename__ = "network_snapshots"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("net")
    )
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # The directory's change-log version the computation read: how stale it is, in changes.
    directory_version: Mapped[int] = mapped_column(BigInteger, default=0)
    people: Mapped[int] = mapped_column(Integer, default=0)
    ties: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    betweenness_pivots: Mapped[int | None] = mapped_column(Integer)
    modularity: Mapped[float | None] = mapped_column(Float)
    communities: Mapped[list] = mapped_column(JSON, default=list)
    # The functions that had a decision-maker, in name order.
    decision_functions: Mapped[list] = mapped_column(JSON, default=list)
    divisions: Mapped[dict] = mapped_column(JSON, default=dict)


class PersonMetrics(Base):
    """The graph measures of one person, as of the latest snapshot (formulas in the spec)."""

    __tablename__ = "network_person_metrics"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    influence: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    influence_percentile: Mapped[float] = mapped_column(Float, default=0.0)
    betweenness: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    brokerage_percentile: Mapped[float] = mapped_column(Float, default=0.0)
    constraint: Mapped[float | None] = mapped_column(Float)
    effective_size: Mapped[float | None] = mapped_column(Float)
    ties: Mapped[int] = mapped_column(Integer, default=0)
    divisions_bridged: Mapped[int] = mapped_column(Integer, default=0)
    reach_people: Mapped[int] = mapped_column(Integer, default=0)
    reach_divisions: Mapped[int] = mapped_column(Integer, default=0)
    community: Mapped[int | None] = mapped_column(Integer)
    # {function: hops to the nearest decision-maker of that function}, reachable ones only.
    decision_hops: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DecisionMaker(Base):
    """A person an admin flagged as a decision-maker (besides everyone at level 7 and above)."""

    __tablename__ = "network_decision_makers"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    note: Mapped[str | None] = mapped_column(String(200))
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
