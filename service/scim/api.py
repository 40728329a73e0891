"""The SCIM 2.0 service provider at ``/scim/v2`` (RFC 7643/7644), for identity providers.

``Users`` are the people of the directory (see :mod:`service.scim.mapping` for which attribute
is which field). Supported: create, read, replace (PUT), PATCH
(add, replace, remove; any case; path-less operations), deactivation by DELETE, list and
filter in SQL with index paging, ``.search``, ``attributes``/``excludedAttributes``, and the
discovery endpoints. Not supported, and said so in ServiceProviderConfig: Bulk, sorting,
ETags (If-Match), password changes and cursor paging; there are no Groups.

Every answer is ``application/scim+json``; bodies may be sent as ``application/scim+json``
or ``application/json``. Only ``admin`` and ``integration`` tokens may call it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView
from scim2_models import Context, ForbiddenException, NotFoundException
from werkzeug.routing import BaseConverter

from service import db, urls
from service.auth import Role, roles
from service.people.models import FUNCTIONS
from service.rest import Blueprint, bad_text, no_content
from service.scim import discovery, errors, logic, mapping, messages, schemas
from service.scim.resources import CONTENT_TYPE, LEVELS

SCIM_ROLES = (Role.ADMIN, Role.INTEGRATION)
# The problem+json answers documented for every view (401, 403, default) are SCIM errors here.
_REPLACED = ("401", "403", 401, 403, "default")


def scim_errors(*statuses: int):
    """Document the SCIM errors a view may answer, besides 401, 403 and the default."""

    def decorator(func):
        doc = dict(getattr(func, "_apidoc", {}))
        doc["scim_errors"] = statuses
        func._apidoc = doc
        return func

    return decorator


class ScimBlueprint(Blueprint):
    """A blueprint whose errors are SCIM errors, in the answers and in the spec."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_scim_errors_doc)
        for exception, handler in errors.HANDLERS:
            self.register_error_handler(exception, handler)
        self.record_once(_configure)

    @staticmethod
    def _prepare_scim_errors_doc(doc, doc_info, **_kwargs):
        responses = doc.setdefault("responses", {})
        # The 404 and 503 every blueprint documents are SCIM errors here too.
        generic = {int(status) for status in responses if str(status) in ("404", "503")}
        for status in (*_REPLACED, 404, 503, "404", "503"):
            responses.pop(status, None)
        for status in sorted({*doc_info.get("scim_errors", ()), *generic, 401, 403}):
            responses[str(status)] = schemas.error_response(*schemas.ERRORS[status])
        responses["default"] = schemas.error_response(*schemas.DEFAULT_ERROR)
        return doc


class ScimIdConverter(BaseConverter):
    """A user id in a SCIM path: never starting with a dot, so that `/Users/.search` is not one."""

    regex = r"[^/.][^/]*"


def _configure(state: Any) -> None:
    """Read the SCIM settings, and answer unrouted SCIM paths with SCIM errors."""
    state.app.url_map.converters["scim_id"] = ScimIdConverter
    config = state.app.config
    if config["SCIM_DEFAULT_FUNCTION"] not in FUNCTIONS:
        raise ValueError(
            f"RAPPORT_SCIM_DEFAULT_FUNCTION must be one of {', '.join(FUNCTIONS)}, "
            f"not {config['SCIM_DEFAULT_FUNCTION']!r}."
        )
    if not LEVELS[0] <= config["SCIM_DEFAULT_LEVEL"] <= LEVELS[1]:
        raise ValueError(f"RAPPORT_SCIM_DEFAULT_LEVEL must be from {LEVELS[0]} to {LEVELS[1]}.")
    state.app.before_request(errors.answer_routing_errors)


blp = ScimBlueprint(
    "scim",
    __name__,
    url_prefix=errors.PREFIX,
    description="SCIM 2.0 (RFC 7643/7644) for identity providers: users are people. Answers "
    "and errors are application/scim+json; admin and integration tokens only.",
)

_EXAMPLES = schemas.discovery_examples()


def _base_url() -> str:
    return urls.absolute(errors.PREFIX)


def _location(person_id: str) -> str:
    return f"{_base_url()}/Users/{person_id}"


