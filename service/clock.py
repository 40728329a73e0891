"""The current time, from one place, so that tests can set it.

Use-cases take ``now`` as an argument; views ask :func:`now`, which reads the application's
clock (the real one unless a test replaced it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app

from service.db import utcnow

Clock = Callable[[], datetime]


def now() -> datetime:
    """Return the current time as the application's clock tells it."""
    return current_app.extensions["rapport.clock"]()


def init_app(app: Flask, clock: Clock = utcnow) -> None:
    """Give ``app`` a clock (the real one by default)."""
    app.extensions["rapport.clock"] = clock
