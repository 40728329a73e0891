"""`/v1/people/{person_id}/recommendations/dismissals`."""

from __future__ import annotations

from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.dismissals import logic
from service.dismissals.schemas import DismissalSchema
from service.rest import Blueprint, created, etag_of, no_content

blp = Blueprint(
    "dismissals",
    __name__,
    url_prefix="/v1/people",
    description='"Not for me": people dismissed from a person\'s recommendations.',
)


@blp.route("/<string:person_id>/recommendations/dismissals")
class Dismissals(MethodView):
    """A person's dismissals."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, DismissalSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, person_id):
        """List dismissals

        Those in force (a `not_now` dismissal lapses after 90 days), newest first. A member
        token reads only its own.
        """
        items, total = logic.list_dismissals(
            db.session(),
            current_caller(),
            person_id,
            clock.now(),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(DismissalSchema)
    @blp.response(201, DismissalSchema)
    def post(self, data, person_id):
        """Dismiss a recommended person

        They disappear from this person's lists for that purpose (for `not_now`, for 90
        days); `do_not_suggest` keeps the two apart everywhere. Dismissing the same person for
        the same purpose again replaces the earlier dismissal. A member token dismisses only
        for itself.
        """
        session = db.session()
        dismissal = logic.dismiss(session, current_caller(), person_id, data, clock.now())
        session.commit()
        blp.set_etag(etag_of(dismissal))
        path = f"/v1/people/{person_id}/recommendations/dismissals/{dismissal.id}"
        return dismissal, 201, created(path)


@blp.route("/<string:person_id>/recommendations/dismissals/<string:dismissal_id>")
class DismissalById(MethodView):
    """One dismissal."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, DismissalSchema)
    def get(self, person_id, dismissal_id):
        """Read a dismissal"""
        dismissal = logic.get_dismissal(db.session(), current_caller(), person_id, dismissal_id)
        blp.set_etag(etag_of(dismissal))
        return dismissal

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(204)
    def delete(self, person_id, dismissal_id):
        """Withdraw a dismissal

        The person may be suggested again.
        """
        session = db.session()
        dismissal = logic.get_dismissal(session, current_caller(), person_id, dismissal_id)
        blp.check_etag(etag_of(dismissal))
        logic.withdraw(session, dismissal)
        session.commit()
        return no_content()
