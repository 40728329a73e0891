"""The representations of API tokens."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service.auth import Role
from service.fields import choice, text, timestamp

ISSUED_VIA = ("cli", "api", "login")
ISSUABLE = (Role.ADMIN.value, Role.INTEGRATION.value)


class TokenSchema(ma.Schema):
    """An API token, without its secret."""

    class Meta:
        # A member token is bound to a person; the other roles to nobody.
        json_schema = {
            "if": {"properties": {"role": {"const": Role.MEMBER.value}}, "required": ["role"]},
            "then": {"properties": {"person_id": {"type": "string"}}, "required": ["person_id"]},
            "else": {"properties": {"person_id": {"type": "null"}}},
        }

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": "tok_01JD3Q5X4J8Z6V2M9N7K1R0T5B"},
    )
    name = text(
        120,
        blank=False,
        required=True,
        description="What the token is for.",
        example="Workday sync",
    )
    role = choice(
        tuple(r.value for r in Role),
        required=True,
        description="What the token may do.",
        example="integration",
    )
    person_id = ma.fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "The person a member token acts as.", "example": None},
    )
    created_at = timestamp(dump_only=True, description="When the token was issued.")
    last_used_at = timestamp(
        dump_only=True, allow_none=True, description="Last use, to within five minutes."
    )
    revoked_at = timestamp(
        dump_only=True, allow_none=True, description="When it was revoked, if it was."
    )
    expires_at = timestamp(
        dump_only=True, allow_none=True, description="When it stops working, if it does."
    )
    issued_via = choice(
        ISSUED_VIA,
        dump_only=True,
        description="How it was issued: by the operator (`cli`), an admin (`api`), or the "
        "person's own login (`login`).",
        example="api",
    )


class NewTokenSchema(ma.Schema):
    """A token an admin asks for: admin or integration, never member."""

    name = text(
        120,
        blank=False,
        required=True,
        description="What the token is for.",
        example="Workday sync",
    )
    role = ma.fields.String(
        required=True,
        validate=validate.OneOf(
            ISSUABLE,
            error="Admins issue admin and integration tokens; a member token is minted from "
            "the person's own login (POST /v1/login).",
        ),
        metadata={
            "description": "What the token may do.",
            "example": "integration",
            "enum": list(ISSUABLE),
        },
    )


class LoginSchema(ma.Schema):
    """An identity provider's signed assertion that a person just logged in."""

    assertion = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=4096),
        metadata={
            "description": "A JWT (HS256) signed with the identity provider's secret: `iss` and "
            "`aud` as configured, `sub` the person's `external_id`, `iat` and `exp` at most "
            "five minutes apart.",
            "example": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJFLTEwMDEifQ.c2ln",
        },
    )


class IssuedTokenSchema(TokenSchema):
    """A token just issued: the only time its secret is shown."""

    token = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "The bearer secret. Store it now: it is never shown again.",
            "example": "rap_9Yp…",
        },
    )


class TokenQueryArgsSchema(ma.Schema):
    """Filters of the token list."""

    include_revoked = ma.fields.Boolean(
        load_default=False, metadata={"description": "Also list revoked tokens.", "example": False}
    )
