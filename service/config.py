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
        # With well over a hundred operations, tags open collapsed (a deep link such as
        # /docs#/people opens one) and a filter box finds an operation by its tag.
        "OPENAPI_SWAGGER_UI_CONFIG": {
            "docExpansion": "none",
            "deepLinking": True,
            "filter": True,
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
        **_platform(),
    }


def _platform() -> dict[str, Any]:
    """Jobs, the periodic schedule, webhooks, calendar feeds, metrics and logs."""
    return {
        # A job whose worker died is run again, up to this many attempts in all.
        "JOBS_MAX_ATTEMPTS": _int("RAPPORT_JOBS_MAX_ATTEMPTS", 3),
        # HR files with more data rows than this are imported as a job (202 + Location).
        "JOBS_IMPORT_ROWS": _int("RAPPORT_JOBS_IMPORT_ROWS", 5000),
        # A message a worker took but never acknowledged (the worker was killed) goes back to
        # the queue after this many seconds; keep it above the longest job.
        "BROKER_VISIBILITY_TIMEOUT": _int("RAPPORT_BROKER_VISIBILITY_TIMEOUT", 3600),
        # The periodic work of `rapport beat`, each an interval in seconds (0 turns it off).
        "SCHEDULE_IDEMPOTENCY_CLEANUP_SECONDS": _int(
            "RAPPORT_SCHEDULE_IDEMPOTENCY_CLEANUP_SECONDS", 3600
        ),
        "SCHEDULE_WEBHOOK_RETRY_SECONDS": _int("RAPPORT_SCHEDULE_WEBHOOK_RETRY_SECONDS", 30),
        "SCHEDULE_DUE_EVENTS_SECONDS": _int("RAPPORT_SCHEDULE_DUE_EVENTS_SECONDS", 3600),
        # Ties decay without a write: the influence map is recomputed daily besides the
        # recomputes that enough changes trigger.
        "SCHEDULE_NETWORK_METRICS_SECONDS": _int("RAPPORT_SCHEDULE_NETWORK_METRICS_SECONDS", 86400),
        "SCHEDULE_LEARN_WEIGHTS_SECONDS": _int("RAPPORT_SCHEDULE_LEARN_WEIGHTS_SECONDS", 7 * 86400),
        # Webhook targets on non-public addresses are refused unless in these networks
        # (comma-separated, e.g. "10.0.0.0/8"); never in production without a reason.
        "WEBHOOK_ALLOWED_NETWORKS": os.environ.get("RAPPORT_WEBHOOK_ALLOWED_NETWORKS", ""),
        "WEBHOOK_TIMEOUT_SECONDS": _int("RAPPORT_WEBHOOK_TIMEOUT_SECONDS", 5),
        # Failed deliveries are retried with doubling waits from the base, for this long.
        "WEBHOOK_RETRY_HOURS": _int("RAPPORT_WEBHOOK_RETRY_HOURS", 24),
        "WEBHOOK_RETRY_BASE_SECONDS": _int("RAPPORT_WEBHOOK_RETRY_BASE_SECONDS", 30),
        # A webhook is disabled after this many failed attempts in a row.
        "WEBHOOK_DISABLE_AFTER": _int("RAPPORT_WEBHOOK_DISABLE_AFTER", 20),
        # How far ahead calendar feeds reach, in days.
        "CALENDAR_DAYS_AHEAD": _int("RAPPORT_CALENDAR_DAYS_AHEAD", 180),
        # Who may read /metrics: a bearer token, and/or callers from these networks.
        "METRICS_TOKEN": os.environ.get("RAPPORT_METRICS_TOKEN") or None,
        "METRICS_NETWORKS": os.environ.get("RAPPORT_METRICS_NETWORKS", "127.0.0.0/8,::1/128"),
        # `json`: one JSON object per log line (production); `text`: for people (make run).
        "LOG_FORMAT": os.environ.get("RAPPORT_LOG_FORMAT", "json"),
        # Outcomes and learnt weights. Days a served recommendation list (impression) is
        # kept; the weekly learning reads what is kept, so this is also its horizon.
        "IMPRESSION_RETENTION_DAYS": _int("RAPPORT_IMPRESSION_RETENTION_DAYS", 365),
        # Good outcomes a purpose needs before learnt weights may replace its current ones.
        "LEARNING_MIN_OUTCOMES": _int("RAPPORT_LEARNING_MIN_OUTCOMES", 200),
        # How much more unequal (exposure Gini on the last month's queries) adopted weights
        # may spread attention than the current ones, in thousandths.
        "LEARNING_MAX_GINI_INCREASE_PERMILLE": _int(
            "RAPPORT_LEARNING_MAX_GINI_INCREASE_PERMILLE", 20
        ),
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
