"""Issuing, authenticating, listing and revoking API tokens.

Who may hold a member token (one that reads a person's private notes) is the point: it is
minted only from the person's own login at the identity provider (:func:`login`), or by the
operator on the command line. Admins issue admin and integration tokens, never member ones,
and every token issued, revoked, or used on someone's behalf is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.audit import logic as audit
from service.auth import Caller, Role, hash_secret, new_secret
from service.db import page_of, utcnow
from service.errors import Forbidden, Invalid, NotFound, Unauthenticated
from service.people.models import Person
from service.tokens.models import ApiToken

# How stale `last_used_at` may get before a request refreshes it; refreshing on every
# request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)
# The longest an identity provider's login assertion may live (its `exp` minus its `iat`).
MAX_ASSERTION_LIFETIME = 300
# The actor of revocations that follow a person's departure.
DEPARTURE = audit.Actor(name="departure")


def issue_token(
    session: Session,
    *,
    role: Role,
    name: str,
    person_id: str | None = None,
    actor: audit.Actor = audit.COMMAND_LINE,
    via: str = "cli",
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again.

    ``via`` says how: ``cli`` (the operator), ``api`` (an admin: never a member token) or
    ``login`` (the person's own login).
    """
    name = name.strip()
    if not name or len(name) > 120:
        raise Invalid.field("/name", "Give a name of 1 to 120 characters.")
    if role is Role.MEMBER:
        if via == "api":
            raise Invalid.field(
                "/role",
                "Admins do not issue member tokens: a member token is minted from the "
                "person's own login (POST /v1/login).",
            )
        if person_id is None:
            raise Invalid.field(
                "/person_id", "A member token is bound to a person; give person_id."
            )
        if session.get(Person, person_id) is None:
            raise Invalid.field("/person_id", f"No person has id {person_id!r}.")
    elif person_id is not None:
        raise Invalid.field("/person_id", "Only member tokens are bound to a person.")
    secret = new_secret()
    token = ApiToken(
        name=name,
        role=role.value,
        person_id=person_id,
        secret_hash=hash_secret(secret),
        issued_via=via,
        issued_by=actor.token_id,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        "token.issued",
        actor,
        token_id=token.id,
        person_id=person_id,
        detail=f"{role.value} token {name!r} issued via {via}",
    )
    return token, secret


@dataclass(frozen=True)
class IdentityProvider:
    """The identity provider whose signed logins mint member tokens (HS256, a shared secret)."""

    secret: str
    issuer: str
    audience: str
    token_hours: int


def login(
    session: Session,
    assertion: str,
    provider: IdentityProvider | None,
    actor: audit.Actor,
    now: datetime,
) -> tuple[ApiToken, str]:
    """Mint a member token from the identity provider's assertion that a person logged in.

    The assertion is a JWT signed with the provider's secret (HS256), for this audience and
    issuer, living at most five minutes; its `sub` is the person's `external_id` (which the
    provider itself provisions through SCIM). The token expires after ``token_hours``.
    """
    if provider is None:
        raise Forbidden("No identity provider is configured: member logins are disabled.")
    try:
        claims = jwt.decode(
            assertion,
            provider.secret,
            algorithms=["HS256"],
            audience=provider.audience,
            issuer=provider.issuer,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            leeway=30,
        )
    except jwt.PyJWTError as error:
        raise Unauthenticated(f"The login assertion is not valid: {error}.") from error
    if claims["exp"] - claims["iat"] > MAX_ASSERTION_LIFETIME:
        raise Unauthenticated("The login assertion lives longer than five minutes.")
    person = session.scalar(select(Person).where(Person.external_id == str(claims["sub"])))
    if person is None or not person.active:
        raise Unauthenticated("No active person has this identity.")
    return issue_token(
        session,
        role=Role.MEMBER,
        name="login",
        person_id=person.id,
        actor=actor,
        via="login",
        expires_at=now + timedelta(hours=provider.token_hours),
    )


def authenticate(session: Session, secret: str) -> Caller | None:
    """Return the caller a secret stands for, or None if unknown, revoked, expired or orphaned."""
    row = session.execute(
        select(ApiToken, Person.active)
        .outerjoin(Person, Person.id == ApiToken.person_id)
        .where(ApiToken.secret_hash == hash_secret(secret))
    ).one_or_none()
    if row is None:
        return None
    token, person_active = row
    now = utcnow()
    if token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
        return None
    if token.role == Role.MEMBER and not person_active:
        return None  # a deactivated person's token stops working with them
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.commit()
    return Caller(
        token_id=token.id,
        role=Role(token.role),
        person_id=token.person_id,
        name=token.name,
        on_behalf=token.role == Role.MEMBER and token.issued_via != "login",
    )


def list_tokens(
    session: Session, *, include_revoked: bool, offset: int, limit: int
) -> tuple[list[ApiToken], int]:
    """Return one page of tokens, oldest first, and how many there are in all."""
    query = select(ApiToken)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return page_of(session, query, ApiToken.created_at, ApiToken.id, offset=offset, limit=limit)


def get_token(session: Session, token_id: str) -> ApiToken:
    """Return one token, or raise NotFound."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token has id {token_id!r}.")
    return token


def revoke_token(session: Session, token: ApiToken, actor: audit.Actor) -> None:
    """Revoke a token; it stops working at once and stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(session, "token.revoked", actor, token_id=token.id, person_id=token.person_id)


def revoke_for_departed(session: Session, person_ids: list[str], now: datetime) -> None:
    """Revoke the tokens of people who left, so that re-activating them revives none."""
    revoked = session.execute(
        update(ApiToken)
        .where(ApiToken.person_id.in_(person_ids), ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(ApiToken.id, ApiToken.person_id)
        .execution_options(synchronize_session=False)
    ).all()
    for token_id, person_id in revoked:
        audit.record(
            session,
            "token.revoked",
            DEPARTURE,
            token_id=token_id,
            person_id=person_id,
            detail="the person was deactivated",
        )
