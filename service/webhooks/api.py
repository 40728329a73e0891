"""The /v1/webhooks resource: subscriptions, their delivery log and redelivery (admin only)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import clock, db
from service.auth import Role, roles
from service.rest import Blueprint, created, etag_of, no_content, patch_schema
from service.webhooks import logic
from service.webhooks.schemas import (
    DeliveryQueryArgsSchema,
    DeliverySchema,
    WebhookSchema,
    WebhookWithSecretSchema,
)

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/v1/webhooks",
    description="Webhooks: other systems subscribe to Rapport's events and receive them signed "
    "(Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` with HMAC-SHA256), "
    "retried with doubling waits for up to 24 hours, logged, and disabled after a run of failures.",
)


def _settings() -> logic.Settings:
    return logic.Settings.from_config(current_app.config)


@blp.route("")
class Webhooks(MethodView):
    """Webhooks."""

    @roles(Role.ADMIN)
    @blp.response(200, WebhookSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """List webhooks"""
        items, total = logic.list_webhooks(
            db.session(),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN)
    @blp.etag
    @blp.arguments(WebhookSchema)
    @blp.response(201, WebhookWithSecretSchema)
    def post(self, data):
        """Subscribe to events

        The answer holds `signing_secret`, shown this once. 422 for a URL on a private,
        loopback or link-local address (unless allowed by the operator).
        """
        session = db.session()
        webhook = logic.create(session, data, _settings(), clock.now())
        session.commit()
        blp.set_etag(etag_of(webhook))
        return webhook, 201, created(f"/v1/webhooks/{webhook.id}")


@blp.route("/<string:webhook_id>")
class WebhookById(MethodView):
    """One webhook."""

    @roles(Role.ADMIN)
    @blp.etag
    @blp.response(200, WebhookSchema)
    def get(self, webhook_id):
        """Read a webhook"""
        webhook = logic.get(db.session(), webhook_id)
        blp.set_etag(etag_of(webhook))
        return webhook

    @roles(Role.ADMIN)
    @blp.etag
    @blp.arguments(patch_schema(WebhookSchema))
    @blp.response(200, WebhookWithSecretSchema)
    def patch(self, changes, webhook_id):
        """Change a webhook

        `active: true` turns a disabled webhook back on (its waiting deliveries go out);
        a new `secret` rotates the signing secret.
        """
        session = db.session()
        webhook = logic.get(session, webhook_id)
        blp.check_etag(etag_of(webhook))
        logic.update_webhook(session, webhook, changes, _settings(), clock.now())
        session.commit()
        blp.set_etag(etag_of(webhook))
        return webhook

    @roles(Role.ADMIN)
    @blp.etag
    @blp.response(204)
    def delete(self, webhook_id):
        """Delete a webhook

        Its delivery log goes with it.
        """
        session = db.session()
        webhook = logic.get(session, webhook_id)
        blp.check_etag(etag_of(webhook))
        session.delete(webhook)
        session.commit()
        return no_content()


@blp.route("/<string:webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    """A webhook's delivery log."""

    @roles(Role.ADMIN)
    @blp.arguments(DeliveryQueryArgsSchema, location="query")
    @blp.response(200, DeliverySchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters, webhook_id):
        """List deliveries

        Newest first: each event sent to this webhook, its attempts and the last answer.
        """
        session = db.session()
        webhook = logic.get(session, webhook_id)
        items, total = logic.deliveries(
            session,
            webhook,
            args.get("status"),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items


@blp.route("/<string:webhook_id>/deliveries/<string:delivery_id>/redeliver")
class WebhookRedelivery(MethodView):
    """Sending an event again."""

    @roles(Role.ADMIN)
    @blp.response(202, DeliverySchema)
    def post(self, webhook_id, delivery_id):
        """Redeliver an event

        Queues the delivery's event again, as a new delivery with the same `webhook-id` (so
        receivers that already have it can drop it). 409 while the webhook is disabled.
        """
        session = db.session()
        webhook = logic.get(session, webhook_id)
        delivery = logic.redeliver(session, webhook, delivery_id, clock.now())
        session.commit()
        return delivery
