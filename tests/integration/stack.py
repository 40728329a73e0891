"""The production stack in a test: real gunicorn (and nginx) processes on free local ports."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command as alembic_command

from service.cli import alembic_config

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
)


def free_port() -> int:
    """Return a TCP port on the loopback interface that nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def migrate(url: str) -> None:
    """Bring the database at ``url`` to the latest revision."""
    alembic_command.upgrade(alembic_config(url), "head")


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    """Wait for ``GET url/health`` to answer 200."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not come up")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn(
    database_url: str,
    log: Path,
    *,
    workers: int = 1,
    threads: int = 2,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Serve Rapport with gunicorn and the project's gunicorn.conf.py; yield its URL."""
    port = free_port()
    # Only what the test gives: no broker or rate-limit store inherited from the shell.
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment |= {
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        "LOG_LEVEL": "warning",
        **(env or {}),
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url
    finally:
        _stop(process)


def nginx_config(listen: int, upstream: str, folder: Path) -> str:
    """Return docker/nginx.conf made to run unprivileged from ``folder`` in front of ``upstream``."""
    template = (ROOT / "docker" / "nginx.conf").read_text()
    return (
        template.replace("${PORT}", str(listen))
        .replace("${UPSTREAM}", upstream)
        .replace("${NGINX_RUN}", str(folder))
    )


@contextmanager
def nginx(upstream: str, folder: Path) -> Iterator[str]:
    """Run Debian's nginx with the project's docker/nginx.conf in front of ``upstream``."""
    assert NGINX is not None
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "nginx.conf"
    config.write_text(nginx_config(port, upstream, folder))
    process = subprocess.Popen(
        [NGINX, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class SlowClients:
    """Connections that send a request one header line per second, and never finish it."""

    def __init__(self, url: str, count: int) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.count = count
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def _dribble(self, n: int) -> None:
        with socket.create_connection(self.address, timeout=5) as connection:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: rapport\r\n")
            line = 0
            while not self.stop.wait(1.0):
                try:
                    connection.sendall(f"X-Slow-{n}-{line}: 1\r\n".encode())
                except OSError:
                    return
                line += 1

    def __enter__(self) -> SlowClients:
        for n in range(self.count):
            thread = threading.Thread(target=self._dribble, args=(n,), daemon=True)
            thread.start()
            self.threads.append(thread)
        time.sleep(1.5)  # every slow client is connected and dribbling
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=5)