def _defaults() -> mapping.Defaults:
    config = current_app.config
    return mapping.Defaults(config["SCIM_DEFAULT_FUNCTION"], config["SCIM_DEFAULT_LEVEL"])


def _schemas() -> list[dict]:
    config = current_app.config
    return discovery.schemas(
        _base_url(), config["SCIM_DEFAULT_FUNCTION"], config["SCIM_DEFAULT_LEVEL"]
    )


def _refuse_filters() -> None:
    # RFC 7644 §4: a filter on a discovery endpoint is refused, lest a client trust it.
    if "filter" in request.args:
        raise ForbiddenException(
            detail="Discovery documents cannot be filtered (RFC 7644 §4); read them whole."
        )


def _person(person_id: str) -> Any:
    # An id no database can hold (U+0000) names nobody.
    if bad_text(person_id):
        raise NotFoundException(detail="No person has this id.")
    return logic.get_user(db.session(), person_id)


def _user(person: Any, context: Context, parameters: Any = None) -> dict:
    return messages.user_document(mapping.to_user(person, _location), context, parameters)


@blp.route("/ServiceProviderConfig")
class ServiceProviderConfigView(MethodView):
    """What the service supports."""

    @roles(*SCIM_ROLES)
    @blp.response(
        200,
        schemas.document_schema("A ServiceProviderConfig (RFC 7643 §5)."),
        content_type=CONTENT_TYPE,
        example=_EXAMPLES["config"],
    )
    def get(self):
        """Describe the SCIM service

        PATCH and filters (at most 200 results a page) are supported; Bulk, sorting, ETags,
        password changes and cursor paging are not.
        """
        document = discovery.service_provider_config(
            _base_url(),
            urls.absolute("/docs"),
            current_app.config.get("MAX_CONTENT_LENGTH") or 0,
        )
        return messages.scim_response(document)


@blp.route("/ResourceTypes")
class ResourceTypes(MethodView):
    """The resource types served."""

    @roles(*SCIM_ROLES)
    @blp.response(
        200,
        schemas.document_schema("A ListResponse of ResourceTypes (RFC 7643 §6)."),
        content_type=CONTENT_TYPE,
        example=_EXAMPLES["resource_types"],
    )
    def get(self):
        """List the resource types

        One: `User`, with the enterprise and Rapport extensions (both optional). A `filter`
        is refused with 403, as RFC 7644 §4 asks.
        """
        _refuse_filters()
        return messages.scim_response(discovery.listed(discovery.resource_types(_base_url())))


@blp.route(
    "/ResourceTypes/<string:resource_type>",
    parameters=[
        {
            "in": "path",
            "name": "resource_type",
            "required": True,
            "description": "The name of a resource type.",
            "schema": {"type": "string", "minLength": 1},
            "example": "User",
        }
    ],
)
class ResourceTypeByName(MethodView):
    """One resource type."""

    @roles(*SCIM_ROLES)
    @scim_errors(404)
    @blp.response(
        200,
        schemas.document_schema("A ResourceType (RFC 7643 §6)."),
        content_type=CONTENT_TYPE,
        example=_EXAMPLES["resource_type"],
    )
    def get(self, resource_type):
        """Read a resource type

        `User` is the only one.
        """
        found = discovery.find(discovery.resource_types(_base_url()), "name", resource_type)
        if found is None:
            raise NotFoundException(detail=f"No resource type is named {resource_type!r}.")
        return messages.scim_response(found)


@blp.route("/Schemas")
class Schemas(MethodView):
    """The schemas of the resources served."""

    @roles(*SCIM_ROLES)
    @blp.response(
        200,
        schemas.document_schema("A ListResponse of Schemas (RFC 7643 §7)."),
        content_type=CONTENT_TYPE,
        example=_EXAMPLES["schemas"],
    )
    def get(self):
        """List the schemas

        The core User schema and the enterprise extension, narrowed to the attributes Rapport
        keeps, and Rapport's extension (`function`, `level`) with its defaults. A `filter` is
        refused with 403, as RFC 7644 §4 asks.
        """
        _refuse_filters()
        return messages.scim_response(discovery.listed(_schemas()))


