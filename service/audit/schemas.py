"""The representations of audit events."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.audit.models import ACTIONS
from service.fields import choice, timestamp


def _id(description: str, example: str, **kwargs) -> ma.fields.String:
    return ma.fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={"description": description, "example": example},
        **kwargs,
    )


class AuditEventSchema(ma.Schema):
    """One audit event: who did what, when, with which token, from where."""

    id = _id("Opaque id.", "aud_01JD3Q5X4J8Z6V2M9N7K1R0T5B", dump_only=True)
    occurred_at = timestamp(dump_only=True, description="When it happened.")
    action = choice(
        ACTIONS,
        dump_only=True,
        description="`token.issued`, `token.revoked`, or `token.used`: a request made with a "
        "member token that someone other than the member issued.",
        example="token.issued",
    )
    actor = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "Who acted: the name of the acting token, `command line`, or "
            "`identity provider` for a login.",
            "example": "Workday sync",
        },
    )
    actor_token_id = _id(
        "The token that acted, if a token did.",
        "tok_01JD3Q5X4J8Z6V2M9N7K1R0T5A",
        dump_only=True,
        allow_none=True,
    )
    token_id = _id(
        "The token issued, revoked or used.",
        "tok_01JD3Q5X4J8Z6V2M9N7K1R0T5B",
        dump_only=True,
        allow_none=True,
    )
    person_id = _id(
        "The person the token acts for, if a member token.",
        examples.PERSON,
        dump_only=True,
        allow_none=True,
    )
    client_address = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The client's address.", "example": "192.0.2.10"},
    )
    request_id = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The request's `X-Request-ID`.", "example": "5b1f0e3c9d2a4e6f"},
    )
    detail = ma.fields.String(
        dump_only=True,
        metadata={"description": "What was done.", "example": "GET /v1/interactions"},
    )


class AuditQueryArgsSchema(ma.Schema):
    """Filters of the audit log."""

    action = choice(ACTIONS, description="Only events of this action.", example="token.used")
    token_id = _id("Only events about this token.", "tok_01JD3Q5X4J8Z6V2M9N7K1R0T5B")
    person_id = _id("Only events about this person's tokens.", examples.PERSON)
    since = timestamp(description="Only events at or after this time.")
