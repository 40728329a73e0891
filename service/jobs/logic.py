"""Use-cases of jobs: start one, run it in a worker, report progress, cancel, read."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from service import errors
from service.auth import Caller
from service.db import page_of, utcnow
from service.jobs.models import FINISHED, Job

log = logging.getLogger(__name__)

# How often a running job writes its progress at most, in seconds.
PROGRESS_EVERY = 0.5


class JobCancelled(Exception):
    """Raised inside a runner when its job was cancelled; its writes are rolled back."""


@dataclass
class JobRun:
    """What a runner sees of its job: parameters, payload, and a way to report progress.

    ``progress(fraction)`` records how far the work got (0–1) and raises
    :class:`JobCancelled` when someone cancelled the job meanwhile (for cancellable kinds).
    Set ``result_url`` to link the job to what it made.
    """

    id: str
    kind: str
    params: dict[str, Any]
    payload: bytes | None
    attempt: int
    cancellable: bool
    sessions: sessionmaker
    work_session: Session
    result_url: str | None = None
    _reported_at: float = field(default=0.0, repr=False)

    def progress(self, fraction: float) -> None:
        """Record that ``fraction`` (0–1) of the work is done; stop here if cancelled."""
        now = time.monotonic()
        if fraction < 1 and now - self._reported_at < PROGRESS_EVERY:
            return
        self._reported_at = now
        fraction = min(max(float(fraction), 0.0), 1.0)
        if self.work_session.get_bind().dialect.name == "sqlite":
            # SQLite has one writer at a time, and the runner's own transaction may hold it:
            # progress goes into that transaction (readers see it when the job ends).
            cancel = self._cancel_requested(self.work_session.get_bind())
            self.work_session.get(Job, self.id).progress = fraction  # type: ignore[union-attr]
        else:
            with self.sessions() as session:
                job = session.get(Job, self.id)
                assert job is not None
                job.progress = fraction
                job.updated_at = utcnow()
                cancel = job.cancel_requested
                session.commit()
        if cancel and self.cancellable:
            raise JobCancelled(self.id)

    def _cancel_requested(self, bind: Any) -> bool:
        with Session(bind) as session:
            return bool(session.scalar(select(Job.cancel_requested).where(Job.id == self.id)))


Runner = Callable[[Session, JobRun], dict[str, Any] | None]


@dataclass(frozen=True)
class Kind:
    """A kind of job: the function that does it, and whether it can be cancelled midway."""

    runner: Runner
    cancellable: bool


KINDS: dict[str, Kind] = {}


def register(kind: str, runner: Runner, *, cancellable: bool = True) -> None:
    """Declare the runner of a kind of job (call it when your package is imported)."""
    KINDS[kind] = Kind(runner, cancellable)


def create(
    session: Session,
    kind: str,
    *,
    caller: Caller | None,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
    now: datetime,
) -> Job:
    """Add a queued job to ``session``; commit, then :func:`start` it."""
    if kind not in KINDS:
        raise ValueError(f"no runner is registered for jobs of kind {kind!r}")
    job = Job(
        kind=kind,
        status="queued",
        params=params or {},
        payload=payload,
        token_id=caller.token_id if caller else None,
        person_id=caller.person_id if caller else None,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    return job


def start(job: Job) -> None:
    """Send a committed job to the workers (run it now, in the embedded mode)."""
    from service.jobs.tasks import run_job
    from service.tasks import submit

    submit(run_job, job.id)


def location(job: Job) -> str:
    """Return the URL path of a job, for a 202's ``Location``."""
    return f"/v1/jobs/{job.id}"


def _problem(slug: str, detail: str) -> dict[str, Any]:
    status, title, _ = errors.PROBLEM_TYPES[slug]
    return {"type": errors.problem_type(slug), "title": title, "status": status, "detail": detail}


def _finish(
    session: Session, job: Job, status: str, *, result=None, problem=None, url=None
) -> None:
    from service import webhooks

    now = utcnow()
    job.status = status
    job.finished_at = now
    job.updated_at = now
    job.result = result
    job.problem = problem
    job.result_url = url
    if status == "succeeded":
        job.progress = 1.0
    webhooks.publish(
        session,
        "job.completed",
        {
            "id": job.id,
            "kind": job.kind,
            "status": status,
            "result_url": url,
            "problem": problem,
        },
    )


