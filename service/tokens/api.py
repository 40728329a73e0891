"""The /v1/tokens resource: admins issue, list and revoke tokens; people log in."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import clock, db
from service.audit.api import request_actor
from service.auth import Role, public, roles
from service.ratelimits import strict
from service.rest import Blueprint, created, item_links
from service.tokens import logic
from service.tokens.schemas import (
    IssuedTokenSchema,
    LoginSchema,
    NewTokenSchema,
    TokenQueryArgsSchema,
    TokenSchema,
)

# Tokens have no ETag: they never change, they are only revoked.
TOKEN_LINKS = item_links("/v1/tokens/{token_id}", ("get", "delete"), etag=False, delete="Revoke")

blp = Blueprint(
    "tokens",
    __name__,
    url_prefix="/v1/tokens",
    description="API tokens. Only a hash is stored; the secret is shown once, when issued. "
    "Member tokens come only from the person's own login at the identity provider.",
)


def identity_provider() -> logic.IdentityProvider | None:
    """Return the configured identity provider, or None when member logins are disabled."""
    config = current_app.config
    if not config["IDP_SECRET"]:
        return None
    return logic.IdentityProvider(
        secret=config["IDP_SECRET"],
        issuer=config["IDP_ISSUER"],
        audience=config["IDP_AUDIENCE"],
        token_hours=config["MEMBER_TOKEN_HOURS"],
    )


@blp.route("")
class Tokens(MethodView):
    """API tokens."""

    @roles(Role.ADMIN)
    @blp.arguments(TokenQueryArgsSchema, location="query")
    @blp.response(200, TokenSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List tokens

        Oldest first; revoked tokens only when asked for.
        """
        items, total = logic.list_tokens(
            db.session(),
            include_revoked=args["include_revoked"],
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @strict("RATELIMIT_TOKEN_CREATION")
    @roles(Role.ADMIN)
    @blp.arguments(NewTokenSchema)
    @blp.response(201, IssuedTokenSchema)
    @blp.doc(responses={201: {"links": TOKEN_LINKS}})
    def post(self, data):
        """Issue a token

        An admin or integration token; the answer carries the secret in `token`, never shown
        again. Member tokens are not issued here: issuing one for somebody else would let
        its holder read that person's private notes.
        """
        token, secret = logic.issue_token(
            db.session(),
            role=Role(data["role"]),
            name=data["name"],
            actor=request_actor(),
            via="api",
        )
        token.token = secret
        return token, 201, created(f"/v1/tokens/{token.id}")


login_blp = Blueprint(
    "login",
    __name__,
    url_prefix="/v1/login",
    description="A person's own login: the identity provider's assertion for a member token.",
)


@login_blp.route("")
class Login(MethodView):
    """A person's own login."""

    @strict("RATELIMIT_TOKEN_CREATION")
    @public
    @login_blp.arguments(LoginSchema)
    @login_blp.response(201, IssuedTokenSchema)
    @login_blp.alt_response(
        401, response="UNAUTHORIZED", description="The assertion proves nothing."
    )
    @login_blp.alt_response(
        403, response="FORBIDDEN", description="No identity provider is set up."
    )
    @login_blp.alt_response(429, response="TOO_MANY_REQUESTS", description="Too many logins.")
    @login_blp.doc(responses={201: {"links": TOKEN_LINKS}}, security=[])
    def post(self, data):
        """Log in with the identity provider

        Exchanges the identity provider's signed assertion that a person logged in for a
        member token of that person, which expires (12 hours by default). This is the only
        way to a member token besides the operator's command line.
        """
        token, secret = logic.login(
            db.session(), data["assertion"], identity_provider(), request_actor(), clock.now()
        )
        token.token = secret
        return token, 201, created(f"/v1/tokens/{token.id}")


@blp.route("/<string:token_id>")
class TokenById(MethodView):
    """One token."""

    @roles(Role.ADMIN)
    @blp.response(200, TokenSchema)
    def get(self, token_id):
        """Read a token"""
        return logic.get_token(db.session(), token_id)

    @roles(Role.ADMIN)
    @blp.response(204)
    def delete(self, token_id):
        """Revoke a token

        It stops working at once; it stays listed with `include_revoked=true`.
        """
        session = db.session()
        logic.revoke_token(session, logic.get_token(session, token_id), request_actor())
