"""Recommendations through HTTP, beside the plainest read, on a demo company.

    python benchmarks/http_recommendations.py --people 10000 --requests 300

Builds a scratch SQLite database with ``rapport demo load``, serves it with gunicorn (one
worker, as ``make run`` would, so one index), warms the worker's index with one request, then
times, over one keep-alive connection and in the same run, ``GET /v1/people/{id}``, a page
of ten people (the payload of a recommendation list) and ``GET /v1/people/{id}/recommendations``
for each purpose on the same random active people.
Prints medians, p99 and the ratio to the plain read.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_gets(connection: http.client.HTTPConnection, paths: list[str], token: str) -> list[float]:
    times = []
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, (path, response.status)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="rapport-http-"))
    # The load is the benchmark's own: rate limits would refuse it.
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'rapport.db'}",
        "LOG_LEVEL": "warning",
        "RAPPORT_RATELIMIT_ENABLED": "0",
    }
    rapport = str(BIN / "rapport")
    subprocess.run([rapport, "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(
        [rapport, "demo", "load", "--people", str(args.people), "--seed", str(args.seed)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    token = subprocess.run(
        [rapport, "tokens", "create", "--role", "admin", "--name", "bench"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    with sqlite3.connect(workdir / "rapport.db") as db:
        ids = [row[0] for row in db.execute("SELECT id FROM people WHERE active")]
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--workers",
            "1",
            "service.wsgi:app",
        ],
        env={**env, "PORT": str(port)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/health")
                break
            except OSError:
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rng = random.Random(args.seed)
        people = [rng.choice(ids) for _ in range(args.requests)]
        warm = timed_gets(connection, [f"/v1/people/{people[0]}/recommendations"], token)[0]
        results = {
            "GET /v1/people/{id}": timed_gets(
                connection, [f"/v1/people/{p}" for p in people], token
            )
        }
        # Ten full profiles, as a recommendation list carries: the same payload, no matching.
        pages = [f"/v1/people?page_size=10&page={rng.randint(1, 50)}" for _ in people]
        results["GET /v1/people?page_size=10"] = timed_gets(connection, pages, token)
        for purpose in ("mentor", "reverse_mentor", "cross_functional"):
            paths = [f"/v1/people/{p}/recommendations?purpose={purpose}" for p in people]
            results[f"recommendations ({purpose})"] = timed_gets(connection, paths, token)
    finally:
        server.terminate()
        server.wait(timeout=30)
    base = statistics.median(results["GET /v1/people/{id}"])
    print(f"first request (fits the worker's index): {warm:.0f} ms")
    print(f"{'endpoint':<34} {'p50 ms':>8} {'p99 ms':>8} {'p50 ratio':>10}")
    summary = {}
    for name, times in results.items():
        p50 = statistics.median(times)
        p99 = sorted(times)[int(0.99 * (len(times) - 1))]
        print(f"{name:<34} {p50:8.1f} {p99:8.1f} {p50 / base:9.1f}×")
        summary[name] = {"p50_ms": round(p50, 2), "p99_ms": round(p99, 2)}
    print(
        json.dumps(
            {"people": args.people, "requests": args.requests, "fit_ms": round(warm), **summary}
        )
    )


if __name__ == "__main__":
    main()
