"""The docs explorers render in a real headless Chromium with the network cut off."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

# Every host name resolves to nothing, except the local server: the page is offline.
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--window-size=1280,1600",
    "--virtual-time-budget=20000",
)


def chromium(*args: str, tmp_path: Path) -> str:
    result = subprocess.run(
        [CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_explorer_renders_the_operations_offline(server, tmp_path, path):
    dom = chromium("--dump-dom", server + path, tmp_path=tmp_path)
    # The summaries come from the spec, so they appear only once the explorer has rendered it.
    assert "List people" in dom
    assert "Log an interaction" in dom
    assert "https://cdn" not in dom and "unpkg.com" not in dom


def test_swagger_ui_screenshot(server, tmp_path):
    shot = tmp_path / "docs.png"
    chromium(f"--screenshot={shot}", server + "/docs", tmp_path=tmp_path)
    assert shot.exists()
    assert shot.stat().st_size > 20_000  # a blank page is a few kilobytes
