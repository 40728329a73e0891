"""The representations of webhooks and their deliveries."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import boolean, choice
from service.webhooks.logic import EVENT_TYPES, SECRET_PREFIX
from service.webhooks.models import DELIVERY_STATUSES

# An http(s) URL with a host name or IPv4 address, an optional port and a printable path.
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"
# 24 to 64 random bytes, base64-encoded, after the prefix.
SECRET_PATTERN = r"^whsec_[A-Za-z0-9+/]{32,88}={0,2}$"
EVENTS_DESCRIPTION = "The events to receive: " + "; ".join(
    f"`{name}`: {text}" for name, text in EVENT_TYPES.items()
)


class WebhookSchema(ma.Schema):
    """A subscription of another system to Rapport's events."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": "whk_01JD3Q5X4J8Z6V2M9N7K1R0T5B"},
    )
    url = ma.fields.String(
        required=True,
        validate=[validate.Length(max=2000), validate.Regexp(URL_PATTERN)],
        metadata={
            "pattern": URL_PATTERN,
            "description": "Where events are POSTed. Private, loopback and link-local addresses "
            "are refused unless `RAPPORT_WEBHOOK_ALLOWED_NETWORKS` allows them; redirects are "
            "never followed.",
            "example": "https://hr.example.com/hooks/rapport",
        },
    )
    events = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(tuple(EVENT_TYPES))),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata={
            "description": EVENTS_DESCRIPTION,
            "example": ["person.created", "job.completed"],
        },
    )
    secret = ma.fields.String(
        load_only=True,
        validate=validate.Regexp(SECRET_PATTERN),
        metadata={
            "description": f"The signing secret (`{SECRET_PREFIX}` and base64, Standard "
            "Webhooks' format); made for you when left out. Shown once, in the answer to the "
            "creation (and to a change of it).",
            "example": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        },
    )
    description = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={"description": "What the subscription is for.", "example": "HR system sync"},
    )
    active = boolean(
        load_default=True,
        description="Whether events are delivered. Set back to true after an automatic disabling.",
        example=True,
    )
    failure_streak = ma.fields.Integer(
        dump_only=True,
        metadata={"description": "Failed delivery attempts in a row.", "example": 0},
    )
    disabled_at = ma.fields.AwareDateTime(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "When it was disabled automatically, if it was.",
            "example": "2026-11-26T09:00:00+00:00",
        },
    )
    disabled_reason = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Why it was disabled automatically.",
            "example": "20 failed delivery attempts in a row.",
        },
    )
    created_at = ma.fields.AwareDateTime(
        dump_only=True,
        metadata={"description": "When it was made.", "example": "2026-11-26T09:00:00+00:00"},
    )
    updated_at = ma.fields.AwareDateTime(
        dump_only=True,
        metadata={"description": "When it last changed.", "example": "2026-11-26T09:00:00+00:00"},
    )


class WebhookWithSecretSchema(WebhookSchema):
    """A webhook with its signing secret, as answered once when it is made or rotated."""

    signing_secret = ma.fields.String(
        dump_only=True,
        attribute="secret",
        metadata={
            "description": "The secret to verify signatures with (e.g. with the "
            "`standardwebhooks` package).",
            "example": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        },
    )


class DeliverySchema(ma.Schema):
    """One event on its way to one webhook."""

    id = ma.fields.String(
        metadata={"description": "Opaque id.", "example": "dlv_01JD3Q5X4J8Z6V2M9N7K1R0T5B"}
    )
    event_id = ma.fields.String(
        metadata={
            "description": "The event, sent as `webhook-id` (the same on a redelivery).",
            "example": "msg_01JD3Q5X4J8Z6V2M9N7K1R0T5B",
        }
    )
    event_type = ma.fields.String(
        attribute="event.type",
        metadata={"description": "The kind of event.", "example": "person.created"},
    )
    data = ma.fields.Dict(
        attribute="event.data",
        metadata={
            "description": "The event's data.",
            "example": {"id": examples.PERSON},
        },
    )
    status = ma.fields.String(
        validate=validate.OneOf(DELIVERY_STATUSES),
        metadata={
            "description": "`pending` (waiting for its next attempt), `succeeded`, or `failed` "
            "(given up after the retry window).",
            "example": "succeeded",
        },
    )
    attempts = ma.fields.Integer(metadata={"description": "Attempts made.", "example": 1})
    next_attempt_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "When it is tried next.", "example": "2026-11-26T09:01:00+00:00"},
    )
    last_attempt_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "When it was last tried.", "example": "2026-11-26T09:00:30+00:00"},
    )
    response_status = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "The receiver's last HTTP status, if any.", "example": 200},
    )
    error = ma.fields.String(
        allow_none=True,
        metadata={"description": "What went wrong last.", "example": "The receiver answered 500."},
    )
    created_at = ma.fields.AwareDateTime(
        metadata={"description": "When it was queued.", "example": "2026-11-26T09:00:00+00:00"}
    )
    delivered_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "When it succeeded.", "example": "2026-11-26T09:00:01+00:00"},
    )


class DeliveryQueryArgsSchema(ma.Schema):
    """Filters of the delivery log."""

    status = choice(
        DELIVERY_STATUSES, description="Only deliveries in this status.", example="failed"
    )
