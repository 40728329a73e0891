"""What every blueprint shares: the Api, a Blueprint that links pages, problem documents, ETags."""

from __future__ import annotations

import http
import json
import re
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin as ApispecMarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from flask import Response, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.pagination import PaginationParameters
from flask_smorest.utils import deepupdate, prepare_response
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import PreconditionRequired

from service import errors, examples, urls
from service.fields import TEXT

SECURITY_SCHEME = "bearerAuth"


class ProblemErrorSchema(ma.Schema):
    """One invalid field or parameter of a validation error."""

    pointer = ma.fields.String(
        metadata={
            "description": "JSON pointer to the invalid body member.",
            "example": "/skills/0/level",
        }
    )
    parameter = ma.fields.String(
        metadata={
            "description": "Name of the invalid query, path or header parameter.",
            "example": "min_level",
        }
    )
    in_ = ma.fields.String(
        data_key="in",
        metadata={"description": "Where the invalid parameter was sent.", "example": "query"},
    )
    detail = ma.fields.String(
        required=True,
        metadata={"description": "What is wrong with it.", "example": "Must be between 1 and 5."},
    )


class ProblemSchema(ma.Schema):
    """An error, as RFC 9457 problem details."""

    class Meta:
        # RFC 9457 lets a kind of problem carry extension members of its own (an import's
        # `report`, say); clients ignore those they do not know.
        unknown = ma.INCLUDE

    type = ma.fields.String(
        required=True,
        metadata={
            "description": "A stable URI naming the kind of error; see the list in the API "
            "description.",
            "example": "urn:rapport:problem:validation-error",
        },
    )
    title = ma.fields.String(
        required=True,
        metadata={
            "description": "A short summary of the kind of error.",
            "example": "Validation error",
        },
    )
    status = ma.fields.Integer(
        required=True, metadata={"description": "The HTTP status code.", "example": 422}
    )
    detail = ma.fields.String(
        required=True,
        metadata={
            "description": "What went wrong with this request.",
            "example": "level: Must be between 1 and 8.",
        },
    )
    instance = ma.fields.String(
        metadata={"description": "The path of the request.", "example": "/v1/people"}
    )
    request_id = ma.fields.String(
        metadata={
            "description": "The request id, also sent as `X-Request-ID`.",
            "example": "5b1f0e3c9d2a4e6f",
        }
    )
    errors = ma.fields.List(
        ma.fields.Nested(ProblemErrorSchema),
        metadata={"description": "Each invalid field or parameter (validation errors only)."},
    )
    skill_id = ma.fields.String(
        metadata={
            "description": "The skill that already holds a name (409 on skills).",
            "example": examples.SKILL,
        }
    )
    person_id = ma.fields.String(
        metadata={
            "description": "The person who already holds an email or external id (409 on people).",
            "example": examples.PERSON,
        }
    )


def text_pattern(_converter: Any, field: ma.fields.Field, ret: dict, **_kwargs: Any) -> dict:
    """Document on every free-form string the API reads that it cannot hold U+0000.

    Problem documents are only written, and may quote what was refused: they are left out.
    """
    if isinstance(field.parent, ProblemSchema | ProblemErrorSchema):
        return {}
    types = ret.get("type")
    is_string = types == "string" or (isinstance(types, list) and "string" in types)
    if not is_string or any(key in ret for key in ("pattern", "enum", "format")):
        return {}
    return {"pattern": TEXT}


def bad_text(value: str) -> bool:
    """True for a string no database can store: with U+0000, or with an unpaired surrogate."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


BAD_TEXT = "Must be Unicode text without U+0000."


def _bad_text_messages(value: Any) -> Any:
    """Return marshmallow-style messages naming every bad string in a JSON document, or None."""
    if isinstance(value, str):
        return [BAD_TEXT] if bad_text(value) else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    found = {}
    for key, child in items:
        messages = [BAD_TEXT] if isinstance(key, str) and bad_text(key) else None
        messages = messages or _bad_text_messages(child)
        if messages:
            found[key] = messages
    return found or None


def schema_name(schema: type[ma.Schema] | ma.Schema) -> str:
    """Name a schema in the spec: ``PersonSchema`` is ``Person``, PATCH form ``PersonPatch``."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if isinstance(schema, ma.Schema) and schema.partial:
        name += "Patch"
    return name


