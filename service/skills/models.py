"""Skills and their aliases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

UNCATEGORIZED = "uncategorized"


class Skill(Base):
    """A canonical skill ("kubernetes"), known also by its aliases ("k8s")."""

    __tablename__ = "skills"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("skl")
    )
    name: Mapped[str] = mapped_column(String(80), unique=True)
    category: Mapped[str] = mapped_column(String(80), default=UNCATEGORIZED, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The member whose profile brought the skill in, for the daily bound and for curation.
    created_by: Mapped[str | None] = mapped_column(id_column_type(), index=True)

    alias_rows: Mapped[list[SkillAlias]] = relationship(
        back_populates="skill",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="SkillAlias.alias",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def aliases(self) -> list[str]:
        """The other names of this skill, sorted."""
        return [row.alias for row in self.alias_rows]


class SkillAlias(Base):
    """Another name of a skill; unique across all skills' names and aliases."""

    __tablename__ = "skill_aliases"

    alias: Mapped[str] = mapped_column(String(80), primary_key=True)
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)

    skill: Mapped[Skill] = relationship(back_populates="alias_rows")
