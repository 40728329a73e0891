"""What the SCIM service says about itself (RFC 7644 §4): ServiceProviderConfig,
ResourceTypes and Schemas, describing exactly what Rapport supports.

The schemas are scim2-models' own, narrowed to the attributes Rapport keeps and described in
Rapport's terms. Other attributes of the core and enterprise schemas (phone numbers,
addresses, cost centers…) are accepted in requests, so that an identity provider's default
mappings work, but they are not kept, never returned and cannot be filtered on.
"""

from __future__ import annotations

import copy
from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    ETag,
    Filter,
    Pagination,
    Patch,
    ResourceType,
    ServiceProviderConfig,
    Sort,
)

from service.scim.mapping import FUNCTION_KEYWORDS
from service.scim.messages import DEFAULT_COUNT, MAX_RESULTS
from service.scim.resources import (
    CORE_USER,
    ENTERPRISE_USER,
    LEVELS,
    LIST_RESPONSE,
    RAPPORT_USER,
    EnterpriseUser,
    RapportUser,
    ScimUser,
    User,
)

SCHEMA_OF_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def function_rules(default: str) -> str:
    """Describe how a person created without a function gets one."""
    examples = "; ".join(
        f"{function}: {', '.join(repr(k) for k in keywords[:3])}…"
        for function, keywords in FUNCTION_KEYWORDS.items()
    )
    return (
        "When a user is created without it, the function is derived from the enterprise "
        "department, else the division, else the title: the function whose keyword the name "
        "mentions last (a phrase counts before its words), e.g. "
        f"{examples}. Without a match it is {default!r} (setting "
        "RAPPORT_SCIM_DEFAULT_FUNCTION). Derived only at creation; later changes of the "
        "department leave it alone."
    )


def _published(default_function: str, default_level: int) -> dict[str, dict[str, Any]]:
    """The attributes each schema publishes, with Rapport's descriptions and characteristics.

    Each attribute's entry overrides the library's characteristics (its ``type`` too, which
    the library cannot read from a strict boolean or integer); ``subAttributes`` narrows a
    complex attribute.
    """
    return {
        CORE_USER: {
            "userName": {
                "description": "Unique whatever its case. When it is an email address it is "
                "the person's work email; otherwise it is kept as given, and the work email "
                "comes from emails (the primary address, else the one of type work).",
            },
            "name": {
                "description": "The person's name: name.formatted, else givenName and "
                "familyName joined, else displayName; without any, the userName. Answered "
                "as name.formatted, with givenName and familyName as they were given.",
                "subAttributes": {
                    "formatted": {"description": "The full name, as Rapport keeps it."},
                    "givenName": {"description": "The given name, kept as given."},
                    "familyName": {"description": "The family name, kept as given."},
                },
            },
            "displayName": {"description": "The person's name (the same as name.formatted)."},
            "title": {"description": "The person's job title."},
            "active": {
                "type": "boolean",
                "description": "False once the person has left; an inactive user stays "
                "readable and can be re-activated.",
            },
            "emails": {
                # Rapport needs a work email: a client that fills only what is required
                # (scim2-tester, say) must send one when its userName is not an address.
                "required": True,
                "description": "One address, of type work and primary: the work email. "
                "Required unless the userName is an email address. A change of the primary "
                "(else work) address changes it, and the userName too when the userName is "
                "the email.",
                "subAttributes": {
                    "value": {"description": "The address.", "required": True},
                    "type": {"description": "Always work."},
                    "primary": {"type": "boolean", "description": "Always true."},
                },
            },
        },
        ENTERPRISE_USER: {
            "employeeNumber": {
                "description": "The person's id in the HR system: an HR file's Employee ID "
                "(externalId is the identity provider's own id, kept apart).",
            },
            "department": {"description": "The person's team (an HR file's Department)."},
            "division": {"description": "The person's division."},
            "manager": {
                "description": "The person's manager, another user. Microsoft Entra's bare "
                'id is accepted for {"value": id}. A manager named by id, employeeNumber, '
                "externalId or email who is not provisioned yet is kept as given and "
                "resolved when they arrive.",
                "subAttributes": {
                    "value": {
                        "description": "The id of the manager (or, until they arrive, the "
                        "reference as given)."
                    },
                    "$ref": {
                        "description": "The manager's URI; answered, ignored in requests.",
                        "required": False,
                    },
                },
            },
        },
        RAPPORT_USER: {
            "function": {
                "description": "The person's function. " + function_rules(default_function)
            },
            "level": {
                "type": "integer",
                "description": f"Seniority from {LEVELS[0]} (junior) to {LEVELS[1]} "
                f"(distinguished). {default_level} when a user is created without it "
                "(setting RAPPORT_SCIM_DEFAULT_LEVEL); kept when a PUT leaves it out.",
            },
        },
    }