class MarshmallowPlugin(ApispecMarshmallowPlugin):
    """apispec's marshmallow plugin, adding the rules across fields a schema states.

    A schema's ``Meta.json_schema`` (``if``/``then``/``else``, say) is merged into its JSON
    Schema, so that the spec says what the schema's validators refuse.
    """

    def operation_helper(self, path=None, operations=None, **kwargs: Any) -> None:
        """Document the headers every answer carries: `X-Request-ID`; a 201's `Location`; and
        `Idempotent-Replayed` where an `Idempotency-Key` is taken."""
        super().operation_helper(path=path, operations=operations, **kwargs)
        for method, operation in (operations or {}).items():
            if method == "parameters":
                continue
            replayable = any(
                isinstance(p, dict) and p.get("name") == "Idempotency-Key"
                for p in operation.get("parameters", [])
            )
            for status, response in operation.get("responses", {}).items():
                if not isinstance(response, dict) or "$ref" in response:
                    continue
                headers = response.setdefault("headers", {})
                headers.setdefault("X-Request-ID", header_ref("X_REQUEST_ID"))
                if str(status) == "201":
                    headers.setdefault("Location", header_ref("LOCATION"))
                if replayable and str(status).startswith("2"):
                    headers.setdefault("Idempotent-Replayed", header_ref("IDEMPOTENT_REPLAYED"))

    def schema_helper(self, name: str, _: Any, schema: Any = None, **kwargs: Any) -> Any:  # noqa: D102
        json_schema = super().schema_helper(name, _, schema=schema, **kwargs)
        if json_schema is None:
            return None
        meta = getattr(resolve_schema_instance(schema), "Meta", None)
        return {**json_schema, **getattr(meta, "json_schema", {})}


class Api(SmorestApi):
    """flask-smorest's Api, answering errors with problem+json and documenting them so."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None) -> None:
        super().__init__(
            app,
            spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)},
        )

    def handle_http_exception(self, error):  # noqa: D102 - inherited meaning
        return errors.handle_http_exception(error)

    def _init_spec(self, **kwargs: Any) -> None:
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(text_pattern)
        for name, header in RESPONSE_HEADERS.items():
            self.spec.components.header(name, dict(header))

    def _register_responses(self):
        for status in http.HTTPStatus:
            response: dict[str, Any] = {
                "description": status.phrase,
                "headers": {"X-Request-ID": header_ref("X_REQUEST_ID")},
            }
            if status >= 400:
                response["schema"] = ProblemSchema
                example = problem_example(status)
                if example is not None:
                    response["example"] = example
                prepare_response(response, self.spec, errors.PROBLEM_CONTENT_TYPE)
            if status in (429, 503):
                response["headers"]["Retry-After"] = header_ref("RETRY_AFTER")
            self.spec.components.response(status.name, response, lazy=True)
        default = {
            "description": "An error, as problem details (RFC 9457).",
            "schema": ProblemSchema,
            "headers": {"X-Request-ID": header_ref("X_REQUEST_ID")},
        }
        prepare_response(default, self.spec, errors.PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)

    def _register_etag_headers(self):
        self.spec.components.parameter(
            "IF_NONE_MATCH", "header", dict(IF_NONE_MATCH_HEADER), lazy=True
        )
        self.spec.components.parameter("IF_MATCH", "header", dict(IF_MATCH_HEADER), lazy=True)
        self.spec.components.header("ETAG", dict(ETAG_HEADER), lazy=True)

    def _register_pagination_header(self):
        # The value is a JSON document, so it is described by `content`, not `schema`: a header
        # `schema` of type object means the `simple` style (`total,42,page,1`), which it is not.
        # Its example therefore belongs to the media type (OpenAPI 3.1 allows none beside
        # `content`).
        example = {
            "total": 42,
            "total_pages": 3,
            "first_page": 1,
            "last_page": 3,
            "page": 1,
            "next_page": 2,
        }
        header = {
            "description": "Counts of the paginated list, as JSON.",
            "content": {
                "application/json": {"schema": PaginationMetadataSchema, "example": example}
            },
        }
        self.spec.components.header("PAGINATION", header, lazy=True)


def header_ref(name: str) -> dict[str, str]:
    """Return a reference to a header of the spec's components."""
    return {"$ref": f"#/components/headers/{name}"}


