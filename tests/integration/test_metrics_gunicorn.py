"""/metrics under gunicorn with two workers: the counts of both add up (multiprocess mode)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def health_count(base: str) -> float:
    status, text = get(f"{base}/metrics")
    assert status == 200
    (count,) = re.findall(
        r'rapport_http_requests_total\{endpoint="/health",method="GET",status="200"\} (\S+)', text
    )
    return float(count)


def test_metrics_add_up_the_samples_of_every_gunicorn_worker(database_url, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "service.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{base}/health")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        before = health_count(base)
        sent = 0
        # Until both workers have answered some (which one accepts is the kernel's choice).
        with ThreadPoolExecutor(8) as pool:
            for _ in range(20):
                list(pool.map(lambda _i: get(f"{base}/health"), range(40)))
                sent += 40
                workers = {
                    path.name.split("_")[-1] for path in (tmp_path / "metrics").glob("counter_*.db")
                }
                if len(workers) == 2:
                    break
        assert len(workers) == 2, workers
        # Whichever worker answers the scrape, it counts the requests of both.
        assert health_count(base) - before == sent
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
