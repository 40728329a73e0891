"""The OpenAPI description of SCIM payloads, parameters and errors.

scim2-models reads and writes the payloads; these marshmallow schemas only document them,
with the attributes Rapport keeps (see :mod:`service.scim.discovery` for the SCIM-side
description). Discovery documents are described as objects with an example.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import TEXT
from service.people.models import FUNCTIONS
from service.scim import discovery
from service.scim.errors import error_document
from service.scim.filters import FILTERABLE
from service.scim.messages import ATTRIBUTE, ATTRIBUTE_LIST, DEFAULT_COUNT, MAX_RESULTS
from service.scim.resources import (
    CONTENT_TYPE,
    CORE_USER,
    ENTERPRISE_USER,
    ERROR,
    LEVELS,
    LIST_RESPONSE,
    PATCH_OP,
    RAPPORT_USER,
    REQUEST_CONTENT_TYPES,
    SEARCH_REQUEST,
)

EXAMPLE_BASE = "https://rapport.example/scim/v2"
EXAMPLE_ID = examples.PERSON
EXAMPLE_MANAGER = examples.MANAGER


def _string(max_length: int | None = None, **metadata: Any) -> ma.fields.String:
    return ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=max_length) if max_length else None,
        metadata=metadata,
    )


class ScimErrorSchema(ma.Schema):
    """A SCIM error (RFC 7644 §3.12)."""

    schemas = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "The Error message schema.", "example": [ERROR]},
    )
    status = ma.fields.String(
        required=True,
        metadata={"description": "The HTTP status, as a string.", "example": "400"},
    )
    scimType = ma.fields.String(  # noqa: N815 - SCIM's attribute name
        metadata={
            "description": "The kind of 400 or 409: invalidFilter, invalidPath, invalidSyntax, "
            "invalidValue, mutability, noTarget, uniqueness.",
            "example": "invalidFilter",
        }
    )
    detail = ma.fields.String(
        required=True,
        metadata={
            "description": "What went wrong.",
            "example": "invalid syntax at column 10",
        },
    )


class ScimNameSchema(ma.Schema):
    """A user's name: formatted, and the given and family names as they were given."""

    formatted = _string(
        200, description="The full name, as Rapport keeps it.", example="Ada Lovelace"
    )
    givenName = ma.fields.String(  # noqa: N815
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={
            "description": "Joined with familyName when formatted is absent; kept as given.",
            "example": "Ada",
        },
    )
    familyName = ma.fields.String(  # noqa: N815
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={
            "description": "Joined with givenName when formatted is absent; kept as given.",
            "example": "Lovelace",
        },
    )


class ScimEmailSchema(ma.Schema):
    """An email address; every user has one, the userName."""

    value = ma.fields.Email(
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={"description": "The address.", "example": "ada.lovelace@example.com"},
    )
    type = _string(description="Always `work` in answers.", example="work")
    primary = ma.fields.Boolean(
        allow_none=True,
        metadata={"description": "Always true in answers.", "example": True},
    )


class ScimManagerSchema(ma.Schema):
    """A user's manager."""

    value = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={"description": "The manager's id.", "example": EXAMPLE_MANAGER},
    )
    ref = ma.fields.String(
        data_key="$ref",
        dump_only=True,
        metadata={
            "description": "The manager's URI.",
            "example": f"{EXAMPLE_BASE}/Users/{EXAMPLE_MANAGER}",
        },
    )


class ScimEnterpriseUserSchema(ma.Schema):
    """The enterprise extension: where the person sits."""

    employeeNumber = _string(  # noqa: N815
        128,
        description="The person's id in the HR system (an HR file's Employee ID).",
        example="E-10442",
    )
    department = _string(
        120, description="The person's team (an HR file's Department).", example="Billing Platform"
    )
    division = _string(120, description="The person's division.", example="Payments")
    manager = ma.fields.Nested(
        ScimManagerSchema,
        allow_none=True,
        metadata={
            "description": "The manager, another user, by id; a bare id is read as its value. "
            "A manager named by id, employeeNumber, externalId or email who is not "
            "provisioned yet is kept as given and resolved when they arrive.",
            "example": {"value": EXAMPLE_MANAGER},
        },
    )


