"""The /v1/mentorships resource and its lifecycle actions."""

from __future__ import annotations

from flask.views import MethodView

from service import clock, db, examples
from service.auth import Role, current_caller, roles
from service.feedback import health
from service.idempotency import idempotent
from service.mentorships import logic
from service.mentorships.models import Mentorship
from service.mentorships.schemas import (
    MentorshipQueryArgsSchema,
    MentorshipSchema,
    ReasonSchema,
)
from service.rest import Blueprint, conflicts, created, etag_of, patch_schema

blp = Blueprint(
    "mentorships",
    __name__,
    url_prefix="/v1/mentorships",
    description="Mentorships, reverse mentorships and cross-functional pairings, from proposal to completion.",
)


def _etag(mentorship: Mentorship, now) -> dict:
    # The status read today is part of the representation (an active one past its end reads
    # as completed), though the row did not change.
    return {
        **etag_of(mentorship),
        "status": logic.effective_status(mentorship, logic.today_of(now)),
        "health": (health.assess(db.session(), [mentorship], now)[mentorship.id] or {}).get(
            "state"
        ),
    }


def _shown(mentorship: Mentorship, now) -> Mentorship:
    """Set the status a reader sees today (an active one past its end reads as completed)."""
    return _all_shown([mentorship], now)[0]


def _all_shown(mentorships: list[Mentorship], now) -> list[Mentorship]:
    """Set the status and the health a reader sees today on each mentorship."""
    healths = health.assess(db.session(), mentorships, now)
    for mentorship in mentorships:
        mentorship.shown_status = logic.effective_status(mentorship, logic.today_of(now))
        mentorship.shown_health = healths[mentorship.id]
    return mentorships


@blp.route("")
class Mentorships(MethodView):
    """Mentorships."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(MentorshipQueryArgsSchema, location="query")
    @blp.response(200, MentorshipSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List mentorships

        Newest first. A member token sees the mentorships it is part of. `health` keeps the
        active mentorships in one health state.
        """
        now = clock.now()
        state = args.pop("health", None)
        page = {
            "offset": pagination_parameters.first_item,
            "limit": pagination_parameters.page_size,
        }
        filters = logic.MentorshipFilters(**args)
        if state is None:
            items, total = logic.list_mentorships(
                db.session(), current_caller(), filters, now, **page
            )
        else:
            items, total = health.filtered(
                db.session(), current_caller(), filters, state, now, **page
            )
        pagination_parameters.item_count = total
        return _all_shown(items, now)

    @roles(Role.ADMIN, Role.MEMBER)
    @idempotent
    @blp.etag
    @blp.arguments(MentorshipSchema)
    @blp.response(201, MentorshipSchema)
    @conflicts(
        "the two people already have one of this kind that is proposed or active",
        f"These two people already have a mentorship that is proposed or active ({examples.MENTORSHIP}).",
    )
    def post(self, data):
        """Propose a mentorship

        409 while the same two people already have one of this kind proposed or active.
        """
        session, now = db.session(), clock.now()
        mentorship = logic.propose(session, current_caller(), data, now)
        session.flush()
        blp.set_etag(_etag(mentorship, now))
        return _shown(mentorship, now), 201, created(f"/v1/mentorships/{mentorship.id}")


@blp.route("/<string:mentorship_id>")
class MentorshipById(MethodView):
    """One mentorship."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, MentorshipSchema)
    def get(self, mentorship_id):
        """Read a mentorship"""
        now = clock.now()
        mentorship = logic.get_mentorship(db.session(), current_caller(), mentorship_id)
        blp.set_etag(_etag(mentorship, now))
        return _shown(mentorship, now)

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(
        patch_schema(MentorshipSchema, exclude=("mentor_id", "mentee_id", "kind", "proposed_by"))
    )
    @blp.response(200, MentorshipSchema)
    @conflicts(
        "the mentorship is no longer proposed or active",
        "A completed mentorship cannot be changed; only a proposed or active one can.",
    )
    def patch(self, changes, mentorship_id):
        """Change the agreement

        Goals, cadence, end date and message of a proposed or active mentorship.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        mentorship = logic.get_mentorship(session, caller, mentorship_id)
        blp.check_etag(_etag(mentorship, now))
        logic.update_agreement(session, caller, mentorship, changes, now)
        session.commit()
        blp.set_etag(_etag(mentorship, now))
        return _shown(mentorship, now)


@blp.route("/<string:mentorship_id>/accept")
class MentorshipAccept(MethodView):
    """Accepting a proposal."""

    @roles(Role.MEMBER)
    @blp.response(200, MentorshipSchema)
    @conflicts(
        "it is no longer proposed, one of the two people left, or the mentor's capacity is full",
        "The mentor's capacity is full (2 of 2 active mentorships).",
    )
    def post(self, mentorship_id):
        """Accept a proposal

        Only the side that did not propose, while both people are active. For a mentorship
        (kind `mentorship`), the mentor's `mentor_capacity` bounds their active ones: 409 when
        it is full, decided under a lock so that two accepts cannot take the last slot.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        mentorship = logic.get_mentorship(session, caller, mentorship_id)
        logic.accept(session, caller, mentorship, now)
        session.commit()
        return _shown(mentorship, now)


@blp.route("/<string:mentorship_id>/decline")
class MentorshipDecline(MethodView):
    """Declining a proposal."""

    @roles(Role.MEMBER)
    @blp.arguments(ReasonSchema, required=False)
    @blp.response(200, MentorshipSchema)
    @conflicts(
        "it is no longer proposed",
        "A active mentorship cannot be declined; only a proposed one can.",
    )
    def post(self, body, mentorship_id):
        """Decline a proposal

        Only the side that did not propose; `reason` is optional.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        mentorship = logic.get_mentorship(session, caller, mentorship_id)
        logic.decline(session, caller, mentorship, (body or {}).get("reason"), now)
        session.commit()
        return _shown(mentorship, now)


@blp.route("/<string:mentorship_id>/complete")
class MentorshipComplete(MethodView):
    """Completing a mentorship."""

    @roles(Role.MEMBER)
    @blp.arguments(ReasonSchema, required=False)
    @blp.response(200, MentorshipSchema)
    @conflicts(
        "it is not active", "A proposed mentorship cannot be completed; only a active one can."
    )
    def post(self, body, mentorship_id):
        """Complete a mentorship

        Either side of an active mentorship; `reason` (the closure reason) is required.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        mentorship = logic.get_mentorship(session, caller, mentorship_id)
        logic.complete(session, caller, mentorship, (body or {}).get("reason"), now)
        session.commit()
        return _shown(mentorship, now)


@blp.route("/<string:mentorship_id>/cancel")
class MentorshipCancel(MethodView):
    """Cancelling a mentorship."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(ReasonSchema, required=False)
    @blp.response(200, MentorshipSchema)
    @conflicts(
        "it is no longer proposed or active",
        "A completed mentorship cannot be cancelled; only a proposed or active one can.",
    )
    def post(self, body, mentorship_id):
        """Cancel a mentorship

        Either side, or an admin, while it is proposed or active; `reason` is optional.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        mentorship = logic.get_mentorship(session, caller, mentorship_id)
        logic.cancel(session, caller, mentorship, (body or {}).get("reason"), now)
        session.commit()
        return _shown(mentorship, now)