def run(sessions: sessionmaker, job_id: str, *, worker: str, max_attempts: int) -> str | None:
    """Run a job (in a worker): claim it, call its runner, record the outcome.

    The runner's writes and the job's outcome are committed in one transaction, so a job
    whose worker dies midway leaves nothing behind; the queue gives it to another worker,
    up to ``max_attempts`` times. Returns the job's final status (None if unknown).
    """
    with sessions() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None:
            log.warning("job %s does not exist", job_id)
            return None
        if job.status in FINISHED:
            return job.status  # a duplicate delivery of a finished job
        if job.cancel_requested:
            _finish(session, job, "cancelled")
            session.commit()
            return "cancelled"
        if job.attempts >= max_attempts:
            _finish(
                session,
                job,
                "failed",
                problem=_problem(
                    "internal-error",
                    f"The job was interrupted {job.attempts} times (its worker stopped); "
                    "it is not retried again.",
                ),
            )
            session.commit()
            return "failed"
        kind = KINDS.get(job.kind)
        if kind is None:
            _finish(session, job, "failed", problem=_problem("internal-error", "Unknown job."))
            session.commit()
            return "failed"
        job.status = "running"
        job.attempts += 1
        job.worker = worker
        job.started_at = job.updated_at = utcnow()
        session.commit()
        context = JobRun(
            id=job.id,
            kind=job.kind,
            params=dict(job.params or {}),
            payload=job.payload,
            attempt=job.attempts,
            cancellable=kind.cancellable,
            sessions=sessions,
            work_session=session,
        )
        started = time.monotonic()
        try:
            result = kind.runner(session, context)
        except JobCancelled:
            outcome: tuple[str, dict[str, Any]] = ("cancelled", {})
        except errors.Problem as problem:
            details = {**_problem(problem.slug, problem.detail), **problem.extra}
            outcome = ("failed", {"problem": details})
        except Exception:  # noqa: BLE001 - a job's bug is recorded on the job, not lost
            log.exception("job %s (%s) failed", job_id, job.kind)
            outcome = ("failed", {"problem": _problem("internal-error", "The job failed.")})
        else:
            job = session.get(Job, job_id)
            assert job is not None
            _finish(session, job, "succeeded", result=result, url=context.result_url)
            session.commit()
            _observe(job.kind, "succeeded", time.monotonic() - started)
            return "succeeded"
        session.rollback()
        job = session.get(Job, job_id)
        assert job is not None
        _finish(session, job, outcome[0], **outcome[1])
        session.commit()
        _observe(job.kind, outcome[0], time.monotonic() - started)
        return outcome[0]


def _observe(kind: str, status: str, seconds: float) -> None:
    from service import metrics

    metrics.JOB_SECONDS.labels(kind=kind, status=status).observe(seconds)


def _visible(query: Select, caller: Caller) -> Select:
    if caller.is_admin:
        return query
    if caller.is_member:
        return query.where(Job.person_id == caller.person_id)
    return query.where(Job.token_id == caller.token_id)


def get(session: Session, caller: Caller, job_id: str) -> Job:
    """Return a job the caller may see (admins: all; others: the jobs they started)."""
    job = session.scalar(_visible(select(Job).where(Job.id == job_id), caller))
    if job is None:
        raise errors.NotFound("No job has this id.")
    return job


def list_jobs(
    session: Session,
    caller: Caller,
    *,
    status: str | None,
    kind: str | None,
    offset: int,
    limit: int,
) -> tuple[list[Job], int]:
    """Return one page of the jobs the caller may see, newest first, and how many."""
    query = _visible(select(Job), caller)
    if status:
        query = query.where(Job.status == status)
    if kind:
        query = query.where(Job.kind == kind)
    return page_of(session, query, Job.created_at.desc(), Job.id.desc(), offset=offset, limit=limit)


def cancel(session: Session, job: Job, now: datetime) -> Job:
    """Cancel a job: a queued one at once, a running one at its next progress report."""
    if job.status in FINISHED:
        raise errors.Conflict(f"The job has already {job.status}.")
    kind = KINDS.get(job.kind)
    if job.status == "running" and (kind is None or not kind.cancellable):
        raise errors.Conflict("This kind of job cannot be cancelled once it runs.")
    job.cancel_requested = True
    job.updated_at = now
    if job.status == "queued":
        _finish(session, job, "cancelled")
    return job