class ScimRapportUserSchema(ma.Schema):
    """Rapport's extension: function and level, which SCIM lacks."""

    function = ma.fields.String(
        allow_none=True,
        validate=validate.OneOf(FUNCTIONS),
        metadata={
            "description": "The person's function; derived from the department, division or "
            "title at creation when left out (see /Schemas).",
            "example": "engineering",
        },
    )
    level = ma.fields.Integer(
        allow_none=True,
        strict=True,
        validate=validate.Range(*LEVELS),
        metadata={
            "description": "Seniority, 1 junior … 8 distinguished; a default at creation.",
            "example": 6,
        },
    )


class ScimMetaSchema(ma.Schema):
    """A user's metadata."""

    resourceType = ma.fields.String(  # noqa: N815
        metadata={"description": "Always `User`.", "example": "User"}
    )
    created = ma.fields.String(
        metadata={
            "description": "When the person was added (RFC 3339).",
            "example": "2026-11-20T10:30:00Z",
        }
    )
    lastModified = ma.fields.String(  # noqa: N815
        metadata={
            "description": "When the person last changed (RFC 3339).",
            "example": "2026-11-21T08:00:00Z",
        }
    )
    location = ma.fields.String(
        metadata={"description": "The user's URI.", "example": f"{EXAMPLE_BASE}/Users/{EXAMPLE_ID}"}
    )
    version = ma.fields.String(
        metadata={
            "description": "A weak entity tag of the person's version (If-Match is not "
            "supported: ServiceProviderConfig etag.supported is false).",
            "example": f'W/"{EXAMPLE_ID}.3"',
        }
    )


class ScimUserSchema(ma.Schema):
    """A user: a person of the directory, in the core User schema and two extensions.

    Other attributes of the core and enterprise schemas are accepted and ignored; attributes
    of no schema are refused.
    """

    schemas = ma.fields.List(
        ma.fields.String(validate=validate.OneOf((CORE_USER, ENTERPRISE_USER, RAPPORT_USER))),
        metadata={
            "allOf": [{"contains": {"const": CORE_USER}}],
            "description": "The schemas of the attributes present; must hold the core User "
            "schema when given.",
            "example": [CORE_USER, ENTERPRISE_USER, RAPPORT_USER],
        },
    )
    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "The person's id.", "example": EXAMPLE_ID},
    )
    externalId = _string(  # noqa: N815
        128,
        description="The identity provider's id of the person (kept apart from the HR "
        "employee id, the enterprise employeeNumber).",
        example="00u1a2b3c4",
    )
    userName = ma.fields.String(  # noqa: N815
        validate=validate.Length(min=1, max=254),
        metadata={
            "description": "Unique whatever its case. An email address is the person's work "
            "email; anything else is kept as given, and the work email then comes from "
            "emails (primary, else type work). Always answered, unless attributes or "
            "excludedAttributes leave it out.",
            "example": "ada.lovelace@example.com",
        },
    )
    name = ma.fields.Nested(
        ScimNameSchema,
        allow_none=True,
        metadata={"description": "The person's name.", "example": {"formatted": "Ada Lovelace"}},
    )
    displayName = _string(  # noqa: N815
        200, description="The person's name (read when name is absent).", example="Ada Lovelace"
    )
    title = _string(200, description="The job title.", example="Staff Engineer")
    active = ma.fields.Boolean(
        allow_none=True,
        metadata={
            "description": "False once the person has left; kept when absent.",
            "example": True,
        },
    )
    emails = ma.fields.List(
        ma.fields.Nested(ScimEmailSchema),
        allow_none=True,
        metadata={"description": "One address, the userName, of type work and primary."},
    )
    enterprise = ma.fields.Nested(
        ScimEnterpriseUserSchema,
        data_key=ENTERPRISE_USER,
        allow_none=True,
        metadata={
            "description": "The enterprise extension (RFC 7643 §4.3).",
            "example": {"department": "Billing Platform", "division": "Payments"},
        },
    )
    rapport = ma.fields.Nested(
        ScimRapportUserSchema,
        data_key=RAPPORT_USER,
        allow_none=True,
        metadata={
            "description": "Rapport's extension: function and level.",
            "example": {"function": "engineering", "level": 6},
        },
    )
    meta = ma.fields.Nested(
        ScimMetaSchema, dump_only=True, metadata={"description": "The user's metadata."}
    )


