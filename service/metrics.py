"""Prometheus metrics, and `/metrics` for the scraper (gunicorn's multiprocess mode).

Under gunicorn, ``PROMETHEUS_MULTIPROC_DIR`` (set by ``gunicorn.conf.py``) makes every
worker write its samples to files there, and `/metrics` adds them up, whichever worker
answers. Celery workers record job and delivery metrics into the same directory when they
share the machine and the variable; otherwise they keep them in their own process.
"""

from __future__ import annotations

import ipaddress
import os
import time
from datetime import timedelta

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, SummaryMetricFamily
from werkzeug.exceptions import Forbidden

from service import auth

REQUESTS = Counter(
    "rapport_http_requests_total", "HTTP requests answered.", ["method", "endpoint", "status"]
)
REQUEST_SECONDS = Histogram(
    "rapport_http_request_duration_seconds",
    "Time to answer HTTP requests.",
    ["method", "endpoint"],
)
INDEX_FIT_SECONDS = Histogram(
    "rapport_index_fit_seconds",
    "Time to fit a matching index from the database.",
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
INDEX_PEOPLE = Gauge(
    "rapport_index_people",
    "People in the matching index (per worker process).",
    multiprocess_mode="liveall",
)
JOB_SECONDS = Histogram(
    "rapport_job_duration_seconds",
    "Time jobs took, by kind and outcome.",
    ["kind", "status"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)
WEBHOOK_DELIVERIES = Counter(
    "rapport_webhook_deliveries_total", "Webhook delivery attempts, by outcome.", ["outcome"]
)


class QueueCollector:
    """Figures read when scraped: jobs, deliveries, change-log lag, the broker's queue."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):  # noqa: D102 - prometheus_client's collector protocol
        from sqlalchemy import func, select

        from service import changes, db
        from service.db import utcnow
        from service.jobs.models import Job
        from service.webhooks.models import DELIVERY_STATUSES, WebhookDelivery

        with self.app.app_context(), db.database().sessions() as session:
            jobs = GaugeMetricFamily("rapport_jobs", "Jobs by status.", labels=["status"])
            for status, count in session.execute(
                select(Job.status, func.count())
                .where(Job.status.in_(("queued", "running")))
                .group_by(Job.status)
            ):
                jobs.add_metric([status], count)
            yield jobs
            # Workers may run on other machines: what they did is read from the database.
            finished = SummaryMetricFamily(
                "rapport_jobs_finished_last_day",
                "Jobs that ended in the past 24 hours, and their durations in seconds.",
                labels=["kind", "status"],
            )
            durations: dict[tuple[str, str], list[float]] = {}
            for kind, status, started, ended in session.execute(
                select(Job.kind, Job.status, Job.started_at, Job.finished_at).where(
                    Job.finished_at >= utcnow() - timedelta(days=1)
                )
            ):
                seconds = (ended - started).total_seconds() if started else 0.0
                durations.setdefault((kind, status), []).append(seconds)
            for (kind, status), values in sorted(durations.items()):
                finished.add_metric([kind, status], count_value=len(values), sum_value=sum(values))
            yield finished
            deliveries = GaugeMetricFamily(
                "rapport_webhook_deliveries",
                "Webhook deliveries in the log, by status (pending: waiting to go out).",
                labels=["status"],
            )
            counts = dict(
                session.execute(
                    select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
                ).all()
            )
            for status in DELIVERY_STATUSES:
                deliveries.add_metric([status], counts.get(status, 0))
            yield deliveries
            index = self.app.extensions["rapport.recommendations"]
            if index.version >= 0:
                lag = changes.current_version(session) - index.version
                yield GaugeMetricFamily(
                    "rapport_change_log_lag",
                    "Directory versions the answering worker's index is behind.",
                    value=lag,
                )
        redis_url = self.app.config["REDIS_URL"]
        if redis_url:
            import redis

            client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
            depth = GaugeMetricFamily(
                "rapport_broker_queue_depth", "Tasks waiting in the broker.", labels=["queue"]
            )
            depth.add_metric(["celery"], client.llen("celery"))
            yield depth


def _allowed() -> bool:
    config = current_app.config
    token = config["METRICS_TOKEN"]
    if token is not None:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not sent or not _same(sent, token):
            return False
    networks = [
        ipaddress.ip_network(n.strip(), strict=False)
        for n in config["METRICS_NETWORKS"].split(",")
        if n.strip()
    ]
    if networks:
        try:
            address = ipaddress.ip_address(request.remote_addr or "")
        except ValueError:
            return False
        return any(address in net for net in networks)
    return True


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


@auth.public
def metrics_view() -> Response:
    """Prometheus metrics, for `RAPPORT_METRICS_TOKEN` and `RAPPORT_METRICS_NETWORKS` only."""
    if not _allowed():
        raise Forbidden("Metrics are for the configured token or networks.")
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry  # noqa: N811 - the default one
    queues = CollectorRegistry()
    queues.register(QueueCollector(current_app._get_current_object()))  # type: ignore[attr-defined]
    body = generate_latest(registry) + generate_latest(queues)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def _start_timer() -> None:
    g.started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("started", None)
    if started is not None and request.endpoint != "metrics":
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(request.method, endpoint).observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    """Count and time every request, and serve `/metrics`."""
    app.before_request(_start_timer)
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", metrics_view)