@blp.route(
    "/Schemas/<string:schema_urn>",
    parameters=[
        {
            "in": "path",
            "name": "schema_urn",
            "required": True,
            "description": "The URN of a schema.",
            "schema": {"type": "string", "minLength": 1},
            "example": "urn:ietf:params:scim:schemas:extension:rapport:2.0:User",
        }
    ],
)
class SchemaByUrn(MethodView):
    """One schema."""

    @roles(*SCIM_ROLES)
    @scim_errors(404)
    @blp.response(
        200,
        schemas.document_schema("A Schema (RFC 7643 §7)."),
        content_type=CONTENT_TYPE,
        example=_EXAMPLES["schema"],
    )
    def get(self, schema_urn):
        """Read a schema

        The core User schema, the enterprise extension or Rapport's extension.
        """
        found = discovery.find(_schemas(), "id", schema_urn)
        if found is None:
            raise NotFoundException(detail=f"No schema has the URN {schema_urn!r}.")
        return messages.scim_response(found)


def _page(search: Any):
    start, count = messages.page_of(search)
    people, total = logic.find_users(db.session(), search.filter, start=start, count=count)
    users = [mapping.to_user(person, _location) for person in people]
    return messages.scim_response(messages.list_document(users, total, start, search))


@blp.route("/Users")
class Users(MethodView):
    """The users: the people of the directory."""

    @roles(*SCIM_ROLES)
    @scim_errors(400)
    @blp.doc(parameters=schemas.LIST_PARAMETERS)
    @blp.response(
        200, schemas.ScimUserListSchema, content_type=CONTENT_TYPE, example=schemas.LIST_EXAMPLE
    )
    def get(self):
        """List or find users

        Filters (RFC 7644 §3.4.2.2) run in the database: `eq ne co sw ew pr gt ge lt le`,
        `and or not`, value paths (`emails[type eq "work"]`); strings compare without case
        unless case-exact (`id`, `externalId`, `manager.value`). An attribute Rapport does
        not keep is refused with 400 invalidFilter. Users come in id order (stable);
        `startIndex` is 1-based, `count` at most 200. Inactive (and deleted) users are
        listed: filter with `active eq true` to leave them out.
        """
        return _page(messages.search_from_query())

    @roles(*SCIM_ROLES)
    @scim_errors(400, 409, 413, 415)
    @blp.doc(
        parameters=schemas.ATTRIBUTE_PARAMETERS,
        requestBody=schemas.request_body(schemas.ScimUserRequestSchema, schemas.NEW_USER_EXAMPLE),
    )
    @blp.response(
        201,
        schemas.ScimUserSchema,
        content_type=CONTENT_TYPE,
        example=schemas.USER_EXAMPLE,
        headers=schemas.LOCATION_HEADER,
    )
    def post(self):
        """Create a user

        `userName` is the person's work email when it is an email address; otherwise it is
        kept as given and the work email comes from `emails` (primary, else type work). 409
        uniqueness when someone has the userName or the email (whatever their case), the
        `externalId` (the identity provider's id) or the enterprise `employeeNumber` (the HR
        employee id). The name is `name.formatted`, else `givenName` and `familyName`, else
        `displayName`, else the userName; the given and family names are kept. A manager
        not provisioned yet (named by id, employeeNumber, externalId or email) is kept and
        resolved when they arrive. Without Rapport's extension the function is derived from
        the department, division or title, else the default (`engineering` unless
        configured), and the level is the default (2): see /Schemas. Other core and
        enterprise attributes are accepted and not kept.
        """
        parameters = messages.response_parameters()
        user = messages.read_user(Context.RESOURCE_CREATION_REQUEST)
        session = db.session()
        person = logic.create_user(session, user, _defaults())
        session.commit()
        document = _user(person, Context.RESOURCE_CREATION_RESPONSE, parameters)
        return messages.scim_response(document, 201, {"Location": _location(person.id)})