class ScimUserRequestSchema(ScimUserSchema):
    """A user as sent to create or replace one: ``userName`` is required."""

    userName = ma.fields.Email(  # noqa: N815
        required=True,
        validate=validate.Length(max=254),
        metadata={
            "description": "The person's work email; unique whatever its case.",
            "example": "ada.lovelace@example.com",
        },
    )


class ScimUserListSchema(ma.Schema):
    """A page of users (a ListResponse)."""

    schemas = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "The ListResponse schema.", "example": [LIST_RESPONSE]},
    )
    totalResults = ma.fields.Integer(  # noqa: N815
        metadata={"description": "How many users match, in all pages.", "example": 1}
    )
    startIndex = ma.fields.Integer(  # noqa: N815
        metadata={"description": "The 1-based index of the first user of this page.", "example": 1}
    )
    itemsPerPage = ma.fields.Integer(  # noqa: N815
        metadata={"description": "How many users this page holds.", "example": 1}
    )
    Resources = ma.fields.List(  # noqa: N815
        ma.fields.Nested(ScimUserSchema), metadata={"description": "The users of this page."}
    )


class ScimPatchOperationSchema(ma.Schema):
    """One PATCH operation."""

    class Meta:
        # A remove names its target; an add or a replace carries a value (null only for
        # replace, which clears).
        json_schema = {
            "if": {"properties": {"op": {"const": "remove"}}, "required": ["op"]},
            "then": {"required": ["path"]},
            "else": {"required": ["value"]},
        }

    # Documented in lower case, as RFC 7644 writes them; the service reads them in any case
    # (Microsoft Entra sends `Replace`). Listing both cases made the enum unusable for client
    # generators (`ADD` twice).
    op = ma.fields.String(
        required=True,
        validate=validate.OneOf(("add", "replace", "remove")),
        metadata={
            "description": "`add`, `replace` or `remove`. Read in any case: `Replace`, as "
            "Microsoft Entra sends it, is `replace`.",
            "example": "replace",
        },
    )
    path = ma.fields.String(
        metadata={
            "description": "The attribute path; without it, the value's keys are the paths.",
            "example": "active",
        }
    )
    value = ma.fields.Raw(
        allow_none=True,
        metadata={
            "description": 'The value written (not with remove); `"True"` and `"False"` '
            "are read as booleans where a boolean is written.",
            "example": False,
        },
    )


class ScimPatchOpSchema(ma.Schema):
    """A SCIM PATCH request (RFC 7644 §3.5.2)."""

    schemas = ma.fields.List(
        ma.fields.String(validate=validate.OneOf((PATCH_OP,))),
        metadata={
            "allOf": [{"contains": {"const": PATCH_OP}}],
            "description": "The PatchOp message schema.",
            "example": [PATCH_OP],
        },
    )
    Operations = ma.fields.List(  # noqa: N815
        ma.fields.Nested(ScimPatchOperationSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "The operations, applied in order and all or none."},
    )


