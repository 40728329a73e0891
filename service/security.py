"""What every request and answer must respect: JSON nesting, security headers.

- A JSON body nested deeper than ``MAX_JSON_DEPTH`` (32) is a 400 before any view, schema
  or SCIM parser walks it: a body of 990 nested arrays would otherwise exhaust Python's
  recursion limit (a 500) on the way.
- Every answer carries ``X-Content-Type-Options: nosniff``; every answer to a request made
  with a token carries ``Cache-Control: no-store`` (private notes, exports); the docs
  explorers carry a strict Content-Security-Policy that allows their own inline scripts by
  hash, and may not be framed.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import BadRequest

EXPLORERS = ("/docs", "/redoc")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def nesting_depth(document: object, limit: int) -> int:
    """Return how deeply arrays and objects nest in a parsed JSON document (0 for a scalar).

    Walks iteratively, and stops counting once past ``limit``.
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def refuse_deep_json() -> None:
    """Answer 400 to a JSON body (SCIM's included) nested deeper than the limit."""
    if not request.is_json or not request.content_length:
        return
    limit = current_app.config["MAX_JSON_DEPTH"]
    too_deep = BadRequest(f"The JSON body nests deeper than {limit} levels.")
    try:
        document = request.get_json(silent=True)
    except RecursionError:
        raise too_deep from None
    if document is not None and nesting_depth(document, limit) > limit:
        raise too_deep


def _explorer_policy(response: Response) -> str:
    # The explorers' pages hold one inline script that starts them: allowed by its hash,
    # everything else only from this origin. Both explorers set styles at run time.
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(response.get_data())
    )
    return (
        "default-src 'none'; "
        f"script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def add_security_headers(response: Response) -> Response:
    """Add nosniff, no-store on authenticated answers, and the explorers' policy."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    if g.get("caller") is not None:
        response.headers["Cache-Control"] = "no-store"
    if request.path in EXPLORERS and response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = _explorer_policy(response)
        response.headers["X-Frame-Options"] = "DENY"
    return response


def init_app(app: Flask) -> None:
    """Check request bodies before views run, and add the headers to every answer."""
    app.before_request(refuse_deep_json)
    app.after_request(add_security_headers)
