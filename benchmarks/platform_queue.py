"""What the queue costs: a job's latency through Redis and a worker, and webhook throughput.

    python benchmarks/platform_queue.py --jobs 50 --events 300

Makes a scratch SQLite database, starts a Celery worker process (Redis database 3 on
127.0.0.1:6379), then:

1. starts ``--jobs`` one-row HR imports one after the other (each as a job, through the
   queue) and times each from submission to ``succeeded`` as a client polling the database
   would see it;
2. publishes ``--events`` events in one transaction to one webhook on a local receiver and
   times until every delivery succeeded (signed, one HTTP POST each).

Prints one line per step and a JSON summary; figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from alembic import command  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from service.app import create_app  # noqa: E402
from service.cli import alembic_config  # noqa: E402
from service.db import database, utcnow  # noqa: E402
from service.jobs import logic as jobs  # noqa: E402
from service.jobs.models import Job  # noqa: E402
from service.webhooks import publish  # noqa: E402
from service.webhooks.logic import new_secret  # noqa: E402
from service.webhooks.models import Webhook, WebhookDelivery  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/3"
ROW = "Employee ID,Work Email,First Name,Last Name,Job Function,Grade\nE-{n},p{n}@example.com,P,{n},sales,3\n"


def receiver() -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args()

    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    scratch = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    url = f"sqlite:///{scratch / 'bench.db'}"
    command.upgrade(alembic_config(url), "head")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "RAPPORT_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "RAPPORT_LOG_FORMAT": "text",
    }
    log = (scratch / "worker.log").open("wb")
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "service.worker",
            "worker",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app = create_app(
        {"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32"}
    )
    try:
        with app.test_request_context():
            sessions = database().sessions
            latencies = []
            for n in range(args.jobs + 1):
                with sessions() as session:
                    job = jobs.create(
                        session,
                        "people.import",
                        caller=None,
                        params={"dry_run": False, "on_error": "abort"},
                        payload=ROW.format(n=n).encode(),
                        now=utcnow(),
                    )
                    session.commit()
                    started = time.perf_counter()
                    jobs.start(job)
                    while True:
                        session.expire_all()
                        if session.get(Job, job.id).status == "succeeded":
                            break
                        time.sleep(0.002)
                    if n:  # the first pays for the worker's connections
                        latencies.append((time.perf_counter() - started) * 1000)
            latencies.sort()
            p50 = statistics.median(latencies)
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            print(f"job through the queue: p50 {p50:.1f} ms, p99 {p99:.1f} ms ({args.jobs} jobs)")

            server = receiver()
            with sessions() as session:
                session.add(
                    Webhook(
                        url=f"http://127.0.0.1:{server.server_port}/hook",
                        events=["follow_up.due"],
                        secret=new_secret(),
                    )
                )
                session.flush()
                for n in range(args.events):
                    publish(session, "follow_up.due", {"interaction_id": f"int_{n}"})
                started = time.perf_counter()
                session.commit()  # the commit hands the deliveries to the worker
                while True:
                    done = session.scalar(
                        select(func.count()).where(WebhookDelivery.status == "succeeded")
                    )
                    if done == args.events:
                        break
                    time.sleep(0.01)
                seconds = time.perf_counter() - started
            rate = args.events / seconds
            print(f"webhook deliveries: {args.events} in {seconds:.2f} s, {rate:.0f}/s")
            print(
                json.dumps(
                    {
                        "jobs": args.jobs,
                        "job_p50_ms": round(p50, 1),
                        "job_p99_ms": round(p99, 1),
                        "events": args.events,
                        "deliveries_per_second": round(rate),
                        "load_average": os.getloadavg()[0],
                    }
                )
            )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        broker.flushdb()


if __name__ == "__main__":
    main()
