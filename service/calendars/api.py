"""Calendar feeds: `GET /v1/people/{id}/calendar.ics?token=…`, and issuing its token."""

from __future__ import annotations

from flask import Response, current_app, url_for
from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, public, roles
from service.calendars import logic
from service.calendars.schemas import CalendarFeedSchema, FeedArgsSchema
from service.relationships.logic import Settings
from service.rest import Blueprint, created, no_content

blp = Blueprint(
    "calendars",
    __name__,
    url_prefix="/v1/people",
    description="Calendar feeds (iCalendar) of follow-ups, check-ins and mentorship sessions, "
    "for Google Calendar and Outlook to subscribe to.",
)


@blp.route("/<string:person_id>/calendar-feed")
class CalendarFeedOfPerson(MethodView):
    """A person's calendar feed token."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(201, CalendarFeedSchema)
    def post(self, person_id):
        """Issue a calendar feed

        Returns the feed URL with a new read-only feed token (not an API token); earlier
        feed URLs of the person stop working. A member token, for its own person only.
        """
        session, now = db.session(), clock.now()
        logic.authorize(current_caller(), person_id)
        feed, secret = logic.issue(session, person_id, now)
        session.commit()
        url = url_for("calendars.CalendarIcs", person_id=person_id, token=secret, _external=True)
        body = {
            "id": feed.id,
            "person_id": person_id,
            "token": secret,
            "url": url,
            "created_at": feed.created_at,
        }
        return body, 201, created(url)

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(204)
    def delete(self, person_id):
        """Revoke the calendar feed

        The feed URL stops working at once.
        """
        session, now = db.session(), clock.now()
        logic.authorize(current_caller(), person_id)
        logic.revoke(session, person_id, now)
        session.commit()
        return no_content()


@blp.route("/<string:person_id>/calendar.ics")
class CalendarIcs(MethodView):
    """A person's calendar feed."""

    @public
    @blp.arguments(FeedArgsSchema, location="query")
    @blp.doc(
        security=[],
        responses={
            "200": {
                "description": "The feed, as iCalendar (RFC 5545).",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            },
            "404": "NOT_FOUND",
        },
    )
    def get(self, args, person_id):
        """Read a calendar feed

        Open follow-ups, check-ins due, mentorship sessions by cadence (a repeating event
        until the end date) and the events the person joined. Needs the feed token, not an
        API token.
        """
        session, now = db.session(), clock.now()
        person = logic.authenticate(session, person_id, args["token"])
        settings = Settings(
            default_cadence_days=current_app.config["CHECK_IN_DAYS"],
            follow_up_hours=current_app.config["FOLLOW_UP_HOURS"],
        )
        body = logic.feed(session, person, now, current_app.config["CALENDAR_DAYS_AHEAD"], settings)
        return Response(
            body,
            mimetype="text/calendar",
            headers={"Cache-Control": "private, max-age=300"},
        )
