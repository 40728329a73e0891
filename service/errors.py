"""Every error, from every layer, rendered as ``application/problem+json`` (RFC 9457).

Use-cases raise the :class:`Problem` subclasses below; HTTP errors raised by Flask, werkzeug,
webargs and flask-smorest, database errors and unexpected exceptions are all mapped here, in
one place, so that a client sees one shape of error whatever went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, g, json, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:rapport:problem:"

# The stable `type` of each kind of error, with its title. Documented in the OpenAPI info
# block; clients may switch on these URIs, so they never change once published.
PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    "malformed-request": (400, "Malformed request", "The request could not be read."),
    "unauthorized": (401, "Unauthorized", "No valid bearer token was given."),
    "forbidden": (403, "Forbidden", "The token's role or person may not do this."),
    "not-found": (404, "Not found", "No such resource, or not visible to this token."),
    "method-not-allowed": (405, "Method not allowed", "The resource does not accept it."),
    "not-acceptable": (406, "Not acceptable", "No representation matches the Accept header."),
    "conflict": (409, "Conflict", "The request conflicts with the resource's current state."),
    "precondition-failed": (
        412,
        "Precondition failed",
        "The resource changed since it was read: If-Match no longer matches its ETag. "
        "Read it again.",
    ),
    "payload-too-large": (413, "Payload too large", "The request body is too large."),
    "unsupported-media-type": (415, "Unsupported media type", "Send the documented type."),
    "validation-error": (422, "Validation error", "Some fields are invalid; see `errors`."),
    "precondition-required": (
        428,
        "Precondition required",
        "Send If-Match with the resource's ETag (from GET), so that no change is lost.",
    ),
    "too-many-requests": (429, "Too many requests", "Slow down and retry later."),
    "internal-error": (500, "Internal server error", "Rapport failed; the request id says where."),
    "unavailable": (503, "Service unavailable", "A dependency is unavailable; retry later."),
}

_SLUG_BY_STATUS = {status: slug for slug, (status, _, _) in PROBLEM_TYPES.items()}


def slug_of(status: int) -> str | None:
    """Return the kind of error answered with ``status``, or None if Rapport sends none."""
    return _SLUG_BY_STATUS.get(status)


def problem_type(slug: str) -> str:
    """Return the ``type`` URI of the kind of error named ``slug``."""
    return TYPE_PREFIX + slug


class Problem(Exception):
    """An error a use-case reports to its caller; rendered as problem+json."""

    slug = "internal-error"

    def __init__(
        self, detail: str, *, errors: list[dict[str, str]] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra


class Unauthenticated(Problem):
    """The credentials sent (a login assertion, say) prove nothing."""

    slug = "unauthorized"


class PreconditionFailed(Problem):
    """The resource changed since the client read it (412)."""

    slug = "precondition-failed"


class NotFound(Problem):
    """The resource does not exist, or the caller may not know that it does."""

    slug = "not-found"


class Forbidden(Problem):
    """The caller is known but may not do this."""

    slug = "forbidden"


class Conflict(Problem):
    """The request conflicts with the current state (a duplicate, an invalid transition)."""

    slug = "conflict"


class Invalid(Problem):
    """The request is well-formed but its content is invalid (422)."""

    slug = "validation-error"

    @classmethod
    def field(cls, pointer: str, message: str) -> Invalid:
        """Return a 422 about one field of the body, named by its JSON pointer."""
        return cls(
            f"{pointer.lstrip('/') or 'body'}: {message}", errors=[_body_error(pointer, message)]
        )


def _body_error(pointer: str, message: str) -> dict[str, str]:
    return {"pointer": pointer, "detail": message}


def flatten_messages(messages: Any, location: str = "json") -> list[dict[str, str]]:
    """Turn marshmallow's nested error messages into a flat list naming each field.

    Body fields are named by a JSON pointer (``/skills/0/level``), query, path and header
    parameters by name, as in RFC 9457's own example.
    """
    out: list[dict[str, str]] = []

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, Mapping):
            for key, child in node.items():
                walk(child, path if key == "_schema" else [*path, str(key)])
        elif isinstance(node, str):
            if location == "json":
                out.append(
                    _body_error(
                        "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in path), node
                    )
                )
            else:
                out.append({"parameter": path[0] if path else "", "in": location, "detail": node})
        elif isinstance(node, Iterable):
            for child in node:
                walk(child, path)

    walk(messages, [])
    return out


def _webargs_errors(data: Mapping[str, Any]) -> list[dict[str, str]]:
    messages = data.get("messages") or data.get("errors") or {}
    out: list[dict[str, str]] = []
    for location, fields in messages.items():
        location = {"querystring": "query", "view_args": "path"}.get(location, location)
        out.extend(flatten_messages(fields, location))
    return out


def problem_response(
    slug: str,
    detail: str | None = None,
    *,
    status: int | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """Build the problem+json response for the kind of error ``slug``."""
    default_status, title, default_detail = PROBLEM_TYPES[slug]
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": title,
        "status": status or default_status,
        "detail": detail or default_detail,
        # A URI reference (RFC 9457), so the path as it is spelled in a URL.
        "instance": quote(request.path, safe="/:@!$&'()*+,;=~"),
    }
    if errors:
        body["errors"] = errors
    request_id = g.get("request_id")
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    response = Response(json.dumps(body), status=body["status"], mimetype=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_http_exception(error: HTTPException) -> Response:
    """Render any werkzeug/Flask/webargs/flask-smorest HTTP error as problem+json."""
    status = error.code or 500
    if status >= 500:
        return handle_unexpected(error)
    slug = _SLUG_BY_STATUS.get(status)
    # Keep the headers the error carries (405's Allow, 401's WWW-Authenticate).
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    data = getattr(error, "data", None) or {}
    headers.update(data.get("headers") or {})
    errors = _webargs_errors(data) if status in (400, 422) else None
    detail = data.get("message") or error.description
    if slug is not None and error.description == type(error).description:
        detail = PROBLEM_TYPES[slug][2]  # werkzeug's stock sentence says less than ours
    if status == 400 and errors:
        detail = "The request body is not valid JSON."
        errors = None
    if status == 422 and errors:
        detail = "; ".join(_describe(e) for e in errors)
    if slug is None:
        body = {"type": "about:blank", "title": error.name, "status": status, "detail": detail}
        return Response(
            json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE, headers=headers
        )
    return problem_response(slug, detail, status=status, errors=errors, headers=headers)


def _describe(error: Mapping[str, str]) -> str:
    where = error.get("parameter") or error.get("pointer", "").lstrip("/") or "body"
    return f"{where}: {error['detail']}"


def handle_problem(error: Problem) -> Response:
    """Render a use-case's :class:`Problem`."""
    rollback_request()
    return problem_response(error.slug, error.detail, errors=error.errors, **error.extra)


