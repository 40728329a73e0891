"""Use-cases of webhooks: publish an event, deliver it signed, retry, disable, redeliver."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import Select, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from service import errors
from service.db import new_id, page_of, utcnow
from service.webhooks.models import Webhook, WebhookDelivery, WebhookEvent

log = logging.getLogger(__name__)

# Every event Rapport publishes, and when. `webhook.disabled` goes to the other webhooks.
EVENT_TYPES: dict[str, str] = {
    "person.created": "A person was added to the directory (API, SCIM).",
    "person.updated": "A person's profile changed.",
    "person.deactivated": "A person was deactivated.",
    "mentorship.proposed": "A mentorship was proposed.",
    "mentorship.accepted": "A proposal was accepted: the mentorship is active.",
    "mentorship.declined": "A proposal was declined.",
    "mentorship.completed": "A mentorship was completed.",
    "mentorship.cancelled": "A mentorship was cancelled.",
    "follow_up.due": "The follow-up of a first meeting fell due.",
    "check_in.due": "A relationship passed its stay-in-touch cadence.",
    "programme.run.completed": "A programme's cohort run finished.",
    "event.ended": "An event (a meetup, Networking Bingo) ended.",
    "job.completed": "A background job succeeded, failed or was cancelled.",
    "webhook.disabled": "A webhook was disabled after a run of failed deliveries.",
}
SECRET_PREFIX = "whsec_"


@dataclass(frozen=True)
class Settings:
    """How deliveries are made, from the application's configuration."""

    allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    timeout_seconds: float = 5.0
    retry_hours: int = 24
    retry_base_seconds: int = 30
    disable_after: int = 20

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        """Read the settings from a Flask config."""
        return cls(
            allowed_networks=parse_networks(config["WEBHOOK_ALLOWED_NETWORKS"]),
            timeout_seconds=config["WEBHOOK_TIMEOUT_SECONDS"],
            retry_hours=config["WEBHOOK_RETRY_HOURS"],
            retry_base_seconds=config["WEBHOOK_RETRY_BASE_SECONDS"],
            disable_after=config["WEBHOOK_DISABLE_AFTER"],
        )


def parse_networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Parse a comma-separated list of networks (``127.0.0.1/32, 10.0.0.0/8``)."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    )


def new_secret() -> str:
    """Return a new signing secret in Standard Webhooks' format (``whsec_`` + base64)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


# --- publishing -------------------------------------------------------------------------------


def publish(
    session: Session, type_: str, data: dict[str, Any], *, key: str | None = None
) -> str | None:
    """Publish an event in the caller's transaction: it goes out only if that commits.

    Writes the event and one delivery per active webhook subscribed to it (the outbox); once
    the transaction commits, a task delivers them. With ``key``, an event already published
    under that key is not published again. An event no webhook listens to is not kept.
    Returns the event id (None when nothing was written). Safe to
    call from session flush hooks: it writes through the session's connection.
    """
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {type_!r}")
    connection = session.connection()
    subscribers = [
        webhook_id
        for webhook_id, events in connection.execute(
            select(Webhook.id, Webhook.events).where(Webhook.active.is_(True))
        )
        if type_ in events
    ]
    if not subscribers:
        return None  # nobody listens: nothing to keep
    if key is not None and connection.scalar(
        select(WebhookEvent.id).where(WebhookEvent.key == key)
    ):
        return None
    now = utcnow()
    event_id = new_id("msg")
    connection.execute(
        insert(WebhookEvent).values(id=event_id, type=type_, data=data, key=key, created_at=now)
    )
    connection.execute(
        insert(WebhookDelivery),
        [
            {
                "id": new_id("dlv"),
                "webhook_id": webhook_id,
                "event_id": event_id,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for webhook_id in subscribers
        ],
    )
    session.info["webhook_deliveries_pending"] = True
    return event_id


# --- the target guard -------------------------------------------------------------------------


class TargetRefused(Exception):
    """A webhook URL Rapport will not call (a private address, a scheme it does not speak)."""


def check_target(url: str, settings: Settings, *, must_resolve: bool = True) -> None:
    """Refuse URLs that are not http(s) or that resolve to a non-public address.

    Private, loopback, link-local and other non-global addresses are refused unless they lie
    in ``settings.allowed_networks``; every address the name resolves to is checked. A name
    that does not resolve is refused too, unless ``must_resolve`` is false (a subscription
    may name a host before its DNS exists; every delivery checks again).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("Give an http or https URL with a host.")
    if parts.username or parts.password:
        raise TargetRefused("Credentials in the URL are not accepted; the signature authenticates.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise TargetRefused("Give a port from 1 to 65535.") from error
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError) as error:
        if not must_resolve:
            return
        raise TargetRefused(f"The host cannot be resolved ({error}).") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_global or any(address in net for net in settings.allowed_networks):
            continue
        raise TargetRefused(
            f"The host resolves to {address}, a private, loopback or link-local address; "
            "webhooks go to public addresses only (see RAPPORT_WEBHOOK_ALLOWED_NETWORKS)."
        )


