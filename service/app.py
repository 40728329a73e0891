"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, redirect, request
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.middleware.proxy_fix import ProxyFix

from service import auth, clock, errors, examples, logs, metrics, ratelimits, security, tasks
from service.config import from_environment
from service.db import Database
from service.recommendations.logic import RecommendationIndex
from service.rest import SECURITY_SCHEME, Api
from service.webhooks import events as webhook_events


def _blueprints() -> tuple:
    from service.audit.api import blp as audit
    from service.calendars.api import blp as calendars
    from service.dismissals.api import blp as dismissals
    from service.events.api import blp as events
    from service.events.api import prompts_blp as bingo_prompts
    from service.feedback.api import blp as feedback
    from service.goals.api import blp as goals
    from service.health.api import blp as health
    from service.imports.api import blp as imports
    from service.interactions.api import blp as interactions
    from service.jobs.api import blp as jobs
    from service.mentorships.api import blp as mentorships
    from service.network.api import blp as network
    from service.people.api import blp as people
    from service.programmes.api import blp as programmes
    from service.programmes.api import intros
    from service.recommendations.api import blp as recommendations
    from service.relationships.api import blp as relationships
    from service.scim.api import blp as scim
    from service.skills.api import blp as skills
    from service.tokens.api import blp as tokens
    from service.tokens.api import login_blp as login
    from service.webhooks.api import blp as webhooks
    from service.weights.api import blp as weights

    return (
        health,
        people,
        recommendations,
        relationships,
        skills,
        goals,
        interactions,
        mentorships,
        imports,
        scim,
        tokens,
        login,
        audit,
        jobs,
        webhooks,
        calendars,
        programmes,
        intros,
        events,
        bingo_prompts,
        dismissals,
        feedback,
        weights,
        network,
    )


DESCRIPTION = """
**Start here.** (1) Get a token: `make run` prints an admin token (elsewhere, `rapport tokens
create --role admin --name me` prints one as its last line). Click **Authorize** and paste
it. (2) A first call: `GET /v1/people` lists the directory. (3) Then
`GET /v1/people/{{person_id}}/recommendations`: whom that person should meet, and why. The
examples use ids of the `make run` demo company (Inês Kowalski, `{person}`), so "Try it
out" works there as it is; elsewhere, take ids from the lists.

Rapport helps the people of a company build a deliberate professional network: whom to learn
from (a mentor), who can teach them the technology they missed (a reverse mentor), whom to
know outside their own function, and whether they keep up with the people they already know.

**Authentication.** Every endpoint but `/health`, `/ready` and the documentation needs
`Authorization: Bearer <token>`. Roles: {roles}.

**Errors** are `application/problem+json` (RFC 9457). Their `type` is one of:
{problems}

**Lists** are paginated with `page` and `page_size` (at most 100); the `X-Pagination` header
holds the counts and the `Link` header the neighbouring pages.

**Concurrency.** Single resources carry an `ETag`; `PATCH`, `PUT` and `DELETE` need
`If-Match` with it (428 without, 412 when stale).
"""


def _description() -> str:
    roles = "; ".join(f"`{role.value}`: {text}" for role, text in auth.ROLE_DESCRIPTIONS.items())
    problems = "\n".join(
        f"- `{errors.problem_type(slug)}` ({status}): {detail}"
        for slug, (status, _title, detail) in errors.PROBLEM_TYPES.items()
    )
    return DESCRIPTION.format(roles=roles, problems=problems, person=examples.PERSON).strip()


def _spec_options() -> dict[str, Any]:
    return {
        "info": {"description": _description(), "contact": {"name": "Rapport"}},
        "components": {
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `rapport tokens create` or `POST /v1/tokens`.",
                }
            }
        },
        "security": [{SECURITY_SCHEME: []}],
        # Relative: the server that serves this document, wherever it runs.
        "servers": [{"url": "/", "description": "The server that serves this document."}],
    }


def _check_request_body() -> None:
    if request.method not in ("POST", "PUT", "PATCH") or request.endpoint is None:
        return
    handler = auth.view_handler(current_app.view_functions[request.endpoint], request.method)
    # A view that reads large files raises the size limit before anyone reads the body.
    limit = getattr(handler, "rapport_body_limit", None)
    if limit is not None:
        request.max_content_length = current_app.config[limit]
    if not request.content_length:
        return
    # A body sent in another format would otherwise read as "missing" and get a confusing 422.
    accepted = getattr(handler, "rapport_consumes", None)
    sent = request.mimetype or "untyped"
    if accepted is None and not request.is_json:
        raise UnsupportedMediaType(f"Send the body as application/json, not {sent}.")
    if accepted is not None and request.mimetype not in accepted:
        raise UnsupportedMediaType(f"Send the body as {' or '.join(sorted(accepted))}, not {sent}.")


@auth.public
def _home() -> Any:
    """`GET /`: a newcomer landing on the bare address is sent to the docs explorer."""
    return redirect(current_app.config["OPENAPI_SWAGGER_UI_PATH"], code=302)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create a Rapport application; ``config`` overrides the environment (as in tests)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(from_environment(app.instance_path))
    app.config["API_SPEC_OPTIONS"] = _spec_options()
    if config:
        app.config.update(config)

    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    logs.init_app(app)
    metrics.init_app(app)
    clock.init_app(app)
    Database(app.config["DATABASE_URL"], echo=app.config["DATABASE_ECHO"]).init_app(app)
    tasks.init_app(app)
    webhook_events.listen()
    api = Api(app)
    errors.init_app(app)
    ratelimits.init_app(app)
    auth.init_app(app)
    app.before_request(_check_request_body)
    security.init_app(app)
    for blueprint in _blueprints():
        api.register_blueprint(blueprint)
    app.extensions["rapport.api"] = api
    app.add_url_rule("/", "home", _home, methods=["GET"])
    app.extensions["rapport.recommendations"] = RecommendationIndex(
        refresh_after=app.config["RECOMMENDATION_REFRESH_HOURS"] * 3600
    )
    return app
