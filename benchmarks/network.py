"""The influence map on a demo company: the metrics job, then its endpoints through HTTP.

    python benchmarks/network.py --people 10000 --requests 200

Builds a scratch SQLite database with ``rapport demo load`` (about 13 interactions logged per
person, silos and a few brokers), then times the metrics job (what ``rapport network compute``
runs) in a process of its own (wall time, and its peak resident memory from the kernel), serves the database with
gunicorn (one worker) and times over one keep-alive connection, on the same random active
people: ``GET /v1/people/{id}/intro-path?to=…`` (a random target: found paths and 404s both
count), ``GET /v1/people/{id}/influence`` and ``GET /v1/people/{id}/network.svg``.
Prints the job's figures and each endpoint's p50 and p99.

    python benchmarks/network.py --people 100000 --in-memory

builds the same demo company in memory instead (no database, no server) and times the
measures alone, each of them, with the peak resident memory of the computation: on a shared
machine, loading 100,000 people into SQLite first takes longer than the job itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_recommendations import free_port  # noqa: E402 - the benchmarks' own helpers

# The metrics job in a process of its own, reporting its wall time and peak memory (MiB).
JOB = """
import resource, time
from service.app import create_app
from service.network.tasks import compute_now
app = create_app()
with app.app_context():
    started = time.perf_counter()
    compute_now()
    print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def timed(connection: http.client.HTTPConnection, paths: list[str], token: str) -> list[float]:
    """GET each path; return the times in milliseconds (200 and 404 are both answers)."""
    times = []
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status in (200, 404), (path, response.status)
    return times


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0–1) by the nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def peak_reset() -> None:
    """Reset the kernel's record of this process's peak resident memory (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mib() -> float:
    """This process's peak resident memory since the last reset, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def in_memory(people: int, seed: int) -> None:
    """Time the measures on a demo company built in memory."""
    sys.path.insert(0, str(ROOT))
    from service.demo import DemoCompany
    from service.network.compute import Settings, measure
    from service.network.demo import broker_interactions
    from service.network.ties import graph_of

    started = time.perf_counter()
    company = DemoCompany(people, seed)
    company.taxonomy_rows()
    rows = [person for person, _held, _wanted in company.people()]
    company._all_ids = [p["id"] for p in rows]
    interactions = [i for p in rows for i in company.interactions(p, [])]
    interactions += broker_interactions(rows, company.now, seed)
    mentorships = list(company.mentorships(rows))
    print(
        f"demo company in memory: {len(rows)} people, {len(interactions)} interactions, "
        f"{len(mentorships)} mentorships ({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    rss_before = peak_mib()
    peak_reset()
    started, cpu_started = time.perf_counter(), time.process_time()
    data = graph_of(
        sorted(
            (p["id"], p["function"], p["division"], p["level"], p["manager_id"])
            for p in rows
            if p["active"]
        ),
        ((i["person_id"], i["contact_id"], i["kind"], i["occurred_at"]) for i in interactions),
        ((m["mentor_id"], m["mentee_id"], m["status"], m["ends_on"]) for m in mentorships),
        company.now,
    )
    arrays = time.perf_counter() - started
    measured = measure(data, set(), Settings(), company.now)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in measured.seconds.items() if k != "total")
    print(
        f"metrics: {measured.snapshot['people']} people, {measured.snapshot['ties']} ties, "
        f"pivots {measured.snapshot['betweenness_pivots'] or 'exact'}; {total:.1f} s in all, "
        f"{cpu:.1f} s of CPU "
        f"(ties from rows {arrays:.1f} s; {steps}); peak RSS {peak_mib():.0f} MiB "
        f"(the company's rows alone held {rss_before:.0f} MiB before)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--in-memory", action="store_true", help="Time the measures alone.")
    args = parser.parse_args()
    if args.in_memory:
        in_memory(args.people, args.seed)
        return

    workdir = Path(tempfile.mkdtemp(prefix="rapport-network-"))
    database = workdir / "rapport.db"
    # The load is the benchmark's own: rate limits would refuse it.
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "warning",
        "RAPPORT_RATELIMIT_ENABLED": "0",
    }
    rapport = str(BIN / "rapport")
    subprocess.run([rapport, "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        [rapport, "demo", "load", "--people", str(args.people), "--seed", str(args.seed)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    print(f"demo load: {time.perf_counter() - started:.0f} s", flush=True)

    job = subprocess.run(
        [sys.executable, "-c", JOB], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    wall, peak_mib = (float(v) for v in job.stdout.split())
    with sqlite3.connect(database) as db:
        people, ties, seconds, pivots = db.execute(
            "SELECT people, ties, seconds, betweenness_pivots FROM network_snapshots "
            "ORDER BY computed_at DESC LIMIT 1"
        ).fetchone()
        interactions = db.execute("SELECT count(*) FROM interactions").fetchone()[0]
        ids = [row[0] for row in db.execute("SELECT id FROM people WHERE active")]
    print(
        f"metrics job: {people} people, {interactions} interactions, {ties} ties; "
        f"{seconds:.1f} s (read, compute and store; {wall:.1f} s with start-up), "
        f"peak RSS {peak_mib:.0f} MiB, betweenness pivots: {pivots or 'exact'}",
        flush=True,
    )

    token = subprocess.run(
        [rapport, "tokens", "create", "--role", "admin", "--name", "bench"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "service.wsgi:app",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env={**env, "WEB_CONCURRENCY": "1"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/health")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        rng = random.Random(args.seed)
        chosen = rng.sample(ids, min(args.requests, len(ids)))
        targets = [rng.choice(ids) for _ in chosen]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        # Warm up: the worker fits its recommendation index in the background when it starts
        # (a recommendation waits for it), and each kind of request runs a few times.
        timed(connection, [f"/v1/people/{chosen[0]}/recommendations"], token)
        timed(
            connection,
            [f"/v1/people/{a}/{kind}" for a in chosen[-5:] for kind in ("influence", "network.svg")]
            + [
                f"/v1/people/{a}/intro-path?to={b}"
                for a, b in zip(chosen[-5:], chosen[:5], strict=True)
            ],
            token,
        )
        paths = {
            "intro path": [
                f"/v1/people/{a}/intro-path?to={b}"
                for a, b in zip(chosen, targets, strict=True)
                if a != b
            ],
            "influence map": [f"/v1/people/{a}/influence" for a in chosen],
            "ego map (SVG)": [f"/v1/people/{a}/network.svg" for a in chosen],
        }
        for name, batch in paths.items():
            times = timed(connection, batch, token)
            print(
                f"{name:>14}: p50 {statistics.median(times):6.1f} ms, "
                f"p99 {percentile(times, 0.99):6.1f} ms ({len(times)} requests)",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