# --- delivering ---------------------------------------------------------------------------------


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """Return the ``webhook-signature`` of a message (Standard Webhooks: HMAC-SHA256, ``v1,``)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def message(event: WebhookEvent) -> str:
    """Return the JSON body sent for an event."""
    return json.dumps(
        {"type": event.type, "timestamp": event.created_at.isoformat(), "data": event.data},
        separators=(",", ":"),
    )


def send(
    webhook: Webhook, event: WebhookEvent, settings: Settings
) -> tuple[int | None, str | None]:
    """POST one event to a webhook; return the status code (None if none) and an error."""
    try:
        check_target(webhook.url, settings)
    except TargetRefused as refused:
        return None, str(refused)
    body = message(event)
    timestamp = int(utcnow().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Rapport-Webhooks/1",
        "webhook-id": event.id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(webhook.secret, event.id, timestamp, body),
    }
    try:
        # Redirects are never followed: a public name could send us to a private address.
        response = requests.post(
            webhook.url,
            data=body.encode(),
            headers=headers,
            timeout=settings.timeout_seconds,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    if 300 <= response.status_code < 400:
        return response.status_code, "Redirects are not followed; give the final URL."
    return response.status_code, f"The receiver answered {response.status_code}."


def backoff(attempts: int, settings: Settings) -> timedelta:
    """Return the wait after the ``attempts``-th failed attempt: doubling from the base."""
    return timedelta(seconds=settings.retry_base_seconds * 2 ** min(attempts - 1, 20))


def _due(now: datetime) -> Select:
    return (
        select(WebhookDelivery)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= now,
            Webhook.active.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1)
    )


def dispatch(sessions: sessionmaker, settings: Settings, *, limit: int = 500) -> int:
    """Deliver the deliveries that are due, one transaction each; return how many were tried.

    Each is locked while it is sent (``SKIP LOCKED``), so several workers share the work
    without sending anything twice.
    """
    from service import metrics

    tried = 0
    while tried < limit:
        with sessions() as session:
            now = utcnow()
            delivery = session.scalar(
                _due(now).with_for_update(skip_locked=True, of=WebhookDelivery)
            )
            if delivery is None:
                return tried
            webhook = session.get(Webhook, delivery.webhook_id)
            assert webhook is not None
            status_code, error = send(webhook, delivery.event, settings)
            record_attempt(session, webhook, delivery, status_code, error, utcnow(), settings)
            session.commit()
            metrics.WEBHOOK_DELIVERIES.labels(outcome="failure" if error else "success").inc()
            tried += 1
    return tried


def record_attempt(
    session: Session,
    webhook: Webhook,
    delivery: WebhookDelivery,
    status_code: int | None,
    error: str | None,
    now: datetime,
    settings: Settings,
) -> None:
    """Record one attempt: success, a retry after a doubling wait, or giving up after 24 hours."""
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = status_code
    delivery.error = error
    if error is None:
        delivery.status = "succeeded"
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        webhook.failure_streak = 0
        return
    retry_at = now + backoff(delivery.attempts, settings)
    if retry_at > delivery.created_at + timedelta(hours=settings.retry_hours):
        delivery.status = "failed"
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = retry_at
    webhook.failure_streak += 1
    if webhook.active and webhook.failure_streak >= settings.disable_after:
        disable(
            session, webhook, f"{webhook.failure_streak} failed delivery attempts in a row.", now
        )


def disable(session: Session, webhook: Webhook, reason: str, now: datetime) -> None:
    """Disable a webhook and publish ``webhook.disabled`` (to the other webhooks)."""
    webhook.active = False
    webhook.disabled_at = now
    webhook.disabled_reason = reason
    webhook.updated_at = now
    session.flush()
    publish(session, "webhook.disabled", {"id": webhook.id, "url": webhook.url, "reason": reason})


# --- the resource -------------------------------------------------------------------------------


def _checked_url(url: str, settings: Settings) -> str:
    try:
        check_target(url, settings, must_resolve=False)
    except TargetRefused as refused:
        raise errors.Invalid.field("/url", str(refused)) from refused
    return url


def create(session: Session, data: dict[str, Any], settings: Settings, now: datetime) -> Webhook:
    """Subscribe a URL to events; a secret is made unless one is given."""
    webhook = Webhook(
        url=_checked_url(data["url"], settings),
        events=sorted(set(data["events"])),
        secret=data.get("secret") or new_secret(),
        description=data.get("description"),
        active=data.get("active", True),
        created_at=now,
        updated_at=now,
    )
    session.add(webhook)
    session.flush()
    return webhook


def update_webhook(
    session: Session, webhook: Webhook, changes: dict[str, Any], settings: Settings, now: datetime
) -> Webhook:
    """Change a webhook; turning it back on clears its failure streak."""
    if "url" in changes:
        webhook.url = _checked_url(changes["url"], settings)
    if "events" in changes:
        webhook.events = sorted(set(changes["events"]))
    if "secret" in changes:
        webhook.secret = changes["secret"] or new_secret()
    if "description" in changes:
        webhook.description = changes["description"]
    if "active" in changes and changes["active"] != webhook.active:
        webhook.active = changes["active"]
        if webhook.active:
            webhook.failure_streak = 0
            webhook.disabled_at = webhook.disabled_reason = None
            # What waited while it was off goes out now.
            session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.webhook_id == webhook.id, WebhookDelivery.status == "pending"
                )
                .values(next_attempt_at=now)
            )
            session.info["webhook_deliveries_pending"] = True
    webhook.updated_at = now
    session.flush()
    return webhook


def get(session: Session, webhook_id: str) -> Webhook:
    """Return a webhook or raise NotFound."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None:
        raise errors.NotFound("No webhook has this id.")
    return webhook


