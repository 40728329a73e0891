"""SCIM errors (RFC 7644 §3.12): under ``/scim/v2`` every error is an ``Error`` message.

The rest of Rapport answers ``application/problem+json`` (:mod:`service.errors`); SCIM
clients expect ``urn:ietf:params:scim:api:messages:2.0:Error`` in ``application/scim+json``
with a ``scimType``. The handlers below are the blueprint's, so they see the errors of its
views and of the hooks that run before them (authentication: 401/403, body type: 415);
:func:`answer_routing_errors` covers the requests that match no view (404/405), which no
blueprint sees.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Response, g, request
from pydantic import ValidationError
from scim2_models import Error, SCIMException
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from service import errors as problems
from service.scim.mapping import ATTRIBUTES
from service.scim.messages import scim_response
from service.scim.resources import ERROR

log = logging.getLogger(__name__)

PREFIX = "/scim/v2"

# The sentence each status gets when the exception carries only werkzeug's stock text.
_STOCK = {status: detail for _slug, (status, _title, detail) in problems.PROBLEM_TYPES.items()}


def error_document(status: int, detail: str, scim_type: str | None = None) -> dict:
    """Return a SCIM Error message."""
    document = {"schemas": [ERROR], "status": str(status), "detail": detail}
    if scim_type:
        document["scimType"] = scim_type
    return document


def error_response(
    status: int,
    detail: str,
    scim_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Return a SCIM Error response."""
    return scim_response(error_document(status, detail, scim_type), status, headers)


def handle_scim_exception(error: SCIMException) -> Response:
    """An error scim2-models raised (a bad filter, path, value or PATCH operation)."""
    problems.rollback_request()
    return error_response(error.status, error.detail, error.scim_type or None)


def handle_validation_error(error: ValidationError) -> Response:
    """A payload scim2-models refused: its first error, with every error's detail."""
    problems.rollback_request()
    found = Error.from_validation_errors(error)
    detail = "; ".join(e.detail for e in found if e.detail) or "The request is invalid."
    return error_response(found[0].status or 400, detail, found[0].scim_type or "invalidValue")


def _scim_detail(problem: problems.Problem) -> str:
    # The directory's use-cases name people's fields; name the SCIM attributes instead.
    for entry in problem.errors or ():
        pointer = entry.get("pointer", "").lstrip("/")
        if pointer in ATTRIBUTES:
            return f"{ATTRIBUTES[pointer]}: {entry['detail']}"
    return problem.detail


def handle_problem(problem: problems.Problem) -> Response:
    """An error of the directory's use-cases (a duplicate email, an unknown manager)."""
    problems.rollback_request()
    if isinstance(problem, problems.Conflict):
        return error_response(409, _scim_detail(problem), "uniqueness")
    if isinstance(problem, problems.Invalid):
        return error_response(400, _scim_detail(problem), "invalidValue")
    status = problems.PROBLEM_TYPES[problem.slug][0]
    return error_response(status, problem.detail)


def handle_http_exception(error: HTTPException) -> Response:
    """An HTTP error: no or a bad token (401), a role that may not (403), a missing user,
    a method not allowed (405), a body too large (413) or of another type (415)."""
    status = error.code or 500
    if status >= 500:
        return handle_unexpected(error)
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    detail = error.description or ""
    if detail == type(error).description or not detail:
        detail = _STOCK.get(status, error.name)
    scim_type = {400: "invalidSyntax", 422: "invalidValue"}.get(status)
    return error_response(400 if status == 422 else status, detail, scim_type, headers)


def handle_integrity_error(error: IntegrityError) -> Response:
    """A unique constraint a concurrent request won (two creations of one userName)."""
    problems.rollback_request()
    log.info("integrity error mapped to 409: %s", error.orig)
    return error_response(
        409, "The change conflicts with an existing user; read it and retry.", "uniqueness"
    )


def handle_stale_data(_error: StaleDataError) -> Response:
    """A concurrent writer changed the person between our read and our write."""
    problems.rollback_request()
    return error_response(409, "The user changed meanwhile; read it again and retry.")


def handle_operational_error(error: OperationalError) -> Response:
    """The database is unreachable: 503, so that the client retries."""
    problems.rollback_request()
    log.error("database unavailable (request %s): %s", g.get("request_id"), error.orig)
    return error_response(
        503, "The database is unavailable; retry shortly.", headers={"Retry-After": "5"}
    )


def handle_unexpected(error: BaseException) -> Response:
    """A bug: logged with the request id; the client sees only that id."""
    problems.rollback_request()
    original = getattr(error, "original_exception", None) or error
    log.error("unhandled error (request %s)", g.get("request_id"), exc_info=original)
    return error_response(
        500,
        "An unexpected error occurred. "
        f"Quote request id {g.get('request_id', '-')} when reporting it.",
    )


HANDLERS = (
    (SCIMException, handle_scim_exception),
    (ValidationError, handle_validation_error),
    (problems.Problem, handle_problem),
    (HTTPException, handle_http_exception),
    (IntegrityError, handle_integrity_error),
    (StaleDataError, handle_stale_data),
    (OperationalError, handle_operational_error),
    (Exception, handle_unexpected),
)


def is_scim_path(path: str) -> bool:
    """True for the paths of the SCIM service."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def answer_routing_errors() -> Response | None:
    """Answer a SCIM path that matches no view (404, 405) with a SCIM error.

    Registered on the application (a blueprint sees only requests routed to it); every
    other path keeps its problem+json answer.
    """
    routing_error = request.routing_exception
    if (
        routing_error is None
        or isinstance(routing_error, RequestRedirect)
        or not is_scim_path(request.path)
        or not isinstance(routing_error, HTTPException)
    ):
        return None
    return handle_http_exception(routing_error)