# Response headers documented once, in the spec's components, and referred to where sent.
RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "X_REQUEST_ID": {
        "description": "The request's id: the client's own `X-Request-ID` when it sent one "
        "(1 to 128 letters, digits, `.`, `_`, `:` or `-`), a new one otherwise. Every log line of the "
        "request and every problem document (`request_id`) carries it.",
        "schema": {"type": "string"},
        "example": "5b1f0e3c9d2a4e6f8a7b6c5d4e3f2a1b",
    },
    "LOCATION": {
        "description": "The URL of the resource just created.",
        "schema": {"type": "string", "format": "uri-reference"},
        "example": f"/v1/people/{examples.PERSON}",
    },
    "RETRY_AFTER": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
        "example": 5,
    },
    "IDEMPOTENT_REPLAYED": {
        "description": "`true` when this is the stored answer to an earlier request with the same "
        "`Idempotency-Key`: nothing was written this time.",
        "schema": {"type": "string", "enum": ["true"]},
        "example": "true",
    },
}


def problem_example(status: int) -> dict[str, Any] | None:
    """Return an example problem document for ``status``, or None if no problem has it."""
    slug = errors.slug_of(status)
    if slug is None:
        return None
    _status, title, detail = errors.PROBLEM_TYPES[slug]
    example: dict[str, Any] = {
        "type": errors.problem_type(slug),
        "title": title,
        "status": status,
        "detail": PROBLEM_DETAIL_EXAMPLES.get(status, detail),
        "instance": f"/v1/people/{examples.PERSON}",
        "request_id": "5b1f0e3c9d2a4e6f8a7b6c5d4e3f2a1b",
    }
    if status == 422:
        example["errors"] = [{"pointer": "/level", "detail": "Must be between 1 and 8."}]
    return example


# What a client typically reads in `detail` for each status, where it says more than the title.
PROBLEM_DETAIL_EXAMPLES = {
    401: "Send `Authorization: Bearer <token>` with a valid token.",
    403: "A member token changes only its own profile.",
    404: "No person has this id.",
    409: "The email 'ada@example.com' already belongs to another person.",
    412: "The person changed since you read it: read it again and resend with its new ETag.",
    422: "level: Must be between 1 and 8.",
    428: "Send If-Match with the person's ETag (from GET), so that no change is lost.",
}


LINK_HEADER = {
    "description": "RFC 8288 links to the `first`, `prev`, `next` and `last` pages.",
    "schema": {"type": "string"},
    "example": '<https://rapport.example/v1/people?page=2&page_size=20>; rel="next"',
}
ETAG_HEADER = {
    "description": "The version of the resource; send it back in `If-Match` to change it.",
    "schema": {"type": "string"},
    "example": '"5d41402abc4b2a76b9719d911017c592ae3f0e6f"',
}
IF_MATCH_HEADER = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The `ETag` of the resource as last read; 412 if it changed since.",
    "schema": {"type": "string"},
    "example": '"5d41402abc4b2a76b9719d911017c592ae3f0e6f"',
}
IF_NONE_MATCH_HEADER = {
    "name": "If-None-Match",
    "in": "header",
    "description": "An `ETag` already held; 304 with no body if it is still current.",
    "schema": {"type": "string"},
    "example": '"5d41402abc4b2a76b9719d911017c592ae3f0e6f"',
}


# The id prefix of each kind of resource, to document path parameters with real-looking ids.
ID_PREFIXES = {
    "person": "per",
    "skill": "skl",
    "goal": "gol",
    "interaction": "int",
    "token": "tok",
    "mentorship": "men",
    "job": "job",
    "webhook": "whk",
    "delivery": "dlv",
    "programme": "prg",
    "run": "run",
    "dismissal": "dis",
    "weights": "wts",
}
EXAMPLE_ULID = "01JD3Q5X4J8Z6V2M9N7K1R0T5B"


# The largest page number: any larger offset overflows the databases' 64-bit integers.
MAX_PAGE = 2**31 - 1


class PaginationParametersSchema(ma.Schema):
    """The pagination parameters, as documented and as parsed (see PaginationParser)."""

    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1.", "example": 1},
    )
    page_size = ma.fields.Integer(
        load_default=10,
        validate=ma.validate.Range(min=1, max=100),
        metadata={"description": "Items per page, at most 100.", "example": 20},
    )

    @ma.post_load
    def _parameters(self, data: dict[str, int], **_kwargs: object) -> PaginationParameters:
        return PaginationParameters(**data)


