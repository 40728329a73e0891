"""Webhooks: Rapport tells other systems what happened, signed, retried and logged.

Publishing an event from another package, inside the transaction that made it happen::

    from service import webhooks
    webhooks.publish(session, "programme.run.completed", {"id": run.id, ...})
    session.commit()   # the event goes out only if this commits

``publish`` writes the event and one delivery per subscribed webhook (an outbox); after the
commit a Celery task delivers them with Standard Webhooks signatures (``webhook-id``,
``webhook-timestamp``, ``webhook-signature``), retrying with doubling waits for up to
``RAPPORT_WEBHOOK_RETRY_HOURS``. The event types are listed in
:data:`service.webhooks.logic.EVENT_TYPES` (add yours there). ``person.*`` and
``mentorship.*`` are published from the ORM's flushes (:mod:`service.webhooks.events`),
``follow_up.due`` and ``check_in.due`` by a periodic scan, ``job.completed`` by the jobs.
"""

from __future__ import annotations

from service.webhooks.logic import EVENT_TYPES, publish

__all__ = ["EVENT_TYPES", "publish"]
