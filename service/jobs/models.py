"""Jobs: background work a client started, with its status, progress and outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, id_column_type, new_id, utcnow

STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
FINISHED = frozenset(("succeeded", "failed", "cancelled"))


class Job(Base):
    """One piece of background work: what to do, how far it got and how it ended."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(
        id_column_type(), primary_key=True, default=lambda: new_id("job")
    )
    # The runner that does the work (`people.import`, `programme.run`…).
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    # What the runner needs: JSON parameters, and a payload too large or binary for JSON.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result_url: Mapped[str | None] = mapped_column(String(300))
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # The worker (host:pid) that last claimed the job.
    worker: Mapped[str | None] = mapped_column(String(120))
    # Who started it: the token, and the person a member token acts as.
    token_id: Mapped[str | None] = mapped_column(String(40))
    person_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_jobs_status_created_at", "status", "created_at"),)

    @property
    def links(self) -> dict[str, str | None]:
        """The job's own URL and that of what it made."""
        return {"self": f"/v1/jobs/{self.id}", "result": self.result_url}
