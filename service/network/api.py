"""The influence map: personal maps, warm intro paths, skill landscapes, analyst views, pictures."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app
from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.errors import NotFound
from service.fields import TEXT
from service.network import logic, pictures, refresh
from service.network.schemas import (
    AnalystFiltersSchema,
    CommunitySchema,
    DivisionRowSchema,
    InfluenceMapSchema,
    IntroPathQueryArgsSchema,
    IntroPathSchema,
    LandscapeSchema,
    RankedPersonSchema,
)
from service.rest import Blueprint

blp = Blueprint(
    "network",
    __name__,
    url_prefix="/v1",
    description="The influence map: who shapes decisions, who bridges, and the warm way to "
    "reach them. Measures are computed in the background and served from storage.",
)

SVG = "image/svg+xml"
SVG_EXAMPLE = "<svg xmlns='http://www.w3.org/2000/svg' width='1000' height='720'>…</svg>"
SKILL_PARAMETER = {
    "in": "path",
    "name": "skill",
    "required": True,
    "description": "A skill's name or alias (`k8s` is `kubernetes`).",
    "schema": {"type": "string", "minLength": 1, "pattern": TEXT},
    "example": "kubernetes",
}


def _min_group() -> int:
    return current_app.config["NETWORK_MIN_GROUP"]


def _svg(body: str) -> Response:
    return Response(body, mimetype=SVG, headers={"Cache-Control": "private, max-age=60"})


def _computed(snapshot) -> str:
    return f"computed {snapshot.computed_at:%Y-%m-%d %H:%M} UTC" if snapshot else "not computed yet"


@blp.route("/people/<string:person_id>/influence")
class Influence(MethodView):
    """A person's own influence map."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, InfluenceMapSchema)
    def get(self, person_id):
        """Read my influence map

        The person's measures (influence, brokerage, reach: formulas in the schema), their
        five strongest ties, the most influential people and the strongest brokers within two
        hops (and through whom), how many hops separate them from the decision-makers of each
        function, the divisions they cannot reach within two hops, and one introduction to ask
        for. A member reads only their own map.
        """
        session = db.session()
        refresh.maybe_schedule(session)
        return logic.influence_map(
            session,
            current_caller(),
            person_id,
            clock.now(),
            current_app.config["NETWORK_DECISION_LEVEL"],
        )


@blp.route("/people/<string:person_id>/intro-path")
class IntroPath(MethodView):
    """The warmest way to reach someone."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(IntroPathQueryArgsSchema, location="query")
    @blp.response(200, IntroPathSchema)
    def get(self, args, person_id):
        """Find the warmest intro path

        The path of at most three ties from the person to `to` whose weakest tie is the
        strongest (then the fewest hops), over every kind of tie. Each hop is explained: the
        person's own tie from their records ("you met Ana 3 times since September 2026");
        other hops only by the tie's existence and the month of its last contact, never its
        strength or notes. 404 when no such path exists. A member asks only for themselves.
        """
        return logic.intro_path(db.session(), current_caller(), person_id, args["to"], clock.now())


@blp.route("/people/<string:person_id>/network.svg")
class EgoMap(MethodView):
    """A person's ties as a picture."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(
        200,
        {"type": "string", "example": SVG_EXAMPLE},
        content_type=SVG,
        description="The ego map, as SVG.",
    )
    def get(self, person_id):
        """Draw my network

        The person in the middle; each tie a spoke, shorter and with a bigger dot the
        stronger it is, coloured by function and grouped by function; brokers (top 10 % by
        betweenness) ringed; the divisions two steps away as bars. The 36 strongest ties are
        drawn one by one, the rest as one bubble per function. A member draws only their own.
        """
        session, now, caller = db.session(), clock.now(), current_caller()
        logic.authorize_own(caller, person_id, "network picture")
        me = logic.cards(session, {person_id}).get(person_id)
        if me is None:
            raise NotFound("No active person has this id.")
        near = logic.neighbourhood(session, person_id, now)
        people = logic.cards(session, near.first | near.second)
        metrics = logic.standings(session, near.first)
        mine = near.weights.get(person_id, {})
        ties = [
            pictures.EgoTie(
                people[c].name,
                people[c].function,
                people[c].division,
                mine[c],
                c in metrics and metrics[c].brokerage_percentile >= 0.9,
            )
            for c in near.first
            if c in people
        ]
        snapshot = logic.latest_snapshot(session)
        subtitle = (
            f"{len(ties)} ties; {len(near.second)} people two steps away; {_computed(snapshot)}"
        )
        return _svg(
            pictures.ego_map(
                me.name, me.function, ties, logic.people_in_reach(near, people), subtitle
            )
        )