_SCHEMA_NAMES = {
    CORE_USER: ("User", "User Account: a person of the Rapport directory."),
    ENTERPRISE_USER: ("EnterpriseUser", "Enterprise User: where the person sits."),
    RAPPORT_USER: (
        "RapportUser",
        "What Rapport needs of a person that SCIM has no attribute for: function and level. "
        "Optional: an identity provider that knows nothing of it gets the documented "
        "defaults.",
    ),
}


def _narrowed(attributes: list[dict], wanted: dict[str, Any]) -> list[dict]:
    kept = []
    for attribute in attributes:
        if attribute["name"] not in wanted:
            continue
        attribute = copy.deepcopy(attribute)
        override = dict(wanted[attribute["name"]] or {})
        sub_attributes = override.pop("subAttributes", None)
        attribute.update(override)
        if sub_attributes is not None:
            attribute["subAttributes"] = _narrowed(attribute["subAttributes"], sub_attributes)
        kept.append(attribute)
    return kept


def schemas(
    base_url: str, default_function: str = "engineering", default_level: int = 2
) -> list[dict]:
    """Return the Schemas documents: the core User and its two extensions."""
    published = _published(default_function, default_level)
    documents = []
    for model in (User, EnterpriseUser, RapportUser):
        document = model.to_schema().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        urn = document["id"]
        document["name"], document["description"] = _SCHEMA_NAMES[urn]
        document["attributes"] = _narrowed(document["attributes"], published[urn])
        document["meta"] = {"resourceType": "Schema", "location": f"{base_url}/Schemas/{urn}"}
        documents.append(document)
    return documents


def resource_types(base_url: str) -> list[dict]:
    """Return the ResourceTypes documents: users only."""
    user = ResourceType.from_resource(ScimUser).model_copy(
        update={"description": "People of the Rapport directory."}
    )
    document = user.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    document["meta"] = {
        "resourceType": "ResourceType",
        "location": f"{base_url}/ResourceTypes/User",
    }
    return [document]


def service_provider_config(base_url: str, documentation: str, max_payload: int) -> dict:
    """Return the ServiceProviderConfig document: what is and is not supported."""
    config = ServiceProviderConfig(
        documentation_uri=documentation,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=max_payload),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        pagination=Pagination(
            cursor=False,
            index=True,
            default_pagination_method="index",
            default_page_size=DEFAULT_COUNT,
            max_page_size=MAX_RESULTS,
        ),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A Rapport token of role admin or integration, sent as "
                "`Authorization: Bearer <token>` (`rapport tokens create --role integration`).",
                spec_uri="https://www.rfc-editor.org/info/rfc6750",
                documentation_uri=documentation,
                primary=True,
            )
        ],
    )
    document = config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    document["meta"] = {
        "resourceType": "ServiceProviderConfig",
        "location": f"{base_url}/ServiceProviderConfig",
    }
    return document


def listed(documents: list[dict]) -> dict:
    """Return discovery documents as one ListResponse (they are never paged)."""
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": len(documents),
        "startIndex": 1,
        "itemsPerPage": len(documents),
        "Resources": documents,
    }


def find(documents: list[dict], key: str, value: str) -> dict | None:
    """Return the document whose ``key`` is ``value`` (case-insensitively), or None."""
    wanted = value.casefold()
    return next((d for d in documents if str(d[key]).casefold() == wanted), None)
