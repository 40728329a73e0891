"""Issuing, authenticating, listing and revoking API tokens."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Caller, Role, hash_secret, new_secret
from service.db import page_of, utcnow
from service.errors import Invalid, NotFound
from service.people.models import Person
from service.tokens.models import ApiToken

# How stale `last_used_at` may get before a request refreshes it; refreshing on every
# request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def issue_token(
    session: Session, *, role: Role, name: str, person_id: str | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again."""
    name = name.strip()
    if not name or len(name) > 120:
        raise Invalid.field("/name", "Give a name of 1 to 120 characters.")
    if role is Role.MEMBER:
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
        name=name, role=role.value, person_id=person_id, secret_hash=hash_secret(secret)
    )
    session.add(token)
    session.flush()
    return token, secret


def authenticate(session: Session, secret: str) -> Caller | None:
    """Return the caller a secret stands for, or None if it is unknown, revoked or orphaned."""
    row = session.execute(
        select(ApiToken, Person.active)
        .outerjoin(Person, Person.id == ApiToken.person_id)
        .where(ApiToken.secret_hash == hash_secret(secret))
    ).one_or_none()
    if row is None:
        return None
    token, person_active = row
    if token.revoked_at is not None:
        return None
    if token.role == Role.MEMBER and not person_active:
        return None  # a deactivated person's token stops working with them
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.commit()
    return Caller(
        token_id=token.id, role=Role(token.role), person_id=token.person_id, name=token.name
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


def revoke_token(session: Session, token: ApiToken) -> None:
    """Revoke a token; it stops working at once and stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
