"""`Idempotency-Key` on create and bulk endpoints: a retried request is answered, not redone.

The first request with a key stores its answer in the same transaction as its writes: the
key's row is added to the request's session before the view runs, the answer is recorded in
it after, and the request's unit of work (:mod:`service.db`) commits both at once, so that a
process killed at any point leaves either both or neither. A retry with the same key and the same body gets
that answer again, marked ``Idempotent-Replayed: true``, without writing anything; the same
key with another body or query is a 422; a retry while the first is still running is a 409. Keys are
scoped to the token that sent them and kept ``IDEMPOTENCY_TTL_HOURS`` (24 by default).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import Response, current_app, request
from sqlalchemy import JSON, Integer, LargeBinary, String, delete
from sqlalchemy.orm import Mapped, mapped_column

from service import clock, db, faults
from service.auth import current_caller
from service.db import Base, UTCDateTime
from service.errors import Conflict, Invalid

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Printable ASCII without spaces, as clients generate them (UUIDs, ULIDs, hashes).
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
_VALID_KEY = re.compile(KEY_PATTERN)
# Headers of the first answer that a replay repeats.
KEPT_HEADERS = ("Content-Type", "Location", "ETag", "X-Pagination", "Link")

KEY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "A unique key for this request (a UUID, say). A retry with the same key and "
    "body gets the first answer again (with `Idempotent-Replayed: true`) and writes nothing; "
    "the same key with another body or query is a 422; while the first is still running, a "
    "409. Printable ASCII without spaces; kept 24 hours. Generate a new one for every new "
    "request (no example is given: a fixed key, sent twice, replays the first answer).",
    "schema": {"type": "string", "pattern": KEY_PATTERN},
}


class IdempotencyKey(Base):
    """A request made with an Idempotency-Key, and the answer it got."""

    __tablename__ = "idempotency_keys"

    # SHA-256 of the token, the method, the path and the client's key.
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\x00")
    return hasher.hexdigest()


def _replay(stored: IdempotencyKey) -> Response:
    response = Response(stored.body, status=stored.status_code)
    for name, value in (stored.headers or {}).items():
        response.headers[name] = value
    response.headers[REPLAYED_HEADER] = "true"
    return response


def idempotent(view: Any) -> Any:
    """Make a create or bulk view honour ``Idempotency-Key`` (and document the header)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not _VALID_KEY.match(key):
            raise Invalid(
                f"{HEADER} must be 1 to 255 printable characters without spaces.",
                errors=[{"parameter": HEADER, "in": "header", "detail": "Invalid key."}],
            )
        session, now = db.session(), clock.now()
        # The query string is part of the request: a dry run and the real run differ.
        scope = _digest(current_caller().token_id, request.method, request.path, key)
        fingerprint = _digest(request.query_string, request.get_data())
        stored = session.get(IdempotencyKey, scope)
        if stored is not None and stored.expires_at > now:
            if stored.fingerprint != fingerprint:
                raise Invalid(
                    f"This {HEADER} was used for a request with another body or query.",
                    errors=[
                        {
                            "parameter": HEADER,
                            "in": "header",
                            "detail": "Reused with another body or query.",
                        }
                    ],
                )
            if stored.status_code is None:
                raise Conflict(
                    f"A request with this {HEADER} is still being processed; retry shortly."
                )
            return _replay(stored)
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now))
        ttl = timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])
        session.add(
            IdempotencyKey(
                scope=scope, fingerprint=fingerprint, created_at=now, expires_at=now + ttl
            )
        )
        session.flush()
        response = current_app.make_response(view(*args, **kwargs))
        record = session.get(IdempotencyKey, scope)
        if response.status_code >= 400 or record is None:
            # Failed requests change nothing (the unit of work rolls them back), so the
            # client may simply try again.
            return response
        record.status_code = response.status_code
        record.headers = {
            name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
        }
        record.body = response.get_data()
        session.flush()
        # The writes and this answer are committed together, by the request's unit of work.
        faults.crash_point("idempotency.answered")
        return response

    # Documented by the Blueprint beside the view's own parameters (a manual `parameters`
    # list would replace them).
    doc = dict(getattr(wrapper, "_apidoc", {}))
    doc["idempotency_key"] = KEY_PARAMETER
    wrapper._apidoc = doc
    return wrapper
