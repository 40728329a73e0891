"""Background work: the Celery app, built by the application factory (Flask's own pattern).

With ``REDIS_URL`` set, tasks are sent to Redis and run in worker processes
(``celery -A service.worker worker``). Without it (the embedded default of ``make run`` and of
the tests) they run in-process, eagerly, when submitted, so nothing else needs installing.

Every task runs inside an application context with a session of its own, so a view submits a
task only after its own writes are committed (the task would not see them otherwise).
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from celery.result import AsyncResult
from flask import Flask, current_app


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
    )
    app.extensions["rapport.celery"] = celery_app
    return celery_app


def submit(task: Task, *args: Any, **kwargs: Any) -> AsyncResult:
    """Run ``task`` in the background through the current application's Celery app.

    ``task`` is a ``@shared_task``; it is looked up by name in the current application's Celery
    app, so several applications in one process (as in tests) never run each other's tasks.
    """
    celery_app: Celery = current_app.extensions["rapport.celery"]
    return celery_app.tasks[task.name].apply_async(args=args, kwargs=kwargs)
