"""The /v1/programmes resource: programmes, participants, matching runs and their review."""

from __future__ import annotations

from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.errors import Forbidden
from service.people.logic import require_exists
from service.programmes import logic, tasks
from service.programmes.models import Programme
from service.programmes.schemas import (
    EnrolledSchema,
    EnrolmentSchema,
    IntrosSchema,
    ParticipantQueryArgsSchema,
    PreferenceQueryArgsSchema,
    PreferencesSchema,
    ProgrammeParticipantSchema,
    ProgrammeQueryArgsSchema,
    ProgrammeSchema,
    ReviewSchema,
    RunRequestSchema,
    RunSchema,
)
from service.rest import Blueprint, created, etag_of, no_content, patch_schema
from service.tasks import submit

blp = Blueprint(
    "programmes",
    __name__,
    url_prefix="/v1/programmes",
    description="Programmes: whole cohorts matched at once, explained, reviewed and published.",
)


def _run_path(programme_id: str, run_id: str) -> str:
    return f"/v1/programmes/{programme_id}/runs/{run_id}"


@blp.route("")
class Programmes(MethodView):
    """Programmes."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(ProgrammeQueryArgsSchema, location="query")
    @blp.response(200, ProgrammeSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List programmes

        Newest first. Members see them too, to join the open ones.
        """
        items, total = logic.list_programmes(
            db.session(),
            args.get("kind"),
            args.get("status"),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN)
    @blp.etag
    @blp.arguments(ProgrammeSchema)
    @blp.response(201, ProgrammeSchema)
    def post(self, data):
        """Create a programme

        The people its rules name must exist (422 otherwise).
        """
        session = db.session()
        programme = logic.create_programme(session, data, clock.now())
        session.commit()
        blp.set_etag(etag_of(programme))
        return programme, 201, created(f"/v1/programmes/{programme.id}")


