"""Slow clients cannot starve the production stack: nginx (Debian's) in front of gunicorn.

The attack: connections that send one header line per second, no token needed. Straight
against gunicorn's threaded worker they hold every thread, and nobody else is answered (the
control below shows it); through docker/nginx.conf they hold only nginx connections, and
gunicorn answers everyone else at once.
"""

from __future__ import annotations

import time
import urllib.request

import pytest

from tests.integration.stack import NGINX, SlowClients, gunicorn, migrate, nginx

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="Debian's nginx is not installed (apt-get install nginx)"
)

SLOW_CLIENTS = 8
THREADS = 2  # gunicorn threads: fewer than the slow clients, as 2 workers × 4 are in production


def answered_within(url: str, seconds: float) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=seconds) as response:
            return response.status == 200
    except OSError:
        return False


def test_slow_clients_starve_gunicorn_alone_but_not_behind_nginx(empty_database_url, tmp_path):
    migrate(empty_database_url)
    with gunicorn(empty_database_url, tmp_path / "gunicorn.log", threads=THREADS) as backend:
        upstream = backend.removeprefix("http://")
        with nginx(upstream, tmp_path / "nginx") as proxied:
            # Control: straight at gunicorn, the slow clients hold every thread.
            with SlowClients(backend, SLOW_CLIENTS):
                assert not answered_within(backend, 3.0)
            assert answered_within(backend, 10.0)  # and it recovers once they leave
            # Through nginx, the same attack leaves everyone else served at once.
            with SlowClients(proxied, SLOW_CLIENTS):
                started = time.monotonic()
                assert all(answered_within(proxied, 3.0) for _ in range(20))
                assert time.monotonic() - started < 10.0
                assert answered_within(backend, 3.0)  # gunicorn's threads are free