class ScimSearchRequestSchema(ma.Schema):
    """A SCIM search (RFC 7644 §3.4.3); a null member is the same as an absent one (RFC 7643 §2.5)."""

    schemas = ma.fields.List(
        ma.fields.String(validate=validate.OneOf((SEARCH_REQUEST,))),
        metadata={
            "allOf": [{"contains": {"const": SEARCH_REQUEST}}],
            "description": "The SearchRequest message schema.",
            "example": [SEARCH_REQUEST],
        },
    )
    filter = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "A filter (RFC 7644 §3.4.2.2) on " + FILTERABLE + ".",
            "example": 'userName eq "ada.lovelace@example.com"',
        },
    )
    startIndex = ma.fields.Integer(  # noqa: N815
        strict=True,
        allow_none=True,
        metadata={
            "description": "The 1-based index of the first result; below 1 is 1.",
            "example": 1,
        },
    )
    count = ma.fields.Integer(
        strict=True,
        allow_none=True,
        metadata={
            "description": f"Results per page: {DEFAULT_COUNT} by default, at most "
            f"{MAX_RESULTS}; below 0 is 0 (only totalResults).",
            "example": 100,
        },
    )
    attributes = ma.fields.List(
        ma.fields.String(metadata={"pattern": f"^{ATTRIBUTE}$"}),
        allow_none=True,
        metadata={
            "description": "Return only these attributes.",
            "example": ["userName", "active"],
        },
    )
    excludedAttributes = ma.fields.List(  # noqa: N815
        ma.fields.String(metadata={"pattern": f"^{ATTRIBUTE}$"}),
        allow_none=True,
        metadata={
            "description": "Return all but these attributes; ignored with `attributes`.",
            "example": ["emails"],
        },
    )


def _parameter(
    name: str, kind: str, description: str, example: Any, **schema: Any
) -> dict[str, Any]:
    return {
        "in": "query",
        "name": name,
        "required": False,
        "description": description,
        "schema": {"type": kind, **schema},
        "example": example,
    }


ATTRIBUTE_PARAMETERS = [
    _parameter(
        "attributes",
        "string",
        "Return only these attributes (comma-separated; id and schemas always come).",
        "userName,active",
        pattern=ATTRIBUTE_LIST,
    ),
    _parameter(
        "excludedAttributes",
        "string",
        "Return all but these attributes (comma-separated); ignored with `attributes`.",
        "emails,meta",
        pattern=ATTRIBUTE_LIST,
    ),
]
LIST_PARAMETERS = [
    _parameter(
        "filter",
        "string",
        "A filter (RFC 7644 §3.4.2.2: eq ne co sw ew pr gt ge lt le, and, or, not, "
        f'value paths such as emails[type eq "work"]) on {FILTERABLE}.',
        'userName eq "ada.lovelace@example.com"',
        pattern=TEXT,
    ),
    _parameter("startIndex", "integer", "The 1-based index of the first result; below 1 is 1.", 1),
    _parameter(
        "count",
        "integer",
        f"Results per page: {DEFAULT_COUNT} by default, at most {MAX_RESULTS}; below 0 is 0 "
        "(only totalResults).",
        100,
    ),
    *ATTRIBUTE_PARAMETERS,
]

LOCATION_HEADER = {
    "Location": {
        "description": "The new user's URI.",
        "schema": {"type": "string"},
        "example": f"{EXAMPLE_BASE}/Users/{EXAMPLE_ID}",
    }
}

USER_EXAMPLE = {
    "schemas": [CORE_USER, ENTERPRISE_USER, RAPPORT_USER],
    "id": EXAMPLE_ID,
    "externalId": "00u1a2b3c4",
    "userName": "ada.lovelace@example.com",
    "name": {"formatted": "Ada Lovelace"},
    "displayName": "Ada Lovelace",
    "title": "Staff Engineer",
    "active": True,
    "emails": [{"value": "ada.lovelace@example.com", "type": "work", "primary": True}],
    ENTERPRISE_USER: {
        "department": "Billing Platform",
        "division": "Payments",
        "manager": {"value": EXAMPLE_MANAGER, "$ref": f"{EXAMPLE_BASE}/Users/{EXAMPLE_MANAGER}"},
    },
    RAPPORT_USER: {"function": "engineering", "level": 6},
    "meta": {
        "resourceType": "User",
        "created": "2026-11-20T10:30:00Z",
        "lastModified": "2026-11-21T08:00:00Z",
        "location": f"{EXAMPLE_BASE}/Users/{EXAMPLE_ID}",
        "version": f'W/"{EXAMPLE_ID}.3"',
    },
}
NEW_USER_EXAMPLE = {
    "schemas": [CORE_USER, ENTERPRISE_USER],
    "externalId": "00u1a2b3c4",
    "userName": "ada.lovelace@example.com",
    "name": {"givenName": "Ada", "familyName": "Lovelace"},
    "title": "Staff Engineer",
    "active": True,
    "emails": [{"value": "ada.lovelace@example.com", "type": "work", "primary": True}],
    ENTERPRISE_USER: {"department": "Billing Platform", "manager": {"value": EXAMPLE_MANAGER}},
}
LIST_EXAMPLE = {
    "schemas": [LIST_RESPONSE],
    "totalResults": 1,
    "startIndex": 1,
    "itemsPerPage": 1,
    "Resources": [USER_EXAMPLE],
}
PATCH_EXAMPLES = {
    "okta-deactivate": {
        "summary": "Okta deactivates: a replace without a path",
        "value": {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        },
    },
    "entra-deactivate": {
        "summary": "Microsoft Entra deactivates: a string boolean (Entra writes `Replace`)",
        "value": {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "active", "value": "False"}],
        },
    },
    "manager": {
        "summary": "A new manager",
        "value": {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "op": "replace",
                    "path": f"{ENTERPRISE_USER}:manager",
                    "value": {"value": EXAMPLE_MANAGER},
                }
            ],
        },
    },
}
SEARCH_EXAMPLE = {
    "schemas": [SEARCH_REQUEST],
    "filter": 'externalId eq "00u1a2b3c4"',
    "startIndex": 1,
    "count": 10,
}


