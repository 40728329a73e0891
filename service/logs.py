"""Request ids and logging: one structured line per request, every line with its request id.

``RAPPORT_LOG_FORMAT=json`` (the default, for log collectors) writes one JSON object per
line; ``text`` (what ``make run`` uses) writes lines for people.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is kept only if it is short and plain, so that it cannot forge log lines.
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"

requests_log = logging.getLogger("service.requests")


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to every log record (``-`` outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def _assign_request_id() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _CLIENT_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _send_request_id(response: Response) -> Response:
    if "request_id" in g:
        response.headers[REQUEST_ID_HEADER] = g.request_id
    return response


def _log_request(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:
        return response
    caller = g.get("caller")
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    requests_log.info(
        "%s %s %s %.1f ms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "endpoint": request.url_rule.rule if request.url_rule else None,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "token_id": caller.token_id if caller is not None else None,
        },
    )
    return response


def formatter(kind: str) -> logging.Formatter:
    """Return the formatter of a log format: ``json`` or ``text``."""
    if kind == "text":
        return logging.Formatter(TEXT_FORMAT)
    return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level"})


def init_app(app: Flask) -> None:
    """Give every request an id (the client's ``X-Request-ID`` if valid) and log with it."""
    app.before_request(_assign_request_id)
    app.after_request(_send_request_id)
    app.after_request(_log_request)
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(app.config.get("LOG_FORMAT", "json")))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger("service")
    if not any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
