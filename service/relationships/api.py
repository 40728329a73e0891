"""A person's relationships, follow-ups, check-ins and network health."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.people.logic import require_exists
from service.relationships import logic
from service.relationships.schemas import (
    HEALTH_DESCRIPTION,
    CadenceSchema,
    CheckInQueryArgsSchema,
    CheckInSchema,
    FollowUpQueryArgsSchema,
    FollowUpSchema,
    NetworkHealthSchema,
    RelationshipQueryArgsSchema,
    RelationshipSchema,
)
from service.rest import Blueprint

blp = Blueprint(
    "relationships",
    __name__,
    url_prefix="/v1/people",
    description="Ties derived from interactions: strength, follow-ups, check-ins, network health.",
)


def _settings() -> logic.Settings:
    return logic.Settings(
        default_cadence_days=current_app.config["CHECK_IN_DAYS"],
        follow_up_hours=current_app.config["FOLLOW_UP_HOURS"],
    )


def _subject(person_id: str):
    session = db.session()
    logic.authorize_view(current_caller(), person_id)
    require_exists(session, person_id)
    return session, clock.now()


def _etag(tie: logic.Tie, version: int) -> dict:
    # What the tie is made of, and the version of the person's own setting (checked again by
    # the write itself, so that of racing writers holding one ETag only the first wins). Its
    # strength also decays with the clock, continuously, so it stays out: an If-Match taken a
    # second earlier must still match.
    return {
        "version": version,
        "interactions": tie.interactions,
        "last": tie.last_contact_at.isoformat() if tie.last_contact_at else None,
        "given": tie.given,
        "received": tie.received,
        "cadence_days": tie.cadence_days,
        "source": tie.cadence_source,
    }


def _relationship(tie: logic.Tie, contact) -> dict:
    return {
        "contact": contact,
        "strength": round(tie.strength, 4),
        "interactions": tie.interactions,
        "first_contact_at": tie.first_contact_at,
        "last_contact_at": tie.last_contact_at,
        "given": tie.given,
        "received": tie.received,
        "balance": tie.given - tie.received,
        "by_kind": dict(tie.kinds),
        "cadence_days": tie.cadence_days,
        "cadence_source": tie.cadence_source,
        "next_check_in_at": tie.next_check_in_at,
        "status": tie.status,
    }


@blp.route("/<string:person_id>/relationships")
class Relationships(MethodView):
    """A person's ties."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(RelationshipQueryArgsSchema, location="query")
    @blp.response(200, RelationshipSchema(many=True))
    @blp.paginate()
    def get(self, args, person_id, pagination_parameters):
        """List relationships

        Every person this person has interacted with (logged by either side), strongest
        first. A member token reads only its own.
        """
        session, now = _subject(person_id)
        ties = list(logic.ties_of(session, person_id, now, _settings()).values())
        if args.get("status"):
            ties = [t for t in ties if t.status == args["status"]]
        ties.sort(key=lambda t: (-t.strength, t.contact_id))
        pagination_parameters.item_count = len(ties)
        page = ties[
            pagination_parameters.first_item : pagination_parameters.first_item
            + pagination_parameters.page_size
        ]
        people = logic.people_by_id(session, {t.contact_id for t in page})
        return [_relationship(t, people.get(t.contact_id)) for t in page]


@blp.route("/<string:person_id>/relationships/<string:contact_id>")
class RelationshipByContact(MethodView):
    """One tie."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, RelationshipSchema)
    def get(self, person_id, contact_id):
        """Read a relationship"""
        session, now = _subject(person_id)
        tie = logic.tie_with(session, person_id, contact_id, now, _settings())
        blp.set_etag(_etag(tie, logic.setting_version(session, person_id, contact_id)))
        return _relationship(tie, logic.people_by_id(session, {contact_id}).get(contact_id))

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.arguments(CadenceSchema)
    @blp.response(200, RelationshipSchema)
    def patch(self, body, person_id, contact_id):
        """Set the cadence of a relationship

        The person's own stay-in-touch cadence for this contact; `null` returns to the
        default (90 days, or an active mentorship's cadence).
        """
        session, now = _subject(person_id)
        tie = logic.tie_with(session, person_id, contact_id, now, _settings())
        version = logic.setting_version(session, person_id, contact_id)
        blp.check_etag(_etag(tie, version))
        logic.set_cadence(
            session, person_id, contact_id, body["cadence_days"], now, expected_version=version
        )
        tie = logic.tie_with(session, person_id, contact_id, now, _settings())
        blp.set_etag(_etag(tie, logic.setting_version(session, person_id, contact_id)))
        return _relationship(tie, logic.people_by_id(session, {contact_id}).get(contact_id))


@blp.route("/<string:person_id>/follow-ups")
class FollowUps(MethodView):
    """Follow-ups owed."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(FollowUpQueryArgsSchema, location="query")
    @blp.response(200, FollowUpSchema(many=True))
    @blp.paginate()
    def get(self, args, person_id, pagination_parameters):
        """List follow-ups

        A first interaction with someone falls due for a follow-up 24 hours later (unless the
        log says otherwise); any later interaction with that person marks it done. Ordered
        by due time.
        """
        session, now = _subject(person_id)
        items, total = logic.follow_ups(
            session,
            person_id,
            args.get("status"),
            now,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        people = logic.people_by_id(session, {i.contact_id for i in items})
        return [
            {
                "interaction_id": i.id,
                "contact": people.get(i.contact_id),
                "kind": i.kind,
                "occurred_at": i.occurred_at,
                "follow_up_due_at": i.follow_up_due_at,
                "status": logic.follow_up_status(i, now),
            }
            for i in items
        ]


@blp.route("/<string:person_id>/check-ins")
class CheckIns(MethodView):
    """Relationships to tend."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(CheckInQueryArgsSchema, location="query")
    @blp.response(200, CheckInSchema(many=True))
    @blp.paginate()
    def get(self, args, person_id, pagination_parameters):
        """List check-ins

        Relationships past their stay-in-touch cadence (90 days by default, an active
        mentorship's `cadence_days`, or the person's own), `slipping` once past it by more
        than half again; the most overdue first. Any interaction resets the clock.
        """
        session, now = _subject(person_id)
        due = logic.check_ins(
            logic.ties_of(session, person_id, now, _settings()), args.get("status")
        )
        pagination_parameters.item_count = len(due)
        page = due[
            pagination_parameters.first_item : pagination_parameters.first_item
            + pagination_parameters.page_size
        ]
        people = logic.people_by_id(session, {t.contact_id for t in page})
        return [
            {
                "contact": people.get(t.contact_id),
                "last_contact_at": t.last_contact_at,
                "cadence_days": t.cadence_days,
                "next_check_in_at": t.next_check_in_at,
                "days_overdue": (now - t.next_check_in_at).days,
                "status": t.status,
            }
            for t in page
        ]


@blp.route("/<string:person_id>/network-health")
class NetworkHealth(MethodView):
    """The health of a network."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, NetworkHealthSchema)
    @blp.doc(description=HEALTH_DESCRIPTION + "\n\nRoles: `admin`, `member` (its own person only).")
    def get(self, person_id):
        """Measure network health"""
        session, now = _subject(person_id)
        return logic.network_health(session, person_id, now, _settings())
