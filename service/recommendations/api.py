"""`GET /v1/people/{person_id}/recommendations`."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import clock, db
from service.auth import Role, current_caller, roles
from service.dismissals.logic import dismissed_ids
from service.outcomes.logic import record_impression
from service.recommendations import logic
from service.recommendations.schemas import RecommendationListSchema, RecommendationQueryArgsSchema
from service.rest import Blueprint
from service.weights.logic import current as current_weights

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/v1/people",
    description="Whom to meet: mentors, reverse mentors and cross-functional contacts, explained.",
)


def recommendation_index() -> logic.RecommendationIndex:
    """Return this process's recommendation index."""
    return current_app.extensions["rapport.recommendations"]


@blp.route("/<string:person_id>/recommendations")
class Recommendations(MethodView):
    """Recommendations for one person."""

    @roles(Role.ADMIN, Role.MEMBER)
    @blp.arguments(RecommendationQueryArgsSchema, location="query")
    @blp.response(200, RecommendationListSchema)
    def get(self, args, person_id):
        """Recommend people to meet

        Every eligible person is scored (no sampling): skill fit weighted so that rare
        expertise counts more, goal alignment, seniority fit for the purpose, perspective
        diversity, network novelty, mutual benefit and availability, each in [0, 1]. Never
        recommended: the person, inactive people, their manager chain, their current mentors,
        mentors at capacity, anyone of the wrong seniority or function for the purpose, and
        whom the person dismissed. The list names the `weights_version` that ranked it, and
        is kept as an impression so that what follows can be learnt from.
        A member token asks only for its own person.
        """
        session, now = db.session(), clock.now()
        query = logic.Query(person_id=person_id, **args)
        weights = current_weights(session)
        served = logic.recommend(
            session,
            recommendation_index(),
            current_caller(),
            query,
            exclude=dismissed_ids(session, person_id, query.purpose, now),
            weights=weights.weights,
        )
        served["weights_version"] = weights.version
        record_impression(session, served, weights.version, now)
        session.commit()
        return served
