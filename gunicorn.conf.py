"""gunicorn settings, read from the environment so that one file serves a laptop and production."""

import os
import shutil
import tempfile

# Prometheus' multiprocess mode: each worker writes its samples to files in this directory,
# and /metrics adds them up whichever worker answers. Set before the app imports
# prometheus_client; emptied when gunicorn starts, since the files of dead processes linger.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="rapport-metrics-")

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Workers are stateless processes; add more (or machines) to serve more.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak never takes a machine down.
max_requests = 10000
max_requests_jitter = 1000
# Rapport writes one structured line per request itself (service/logs.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_worker_init(worker):
    """Fit the worker's recommendation index in the background as soon as it starts, so that
    the first recommendation does not pay for it (about 2.5 s per 10,000 people)."""
    import threading

    from service.recommendations.logic import warm

    threading.Thread(target=warm, args=(worker.wsgi,), name="warm-index", daemon=True).start()


def on_starting(server):
    """Start with an empty metrics directory (no samples of an earlier run)."""
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """Let the live gauges of a worker that exited go."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
