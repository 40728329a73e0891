"""The Celery app the queue tests run in a worker process: Rapport's, plus a test job kind."""

import queue_kinds  # noqa: F401 - registers the test kind of job

from service.worker import celery  # noqa: F401 - what `celery -A` looks for