class PaginationParser(FlaskParser):
    """Parse `page` and `page_size` with PaginationParametersSchema.

    flask-smorest's own schema has no largest page, so a huge `page` reached the database as
    an offset it cannot hold. Our pages keep flask-smorest's defaults (1, 10, at most 100).
    """

    def parse(self, argmap: Any, req: Any = None, **kwargs: Any) -> Any:  # noqa: D102
        return super().parse(PaginationParametersSchema(), req, **kwargs)


class ArgumentsParser(FlaskParser):
    """webargs' parser, refusing strings that no database can store in bodies and queries."""

    def pre_load(self, location_data: Any, *, schema: ma.Schema, req: Any, location: str) -> Any:
        """Refuse U+0000 and unpaired surrogates in the body and in the parameters read."""
        if location in ("query", "querystring"):
            known = {field.data_key or name for name, field in schema.fields.items()}
            document: Any = {k: v for k, v in req.args.lists() if k in known}
        elif location == "json":
            document = location_data
        else:
            document = None
        messages = _bad_text_messages(document)
        if messages:
            raise ma.ValidationError(messages)
        return super().pre_load(location_data, schema=schema, req=req, location=location)


class PaginationMetadataSchema(ma.Schema):
    """The counts of a paginated list, sent as JSON in the `X-Pagination` header."""

    total = ma.fields.Int(metadata={"description": "Number of items in all pages.", "example": 42})
    total_pages = ma.fields.Int(metadata={"description": "Number of pages.", "example": 3})
    first_page = ma.fields.Int(metadata={"description": "First page number.", "example": 1})
    last_page = ma.fields.Int(metadata={"description": "Last page number.", "example": 3})
    page = ma.fields.Int(metadata={"description": "This page's number.", "example": 2})
    previous_page = ma.fields.Int(metadata={"description": "Previous page number.", "example": 1})
    next_page = ma.fields.Int(metadata={"description": "Next page number.", "example": 3})


def id_parameter(name: str) -> dict[str, Any]:
    """Document a path parameter such as ``person_id``, with an id of the demo company.

    Kinds the demo company has none of (tokens) say where their ids come from instead.
    """
    kind = name.removesuffix("_id")
    description = f"Id of the {kind}."
    example = examples.BY_KIND.get(kind)
    if example is None:
        example = f"{ID_PREFIXES.get(kind, kind[:3])}_{EXAMPLE_ULID}"
        description += f" The example is not a real one: take an id from `GET {_list_of(kind)}`."
    return {
        "in": "path",
        "name": name,
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1, "pattern": TEXT},
        "example": example,
    }


def _list_of(kind: str) -> str:
    return {"token": "/v1/tokens"}.get(kind, f"/v1/{kind}s")


def _refuse_bad_path_text() -> None:
    # No resource has an id with U+0000, and the database could not even be asked (404).
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and bad_text(value):
            raise errors.NotFound("No resource has this id.")


