"""`POST /v1/imports/people` and `GET /v1/exports/people`: the directory as an HR file."""

from __future__ import annotations

from flask import Response, current_app, request, stream_with_context

from service import clock, db
from service.auth import Role, current_caller, roles
from service.errors import Invalid, problem_response
from service.idempotency import idempotent
from service.imports import jobs as import_jobs
from service.imports import logic
from service.imports.csvformat import FormatError
from service.imports.schemas import (
    CSV_EXAMPLE,
    FORMAT_DESCRIPTION,
    ImportArgsSchema,
    ImportReportSchema,
)
from service.jobs import logic as jobs
from service.jobs.api import ACCEPTED, accepted
from service.people.api import people_filters
from service.people.schemas import PersonQueryArgsSchema
from service.ratelimits import strict
from service.rest import Blueprint, consumes
from service.scim.mapping import Defaults

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/v1",
    description="HR files: import people from CSV, export the directory in the same format.",
)

CSV_BODY = {
    "required": True,
    "description": "The HR file.",
    "content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
}


@blp.route("/imports/people", methods=["POST"])
@strict("RATELIMIT_IMPORTS")
@roles(Role.ADMIN, Role.INTEGRATION)
@idempotent
@consumes("text/csv", "application/csv", limit="RAPPORT_MAX_IMPORT_BYTES")
@blp.arguments(ImportArgsSchema, location="query")
@blp.response(200, ImportReportSchema, description="Imported (or, in a dry run, checked).")
@blp.alt_response(
    422,
    response="UNPROCESSABLE_ENTITY",
    description="Bad rows and `on_error=abort`: nothing written; the problem carries the report.",
)
@blp.alt_response(202, **ACCEPTED)
@blp.doc(
    requestBody=CSV_BODY, description=FORMAT_DESCRIPTION + "\n\nRoles: `admin`, `integration`."
)
def import_people(args):
    """Import people from CSV"""
    session = db.session()
    data = request.get_data()
    if args["async_"] or import_jobs.data_rows(data) > current_app.config["JOBS_IMPORT_ROWS"]:
        job = jobs.create(
            session,
            import_jobs.KIND,
            caller=current_caller(),
            params={"dry_run": args["dry_run"], "on_error": args["on_error"]},
            payload=data,
            now=clock.now(),
        )
        session.commit()
        jobs.start(job)
        return accepted(job)
    try:
        report = logic.import_people(
            session,
            request.get_data(),
            dry_run=args["dry_run"],
            skip_bad_rows=args["on_error"] == "skip",
            now=clock.now(),
            charset=request.mimetype_params.get("charset"),
            defaults=Defaults(
                current_app.config["SCIM_DEFAULT_FUNCTION"],
                current_app.config["SCIM_DEFAULT_LEVEL"],
            ),
        )
    except FormatError as error:
        raise Invalid(str(error)) from error
    body = report.as_dict()
    if report.rejected and not report.written and not report.dry_run:
        return problem_response(
            "validation-error",
            f"{len(report.rejected)} of {report.rows} rows are invalid; nothing was imported "
            "(send on_error=skip to import the good rows).",
            report=body,
        )
    return body


@blp.route("/exports/people", methods=["GET"])
@roles(Role.ADMIN, Role.INTEGRATION)
@blp.arguments(PersonQueryArgsSchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "The directory as CSV, in the import's format (streamed).",
            "content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
        }
    },
    description="The people matching the filters of `GET /v1/people`, ordered by name, in "
    "exactly the format `POST /v1/imports/people` reads back.\n\nRoles: `admin`, `integration`.",
)
def export_people(args):
    """Export people as CSV"""
    session = db.session()
    filters = people_filters(args)

    def chunks():
        try:
            yield from logic.export_people(session, filters)
        finally:
            session.rollback()  # a download stopped midway leaves no transaction open

    return Response(
        stream_with_context(chunks()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="people.csv"'},
    )
