"""The SCIM resources Rapport serves, as scim2-models classes, and how strictly it reads them.

Users are the core ``User`` schema with two extensions: the enterprise one of RFC 7643 and
Rapport's own (``function`` and ``level``, which SCIM lacks). The classes below narrow the
library's models where Rapport is stricter (booleans and integers are JSON booleans and
integers) or more lenient (a manager needs no ``$ref``, and may be given as a bare id, as
Microsoft Entra sends it).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import scim2_models as scim
from pydantic import Field, StrictBool, StrictInt, model_validator
from scim2_models import URN, CaseExact, ComplexAttribute, Extension, Reference, Required

from service.people.models import FUNCTIONS

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
RAPPORT_USER = "urn:ietf:params:scim:schemas:extension:rapport:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"

CONTENT_TYPE = "application/scim+json"
REQUEST_CONTENT_TYPES = (CONTENT_TYPE, "application/json")

LEVELS = (1, 8)

Function = StrEnum("Function", {name: name for name in FUNCTIONS})  # type: ignore[misc]


class Email(scim.Email):
    """An email address; ``primary`` is a JSON boolean.

    The address is checked as ``/v1/people`` checks emails, and only when Rapport keeps it
    (the primary one), rather than by the stricter email-validator the library uses.
    """

    value: str | None = None
    """Email addresses for the user."""

    primary: StrictBool | None = None
    """A Boolean value indicating the 'primary' or preferred attribute value
    for this attribute, e.g., the preferred mailing address or primary email
    address."""


class User(scim.User):
    """The core User schema; ``active`` and ``emails[].primary`` are JSON booleans."""

    active: StrictBool | None = None
    """A Boolean value indicating the User's administrative status."""

    emails: list[Email] | None = None
    """Email addresses for the user."""


class Manager(ComplexAttribute):
    """A user's manager: the ``id`` of another user; ``$ref`` is optional."""

    value: Annotated[str | None, Required.true, CaseExact.true] = None
    """The id of the SCIM resource representing the User's manager."""

    ref: Reference[User] | None = Field(None, serialization_alias="$ref", validation_alias="$ref")
    """The URI of the SCIM resource representing the User's manager."""

    @model_validator(mode="before")
    @classmethod
    def _bare_id(cls, data: Any) -> Any:
        # Microsoft Entra sends the manager as the id alone rather than {"value": id}.
        return {"value": data} if isinstance(data, str) else data


class EnterpriseUser(scim.EnterpriseUser):
    """The enterprise extension of RFC 7643, with a lenient ``manager``."""

    manager: Manager | None = None
    """The User's manager."""


class RapportUser(Extension):
    """Rapport's extension: what a person's profile needs that SCIM has no attribute for."""

    __schema__ = URN(RAPPORT_USER)

    function: Function | None = None
    """The person's function."""

    level: Annotated[StrictInt | None, Field(ge=LEVELS[0], le=LEVELS[1])] = None
    """The person's seniority, from 1 (junior) to 8 (distinguished)."""


ScimUser = User[EnterpriseUser | RapportUser]

# Unknown attributes are refused (SCIM interoperability profile §5.3); a PATCH ``remove`` may
# select values by its ``value`` and a path filter that matches nothing creates the value it
# describes, both as Microsoft Entra sends them.
POLICY = scim.ScimPolicy(
    unknown=scim.ScimPolicy.Unknown.forbid,
    remove_value_as_filter=scim.ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=scim.ScimPolicy.UnmatchedPathFilter.create,
)
