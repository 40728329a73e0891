"""Crash points for tests that kill a real process at a precise moment.

A test sets ``RAPPORT_FAULTS_DIR`` for the server it starts and creates a file named after a
crash point in that folder; the next request to reach that point removes the file and kills
its own process with SIGKILL, as a power cut or the OOM killer would. Without the variable
(always, outside such tests) a crash point costs one environment lookup.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

ENVIRONMENT_VARIABLE = "RAPPORT_FAULTS_DIR"


def crash_point(name: str) -> None:
    """Kill this process here if a test armed the crash point ``name`` (once)."""
    folder = os.environ.get(ENVIRONMENT_VARIABLE)
    if not folder:
        return
    try:
        (Path(folder) / name).unlink()
    except FileNotFoundError:
        return
    os.kill(os.getpid(), signal.SIGKILL)
