"""The representations of jobs."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service.fields import choice, text
from service.jobs.models import STATUSES


class JobLinksSchema(ma.Schema):
    """Where to go from a job."""

    self = ma.fields.String(
        metadata={
            "description": "The job itself.",
            "example": "/v1/jobs/job_01JD3Q5X4J8Z6V2M9N7K1R0T5B",
        }
    )
    result = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "What the job made, once it succeeded (null when its `result` says all).",
            "example": "/v1/programmes/prg_01JD3Q5X4J8Z6V2M9N7K1R0T5B/runs/run_01JD3Q5X4J8Z6V2M9N7K1R0T5C",
        },
    )


class JobSchema(ma.Schema):
    """Background work a client started: status, progress and outcome."""

    id = ma.fields.String(
        metadata={"description": "Opaque id.", "example": "job_01JD3Q5X4J8Z6V2M9N7K1R0T5B"}
    )
    kind = ma.fields.String(
        metadata={"description": "What the job does.", "example": "people.import"}
    )
    status = ma.fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "queued → running → succeeded, failed or cancelled.",
            "example": "running",
        },
    )
    progress = ma.fields.Float(
        validate=validate.Range(min=0, max=1),
        metadata={"description": "Share of the work done, from 0 to 1.", "example": 0.4},
    )
    attempts = ma.fields.Integer(
        metadata={
            "description": "Times a worker took the job up (more than 1 after a worker died).",
            "example": 1,
        }
    )
    cancel_requested = ma.fields.Boolean(
        metadata={"description": "Whether someone asked to cancel it.", "example": False}
    )
    result = ma.fields.Dict(
        allow_none=True,
        metadata={
            "description": "What the job produced, once it succeeded (its shape depends on `kind`).",
            "example": {"rows": 1200, "created": 40, "updated": 12},
        },
    )
    problem = ma.fields.Dict(
        allow_none=True,
        metadata={
            "description": "Why it failed, as problem details (RFC 9457: `type`, `title`, "
            "`status`, `detail`, and members of its own such as an import's `report`).",
            "example": {
                "type": "urn:rapport:problem:internal-error",
                "title": "Internal server error",
                "status": 500,
                "detail": "The job failed.",
            },
        },
    )
    links = ma.fields.Nested(
        JobLinksSchema, metadata={"description": "Links to the job and to what it made."}
    )
    created_at = ma.fields.AwareDateTime(
        metadata={"description": "When it was started.", "example": "2026-11-26T09:00:00+00:00"}
    )
    started_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "When a worker last took it up.",
            "example": "2026-11-26T09:00:01+00:00",
        },
    )
    finished_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "When it ended.", "example": "2026-11-26T09:00:09+00:00"},
    )


class JobQueryArgsSchema(ma.Schema):
    """Filters of the job list."""

    status = choice(STATUSES, description="Only jobs in this status.", example="running")
    kind = text(64, description="Only jobs of this kind.", example="people.import")
