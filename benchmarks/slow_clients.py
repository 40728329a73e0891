"""How long a normal client waits while slow clients dribble headers: gunicorn bare, and behind nginx.

    python benchmarks/slow_clients.py --slow 0 8 64 --requests 100

Starts the production stack on a scratch SQLite database: gunicorn with the project's
gunicorn.conf.py (2 workers × 4 threads, the defaults), and Debian's nginx with
docker/nginx.conf in front. For each number of slow clients (connections that send one
header line per second and never finish), a normal client sends ``--requests`` sequential
``GET /health`` to each, with a 2-second timeout; it prints the median and 99th percentile
of the answered ones and how many timed out. Figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration.stack import SlowClients, gunicorn, migrate, nginx  # noqa: E402


def timings(url: str, requests: int) -> tuple[list[float], int]:
    answered, timeouts = [], 0
    for _ in range(requests):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                response.read()
            answered.append((time.perf_counter() - started) * 1000)
        except OSError:
            timeouts += 1
    return answered, timeouts


def summary(answered: list[float], timeouts: int) -> dict:
    if not answered:
        return {"p50_ms": None, "p99_ms": None, "timeouts": timeouts}
    ordered = sorted(answered)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
        "timeouts": timeouts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, nargs="+", default=[0, 8, 64])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'rapport.db'}"
        migrate(url)
        with gunicorn(url, work / "gunicorn.log", workers=2, threads=4) as backend:
            with nginx(backend.removeprefix("http://"), work / "nginx") as proxied:
                for slow in args.slow:
                    for name, target in (("gunicorn", backend), ("nginx", proxied)):
                        with SlowClients(target, slow) if slow else nullcontext():
                            row = {"front": name, "slow_clients": slow}
                            row |= summary(*timings(target, args.requests))
                        print(json.dumps(row), flush=True)
                        results.append(row)
    print(json.dumps({"load_average": os.getloadavg()[0], "results": results}))


if __name__ == "__main__":
    main()
