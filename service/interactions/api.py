"""The /v1/interactions resource."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.auth import Role, current_caller, roles
from service.interactions import logic
from service.interactions.schemas import InteractionQueryArgsSchema, InteractionSchema
from service.rest import Blueprint, created, etag_of, patch_schema

blp = Blueprint(
    "interactions",
    __name__,
    url_prefix="/v1/interactions",
    description="Logged contacts between people: the raw material of relationships.",
)


@blp.route("")
class Interactions(MethodView):
    """Interactions."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(InteractionQueryArgsSchema, location="query")
    @blp.response(200, InteractionSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List interactions

        Most recent first. A member token sees the interactions it took part in, as the
        person who logged them or as the contact; notes only of those it logged.
        """
        caller = current_caller()
        items, total = logic.list_interactions(
            db.session(),
            caller,
            logic.InteractionFilters(**args),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        logic.reveal_notes(caller, items)
        return items

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(InteractionSchema)
    @blp.response(201, InteractionSchema)
    def post(self, data):
        """Log an interaction"""
        session = db.session()
        caller = current_caller()
        interaction = logic.create_interaction(session, caller, data)
        session.commit()
        logic.reveal_notes(caller, [interaction])
        blp.set_etag(etag_of(interaction))
        return interaction, 201, created(f"/v1/interactions/{interaction.id}")


@blp.route("/<string:interaction_id>")
class InteractionById(MethodView):
    """One interaction."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, InteractionSchema)
    def get(self, interaction_id):
        """Read an interaction"""
        caller = current_caller()
        interaction = logic.get_interaction(db.session(), caller, interaction_id)
        logic.reveal_notes(caller, [interaction])
        blp.set_etag(etag_of(interaction))
        return interaction

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(patch_schema(InteractionSchema, exclude=("person_id", "contact_id")))
    @blp.response(200, InteractionSchema)
    def patch(self, changes, interaction_id):
        """Change an interaction

        Only the person who logged it (or an admin, except for `notes`) may change it.
        """
        session = db.session()
        caller = current_caller()
        interaction = logic.get_interaction(session, caller, interaction_id)
        logic.authorize_change(caller, interaction, set(changes))
        blp.check_etag(etag_of(interaction))
        logic.update_interaction(session, interaction, changes)
        session.commit()
        logic.reveal_notes(caller, [interaction])
        blp.set_etag(etag_of(interaction))
        return interaction

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(204)
    def delete(self, interaction_id):
        """Delete an interaction"""
        session = db.session()
        caller = current_caller()
        interaction = logic.get_interaction(session, caller, interaction_id)
        logic.authorize_change(caller, interaction, set())
        blp.check_etag(etag_of(interaction))
        logic.delete_interaction(session, interaction)
        session.commit()
