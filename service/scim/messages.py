"""The SCIM wire format: request bodies and query strings in, ``application/scim+json`` out.

Reading is scim2-models' job (validation, filters, paths, PATCH operations) under
:data:`~service.scim.resources.POLICY`; this module adds the few things identity providers
send that the RFC does not (Microsoft Entra's ``"True"``/``"False"`` strings) and the paging
rules of RFC 7644 §3.4.2.4.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flask import Response, request
from scim2_models import (
    Context,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    PatchOp,
    Path,
    ResponseParameters,
    SearchRequest,
)

from service.rest import bad_text
from service.scim.resources import (
    CONTENT_TYPE,
    CORE_USER,
    ENTERPRISE_USER,
    PATCH_OP,
    POLICY,
    RAPPORT_USER,
    SEARCH_REQUEST,
    ScimUser,
)

# Results per page: the default, and the most a client may ask for (ServiceProviderConfig's
# filter.maxResults); a larger count is answered with this many.
DEFAULT_COUNT = 100
MAX_RESULTS = 200
_UNSUPPORTED_PARAMETERS = {
    "sortBy": "Sorting is not supported (ServiceProviderConfig: sort.supported is false); "
    "users come in a stable order, by id.",
    "sortOrder": "Sorting is not supported (ServiceProviderConfig: sort.supported is false); "
    "users come in a stable order, by id.",
    "cursor": "Cursor pagination is not supported; page with startIndex and count.",
}
_QUERY_PARAMETERS = ("filter", "startIndex", "count", "attributes", "excludedAttributes")
_BOOLEANS = {"true": True, "false": False}

# One attribute of `attributes`/`excludedAttributes` (RFC 7644 §3.10: an optional schema URN,
# an attribute, an optional sub-attribute), and a comma-separated list of them.
ATTRIBUTE = (
    r"(?:urn:[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9][A-Za-z0-9._-]*)+:)?"
    r"\$?[A-Za-z][A-Za-z0-9$_-]*(?:\.\$?[A-Za-z][A-Za-z0-9$_-]*)?"
)
ATTRIBUTE_LIST = rf"^(?:{ATTRIBUTE}(?:, ?{ATTRIBUTE})*)?$"
_ATTRIBUTE_LIST = re.compile(ATTRIBUTE_LIST)
_ATTRIBUTE = re.compile(rf"^{ATTRIBUTE}$")


def _refuse_bad_text(value: Any) -> None:
    # The databases cannot store U+0000 or an unpaired surrogate: refuse them anywhere.
    if isinstance(value, str):
        if bad_text(value):
            raise InvalidValueException(
                detail=f"{value[:40]!r}…: strings must be Unicode text without U+0000."
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_bad_text(key)
            _refuse_bad_text(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_bad_text(item)


def read_json() -> Any:
    """Return the request's JSON body, or raise ``invalidSyntax``."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise InvalidSyntaxException(detail="Send a JSON body.")
    try:
        payload = json.loads(raw)
    except ValueError:
        raise InvalidSyntaxException(detail="The body is not valid JSON.") from None
    _refuse_bad_text(payload)
    return payload


def _query(names: tuple[str, ...]) -> dict[str, str]:
    found = {name: request.args[name] for name in names if name in request.args}
    _refuse_bad_text(found)
    return found


def _check_schemas(payload: Any, base: str, allowed: tuple[str, ...] = ()) -> Any:
    # scim2-models wants the base schema when `schemas` is given; the URNs besides it must
    # be those the message may carry, and an empty list says nothing.
    if isinstance(payload, dict) and "schemas" in payload:
        schemas = payload["schemas"]
        known = {base.casefold(), *(urn.casefold() for urn in allowed)}
        if (
            not isinstance(schemas, list)
            or not all(isinstance(urn, str) and urn.casefold() in known for urn in schemas)
            or base.casefold() not in {urn.casefold() for urn in schemas}
        ):
            raise InvalidSyntaxException(
                detail=f"schemas must list {base}"
                + (f" and only {', '.join(allowed)}" if allowed else "")
                + "."
            )
    return payload


def read_user(context: Context) -> Any:
    """Return the user in the request body, validated for a creation or a replacement."""
    payload = _check_schemas(read_json(), CORE_USER, (ENTERPRISE_USER, RAPPORT_USER))
    return ScimUser.model_validate(payload, scim_ctx=context, scim_policy=POLICY)


def _is_boolean(path: str) -> bool:
    try:
        binding = Path[ScimUser](path).resolve()
    except Exception:  # noqa: BLE001 - an invalid path is reported when the patch is read
        return False
    return binding is not None and binding.target_type is bool


def _boolean(value: Any) -> Any:
    if isinstance(value, str):
        return _BOOLEANS.get(value.strip().lower(), value)
    return value