def request_body(schema: type[ma.Schema], example: Any = None, examples: Any = None) -> dict:
    """Document a SCIM request body, sent as application/scim+json or application/json."""
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    if examples is not None:
        media["examples"] = examples
    return {"required": True, "content": {kind: dict(media) for kind in REQUEST_CONTENT_TYPES}}


# What each documented error status means, with the SCIM Error it answers.
ERRORS: dict[int, tuple[str, dict]] = {
    400: (
        "A bad request: scimType invalidFilter, invalidPath, invalidSyntax, invalidValue, "
        "mutability or noTarget.",
        error_document(400, "invalid syntax at column 10", "invalidFilter"),
    ),
    401: ("No valid bearer token.", error_document(401, "No valid bearer token was given.")),
    403: (
        "The token's role is not admin or integration.",
        error_document(403, "A member token may not GET /scim/v2/Users."),
    ),
    404: ("No such user.", error_document(404, "No person has id 'per_x'.")),
    409: (
        "scimType uniqueness: the userName, the email, the externalId or the employeeNumber belongs to another user.",
        error_document(
            409,
            "The email 'ada.lovelace@example.com' already belongs to another person.",
            "uniqueness",
        ),
    ),
    413: ("The body is too large.", error_document(413, "The request body is too large.")),
    415: (
        "The body is not application/scim+json or application/json.",
        error_document(415, "Send the body as application/json, not text/plain."),
    ),
    503: (
        "The database is unavailable: retry after the `Retry-After` seconds.",
        error_document(503, "The database is unavailable; retry shortly."),
    ),
}
DEFAULT_ERROR = (
    "Any other error (405, 500, 503), as a SCIM Error.",
    error_document(405, "The resource does not accept it."),
)


def error_response(description: str, example: dict) -> dict:
    """Document an error answer: a SCIM Error in application/scim+json."""
    headers = {"X-Request-ID": {"$ref": "#/components/headers/X_REQUEST_ID"}}
    if example["status"] == "503":
        headers["Retry-After"] = {"$ref": "#/components/headers/RETRY_AFTER"}
    return {
        "description": description,
        "content": {CONTENT_TYPE: {"schema": ScimErrorSchema, "example": example}},
        "headers": headers,
    }


def discovery_examples() -> dict[str, Any]:
    """Return examples of the discovery documents, as the service answers them."""
    schemas = discovery.schemas(EXAMPLE_BASE)
    resource_types = discovery.resource_types(EXAMPLE_BASE)

    return {
        "config": discovery.service_provider_config(
            EXAMPLE_BASE, "https://rapport.example/docs", 1048576
        ),
        "resource_types": discovery.listed(resource_types),
        "resource_type": resource_types[0],
        "schemas": discovery.listed(schemas),
        "schema": schemas[-1],
    }


def document_schema(description: str) -> dict:
    """Describe a discovery document, shown by its example."""
    return {"type": "object", "description": description}
