"""`/v1/mentorships/{mentorship_id}/feedback` and `/v1/people/{person_id}/feedback-requests`."""

from __future__ import annotations

from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.feedback import logic
from service.feedback.schemas import FeedbackRequestSchema, FeedbackSchema
from service.rest import Blueprint

blp = Blueprint(
    "feedback",
    __name__,
    url_prefix="/v1",
    description="Feedback on mentorships: asked 30 days after acceptance, then every 60.",
)


@blp.route("/mentorships/<string:mentorship_id>/feedback")
class MentorshipFeedback(MethodView):
    """A mentorship's feedback."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, FeedbackSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, mentorship_id):
        """List a mentorship's feedback

        Newest first; the two people and admins. A comment is shown to its author only.
        """
        items, total = logic.list_feedback(
            db.session(),
            current_caller(),
            mentorship_id,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.MEMBER)
    @blp.arguments(FeedbackSchema)
    @blp.response(201, FeedbackSchema)
    def post(self, data, mentorship_id):
        """Give feedback on a mentorship

        The mentor or the mentee of an active (or completed) mentorship: a rating from 1 to
        5, whether the agreement's goals are progressing, an optional private comment. It
        answers the open feedback request, if any, and feeds the mentorship's health.
        """
        session = db.session()
        feedback = logic.give(session, current_caller(), mentorship_id, data, clock.now())
        session.commit()
        return feedback, 201


@blp.route("/people/<string:person_id>/feedback-requests")
class FeedbackRequests(MethodView):
    """The feedback a person owes."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, FeedbackRequestSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, person_id):
        """List feedback requests

        One per active mentorship whose latest request (30 days after acceptance, then
        every 60) the person has not answered, oldest first. A member token reads its own.
        """
        found = logic.requests(db.session(), current_caller(), person_id, clock.now())
        pagination_parameters.item_count = len(found)
        first = pagination_parameters.first_item
        return found[first : first + pagination_parameters.page_size]
