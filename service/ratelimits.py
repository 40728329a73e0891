"""Rate limits: per client address, per token, and stricter where guessing or cost lurks.

Built on flask-limiter. Every request but health checks and the docs counts against its
client address (``RATELIMIT_PER_ADDRESS``) and, when it carries a bearer token, against that
token (``RATELIMIT_PER_TOKEN``); answers of 401 also count against the address's budget of
failed authentications (``RATELIMIT_FAILED_AUTH``), so that guessing tokens is slow. Views
marked :func:`strict` (token creation, logins, imports) have a budget of their own per
caller. The counters live in memory in the embedded mode and in Redis when ``REDIS_URL`` (or
``RAPPORT_RATELIMIT_STORAGE``) is set, so that every worker and machine shares them.

A refused request gets a 429 problem with ``Retry-After``; every limited answer carries
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds), and
``RateLimit-Policy``, for the limit closest to being reached.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask_limiter import ApplicationLimit, Limiter

from service import auth

F = TypeVar("F", bound=Callable[..., Any])

# Views that are never limited: load balancers' health checks and the docs' assets.
_EXEMPT_BLUEPRINTS = frozenset({"health", "api-docs"})
FAILED_AUTHENTICATION = "failed-authentication"


def client_address() -> str:
    """The client's address (the proxy's X-Forwarded-For once RAPPORT_PROXY_HOPS says so)."""
    return request.remote_addr or "unknown"


def caller_key() -> str:
    """The bearer token of the request (as a hash: no secret reaches the store), or the address."""
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return "token:" + hashlib.sha256(credentials.strip().encode()).hexdigest()[:32]
    return "address:" + client_address()


def _exempt() -> bool:
    return request.blueprint in _EXEMPT_BLUEPRINTS or request.endpoint == "static"


def _without_token() -> bool:
    return _exempt() or not caller_key().startswith("token:")


def _strict_setting() -> str | None:
    if request.endpoint is None:
        return None
    handler = auth.view_handler(current_app.view_functions[request.endpoint], request.method)
    return getattr(handler, "rapport_rate_limit", None)


def strict(setting: str) -> Callable[[F], F]:
    """Give a view its own, stricter budget per caller, named by the setting that holds it."""

    def decorator(func: F) -> F:
        func.rapport_rate_limit = setting  # type: ignore[attr-defined]
        return func

    return decorator


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


limiter = Limiter(
    key_func=client_address,
    application_limits=[
        ApplicationLimit(
            _setting("RATELIMIT_PER_ADDRESS"),
            key_function=client_address,
            scope="address",
            exempt_when=_exempt,
            error_message="Too many requests from this address.",
        ),
        ApplicationLimit(
            _setting("RATELIMIT_PER_TOKEN"),
            key_function=caller_key,
            scope="token",
            exempt_when=_without_token,
            error_message="Too many requests with this token.",
        ),
        ApplicationLimit(
            _setting("RATELIMIT_FAILED_AUTH"),
            key_function=client_address,
            scope=FAILED_AUTHENTICATION,
            exempt_when=_exempt,
            deduct_when=lambda response: response.status_code == 401,
            error_message="Too many failed authentications from this address.",
        ),
        ApplicationLimit(
            lambda: current_app.config[_strict_setting() or "RATELIMIT_PER_TOKEN"],
            key_function=caller_key,
            scope=lambda _endpoint: "strict:" + (_strict_setting() or ""),
            exempt_when=lambda: _strict_setting() is None,
            error_message="Too many requests of this kind; they are limited more strictly.",
        ),
    ],
    headers_enabled=False,
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)


def _rate_limit_headers(response: Response) -> Response:
    # The limit that refused the request, or else the one closest to being reached among
    # those the request counted against (failed authentications count only 401s).
    applied = [
        item
        for item in limiter.current_limits
        if item.breached or FAILED_AUTHENTICATION not in item.key
    ]
    if not applied:
        return response
    limit = min(applied, key=lambda item: (not item.breached, item.remaining))
    # flask-limiter rounds its reset time up by a second; a window is never longer than itself.
    reset = min(limit.limit.get_expiry(), max(0, math.ceil(limit.reset_at - time.time())))
    response.headers["RateLimit-Limit"] = str(limit.limit.amount)
    response.headers["RateLimit-Remaining"] = str(max(0, limit.remaining))
    response.headers["RateLimit-Reset"] = str(reset)
    response.headers["RateLimit-Policy"] = f"{limit.limit.amount};w={limit.limit.get_expiry()}"
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, reset))
    return response


def init_app(app: Flask) -> None:
    """Limit every request of ``app`` (call before authentication is installed)."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config.get("RATELIMIT_STORAGE") or "memory://"
    )
    limiter.init_app(app)
    app.after_request(_rate_limit_headers)
