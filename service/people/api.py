"""The /v1/people resource."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import db
from service.auth import ALL_ROLES, Caller, Role, current_caller, roles
from service.idempotency import idempotent
from service.people import logic
from service.people.schemas import PersonQueryArgsSchema, PersonSchema
from service.rest import Blueprint, conflicts, created, etag_of, item_links, list_link, patch_schema
from service.skills import logic as skills

PERSON = "/v1/people/{person_id}"
# What a client can do next with a person it holds: read it, change or deactivate it with its
# ETag, list its goals and interactions. Schemathesis follows these links in stateful tests.
PERSON_LINKS = {
    **item_links(PERSON, delete="Deactivate"),
    "goals": list_link("/v1/goals", "person_id", "List the person's goals."),
    "interactions": list_link(
        "/v1/interactions", "person_id", "List the interactions the person logged."
    ),
}

blp = Blueprint(
    "people",
    __name__,
    url_prefix="/v1/people",
    description="Profiles of the directory: who people are, what they know and want to learn.",
)


def people_filters(args: dict) -> logic.PeopleFilters:
    """Turn the parsed query of the people list into filters."""
    return logic.PeopleFilters(
        function=args.get("function"),
        division=args.get("division"),
        skills=tuple(args.get("skill", ())),
        min_level=args.get("min_level"),
        max_level=args.get("max_level"),
        active=args.get("active"),
        q=args.get("q"),
    )


def _admit_new_skills(session, caller: Caller, changes: dict) -> set[str]:
    """Bound, and check for typos, the skills a member's change brings into the taxonomy."""
    if not caller.is_member:
        return set()  # admins and HR systems curate the taxonomy
    named = [
        (f"/{key}/{i}/skill", entry["skill"])
        for key in ("skills", "learning")
        for i, entry in enumerate(changes.get(key) or ())
    ]
    config = current_app.config
    bounds = skills.NewSkillBounds(
        per_request=config["MEMBER_NEW_SKILLS_PER_REQUEST"],
        per_day=config["MEMBER_NEW_SKILLS_PER_DAY"],
    )
    assert caller.person_id is not None
    return skills.admit_new(session, named, caller.person_id, bounds)


@blp.route("")
class People(MethodView):
    """The directory."""

    @roles(*ALL_ROLES)
    @blp.arguments(PersonQueryArgsSchema, location="query")
    @blp.response(200, PersonSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List people

        Filters combine with AND; `skill` may be repeated and every skill must be held.
        Ordered by name, then id.
        """
        items, total = logic.list_people(
            db.session(),
            people_filters(args),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN, Role.INTEGRATION)
    @idempotent
    @blp.etag
    @blp.arguments(PersonSchema)
    @blp.response(201, PersonSchema)
    @blp.doc(responses={201: {"links": PERSON_LINKS}})
    @conflicts(
        "the email or the external id belongs to another person",
        "The email 'ada@example.com' already belongs to another person.",
    )
    def post(self, data):
        """Create a person

        Skills and learning wishes may be given by name or alias; unknown skills are added
        to the taxonomy as `uncategorized`.
        """
        session = db.session()
        person = logic.create_person(session, data)
        session.flush()
        blp.set_etag(etag_of(person))
        return person, 201, created(f"/v1/people/{person.id}")


@blp.route("/<string:person_id>")
class PersonById(MethodView):
    """One profile."""

    @roles(*ALL_ROLES)
    @blp.etag
    @blp.response(200, PersonSchema)
    @blp.doc(responses={200: {"links": PERSON_LINKS}})
    def get(self, person_id):
        """Read a person"""
        person = logic.get_person(db.session(), person_id)
        blp.set_etag(etag_of(person))
        return person

    @roles(*ALL_ROLES)
    @blp.etag
    @blp.arguments(patch_schema(PersonSchema))
    @blp.response(200, PersonSchema)
    @blp.doc(responses={200: {"links": PERSON_LINKS}})
    @conflicts(
        "the email or the external id belongs to another person",
        "The email 'ada@example.com' already belongs to another person.",
    )
    def patch(self, changes, person_id):
        """Change a person

        Only the fields given change; a list given replaces the old list. A member token
        may change only its own `location`, `timezone`, `languages`, `perspectives`,
        `skills`, `learning` and `mentoring`; the rest is maintained by HR.
        """
        session = db.session()
        caller = current_caller()
        person = logic.get_person(session, person_id)
        logic.authorize_change(caller, person, set(changes))
        blp.check_etag(etag_of(person))
        new_skills = _admit_new_skills(session, caller, changes)
        logic.update_person(session, person, changes)
        if caller.person_id is not None:
            skills.record_creator(session, new_skills, caller.person_id)
        session.commit()
        blp.set_etag(etag_of(person))
        return person

    @roles(Role.ADMIN, Role.INTEGRATION)
    @blp.etag
    @blp.response(204)
    def delete(self, person_id):
        """Deactivate a person

        People are never erased: they become `active: false`, stay readable, drop out of
        recommendations, and their member tokens stop working.
        """
        session = db.session()
        person = logic.get_person(session, person_id)
        blp.check_etag(etag_of(person))
        logic.deactivate_person(session, person)
        session.commit()
