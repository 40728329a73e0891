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
        # The influence map: no aggregate shows a group smaller than this (k-anonymity).
        "NETWORK_MIN_GROUP": _int("RAPPORT_NETWORK_MIN_GROUP", 5),
        # Exact betweenness up to this many people; above, estimated from random pivots.
        "NETWORK_EXACT_BETWEENNESS": _int("RAPPORT_NETWORK_EXACT_BETWEENNESS", 2000),
        "NETWORK_PIVOTS": _int("RAPPORT_NETWORK_PIVOTS", 256),
        # People at this level and above are decision-makers (besides those flagged).
        "NETWORK_DECISION_LEVEL": _int("RAPPORT_NETWORK_DECISION_LEVEL", 7),
        # Recompute the metrics in the background once this many directory changes piled up
        # since the last computation (0: only on demand), at most once per interval.
        "NETWORK_REFRESH_CHANGES": _int("RAPPORT_NETWORK_REFRESH_CHANGES", 500),
        "NETWORK_REFRESH_MINUTES": _int("RAPPORT_NETWORK_REFRESH_MINUTES", 15),
    }
