"""`/v1/matching/weights`: versioned weights, their evaluations, adoption and roll-back."""

from __future__ import annotations

from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.rest import Blueprint
from service.weights import logic
from service.weights.schemas import WeightSetSchema, WeightsOverviewSchema

blp = Blueprint(
    "weights",
    __name__,
    url_prefix="/v1/matching/weights",
    description="The matching weights: learnt from outcomes, evaluated, adopted or rolled back.",
)


@blp.route("")
class Weights(MethodView):
    """The weights."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, WeightsOverviewSchema)
    def get(self):
        """Read the weights

        The current weight set, the learnt candidates never adopted (each with its
        evaluation), and the history of adoptions and roll-backs. Every recommendation list
        names the `weights_version` it was ranked with.
        """
        return logic.overview(db.session())


@blp.route("/current/rollback")
class WeightsRollback(MethodView):
    """Rolling back the weights."""

    @roles(Role.ADMIN)
    @blp.response(200, WeightSetSchema)
    def post(self):
        """Roll back the weights

        Return to the weights that were current before the current ones were adopted. 409
        when the built-in weights are current.
        """
        session = db.session()
        logic.roll_back(session, current_caller().name, clock.now())
        session.commit()
        return logic.overview(session)["current"]


@blp.route("/<string:weights_id>")
class WeightSetById(MethodView):
    """One weight set."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.response(200, WeightSetSchema)
    def get(self, weights_id):
        """Read a weight set

        `default` is the engine's built-in weights (version 0).
        """
        session = db.session()
        return logic.shown(logic.get_set(session, weights_id), logic.current_version(session))


@blp.route("/<string:weights_id>/adopt")
class WeightSetAdopt(MethodView):
    """Adopting a weight set."""

    @roles(Role.ADMIN)
    @blp.response(200, WeightSetSchema)
    def post(self, weights_id):
        """Adopt a weight set

        Recommendations use it from the next request on, whether or not the learning
        recommended it (its evaluation says how it fared). `default` returns to the built-in
        weights. 409 when it is already current.
        """
        session = db.session()
        logic.adopt(session, weights_id, current_caller().name, clock.now())
        session.commit()
        return logic.overview(session)["current"]