class Blueprint(SmorestBlueprint):
    """flask-smorest's Blueprint, with `Link` headers on pages and documented access rules."""

    ARGUMENTS_PARSER = ArgumentsParser()
    PAGINATION_ARGUMENTS_PARSER = PaginationParser()

    def arguments(self, schema: Any, *, location: str = "json", required: bool = True, **kwargs):
        """flask-smorest's arguments, except that a required JSON body must be sent.

        webargs reads a missing body as `{}`, which a PATCH schema (every field optional)
        accepts: an empty PATCH went on to the ETag check instead of being told that the
        documented, required body is missing.
        """
        decorator = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required:
            return decorator

        def require_body(func):
            parsed = decorator(func)

            @wraps(parsed)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if not request.get_data(cache=True):
                    raise errors.Invalid.field("", "Send a JSON object as the request body.")
                return parsed(*args, **kwargs)

            return wrapper

        return require_body

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_auth_doc)
        self._prepare_doc_cbks.append(self._prepare_contract_doc)
        self.before_request(_refuse_bad_path_text)

    def _store_endpoint_docs(self, endpoint, obj, parameters, tags, **options):
        super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)
        has_path_parameters = any(p.get("in") == "path" for p in parameters or [])
        for method, doc_info in self._docs[endpoint].items():
            if method != "parameters":
                doc_info["operation_id"] = operation_id(method, endpoint)
                doc_info["has_path_parameters"] = has_path_parameters

    @staticmethod
    def _prepare_contract_doc(doc, doc_info, *, spec, **_kwargs):
        """Name the operation and document what every client reads besides the body.

        The operation id (generated clients name their methods with it) is the method and the
        view's name; an operation on a path with an id can answer 404; any can answer 503 when
        the database is unavailable; one taking an `Idempotency-Key` documents it and its 409.
        The headers of the answers are added by :class:`MarshmallowPlugin`, once every
        decorator's documentation is merged.
        """
        doc["operationId"] = doc_info["operation_id"]
        responses = doc.setdefault("responses", {})
        conflict = doc_info.get("conflict")
        if conflict is not None:
            response = dict(conflict)
            prepare_response(response, spec, errors.PROBLEM_CONTENT_TYPE)
            responses[409] = response
        key = doc_info.get("idempotency_key")
        if key is not None:
            doc.setdefault("parameters", []).append(key)
            responses.setdefault(409, "CONFLICT")
        if doc_info["has_path_parameters"]:
            responses.setdefault(404, "NOT_FOUND")
        responses.setdefault(503, "SERVICE_UNAVAILABLE")
        return doc

    def route(self, rule: str, *, parameters=None, tags=None, **options):
        """Register a route, documenting its id parameters."""
        names = re.findall(r"<(?:[a-z_]+:)?([a-z_]+_id)>", rule)
        documented = [id_parameter(name) for name in names] + list(parameters or [])
        return super().route(rule, parameters=documented, tags=tags, **options)

    def _prepare_pagination_doc(self, doc, doc_info, **kwargs):
        if doc_info.get("pagination"):
            doc_info["pagination"]["parameters"]["schema"] = PaginationParametersSchema
        return super()._prepare_pagination_doc(doc, doc_info, **kwargs)

    def _check_precondition(self):
        super()._check_precondition()
        # RFC 9110 makes `If-Match: *` true of any current representation: it guards a
        # DELETE (which then needs the resource to exist), but it names no version, so it
        # would make a PATCH or PUT skip the lost-update check that If-Match is required for.
        if request.method in ("PATCH", "PUT") and request.if_match.star_tag:
            raise PreconditionRequired(
                "If-Match: * names no version: send the resource's ETag (from GET), so that "
                "no change is lost."
            )

    def _set_pagination_metadata(self, page_params, result, headers):
        result, headers = super()._set_pagination_metadata(page_params, result, headers)
        meta = json.loads(headers[self.PAGINATION_HEADER_NAME])
        links = []
        for rel, key in (
            ("first", "first_page"),
            ("prev", "previous_page"),
            ("next", "next_page"),
            ("last", "last_page"),
        ):
            if key in meta:
                args = request.args.to_dict(flat=False)
                args["page"] = [str(meta[key])]
                args["page_size"] = [str(page_params.page_size)]
                links.append(
                    f'<{urls.absolute(request.path)}?{urlencode(args, doseq=True)}>; rel="{rel}"'
                )
        if links:
            headers["Link"] = ", ".join(links)
        return result, headers

    def _document_pagination_metadata(self, spec, resp_doc):
        super()._document_pagination_metadata(spec, resp_doc)
        resp_doc["headers"]["Link"] = LINK_HEADER

    @staticmethod
    def _prepare_auth_doc(doc, doc_info, **_kwargs):
        auth = doc_info.get("auth")
        if auth is None:
            return deepupdate(doc, {"security": []})
        role_list = ", ".join(f"`{r}`" for r in auth["roles"])
        extra = {
            "security": [{SECURITY_SCHEME: []}],
            "responses": {401: "UNAUTHORIZED", 403: "FORBIDDEN", 429: "TOO_MANY_REQUESTS"},
            "x-roles": auth["roles"],
        }
        doc = deepupdate(doc, extra)
        doc_info.setdefault("docstring", {})
        description = doc_info["docstring"].get("description") or ""
        doc_info["docstring"]["description"] = (description + f"\n\nRoles: {role_list}.").strip()
        return doc


