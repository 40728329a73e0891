"""Background work: the Celery app, built by the application factory (Flask's own pattern).

With ``REDIS_URL`` set, tasks are sent to Redis and run in worker processes
(``celery -A service.worker worker``). Without it (the embedded default of ``make run`` and of
the tests) they run in-process, eagerly, when submitted, so nothing else needs installing.

Every task runs inside an application context with a session of its own, so a view submits a
task only after its own writes are committed (the task would not see them otherwise).

Periodic work (``rapport beat``) is declared in :data:`SCHEDULE`: a task name and the setting
holding its interval in seconds (0 turns it off). A package adds its own periodic task with
one entry there, and its tasks module to :data:`TASK_MODULES` so that workers know it.
"""

from __future__ import annotations

import importlib
from typing import Any

from celery import Celery, Task
from celery.result import AsyncResult
from flask import Flask, current_app

# Every module that defines tasks; workers import them all.
TASK_MODULES = (
    "service.jobs.tasks",
    "service.webhooks.tasks",
    "service.housekeeping",
    "service.programmes.tasks",
    "service.network.tasks",
    "service.weights.tasks",
)

# The beat schedule: entry name → (task name, setting of its interval in seconds). Matching
# indexes are not here: each API worker refits its own in a background thread
# (RAPPORT_RECOMMENDATION_REFRESH_HOURS), so no request ever waits for a refit.
SCHEDULE: dict[str, tuple[str, str]] = {
    "clean": ("rapport.housekeeping.clean", "SCHEDULE_IDEMPOTENCY_CLEANUP_SECONDS"),
    "retry-webhooks": ("rapport.webhooks.deliver", "SCHEDULE_WEBHOOK_RETRY_SECONDS"),
    "due-events": ("rapport.webhooks.scan_due", "SCHEDULE_DUE_EVENTS_SECONDS"),
    "network-metrics": ("rapport.network.compute", "SCHEDULE_NETWORK_METRICS_SECONDS"),
    "learn-weights": ("rapport.weights.learn", "SCHEDULE_LEARN_WEIGHTS_SECONDS"),
}


def beat_schedule(config: Any) -> dict[str, dict[str, Any]]:
    """Return Celery's beat schedule from the settings (intervals of 0 are left out)."""
    return {
        name: {"task": task, "schedule": float(config[setting])}
        for name, (task, setting) in SCHEDULE.items()
        if config[setting] > 0
    }


def init_app(app: Flask) -> Celery:
    """Create the Celery app of ``app``; its tasks run inside ``app``'s context."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    redis_url = app.config["REDIS_URL"]
    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=redis_url or "memory://",
        result_backend=redis_url or None,
        task_always_eager=not redis_url,
        task_eager_propagates=True,
        task_ignore_result=True,
        # A task is acknowledged only once it has finished, and given back to the queue when
        # its worker dies, so a killed worker's job runs again elsewhere.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # A message taken by a worker that was killed outright returns to the queue after this.
        broker_transport_options={"visibility_timeout": app.config["BROKER_VISIBILITY_TIMEOUT"]},
        result_backend_transport_options={
            "visibility_timeout": app.config["BROKER_VISIBILITY_TIMEOUT"]
        },
        imports=TASK_MODULES,
        beat_schedule=beat_schedule(app.config),
        worker_hijack_root_logger=False,
    )
    for module in TASK_MODULES:
        importlib.import_module(module)
    app.extensions["rapport.celery"] = celery_app
    return celery_app


def submit(task: Task, *args: Any, **kwargs: Any) -> AsyncResult:
    """Run ``task`` in the background through the current application's Celery app.

    ``task`` is a ``@shared_task``; it is looked up by name in the current application's Celery
    app, so several applications in one process (as in tests) never run each other's tasks.
    """
    celery_app: Celery = current_app.extensions["rapport.celery"]
    return celery_app.tasks[task.name].apply_async(args=args, kwargs=kwargs)
