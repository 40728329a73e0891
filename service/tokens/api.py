"""The /v1/tokens resource: admins issue, list and revoke API tokens."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.auth import Role, roles
from service.rest import Blueprint, created, item_links
from service.tokens import logic
from service.tokens.schemas import IssuedTokenSchema, TokenQueryArgsSchema, TokenSchema

# Tokens have no ETag: they never change, they are only revoked.
TOKEN_LINKS = item_links("/v1/tokens/{token_id}", ("get", "delete"), etag=False, delete="Revoke")

blp = Blueprint(
    "tokens",
    __name__,
    url_prefix="/v1/tokens",
    description="API tokens. Only a hash is stored; the secret is shown once, when issued.",
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

    @roles(Role.ADMIN)
    @blp.arguments(TokenSchema)
    @blp.response(201, IssuedTokenSchema)
    @blp.doc(responses={201: {"links": TOKEN_LINKS}})
    def post(self, data):
        """Issue a token

        The answer carries the secret in `token`; it is never shown again.
        """
        session = db.session()
        token, secret = logic.issue_token(
            session, role=Role(data["role"]), name=data["name"], person_id=data.get("person_id")
        )
        session.commit()
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
        logic.revoke_token(session, logic.get_token(session, token_id))
        session.commit()