@blp.route("/<string:programme_id>")
class ProgrammeById(MethodView):
    """One programme."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.etag
    @blp.response(200, ProgrammeSchema)
    def get(self, programme_id):
        """Read a programme"""
        programme = logic.get_programme(db.session(), programme_id)
        blp.set_etag(etag_of(programme))
        return programme

    @roles(Role.ADMIN)
    @blp.etag
    @blp.arguments(patch_schema(ProgrammeSchema))
    @blp.response(200, ProgrammeSchema)
    def patch(self, changes, programme_id):
        """Change a programme

        `rules` is replaced as a whole; `kind` is fixed once the programme has runs.
        """
        session = db.session()
        programme = logic.get_programme(session, programme_id)
        blp.check_etag(etag_of(programme))
        logic.update_programme(session, programme, changes, clock.now())
        session.commit()
        blp.set_etag(etag_of(programme))
        return programme


@blp.route("/<string:programme_id>/participants")
class ProgrammeParticipants(MethodView):
    """A programme's participants."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(ParticipantQueryArgsSchema, location="query")
    @blp.response(200, ProgrammeParticipantSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters, programme_id):
        """List participants

        A member token sees only its own participation.
        """
        session = db.session()
        programme = logic.get_programme(session, programme_id)
        items, total = logic.list_participants(
            session,
            current_caller(),
            programme,
            args.get("role"),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(EnrolmentSchema)
    @blp.response(201, EnrolledSchema)
    def post(self, data, programme_id):
        """Enrol people

        Admins enrol by `person_ids` or by the `filters` of `/v1/people` (active people not
        enrolled yet); a member joins an open programme themself with just a `role`. Unknown
        or listed-twice people: 422; someone already enrolled: 409; nothing is written then.
        """
        session = db.session()
        programme = logic.get_programme(session, programme_id)
        enrolled = logic.enrol(session, current_caller(), programme, data, clock.now())
        session.commit()
        return {"enrolled": enrolled}, 201


@blp.route("/<string:programme_id>/participants/<string:person_id>")
class ParticipantById(MethodView):
    """One participant."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(204)
    def delete(self, programme_id, person_id):
        """Remove a participant

        Admins remove anyone; a member leaves an open programme.
        """
        session = db.session()
        programme = logic.get_programme(session, programme_id)
        logic.leave(session, current_caller(), programme, person_id)
        session.commit()
        return no_content()


@blp.route("/<string:programme_id>/runs")
class Runs(MethodView):
    """A programme's matching runs."""

    @roles(Role.ADMIN)
    @blp.response(200, RunSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, programme_id):
        """List runs

        Newest first.
        """
        session, caller = db.session(), current_caller()
        programme = logic.get_programme(session, programme_id)
        items, total = logic.list_runs(
            session,
            programme,
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return [logic.shown(run, caller) for run in items]

    @roles(Role.ADMIN)
    @blp.arguments(RunRequestSchema, required=False)
    @blp.response(202, RunSchema)
    def post(self, data, programme_id):
        """Start a matching run

        Validates the cohort (an empty cohort, a mentor with capacity 0, a pinned pair that
        breaks a rule: 422), then matches it in the background; `GET` the run at `Location`
        for its status and progress, and once it succeeded for the draft.
        """
        session, now = db.session(), clock.now()
        programme: Programme = logic.get_programme(session, programme_id)
        run = logic.start_run(session, programme, (data or {}).get("method", "stable"), now)
        session.commit()
        submit(tasks.execute_run, run.id)
        session.refresh(run)
        return logic.shown(run, current_caller()), 202, created(_run_path(programme.id, run.id))


@blp.route("/<string:programme_id>/runs/<string:run_id>")
class RunById(MethodView):
    """One run."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, RunSchema)
    def get(self, programme_id, run_id):
        """Read a run

        Admins see the whole draft with metrics beside the greedy baseline; a member sees a
        published run only, and in it only their own pairing and its reasons.
        """
        session = db.session()
        programme = logic.get_programme(session, programme_id)
        return logic.visible_run(session, current_caller(), programme, run_id)


@blp.route("/<string:programme_id>/runs/<string:run_id>/preferences")
class RunPreferences(MethodView):
    """The lists a run used."""

    @roles(Role.ADMIN)
    @blp.arguments(PreferenceQueryArgsSchema, location="query")
    @blp.response(200, PreferencesSchema)
    def get(self, args, programme_id, run_id):
        """Read a preference list

        A mentee's mentors (`mentee_id`) or a mentor's mentees (`mentor_id`), best first, with
        the scores the run ranked them by: enough to recompute stability from the run alone.
        """
        session = db.session()
        run = logic.get_run(session, logic.get_programme(session, programme_id), run_id)
        return logic.preference_list(run, args.get("mentee_id"), args.get("mentor_id"))


@blp.route("/<string:programme_id>/runs/<string:run_id>/review")
class RunReview(MethodView):
    """Reviewing a draft."""

    @roles(Role.ADMIN)
    @blp.arguments(ReviewSchema)
    @blp.response(200, RunSchema)
    def post(self, change, programme_id, run_id):
        """Change a draft

        Pin a pair, swap two mentees' mentors, or drop a pair; each change is checked against
        capacity and the programme's rules, and explanations and metrics are recomputed.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        programme = logic.get_programme(session, programme_id)
        run = logic.get_run(session, programme, run_id)
        logic.review(session, programme, run, change, now)
        session.commit()
        return logic.shown(run, caller)


@blp.route("/<string:programme_id>/runs/<string:run_id>/publish")
class RunPublish(MethodView):
    """Publishing a draft."""

    @roles(Role.ADMIN)
    @blp.response(200, RunSchema)
    def post(self, programme_id, run_id):
        """Publish a draft

        Creates its mentorships (`proposed`, or `active` when the programme says so) with the
        programme's agreement. A second publish of the same run changes nothing; publishing
        a failed or discarded run, or a second run of one programme, is a 409.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        programme = logic.get_programme(session, programme_id)
        run = logic.get_run(session, programme, run_id)
        logic.publish(session, programme, run, now)
        session.commit()
        return logic.shown(run, caller)


@blp.route("/<string:programme_id>/runs/<string:run_id>/discard")
class RunDiscard(MethodView):
    """Discarding a draft."""

    @roles(Role.ADMIN)
    @blp.response(200, RunSchema)
    def post(self, programme_id, run_id):
        """Discard a run

        A draft, failed or queued run; a published one is a 409.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        programme = logic.get_programme(session, programme_id)
        run = logic.get_run(session, programme, run_id)
        logic.discard(session, run, now)
        session.commit()
        return logic.shown(run, caller)


@blp.route("/<string:programme_id>/rounds")
class Rounds(MethodView):
    """An intro programme's rounds."""

    @roles(Role.ADMIN)
    @blp.response(202, RunSchema)
    def post(self, programme_id):
        """Draw an intro round

        Pairs the participants (or groups of `rules.group_size`) in the background, favouring
        people from other functions and divisions with no tie yet, never repeating a pair of
        the last `rules.avoid_recent_rounds` rounds; nobody is left out (one group of three
        when the count is odd); paused people are left out. The round is a run: read it at
        `Location`, then publish or discard it.
        """
        session, now = db.session(), clock.now()
        programme = logic.get_programme(session, programme_id)
        run = logic.start_round(session, programme, now)
        session.commit()
        submit(tasks.execute_run, run.id)
        session.refresh(run)
        return logic.shown(run, current_caller()), 202, created(_run_path(programme.id, run.id))


intros = Blueprint(
    "intros",
    __name__,
    url_prefix="/v1/people",
    description="Intro rounds, as each person sees them.",
)


@intros.route("/<string:person_id>/intros")
class PersonIntros(MethodView):
    """A person's intros."""

    @roles(Role.ADMIN, Role.MEMBER)
    @intros.response(200, IntrosSchema)
    def get(self, person_id):
        """List a person's intros

        Whom they were introduced to in each published round, newest first, and whether they
        met (either side logged an interaction before the next round). Three rounds ignored
        in a row pause them, and `notice` tells them so. A member reads only their own.
        """
        caller = current_caller()
        if caller.is_member and not caller.is_person(person_id):
            raise Forbidden("A member token reads only its own intros.")
        session = db.session()
        require_exists(session, person_id)
        return logic.intros_of(session, person_id)
