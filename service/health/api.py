"""`GET /health` and `GET /ready`, for load balancers and orchestrators; no token needed."""

from __future__ import annotations

import marshmallow as ma
import redis
from flask import current_app
from flask.views import MethodView
from sqlalchemy import text

from service import db
from service.auth import public
from service.errors import problem_response
from service.rest import Blueprint

# What a 503 tells load balancers to wait before asking again.
RETRY_AFTER_SECONDS = 5

blp = Blueprint("health", __name__, url_prefix="", description="Liveness and readiness probes.")


class StatusSchema(ma.Schema):
    """The state of the service."""

    status = ma.fields.String(
        required=True, metadata={"description": "`ok` when healthy.", "example": "ok"}
    )


@blp.route("/health")
class Health(MethodView):
    """Liveness."""

    @public
    @blp.response(200, StatusSchema)
    def get(self):
        """Liveness

        Answers 200 while the process serves requests; it does not touch the database.
        """
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    """Readiness."""

    @public
    @blp.response(200, StatusSchema)
    @blp.alt_response(
        503,
        response="SERVICE_UNAVAILABLE",
        description="The database or the broker is unreachable; retry after `Retry-After` seconds.",
        headers={
            "Retry-After": {
                "description": "Seconds to wait before asking again.",
                "schema": {"type": "integer"},
                "example": 5,
            }
        },
    )
    def get(self):
        """Readiness

        Answers 200 when the database answers and, when one is configured (`REDIS_URL`),
        the broker too; 503 with `Retry-After` otherwise.
        """
        retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        try:
            with db.database().engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return problem_response("unavailable", "The database is unreachable.", headers=retry)
        broker = current_app.config["REDIS_URL"]
        if broker:
            try:
                client = redis.Redis.from_url(broker, socket_timeout=2, socket_connect_timeout=2)
                client.ping()
                client.close()
            except redis.RedisError:
                return problem_response("unavailable", "The broker is unreachable.", headers=retry)
        return {"status": "ok"}
