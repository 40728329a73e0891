"""Profiles, the skills people hold and the skills they want to grow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow
from service.skills.models import Skill

FUNCTIONS = (
    "engineering",
    "product",
    "design",
    "data",
    "sales",
    "marketing",
    "operations",
    "finance",
    "people",
    "legal",
    "support",
)


class Person(Base):
    """Someone in the directory. People are deactivated, never erased."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("per")
    )
    # The HR system's employee id (a CSV's Employee ID, SCIM's enterprise employeeNumber).
    external_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    # The identity provider's own id of the person (SCIM's externalId), kept apart from the
    # employee id so that the HR file and the identity provider both find the person.
    idp_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    # The case-folded email: emails are unique whatever their case.
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    # A SCIM userName that is not the email (RFC 7643 asks only that it be unique), and its
    # case-folded form; None when the userName is the email.
    user_name: Mapped[str | None] = mapped_column(String(254))
    user_name_key: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The parts of the name, as an identity provider or HR file gave them (None if not).
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(32), index=True)
    level: Mapped[int] = mapped_column(SmallInteger, index=True)
    division: Mapped[str | None] = mapped_column(String(120), index=True)
    team: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str | None] = mapped_column(String(64))
    manager_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # A manager named before they were provisioned (by id, employee id, identity provider id
    # or email), kept as given until that person arrives.
    manager_ref: Mapped[str | None] = mapped_column(String(254), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    perspectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    open_to_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    mentor_capacity: Mapped[int] = mapped_column(SmallInteger, default=0)
    open_to_reverse_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    seeking_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    skill_rows: Mapped[list[PersonSkill]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PersonSkill.position"
    )
    learning_rows: Mapped[list[PersonLearning]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PersonLearning.position"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_people_name_id", "name", "id"),)

    @property
    def skills(self) -> list[dict]:
        """The skills this person holds, as ``{skill, level}``."""
        return [{"skill": row.skill.name, "level": row.level} for row in self.skill_rows]

    @property
    def learning(self) -> list[dict]:
        """The skills this person wants to grow, as ``{skill, priority}``."""
        return [{"skill": row.skill.name, "priority": row.priority} for row in self.learning_rows]

    @property
    def mentoring(self) -> dict:
        """The mentoring preferences, as one object."""
        return {
            "open_to_mentor": self.open_to_mentor,
            "mentor_capacity": self.mentor_capacity,
            "open_to_reverse_mentor": self.open_to_reverse_mentor,
            "seeking_mentor": self.seeking_mentor,
        }


class PersonSkill(Base):
    """A skill a person holds, at a level from 1 (aware) to 5 (expert)."""

    __tablename__ = "person_skills"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    level: Mapped[int] = mapped_column(SmallInteger)
    # The order in which the person listed their skills, kept as given.
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    skill: Mapped[Skill] = relationship(lazy="joined")


class PersonLearning(Base):
    """A skill a person wants to grow, with a priority from 1 (most wanted) to 3."""

    __tablename__ = "person_learning"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    priority: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    skill: Mapped[Skill] = relationship(lazy="joined")
