"""Settings from the environment, with safe embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def from_environment(instance_path: str) -> dict[str, Any]:
    """Return the settings read from the environment; unset ones get embedded defaults.

    The default database is an SQLite file in the Flask instance folder, so that a new
    user needs nothing but Python to run Rapport.
    """
    default_db = "sqlite:///" + str(Path(instance_path) / "rapport.db")
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_db,
        # The Celery broker and result store (redis://…); unset, background tasks run
        # in-process as they are submitted (the embedded default).
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "DATABASE_ECHO": os.environ.get("DATABASE_ECHO", "") == "1",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "info").upper(),
        # How many reverse proxies (load balancers) stand in front and set X-Forwarded-*:
        # with 1 or more, links and Location headers name the address clients used.
        "PROXY_HOPS": _int("RAPPORT_PROXY_HOPS", 0),
        # Largest request body accepted, in bytes; larger bodies get a 413.
        "MAX_CONTENT_LENGTH": _int("RAPPORT_MAX_BODY_BYTES", 1024 * 1024),
        # HR files are larger: the import endpoint alone accepts up to this many bytes.
        "RAPPORT_MAX_IMPORT_BYTES": _int("RAPPORT_MAX_IMPORT_BYTES", 64 * 1024 * 1024),
        # What SCIM provisioning gives a new person when the identity provider cannot say.
        "SCIM_DEFAULT_FUNCTION": os.environ.get("RAPPORT_SCIM_DEFAULT_FUNCTION") or "engineering",
        "SCIM_DEFAULT_LEVEL": _int("RAPPORT_SCIM_DEFAULT_LEVEL", 2),
        # How often each worker refits its matching index in the background, so that what
        # time changes without a write (ties decaying, mentorships ending) is taken in.
        "RECOMMENDATION_REFRESH_HOURS": _int("RAPPORT_RECOMMENDATION_REFRESH_HOURS", 6),
        # How long an Idempotency-Key and its answer are kept.
        "IDEMPOTENCY_TTL_HOURS": _int("RAPPORT_IDEMPOTENCY_TTL_HOURS", 24),
        # Hardening (see service/security.py, service/urls.py, service/ratelimits.py).
        # The address clients reach Rapport by (https://rapport.example.com); links and SCIM
        # locations are built from it. Unset (embedded mode), from each request.
        "PUBLIC_URL": os.environ.get("RAPPORT_PUBLIC_URL") or None,
        # How deeply JSON bodies may nest; deeper ones get a 400 before anything parses them.
        "MAX_JSON_DEPTH": _int("RAPPORT_MAX_JSON_DEPTH", 32),
        # The identity provider whose signed logins mint member tokens (POST /v1/login):
        # an HS256 secret shared with it, and the `iss` and `aud` of its assertions. Unset,
        # member tokens come only from the operator's command line.
        "IDP_SECRET": os.environ.get("RAPPORT_IDP_SECRET") or None,
        "IDP_ISSUER": os.environ.get("RAPPORT_IDP_ISSUER") or "https://idp.example.com",
        "IDP_AUDIENCE": os.environ.get("RAPPORT_IDP_AUDIENCE") or "rapport",
        # How long a member token minted from a login works.
        "MEMBER_TOKEN_HOURS": _int("RAPPORT_MEMBER_TOKEN_HOURS", 12),
        # Rate limits (flask-limiter's notation: "600 per minute"; see service/ratelimits.py),
        # counted in Redis when REDIS_URL or RAPPORT_RATELIMIT_STORAGE is set, in memory if not.
        "RATELIMIT_ENABLED": os.environ.get("RAPPORT_RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_STORAGE": os.environ.get("RAPPORT_RATELIMIT_STORAGE")
        or os.environ.get("REDIS_URL")
        or None,
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_PER_ADDRESS": os.environ.get("RAPPORT_RATELIMIT_PER_ADDRESS")
        or "1200 per minute",
        "RATELIMIT_PER_TOKEN": os.environ.get("RAPPORT_RATELIMIT_PER_TOKEN") or "600 per minute",
        "RATELIMIT_FAILED_AUTH": os.environ.get("RAPPORT_RATELIMIT_FAILED_AUTH") or "30 per minute",
        "RATELIMIT_TOKEN_CREATION": os.environ.get("RAPPORT_RATELIMIT_TOKEN_CREATION")
        or "30 per hour",
        "RATELIMIT_IMPORTS": os.environ.get("RAPPORT_RATELIMIT_IMPORTS") or "60 per hour",
        # How many skills a member's profile changes may bring into the taxonomy, per change
        # and per day (admins curate beyond that); a near-miss of a known skill is a typo.
        "MEMBER_NEW_SKILLS_PER_REQUEST": _int("RAPPORT_MEMBER_NEW_SKILLS_PER_REQUEST", 5),
        "MEMBER_NEW_SKILLS_PER_DAY": _int("RAPPORT_MEMBER_NEW_SKILLS_PER_DAY", 20),
        "API_TITLE": "Rapport",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        # The explorers' assets ship inside the package (service/static/docs): no CDN.
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": "/static/docs/swagger-ui/",
        "OPENAPI_SWAGGER_UI_CONFIG": {
            "validatorUrl": None,
            "persistAuthorization": True,
            "displayRequestDuration": True,
            "tryItOutEnabled": True,
        },
        "OPENAPI_REDOC_PATH": "/redoc",
        "OPENAPI_REDOC_URL": "/static/docs/redoc/redoc.standalone.js",
        # Hours after a first interaction at which its follow-up falls due.
        "FOLLOW_UP_HOURS": _int("RAPPORT_FOLLOW_UP_HOURS", 24),
        # Days of a relationship's stay-in-touch cadence when none is set.
        "CHECK_IN_DAYS": _int("RAPPORT_CHECK_IN_DAYS", 90),
    }