@blp.route("/Users/.search")
class UserSearch(MethodView):
    """Searching users by POST."""

    @roles(*SCIM_ROLES)
    @scim_errors(400, 413, 415)
    @blp.doc(
        requestBody=schemas.request_body(schemas.ScimSearchRequestSchema, schemas.SEARCH_EXAMPLE)
    )
    @blp.response(
        200, schemas.ScimUserListSchema, content_type=CONTENT_TYPE, example=schemas.LIST_EXAMPLE
    )
    def post(self):
        """Search users

        The same search as `GET /Users`, with the parameters in a SearchRequest body (so that
        filters stay out of URLs and logs). Sorting is not supported.
        """
        return _page(messages.search_from_body())


@blp.route("/Users/<scim_id:person_id>")
class UserById(MethodView):
    """One user."""

    @roles(*SCIM_ROLES)
    @scim_errors(400, 404)
    @blp.doc(parameters=schemas.ATTRIBUTE_PARAMETERS)
    @blp.response(
        200, schemas.ScimUserSchema, content_type=CONTENT_TYPE, example=schemas.USER_EXAMPLE
    )
    def get(self, person_id):
        """Read a user

        An inactive user, deactivated or deleted, is read like any other (`active: false`):
        people are never erased.
        """
        person = _person(person_id)
        parameters = messages.response_parameters()
        return messages.scim_response(_user(person, Context.RESOURCE_QUERY_RESPONSE, parameters))

    @roles(*SCIM_ROLES)
    @scim_errors(400, 404, 409, 413, 415)
    @blp.doc(
        parameters=schemas.ATTRIBUTE_PARAMETERS,
        requestBody=schemas.request_body(schemas.ScimUserRequestSchema, schemas.NEW_USER_EXAMPLE),
    )
    @blp.response(
        200, schemas.ScimUserSchema, content_type=CONTENT_TYPE, example=schemas.USER_EXAMPLE
    )
    def put(self, person_id):
        """Replace a user

        Core attributes left out are cleared (`title`, `externalId`), but the name and
        `active` are kept; an extension left out entirely is not asserted and keeps its
        values, and so do Rapport's `function` and `level` when left out. Rapport's other
        fields (skills, mentoring…) are never touched.
        """
        person = _person(person_id)
        parameters = messages.response_parameters()
        user = messages.read_user(Context.RESOURCE_REPLACEMENT_REQUEST)
        session = db.session()
        logic.replace_user(session, person, user)
        session.commit()
        return messages.scim_response(
            _user(person, Context.RESOURCE_REPLACEMENT_RESPONSE, parameters)
        )

    @roles(*SCIM_ROLES)
    @scim_errors(400, 404, 409, 413, 415)
    @blp.doc(
        parameters=schemas.ATTRIBUTE_PARAMETERS,
        requestBody=schemas.request_body(
            schemas.ScimPatchOpSchema, examples=schemas.PATCH_EXAMPLES
        ),
    )
    @blp.response(
        200, schemas.ScimUserSchema, content_type=CONTENT_TYPE, example=schemas.USER_EXAMPLE
    )
    def patch(self, person_id):
        """Change a user

        `add`, `replace` and `remove`, in any case, applied in order and all or none; with a
        path (value paths such as `emails[type eq "work"].value` included) or without one
        (Okta's `{"op": "replace", "value": {"active": false}}`). `"True"`/`"False"` strings
        are read as booleans where a boolean is written (Microsoft Entra). An unknown path is
        400 invalidPath; removing `active`, `function` or `level` is 400 invalidValue.
        Deactivation (`active: false`) keeps the user readable.
        """
        person = _person(person_id)
        parameters = messages.response_parameters()
        patch = messages.read_patch()
        session = db.session()
        logic.patch_user(session, person, patch, _location)
        session.commit()
        return messages.scim_response(_user(person, Context.RESOURCE_PATCH_RESPONSE, parameters))

    @roles(*SCIM_ROLES)
    @scim_errors(404)
    @blp.response(204, description="Deactivated.")
    def delete(self, person_id):
        """Delete (deactivate) a user

        People are never erased: the person becomes `active: false`, stays readable and
        listed (RFC 7644 §3.6 would have them answer 404; Rapport keeps them so that an
        identity provider that provisions the same person again finds and re-activates them
        rather than failing on the taken userName). Okta and Microsoft Entra deactivate with
        PATCH `active: false` anyway.
        """
        session = db.session()
        person = _person(person_id)
        logic.deactivate_user(session, person)
        session.commit()
        return no_content()
