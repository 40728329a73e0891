"""Who is calling: the bearer token of each request, its role, and the rules of access.

This is the one place where the current caller is known. Views declare who may call them
with :func:`roles` (or :func:`public`); a view that declares nothing is refused to everyone,
so that forgetting a declaration fails closed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from flask.views import MethodView
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from service import errors

F = TypeVar("F", bound=Callable[..., Any])

TOKEN_PREFIX = "rap_"


class Role(StrEnum):
    """What a token may do."""

    ADMIN = "admin"
    INTEGRATION = "integration"
    MEMBER = "member"


ROLE_DESCRIPTIONS = {
    Role.ADMIN: "everything but other people's private notes",
    Role.INTEGRATION: "HR systems and identity providers: people, imports, SCIM",
    Role.MEMBER: "one person: reads the directory, writes their own profile, goals, "
    "interactions and mentorship answers",
}


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of a request, as use-cases see it."""

    token_id: str
    role: Role
    person_id: str | None
    name: str
    # A member token that someone other than the member issued (the operator, from the
    # command line): every use of it is audited.
    on_behalf: bool = False

    @property
    def is_admin(self) -> bool:
        """True for an admin token."""
        return self.role is Role.ADMIN

    @property
    def is_member(self) -> bool:
        """True for a member token (bound to one person)."""
        return self.role is Role.MEMBER

    def is_person(self, person_id: str | None) -> bool:
        """True when this caller is the member token of ``person_id``."""
        return self.is_member and person_id is not None and self.person_id == person_id


def owner_for_new(caller: Caller, person_id: str | None, what: str) -> str:
    """Return whose new goal or interaction this is, refusing a member who writes for another.

    A member token writes for its own person (``person_id`` may be left out); other tokens
    must name the person.
    """
    if caller.is_member:
        if person_id is not None and person_id != caller.person_id:
            raise errors.Forbidden(f"A member token may create {what} only for its own person.")
        assert caller.person_id is not None
        return caller.person_id
    if person_id is None:
        raise errors.Invalid.field("/person_id", "Give the person this is for.")
    return person_id


def new_secret() -> str:
    """Return a new bearer token: a prefix that secret scanners recognise and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Return the stored form of a token (SHA-256; tokens are random, so no slow hash is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def roles(*allowed: Role) -> Callable[[F], F]:
    """Declare which roles may call a view; others get 403, callers without a token 401."""

    def decorator(func: F) -> F:
        func.rapport_roles = frozenset(allowed)  # type: ignore[attr-defined]
        doc = dict(getattr(func, "_apidoc", {}))
        doc["auth"] = {"roles": sorted(r.value for r in allowed)}
        func._apidoc = doc  # type: ignore[attr-defined]
        return func

    return decorator


ALL_ROLES = (Role.ADMIN, Role.INTEGRATION, Role.MEMBER)


def public(func: F) -> F:
    """Declare a view that needs no token (health, docs)."""
    func.rapport_public = True  # type: ignore[attr-defined]
    return func


def current_caller() -> Caller:
    """Return the caller of the current request (set before the view runs)."""
    return g.caller


def view_handler(view: Any, method: str) -> Any:
    """Return the function that handles ``method`` for a view (a MethodView's method)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None and issubclass(view_class, MethodView):
        name = method.lower()
        if name == "head" and not hasattr(view_class, "head"):
            name = "get"
        return getattr(view_class, name, None)
    return view


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def _authenticate_request() -> None:
    if request.method == "OPTIONS" or request.endpoint is None:
        return  # routing errors and automatic OPTIONS carry no data
    if request.blueprint == "api-docs" or request.endpoint == "static":
        return
    handler = view_handler(current_app.view_functions[request.endpoint], request.method)
    if getattr(handler, "rapport_public", False):
        return
    from service import db
    from service.tokens.logic import authenticate

    secret = _bearer_secret()
    caller = authenticate(db.session(), secret) if secret else None
    if caller is None:
        raise Unauthorized(
            "Send a valid token: `Authorization: Bearer <token>`.",
            www_authenticate=WWWAuthenticate("Bearer", {"realm": "rapport"}),
        )
    g.caller = caller
    if caller.on_behalf:
        from service.audit.api import record_use

        record_use(caller)
    allowed = getattr(handler, "rapport_roles", frozenset())
    if caller.role not in allowed:
        raise Forbidden(f"A {caller.role.value} token may not {request.method} {request.path}.")


def init_app(app: Flask) -> None:
    """Authenticate every request before its view runs."""
    app.before_request(_authenticate_request)