def entra_booleans(payload: Any) -> Any:
    """Turn the ``"True"``/``"False"`` strings Microsoft Entra sends into JSON booleans.

    Only values written to a boolean attribute change, whether the operation names it in
    its ``path`` or, without a path, as a key of its ``value``.
    """
    operations = payload.get("Operations") if isinstance(payload, dict) else None
    for operation in operations if isinstance(operations, list) else ():
        if not isinstance(operation, dict):
            continue
        path, value = operation.get("path"), operation.get("value")
        if isinstance(path, str) and path and _is_boolean(path):
            operation["value"] = _boolean(value)
        elif not path and isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _is_boolean(key):
                    value[key] = _boolean(item)
    return payload


def read_patch() -> Any:
    """Return the PatchOp in the request body."""
    payload = entra_booleans(_check_schemas(read_json(), PATCH_OP))
    return PatchOp[ScimUser].model_validate(
        payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
    )


def _check_attribute_lists(data: Mapping[str, Any]) -> None:
    # A query string lists them separated by commas, a SearchRequest one by one.
    for name in ("attributes", "excludedAttributes"):
        value = data.get(name)
        if isinstance(value, list):
            listed, syntax = value, _ATTRIBUTE
        else:
            listed, syntax = [value] if value is not None else [], _ATTRIBUTE_LIST
        for text in listed:
            if isinstance(text, str) and not syntax.match(text):
                raise InvalidValueException(
                    detail=f"{name}: {text[:60]!r} is not a comma-separated list of attribute "
                    "names such as userName,name.formatted."
                )


def _attribute_lists(data: Mapping[str, Any]) -> dict[str, Any]:
    _check_attribute_lists(data)
    # `attributes` replaces the default set that `excludedAttributes` would take from, so
    # with both the first wins (rather than refusing a request that has one clear reading).
    if data.get("attributes") and data.get("excludedAttributes") is not None:
        return {k: v for k, v in data.items() if k != "excludedAttributes"}
    return dict(data)


def _search(data: Mapping[str, Any]) -> Any:
    for name, reason in _UNSUPPORTED_PARAMETERS.items():
        if data.get(name) is not None:
            raise InvalidValueException(detail=reason)
    data = _attribute_lists(data)
    return SearchRequest[ScimUser].model_validate(
        data, scim_ctx=Context.SEARCH_REQUEST, scim_policy=POLICY
    )


def search_from_query() -> Any:
    """Return the search a ``GET /Users`` query string asks for."""
    return _search(_query((*_QUERY_PARAMETERS, *_UNSUPPORTED_PARAMETERS)))


def search_from_body() -> Any:
    """Return the search a ``POST /Users/.search`` body asks for."""
    payload = _check_schemas(read_json(), SEARCH_REQUEST)
    if not isinstance(payload, dict):
        raise InvalidSyntaxException(detail="Send a SearchRequest object.")
    for name in ("attributes", "excludedAttributes"):
        value = payload.get(name)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(item, str) for item in value)
        ):
            raise InvalidValueException(detail=f"{name}: give a list of attribute names.")
    for name in ("startIndex", "count"):
        value = payload.get(name)
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if value is not None and (isinstance(value, bool) or not whole):
            raise InvalidValueException(detail=f"{name}: give a JSON integer.")
    return _search(payload)


def response_parameters() -> Any:
    """Return the ``attributes``/``excludedAttributes`` of the query string."""
    data = _attribute_lists(_query(("attributes", "excludedAttributes")))
    return ResponseParameters[ScimUser].model_validate(data, scim_policy=POLICY)


def page_of(search: Any) -> tuple[int, int]:
    """Return the 1-based start index and the count of a search (RFC 7644 §3.4.2.4)."""
    start = search.start_index or 1
    count = DEFAULT_COUNT if search.count is None else search.count
    return start, min(count, MAX_RESULTS)


def user_document(user: Any, context: Context, parameters: Any = None) -> dict[str, Any]:
    """Return a user as the JSON object of a response."""
    return user.model_dump(scim_ctx=context, response_parameters=parameters, scim_policy=POLICY)


def list_document(
    users: list[Any], total: int, start: int, parameters: Any = None
) -> dict[str, Any]:
    """Return a page of users as a ListResponse."""
    page = ListResponse[ScimUser](
        total_results=total, start_index=start, items_per_page=len(users), resources=users
    )
    document = page.model_dump(
        scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters, scim_policy=POLICY
    )
    document.setdefault("Resources", [])
    return document


def scim_response(
    document: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Return ``document`` as an ``application/scim+json`` response."""
    return Response(
        json.dumps(document), status=status, mimetype=CONTENT_TYPE, headers=dict(headers or {})
    )