@blp.route("/skills/<string:skill>/landscape", parameters=[SKILL_PARAMETER])
class Landscape(MethodView):
    """Where a skill lives."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, LandscapeSchema)
    @blp.paginate()
    def get(self, skill, pagination_parameters):
        """Map a skill across teams

        The teams that hold or are learning the skill, the most people involved first:
        experts (level 4–5), practitioners (2–3) and explorers (level 1, on their learning
        list or targeted by an active goal). Only teams of at least the anonymity threshold
        (5 people) are shown. For a member, each team comes with the warmest path (at most
        three hops) to someone in it who works with the skill. Pages count teams.
        """
        found, total = logic.skill_landscape(
            db.session(),
            current_caller(),
            skill,
            clock.now(),
            min_group=_min_group(),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return found


def _analyst_page(read: Callable[..., tuple], args: dict, pagination_parameters) -> list:
    """One page of an analyst view: ``read(session, filters, offset=, limit=)`` gives it.

    Reading a view may schedule a recompute of the metrics in the background.
    """
    session = db.session()
    refresh.maybe_schedule(session)
    items, total, _ = read(
        session,
        logic.Filters(**args),
        offset=pagination_parameters.first_item,
        limit=pagination_parameters.page_size,
    )
    pagination_parameters.item_count = total
    return items


def _ranked(measure: str, args: dict, pagination_parameters) -> list:
    """One page of active people ranked by ``measure``."""

    def read(session, filters, **page):
        return logic.ranked_people(session, measure, filters, **page)

    return _analyst_page(read, args, pagination_parameters)


@blp.route("/network/influencers")
class Influencers(MethodView):
    """The most influential people."""

    @roles(Role.ADMIN)
    @blp.arguments(AnalystFiltersSchema, location="query")
    @blp.response(200, RankedPersonSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List the influencers

        Active people by influence (weighted PageRank over every tie), highest first, with
        all their measures, filtered by function and division.
        """
        return _ranked("influence", args, pagination_parameters)


@blp.route("/network/brokers")
class Brokers(MethodView):
    """The people who bridge divisions."""

    @roles(Role.ADMIN)
    @blp.arguments(AnalystFiltersSchema, location="query")
    @blp.response(200, RankedPersonSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List the brokers

        Active people whose informal ties reach at least one other division, by betweenness
        (highest first), with Burt's constraint and effective size, filtered by function and
        division.
        """
        return _ranked("betweenness", args, pagination_parameters)


@blp.route("/network/communities")
class Communities(MethodView):
    """Communities of the informal network."""

    @roles(Role.ADMIN)
    @blp.arguments(AnalystFiltersSchema, location="query")
    @blp.response(200, CommunitySchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List the communities

        Louvain communities of the weighted informal ties (interactions and mentorships),
        largest first, as aggregates: size, internal ties, people by function and division.
        Communities, and parts of a breakdown, smaller than the anonymity threshold (5) are
        not shown. A filter keeps the communities with at least that many people of the
        function or division.
        """
        minimum = _min_group()

        def read(session, filters, **page):
            return logic.community_list(session, filters, minimum, **page)

        return _analyst_page(read, args, pagination_parameters)


@blp.route("/network/divisions")
class Divisions(MethodView):
    """The division tie matrix."""

    @roles(Role.ADMIN)
    @blp.arguments(AnalystFiltersSchema, location="query")
    @blp.response(200, DivisionRowSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Read the division tie matrix

        One row per division: its informal ties inside and to every other division, and the
        share of its tie strength that stays inside (the silo index). With `function`, the
        matrix of that function's people only. Divisions with fewer people than the
        anonymity threshold (5) are left out.
        """
        minimum = _min_group()

        def read(session, filters, **page):
            return logic.division_rows(session, filters, minimum, **page)

        return _analyst_page(read, args, pagination_parameters)


@blp.route("/network/divisions.svg")
class DivisionsPicture(MethodView):
    """The division tie matrix as a heat map."""

    @roles(Role.ADMIN)
    @blp.arguments(AnalystFiltersSchema, location="query")
    @blp.response(
        200,
        {"type": "string", "example": SVG_EXAMPLE},
        content_type=SVG,
        description="The heat map, as SVG.",
    )
    def get(self, args):
        """Draw the division tie matrix

        A heat map: row i shows how division i's tie strength spreads over the divisions (the
        diagonal, outlined, is what stays inside). Divisions smaller than the anonymity
        threshold are hidden. `function` draws that function's people only; `division` is
        ignored.
        """
        snapshot = logic.require_snapshot(db.session())
        matrix = logic.division_matrix(snapshot, args.get("function"))
        names = matrix.get("divisions", [])
        people = matrix.get("people", [])
        visible = [i for i, _ in enumerate(names) if people[i] >= _min_group()]
        strength = [[matrix["strength"][i][j] for j in visible] for i in visible]
        subtitle = f"{snapshot.people} people, {snapshot.ties} ties; {_computed(snapshot)}" + (
            f"; {args['function']} only" if args.get("function") else ""
        )
        return _svg(
            pictures.division_heat_map(
                [names[i] for i in visible],
                [people[i] for i in visible],
                strength,
                len(names) - len(visible),
                subtitle,
            )
        )
