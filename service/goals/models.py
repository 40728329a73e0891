"""Goals and the skills they target."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow
from service.skills.models import Skill

GOAL_KINDS = (
    "learn_skill",
    "explore_technology",
    "operational_challenge",
    "advocate_practice",
    "business_understanding",
    "career_growth",
)
GOAL_STATUSES = ("active", "achieved", "abandoned")

goal_skills = Table(
    "goal_skills",
    Base.metadata,
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Goal(Base):
    """Something a person is working towards, with the skills and functions it needs."""

    __tablename__ = "goals"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("gol")
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    target_functions: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    skills: Mapped[list[Skill]] = relationship(
        secondary=goal_skills, lazy="selectin", order_by=Skill.name
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def target_skills(self) -> list[str]:
        """The canonical names of the skills this goal needs."""
        return [skill.name for skill in self.skills]
