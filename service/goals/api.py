"""The /v1/goals resource."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.auth import Role, current_caller, roles
from service.goals import logic
from service.goals.schemas import GoalQueryArgsSchema, GoalSchema
from service.idempotency import idempotent
from service.rest import Blueprint, created, etag_of, item_links, patch_schema, reference_link

GOAL = "/v1/goals/{goal_id}"
GOAL_LINKS = {
    **item_links(GOAL),
    "person": reference_link("/v1/people/{person_id}", "person_id", "Read whose goal it is."),
}

blp = Blueprint(
    "goals",
    __name__,
    url_prefix="/v1/goals",
    description="What people are deliberately working towards; recommendations serve them.",
)


@blp.route("")
class Goals(MethodView):
    """Goals."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(GoalQueryArgsSchema, location="query")
    @blp.response(200, GoalSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List goals

        Newest first. A member token sees only its own person's goals.
        """
        items, total = logic.list_goals(
            db.session(),
            current_caller(),
            logic.GoalFilters(**args),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN, Role.MEMBER)
    @idempotent
    @blp.etag
    @blp.arguments(GoalSchema)
    @blp.response(201, GoalSchema)
    @blp.doc(responses={201: {"links": GOAL_LINKS}})
    def post(self, data):
        """Create a goal"""
        session = db.session()
        goal = logic.create_goal(session, current_caller(), data)
        session.flush()
        blp.set_etag(etag_of(goal))
        return goal, 201, created(f"/v1/goals/{goal.id}")


@blp.route("/<string:goal_id>")
class GoalById(MethodView):
    """One goal."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, GoalSchema)
    @blp.doc(responses={200: {"links": GOAL_LINKS}})
    def get(self, goal_id):
        """Read a goal"""
        goal = logic.get_goal(db.session(), current_caller(), goal_id)
        blp.set_etag(etag_of(goal))
        return goal

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(patch_schema(GoalSchema, exclude=("person_id",)))
    @blp.response(200, GoalSchema)
    @blp.doc(responses={200: {"links": GOAL_LINKS}})
    def patch(self, changes, goal_id):
        """Change a goal"""
        session = db.session()
        caller = current_caller()
        goal = logic.get_goal(session, caller, goal_id)
        logic.authorize_change(caller, goal)
        blp.check_etag(etag_of(goal))
        logic.update_goal(session, goal, changes)
        session.commit()
        blp.set_etag(etag_of(goal))
        return goal

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(204)
    def delete(self, goal_id):
        """Delete a goal"""
        session = db.session()
        caller = current_caller()
        goal = logic.get_goal(session, caller, goal_id)
        logic.authorize_change(caller, goal)
        blp.check_etag(etag_of(goal))
        logic.delete_goal(session, goal)
        session.commit()
