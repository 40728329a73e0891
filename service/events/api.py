"""/v1/events (meetups and Networking Bingo) and /v1/bingo/prompts (the prompt catalogue)."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app
from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.errors import NotFound
from service.events import debrief as figures
from service.events import logic, printing, prompts
from service.events.models import BingoCard, Event
from service.events.schemas import (
    CardSchema,
    DebriefSchema,
    EventParticipantSchema,
    EventQueryArgsSchema,
    EventSchema,
    LeaderboardSchema,
    MarkSchema,
    MeetingSchema,
    PaperArgsSchema,
    PromptQueryArgsSchema,
    PromptSchema,
    ReflectionSchema,
)
from service.idempotency import idempotent
from service.rest import Blueprint, created, etag_of, item_links, patch_schema

EVENT = "/v1/events/{event_id}"
EVENT_LINKS = item_links(EVENT, ("get", "patch"))
PROMPT_LINKS = item_links("/v1/bingo/prompts/{prompt_id}")
INDEX = {
    "in": "path",
    "name": "index",
    "required": True,
    "description": "The square's place on the card, row by row from 0.",
    "schema": {"type": "integer", "minimum": 0},
    "example": 5,
}
BINARY = {"type": "string", "format": "binary"}

blp = Blueprint(
    "events",
    __name__,
    url_prefix="/v1/events",
    description="Meetups and Networking Bingo: who met whom becomes interactions, cards become "
    "conversations, and a debrief says what the event built.",
)
prompts_blp = Blueprint(
    "bingo",
    __name__,
    url_prefix="/v1/bingo",
    description="The Networking Bingo prompt catalogue (admin-curated).",
)


def _follow_up_after() -> timedelta:
    return timedelta(hours=current_app.config["FOLLOW_UP_HOURS"])


def _etag(event: Event, now) -> dict:
    return {**etag_of(event), "status": logic.status_of(event, now)}


def _event(event_id: str):
    return logic.get_event(db.session(), event_id)


@blp.route("")
class Events(MethodView):
    """Events."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(EventQueryArgsSchema, location="query")
    @blp.response(200, EventSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List events

        Latest start first; `status` is read from the clock.
        """
        session, now = db.session(), clock.now()
        items, total = logic.list_events(
            session,
            logic.EventFilters(**args),
            now,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return [logic.describe(session, e, now) for e in items]

    @roles(Role.ADMIN, Role.MEMBER)
    @idempotent
    @blp.etag
    @blp.arguments(EventSchema)
    @blp.response(201, EventSchema)
    @blp.doc(responses={201: {"links": EVENT_LINKS}})
    def post(self, data):
        """Schedule an event

        A member who creates an event facilitates it. A bingo needs a catalogue with enough
        active prompts for its card size (409 otherwise).
        """
        session, now = db.session(), clock.now()
        event = logic.create_event(session, current_caller(), data, now)
        session.commit()
        blp.set_etag(_etag(event, now))
        return logic.describe(session, event, now), 201, created(f"/v1/events/{event.id}")


@blp.route("/<string:event_id>")
class EventById(MethodView):
    """One event."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, EventSchema)
    @blp.doc(responses={200: {"links": EVENT_LINKS}})
    def get(self, event_id):
        """Read an event"""
        session, now = db.session(), clock.now()
        event = _event(event_id)
        blp.set_etag(_etag(event, now))
        return logic.describe(session, event, now)

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(patch_schema(EventSchema, exclude=("kind", "seed")))
    @blp.response(200, EventSchema)
    @blp.doc(responses={200: {"links": EVENT_LINKS}})
    def patch(self, changes, event_id):
        """Change an event

        Its facilitators or an admin. Once it has started, only the title, location, link and
        description change (409 otherwise).
        """
        session, now = db.session(), clock.now()
        event = _event(event_id)
        logic.require_runner(session, current_caller(), event)
        blp.check_etag(_etag(event, now))
        logic.update_event(session, current_caller(), event, changes, now)
        session.commit()
        blp.set_etag(_etag(event, now))
        return logic.describe(session, event, now)


@blp.route("/<string:event_id>/start")
class EventStart(MethodView):
    """Starting an event."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, EventSchema)
    def post(self, event_id):
        """Start an event now

        Its facilitators or an admin. A bingo deals every participant a card, unique and
        completable by the people in the room; 409 when the room or the catalogue is too small
        for the card size (nothing is written). An event also starts by itself at `starts_at`.
        """
        session, now = db.session(), clock.now()
        event = _event(event_id)
        logic.start(session, current_caller(), event, now)
        session.commit()
        return logic.describe(session, event, now)


@blp.route("/<string:event_id>/end")
class EventEnd(MethodView):
    """Ending an event."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, EventSchema)
    def post(self, event_id):
        """End an event now

        Its facilitators or an admin, while it runs. It also ends by itself after its duration.
        """
        session, now = db.session(), clock.now()
        event = _event(event_id)
        logic.end(session, current_caller(), event, now)
        session.commit()
        return logic.describe(session, event, now)


@blp.route("/<string:event_id>/participants")
class EventParticipants(MethodView):
    """The people at an event."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, EventParticipantSchema(many=True))
    @blp.paginate()
    def get(self, event_id, pagination_parameters):
        """List an event's people

        Facilitators first, then participants by name.
        """
        event = _event(event_id)
        items, total = logic.list_participants(
            db.session(),
            event,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(EventParticipantSchema)
    @blp.response(201, EventParticipantSchema)
    def post(self, data, event_id):
        """Join or enrol

        A member joins an open event by themselves; facilitators and admins enrol anyone (and
        add facilitators). 409 when the event is full or ended, or the person is already there.
        Someone who joins a running bingo is dealt a card at once.
        """
        session, now = db.session(), clock.now()
        event = _event(event_id)
        participant = logic.join(
            session, current_caller(), event, data.get("person_id"), data["role"], now
        )
        session.commit()
        return participant, 201, created(f"/v1/events/{event.id}/participants")


@blp.route("/<string:event_id>/meetings")
class Meetings(MethodView):
    """Who met whom at an event."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, MeetingSchema(many=True))
    @blp.paginate()
    def get(self, event_id, pagination_parameters):
        """List an event's meetings

        The people at the event and admins; in the order they happened.
        """
        session = db.session()
        event = _event(event_id)
        logic.require_present(session, current_caller(), event)
        items, total = logic.list_meetings(
            session,
            event,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(MeetingSchema)
    @blp.response(201, MeetingSchema)
    def post(self, data, event_id):
        """Record a meeting

        Logs an interaction of kind `event` between two people at the event (a member for
        themselves; facilitators and admins for anyone), once per pair per event (409 after).
        A first meeting's follow-up falls due 24 hours later. 409 before the event starts.
        """
        session, now = db.session(), clock.now()
        event = _event(event_id)
        meeting = logic.record_meeting(
            session, current_caller(), event, data, now, _follow_up_after()
        )
        session.commit()
        return meeting, 201, created(f"/v1/events/{event.id}/meetings")


@blp.route("/<string:event_id>/cards")
class Cards(MethodView):
    """The cards of a bingo."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, CardSchema(many=True))
    @blp.paginate()
    def get(self, event_id, pagination_parameters):
        """List a bingo's cards

        Its facilitators or an admin; first bingos first.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        event = _event(event_id)
        items, total = logic.list_cards(
            session,
            caller,
            event,
            now,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        session.commit()
        pagination_parameters.item_count = total
        return [logic.describe_card(session, caller, card) for card in items]


def _printed(session, event: Event, card: BingoCard) -> printing.PrintedCard:
    return printing.PrintedCard(
        event_title=event.title,
        starts_at=event.started_at or event.starts_at,
        location=event.location or event.link,
        player_name=card.person_name or card.person_id,  # type: ignore[attr-defined]
        size=card.size,
        squares=[
            printing.PrintedSquare(s.text or "", s.category, s.free, s.met_name)  # type: ignore[attr-defined]
            for s in card.squares  # type: ignore[attr-defined]
        ],
    )


def _pdf(content: bytes, name: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@blp.route("/<string:event_id>/cards.pdf")
class CardsPdf(MethodView):
    """Every card of a bingo, to print."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(PaperArgsSchema, location="query")
    @blp.response(200, BINARY, content_type="application/pdf", description="One card per page.")
    def get(self, args, event_id):
        """Print every card

        Its facilitators or an admin: one PDF, one card a page, on A4 or Letter.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        event = _event(event_id)
        cards, _total = logic.list_cards(session, caller, event, now, offset=0, limit=10_000)
        session.commit()
        if not cards:
            raise NotFound("No cards are dealt yet: they are dealt when the event starts.")
        printed = [_printed(session, event, logic.describe_card(session, caller, c)) for c in cards]
        return _pdf(printing.pdf_of(printed, args["paper"]), f"bingo-{event.id}")


@blp.route("/<string:event_id>/cards/me")
class MyCard(MethodView):
    """The caller's own card."""

    @roles(Role.MEMBER)
    @blp.response(200, CardSchema)
    def get(self, event_id):
        """Read my card

        Squares, what is marked and with whom. Dealt when the event starts (404 before).
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        event = _event(event_id)
        card = logic.my_card(session, caller, event, now)
        session.commit()
        return logic.describe_card(session, caller, card)


@blp.route("/<string:event_id>/cards/<string:card_id>")
class CardById(MethodView):
    """One card."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, CardSchema)
    def get(self, event_id, card_id):
        """Read a card

        Its owner, the event's facilitators or an admin.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        event = _event(event_id)
        card = logic.get_card(session, caller, event, card_id, now)
        session.commit()
        return logic.describe_card(session, caller, card)


@blp.route("/<string:event_id>/cards/<string:card_id>.pdf")
class CardPdf(MethodView):
    """One card, to print."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(PaperArgsSchema, location="query")
    @blp.response(200, BINARY, content_type="application/pdf", description="The card.")
    def get(self, args, event_id, card_id):
        """Print a card (PDF)

        On A4 or Letter, with the participant's name, the event and the squares.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        event = _event(event_id)
        card = logic.describe_card(
            session, caller, logic.get_card(session, caller, event, card_id, now)
        )
        session.commit()
        return _pdf(printing.pdf_of([_printed(session, event, card)], args["paper"]), card.id)


@blp.route("/<string:event_id>/cards/<string:card_id>.svg")
class CardSvg(MethodView):
    """One card, as an image."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, {"type": "string"}, content_type="image/svg+xml", description="The card.")
    def get(self, event_id, card_id):
        """Draw a card (SVG)"""
        session, now, caller = db.session(), clock.now(), current_caller()
        event = _event(event_id)
        card = logic.describe_card(
            session, caller, logic.get_card(session, caller, event, card_id, now)
        )
        session.commit()
        return Response(printing.svg_of(_printed(session, event, card)), mimetype="image/svg+xml")


@blp.route("/<string:event_id>/cards/<string:card_id>/squares/<int:index>", parameters=[INDEX])
class Square(MethodView):
    """Marking a square."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(MarkSchema)
    @blp.response(200, CardSchema)
    def post(self, data, event_id, card_id, index):
        """Mark a square

        The card's owner, with the participant met: not themselves, a participant of the event,
        who satisfies the square's condition, and who fills no more than two squares of the card
        (422 otherwise). The first square between two people logs their meeting as an
        interaction (given or received from the prompt's category). A completed row, column or
        diagonal is a bingo. 409 outside the event's time or on a filled or free square.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        event = _event(event_id)
        card = logic.get_card(session, caller, event, card_id, now)
        logic.mark_square(session, caller, event, card, index, data, now, _follow_up_after())
        session.commit()
        return logic.describe_card(session, caller, card)


@blp.route("/<string:event_id>/leaderboard")
class Leaderboard(MethodView):
    """The leaderboard."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, LeaderboardSchema)
    def get(self, event_id):
        """Read the leaderboard

        First bingos, and who met the most functions (not the most people). The people at the
        event and admins.
        """
        session = db.session()
        event = _event(event_id)
        logic.require_present(session, current_caller(), event)
        return figures.leaderboard(session, event)


@blp.route("/<string:event_id>/reflections")
class Reflections(MethodView):
    """Reflections on an event."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, ReflectionSchema(many=True))
    @blp.paginate()
    def get(self, event_id, pagination_parameters):
        """List reflections

        Facilitators and admins read all; others the shared ones and their own.
        """
        session = db.session()
        event = _event(event_id)
        items, total = logic.list_reflections(
            session,
            current_caller(),
            event,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.MEMBER)
    @blp.arguments(ReflectionSchema)
    @blp.response(201, ReflectionSchema)
    def post(self, data, event_id):
        """Reflect on an event

        A participant, once: which question drew the most useful answer, and how the
        structure helped or hindered genuine connection. Private to the facilitators unless
        `shared`.
        """
        session, now = db.session(), clock.now()
        event = _event(event_id)
        reflection = logic.reflect(session, current_caller(), event, data, now)
        session.commit()
        return reflection, 201, created(f"/v1/events/{event.id}/reflections")


@blp.route("/<string:event_id>/debrief")
class Debrief(MethodView):
    """The debrief."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, DebriefSchema)
    def get(self, event_id):
        """Read the debrief

        Squares completed per prompt and category, new ties (across functions and divisions),
        follow-ups within 24 hours (updated as they happen), shared reflections, and three
        discussion points computed from those figures. The people at the event and admins.
        """
        session, now = db.session(), clock.now()
        event = _event(event_id)
        logic.require_present(session, current_caller(), event)
        return figures.debrief(session, event, now, current_app.config["FOLLOW_UP_HOURS"])


@prompts_blp.route("/prompts")
class Prompts(MethodView):
    """The prompt catalogue."""

    @roles(Role.ADMIN, Role.MEMBER)
    @prompts_blp.arguments(PromptQueryArgsSchema, location="query")
    @prompts_blp.response(200, PromptSchema(many=True))
    @prompts_blp.paginate()
    def get(self, args, pagination_parameters):
        """List prompts"""
        items, total = prompts.list_prompts(
            db.session(),
            args,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN)
    @prompts_blp.etag
    @prompts_blp.arguments(PromptSchema)
    @prompts_blp.response(201, PromptSchema)
    @prompts_blp.doc(responses={201: {"links": PROMPT_LINKS}})
    def post(self, data):
        """Add a prompt"""
        session = db.session()
        prompt = prompts.create_prompt(session, data, clock.now())
        session.commit()
        prompts_blp.set_etag(etag_of(prompt))
        return prompt, 201, created(f"/v1/bingo/prompts/{prompt.id}")


@prompts_blp.route("/prompts/<string:prompt_id>")
class PromptById(MethodView):
    """One prompt."""

    @roles(Role.ADMIN, Role.MEMBER)
    @prompts_blp.etag
    @prompts_blp.response(200, PromptSchema)
    @prompts_blp.doc(responses={200: {"links": PROMPT_LINKS}})
    def get(self, prompt_id):
        """Read a prompt"""
        prompt = prompts.get_prompt(db.session(), prompt_id)
        prompts_blp.set_etag(etag_of(prompt))
        return prompt

    @roles(Role.ADMIN)
    @prompts_blp.etag
    @prompts_blp.arguments(patch_schema(PromptSchema))
    @prompts_blp.response(200, PromptSchema)
    @prompts_blp.doc(responses={200: {"links": PROMPT_LINKS}})
    def patch(self, changes, prompt_id):
        """Change a prompt

        Cards already dealt keep the prompt as it was printed.
        """
        session = db.session()
        prompt = prompts.get_prompt(session, prompt_id)
        prompts_blp.check_etag(etag_of(prompt))
        prompts.update_prompt(session, prompt, changes, clock.now())
        session.commit()
        prompts_blp.set_etag(etag_of(prompt))
        return prompt

    @roles(Role.ADMIN)
    @prompts_blp.etag
    @prompts_blp.response(204)
    def delete(self, prompt_id):
        """Delete a prompt

        Cards already dealt keep it as printed. To keep it out of new cards but in the
        catalogue, set `active` to false instead.
        """
        session = db.session()
        prompt = prompts.get_prompt(session, prompt_id)
        prompts_blp.check_etag(etag_of(prompt))
        session.delete(prompt)
        session.commit()
