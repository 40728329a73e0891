"""The /v1/mentorships resource and its lifecycle actions."""

from __future__ import annotations

from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.idempotency import idempotent
from service.mentorships import logic
from service.mentorships.models import Mentorship
from service.mentorships.schemas import (
    MentorshipPatchSchema,
    MentorshipQueryArgsSchema,
    MentorshipSchema,
    ReasonSchema,
)
from service.rest import Blueprint, created, etag_of

blp = Blueprint(
    "mentorships",
    __name__,
    url_prefix="/v1/mentorships",
    description="Mentorships, reverse mentorships and cross-functional pairings, from proposal to completion.",
)


def _shown(mentorship: Mentorship, now) -> Mentorship:
    """Set the status a reader sees today (an active one past its end reads as completed)."""
    mentorship.shown_status = logic.effective_status(mentorship, logic.today_of(now))
    return mentorship


@blp.route("")
class Mentorships(MethodView):
    """Mentorships."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(MentorshipQueryArgsSchema, location="query")
    @blp.response(200, MentorshipSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List mentorships

        Newest first. A member token sees the mentorships it is part of.
        """
        now = clock.now()
        items, total = logic.list_mentorships(
            db.session(),
            current_caller(),
            logic.MentorshipFilters(**args),
            now,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return [_shown(m, now) for m in items]

    @roles(Role.ADMIN, Role.MEMBER)
    @idempotent
    @blp.etag
    @blp.arguments(MentorshipSchema)
    @blp.response(201, MentorshipSchema)
    def post(self, data):
        """Propose a mentorship

        409 while the same two people already have one of this kind proposed or active.
        """
        session, now = db.session(), clock.now()
        mentorship = logic.propose(session, current_caller(), data, now)
        session.commit()
        blp.set_etag(etag_of(mentorship))
        return _shown(mentorship, now), 201, created(f"/v1/mentorships/{mentorship.id}")


@blp.route("/<string:mentorship_id>")
class MentorshipById(MethodView):
    """One mentorship."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, MentorshipSchema)
    def get(self, mentorship_id):
        """Read a mentorship"""
        mentorship = logic.get_mentorship(db.session(), current_caller(), mentorship_id)
        blp.set_etag(etag_of(mentorship))
        return _shown(mentorship, clock.now())

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(MentorshipPatchSchema)
    @blp.response(200, MentorshipSchema)
    def patch(self, changes, mentorship_id):
        """Change the agreement

        Goals, cadence, end date and message of a proposed or active mentorship.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        mentorship = logic.get_mentorship(session, caller, mentorship_id)
        blp.check_etag(etag_of(mentorship))
        logic.update_agreement(session, caller, mentorship, changes, now)
        session.commit()
        blp.set_etag(etag_of(mentorship))
        return _shown(mentorship, now)


def _action(name: str, summary: str, description: str):
    """Register ``POST /v1/mentorships/{id}/<name>`` calling the use-case of that name."""

    @roles(Role.ADMIN, Role.MEMBER) if name == "cancel" else roles(Role.MEMBER)
    @blp.arguments(ReasonSchema, required=False)
    @blp.response(200, MentorshipSchema)
    def post(self, body, mentorship_id):
        session, now, caller = db.session(), clock.now(), current_caller()
        mentorship = logic.get_mentorship(session, caller, mentorship_id)
        use_case = getattr(logic, name)
        if name == "accept":
            use_case(session, caller, mentorship, now)
        else:
            use_case(session, caller, mentorship, (body or {}).get("reason"), now)
        session.commit()
        return _shown(mentorship, now)

    post.__doc__ = f"{summary}\n\n{description}"
    view = type(f"Mentorship{name.title()}", (MethodView,), {"post": post, "__doc__": summary})
    blp.route(f"/<string:mentorship_id>/{name}")(view)


_action(
    "accept",
    "Accept a proposal",
    "Only the side that did not propose. 409 when the mentor's capacity is full or the mentorship is not proposed.",
)
_action(
    "decline", "Decline a proposal", "Only the side that did not propose; `reason` is optional."
)
_action(
    "complete",
    "Complete a mentorship",
    "Either side of an active mentorship; `reason` (the closure reason) is required.",
)
_action(
    "cancel", "Cancel a mentorship", "Either side, or an admin, while it is proposed or active."
)
