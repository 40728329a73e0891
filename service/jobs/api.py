"""The /v1/jobs resource: background work clients started, and its outcome."""

from __future__ import annotations

from flask import Response, json
from flask.views import MethodView

from service import clock, db
from service.auth import ALL_ROLES, current_caller, roles
from service.jobs import logic
from service.jobs.models import Job
from service.jobs.schemas import JobQueryArgsSchema, JobSchema
from service.rest import Blueprint

blp = Blueprint(
    "jobs",
    __name__,
    url_prefix="/v1/jobs",
    description="Background work clients started (imports, programme runs, graph metrics): "
    "poll a job's status and progress, read its result or problem, cancel it.",
)


# The 202 answer of a view that starts a job: `@blp.alt_response(202, **ACCEPTED)`.
ACCEPTED = {
    "schema": JobSchema,
    "description": "Started as a job: poll `Location` (`GET /v1/jobs/{id}`).",
    "headers": {
        "Location": {
            "description": "The job to poll.",
            "schema": {"type": "string"},
            "example": "/v1/jobs/job_01JD3Q5X4J8Z6V2M9N7K1R0T5B",
        }
    },
}


def accepted(job: Job) -> Response:
    """Return the 202 answer of a view that started ``job``: the job, and where to poll it."""
    return Response(
        json.dumps(JobSchema().dump(job)),
        status=202,
        mimetype="application/json",
        headers={"Location": logic.location(job)},
    )


def _etag(job) -> dict:
    return {"id": job.id, "status": job.status, "progress": job.progress, "at": str(job.updated_at)}


@blp.route("")
class Jobs(MethodView):
    """Jobs."""

    @roles(*ALL_ROLES)
    @blp.arguments(JobQueryArgsSchema, location="query")
    @blp.response(200, JobSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List jobs

        Newest first. An admin sees every job; other tokens see the jobs they started (a
        member token, those of its person).
        """
        items, total = logic.list_jobs(
            db.session(),
            current_caller(),
            status=args.get("status"),
            kind=args.get("kind"),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items


@blp.route("/<string:job_id>")
class JobById(MethodView):
    """One job."""

    @roles(*ALL_ROLES)
    @blp.etag
    @blp.response(200, JobSchema)
    def get(self, job_id):
        """Read a job

        Poll it until `status` is `succeeded` (then read `result` or follow `links.result`),
        `failed` (then read `problem`) or `cancelled`.
        """
        job = logic.get(db.session(), current_caller(), job_id)
        blp.set_etag(_etag(job))
        return job


@blp.route("/<string:job_id>/cancel")
class JobCancel(MethodView):
    """Cancelling a job."""

    @roles(*ALL_ROLES)
    @blp.response(202, JobSchema)
    def post(self, job_id):
        """Cancel a job

        A queued job is cancelled at once; a running one stops at its next progress report and
        writes nothing. 409 once it has ended, or when its kind cannot stop midway.
        """
        session = db.session()
        job = logic.get(session, current_caller(), job_id)
        logic.cancel(session, job, clock.now())
        session.commit()
        return job