def list_webhooks(session: Session, *, offset: int, limit: int) -> tuple[list[Webhook], int]:
    """Return one page of webhooks, oldest first."""
    return page_of(
        session, select(Webhook), Webhook.created_at, Webhook.id, offset=offset, limit=limit
    )


def deliveries(
    session: Session, webhook: Webhook, status: str | None, *, offset: int, limit: int
) -> tuple[list[WebhookDelivery], int]:
    """Return one page of a webhook's delivery log, newest first."""
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    return page_of(
        session,
        query,
        WebhookDelivery.created_at.desc(),
        WebhookDelivery.id.desc(),
        offset=offset,
        limit=limit,
    )


def redeliver(
    session: Session, webhook: Webhook, delivery_id: str, now: datetime
) -> WebhookDelivery:
    """Send an event of the log again, as a new delivery (same ``webhook-id``)."""
    original = session.get(WebhookDelivery, delivery_id)
    if original is None or original.webhook_id != webhook.id:
        raise errors.NotFound("This webhook has no delivery with this id.")
    if not webhook.active:
        raise errors.Conflict("The webhook is disabled; turn it on (`active: true`) first.")
    delivery = WebhookDelivery(
        id=new_id("dlv"),
        webhook_id=webhook.id,
        event_id=original.event_id,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    session.info["webhook_deliveries_pending"] = True
    return delivery
