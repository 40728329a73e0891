"""`GET /v1/audit-events`: admins read the audit log; nobody can change it."""

from __future__ import annotations

from flask import g, request
from flask.views import MethodView

from service import db
from service.audit import logic
from service.audit.schemas import AuditEventSchema, AuditQueryArgsSchema
from service.auth import Caller, Role, roles
from service.rest import Blueprint

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/v1/audit-events",
    description="The audit log: tokens issued and revoked, and every use of a member token "
    "that someone other than the member issued. Append-only.",
)


def request_actor(caller: Caller | None = None) -> logic.Actor:
    """Return the actor of the current request (its caller, address and id)."""
    caller = caller or g.get("caller")
    return logic.Actor(
        name=caller.name if caller else "identity provider",
        token_id=caller.token_id if caller else None,
        client_address=request.remote_addr,
        request_id=g.get("request_id"),
    )


def record_use(caller: Caller) -> None:
    """Record a use of a token issued on someone's behalf, whatever the request's outcome.

    Written in a transaction of its own, so that a request that fails (and is rolled back)
    is still on record.
    """
    with db.database().sessions() as session, db.unit_of_work(session):
        logic.record(
            session,
            "token.used",
            request_actor(caller),
            token_id=caller.token_id,
            person_id=caller.person_id,
            detail=f"{request.method} {request.path}",
        )


@blp.route("")
class AuditEvents(MethodView):
    """The audit log."""

    @roles(Role.ADMIN)
    @blp.arguments(AuditQueryArgsSchema, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List audit events

        Newest first. There is no way to change or delete an event.
        """
        items, total = logic.list_events(
            db.session(),
            logic.AuditFilters(**args),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items