def handle_integrity_error(error: IntegrityError) -> Response:
    """A constraint the use-cases did not foresee (usually a race): a conflict, not a 500."""
    rollback_request()
    log.info("integrity error mapped to 409: %s", error.orig)
    return problem_response(
        "conflict", "The change conflicts with existing data; reload and retry."
    )


def handle_stale_data(_error: StaleDataError) -> Response:
    """A concurrent writer changed the row between our read and our write."""
    rollback_request()
    return problem_response(
        "precondition-failed", "The resource changed meanwhile; reload and retry."
    )


def handle_operational_error(error: OperationalError) -> Response:
    """The database is unreachable or overloaded: 503, so that clients retry."""
    rollback_request()
    log.error("database unavailable (request %s): %s", g.get("request_id"), error.orig)
    return problem_response(
        "unavailable", "The database is unavailable; retry shortly.", headers={"Retry-After": "5"}
    )


def handle_unexpected(error: BaseException) -> Response:
    """A bug: log it with the request id, and show the client nothing but that id."""
    rollback_request()
    original = getattr(error, "original_exception", None) or error
    log.error("unhandled error (request %s)", g.get("request_id"), exc_info=original)
    return problem_response(
        "internal-error",
        "An unexpected error occurred. "
        f"Quote request id {g.get('request_id', '-')} when reporting it.",
    )


def rollback_request() -> None:
    """Roll back the current request's session, if it opened one (before answering an error)."""
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()


def init_app(app: Flask) -> None:
    """Register every error handler on ``app``."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(OperationalError, handle_operational_error)
    app.register_error_handler(Exception, handle_unexpected)
