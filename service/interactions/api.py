"""The /v1/interactions resource."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask.views import MethodView

from service import clock, db, examples
from service.auth import Role, current_caller, roles
from service.idempotency import idempotent
from service.interactions import logic
from service.interactions.schemas import InteractionQueryArgsSchema, InteractionSchema
from service.rest import Blueprint, created, etag_of, item_links, patch_schema, reference_link

INTERACTION = "/v1/interactions/{interaction_id}"
PERSON = "/v1/people/{person_id}"
INTERACTION_LINKS = {
    **item_links(INTERACTION),
    "person": reference_link(PERSON, "person_id", "Read who logged the interaction."),
    "contact": reference_link(PERSON, "contact_id", "Read whom they met."),
}

blp = Blueprint(
    "interactions",
    __name__,
    url_prefix="/v1/interactions",
    description="Logged contacts between people: the raw material of relationships.",
)


# A body any token allowed to log may send as it is: without `notes`, which only the member
# token of `person_id` may write.
LOGGED_EXAMPLE = {
    "person_id": examples.PERSON,
    "contact_id": examples.CONTACT,
    "kind": "coffee_chat",
    "occurred_at": "2026-11-20T10:30:00Z",
    "initiated_by": "person",
    "given": ["advice"],
    "received": ["introduction", "resource"],
    "goal_id": examples.GOAL,
}


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
    @idempotent
    @blp.etag
    @blp.arguments(InteractionSchema, example=LOGGED_EXAMPLE)
    @blp.response(201, InteractionSchema)
    @blp.doc(responses={201: {"links": INTERACTION_LINKS}})
    def post(self, data):
        """Log an interaction

        A first interaction with someone falls due for a follow-up after 24 hours (unless
        `follow_up_due_at` is given); it also marks the pair's earlier pending follow-ups done.
        Only the member token of `person_id` may write `notes`: the example leaves them out,
        so that an admin token can try it.
        """
        session = db.session()
        caller = current_caller()
        interaction = logic.create_interaction(
            session,
            caller,
            data,
            clock.now(),
            timedelta(hours=current_app.config["FOLLOW_UP_HOURS"]),
        )
        session.flush()
        logic.reveal_notes(caller, [interaction])
        blp.set_etag(etag_of(interaction))
        return interaction, 201, created(f"/v1/interactions/{interaction.id}")


@blp.route("/<string:interaction_id>")
class InteractionById(MethodView):
    """One interaction."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, InteractionSchema)
    @blp.doc(responses={200: {"links": INTERACTION_LINKS}})
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
    @blp.doc(responses={200: {"links": INTERACTION_LINKS}})
    def patch(self, changes, interaction_id):
        """Change an interaction

        Only the person who logged it (or an admin, except for `notes`) may change it.
        """
        session = db.session()
        caller = current_caller()
        interaction = logic.get_interaction(session, caller, interaction_id)
        logic.authorize_change(caller, interaction, set(changes))
        blp.check_etag(etag_of(interaction))
        logic.update_interaction(session, interaction, changes, clock.now())
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
