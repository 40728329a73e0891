"""Impressions: the recommendation lists served."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id


class Impression(Base):
    """One recommendation list as it was served, kept compactly in one row.

    ``items`` holds, in list order, ``[candidate_id, score, [seven components]]`` with the
    components in :data:`matching.COMPONENTS` order, rounded to four decimals. The same list
    asked again within an hour is not stored again (``signature`` finds it).
    """

    __tablename__ = "impressions"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("imp")
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(32))
    goal_id: Mapped[str | None] = mapped_column(String(40))
    weights_version: Mapped[int] = mapped_column(Integer)
    served_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    signature: Mapped[str] = mapped_column(String(64))
    items: Mapped[list] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_impressions_person_purpose_served", "person_id", "purpose", "served_at"),
    )