def conflicts(when: str, detail: str):
    """Document that a view answers 409 ``when``, with an example ``detail``."""
    example = problem_example(409)
    assert example is not None
    response = {
        "description": f"Conflict: {when}",
        "schema": ProblemSchema,
        "example": {**example, "detail": detail},
        "headers": {"X-Request-ID": header_ref("X_REQUEST_ID")},
    }

    def decorator(func):
        doc = dict(getattr(func, "_apidoc", {}))
        doc["conflict"] = response
        func._apidoc = doc
        return func

    return decorator


def operation_id(method: str, endpoint: str) -> str:
    """Name an operation after its method and view: ``PersonById``'s PATCH is ``patch_person_by_id``."""
    return f"{method.lower()}_{re.sub(r'(?<!^)(?=[A-Z])', '_', endpoint).lower()}"


def consumes(*mimetypes: str, limit: str | None = None):
    """Declare the body types a view reads instead of JSON (others get a 415).

    ``limit`` names the setting of the largest body this view accepts, when it is not the
    application's ``MAX_CONTENT_LENGTH``.
    """

    def decorator(func):
        func.rapport_consumes = frozenset(mimetypes)
        if limit is not None:
            func.rapport_body_limit = limit
        return func

    return decorator


def operation_ref(path: str, method: str) -> str:
    """Return the JSON pointer to an operation of the spec, as an OpenAPI link names it."""
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.lower()


def item_links(
    path: str,
    methods: tuple[str, ...] = ("get", "patch", "delete"),
    *,
    etag: bool = True,
    delete: str = "Delete",
) -> dict[str, dict[str, Any]]:
    """Return the OpenAPI links from a response holding one resource to the operations on it.

    ``path`` is the resource's path, such as ``/v1/people/{person_id}``; the id comes from the
    body's ``id`` and, with ``etag``, the ``If-Match`` of changes from the response's ``ETag``.
    ``delete`` names what DELETE does to it ("Deactivate" for people).
    """
    (name,) = re.findall(r"\{([a-z_]+)\}", path)
    kind = name.removesuffix("_id")
    verbs = {"get": ("read", "Read"), "patch": ("change", "Change"), "delete": ("delete", delete)}
    links = {}
    for method in methods:
        link_name, verb = verbs[method]
        parameters = {f"path.{name}": "$response.body#/id"}
        description = f"{verb} the {kind}"
        if etag and method != "get":
            parameters["header.If-Match"] = "$response.header.ETag"
            description += ", sending its `ETag` as `If-Match`"
        links[link_name] = {
            "operationRef": operation_ref(path, method),
            "parameters": parameters,
            "description": description + ".",
        }
    return links


def reference_link(path: str, field: str, description: str) -> dict[str, Any]:
    """Return an OpenAPI link that reads what a response's ``field`` refers to."""
    (name,) = re.findall(r"\{([a-z_]+)\}", path)
    return {
        "operationRef": operation_ref(path, "get"),
        "parameters": {f"path.{name}": f"$response.body#/{field}"},
        "description": description,
    }


def list_link(path: str, parameter: str, description: str) -> dict[str, Any]:
    """Return an OpenAPI link that lists what belongs to the response's resource."""
    return {
        "operationRef": operation_ref(path, "get"),
        "parameters": {f"query.{parameter}": "$response.body#/id"},
        "description": description,
    }


def etag_of(resource: Any) -> dict[str, Any]:
    """Return what a resource's ETag is computed from: its id and row version."""
    return {"id": resource.id, "version": resource.version}


def created(location: str) -> dict[str, str]:
    """Return the headers of a 201 answer."""
    return {"Location": location}


def no_content() -> Response:
    """Return an empty 204 answer."""
    return Response(status=204)


def patch_schema(schema_cls: type[ma.Schema], exclude: tuple[str, ...] = ()) -> ma.Schema:
    """Return the PATCH form of a schema: all fields optional, nested objects merged by field.

    Items of lists (a person's skills) stay complete: a partial skill entry means nothing.
    """
    full = schema_cls()
    partial: list[str] = []
    for name, field in full.fields.items():
        partial.append(name)
        if isinstance(field, ma.fields.Nested) and not field.many:
            partial.extend(f"{name}.{sub}" for sub in field.schema.fields)
    return schema_cls(partial=tuple(partial), exclude=exclude)
