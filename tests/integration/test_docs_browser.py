"""The docs explorers render in a real headless Chromium with the network cut off."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
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
    return run_chromium(*args, tmp_path=tmp_path).stdout


def run_chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


# Swagger UI opens its tags collapsed; the deep link opens the one whose operations we look for.
@pytest.mark.parametrize("path", ["/docs#/interactions", "/redoc"])
def test_explorer_renders_the_operations_offline(server, tmp_path, path):
    # The page is served with its strict Content-Security-Policy: the explorer must render
    # under it, with none of its own scripts, styles, images or fonts refused. (Redoc tries to
    # fetch the example URLs of the spec, on other hosts: the policy rightly refuses that.)
    with urllib.request.urlopen(server + path.split("#")[0], timeout=10) as page:
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    result = run_chromium("--enable-logging=stderr", "--dump-dom", server + path, tmp_path=tmp_path)
    refused = [line for line in result.stderr.splitlines() if "Refused to" in line]
    assert all("cannot load https://rapport.example/" in line for line in refused), refused
    dom = result.stdout
    # The summaries come from the spec, so they appear only once the explorer has rendered it.
    assert "Log an interaction" in dom
    if path == "/redoc":
        assert "List people" in dom
    else:
        # Every tag of the spec is listed, each ready to open.
        spec = json.loads(urllib.request.urlopen(server + "/openapi.json", timeout=10).read())
        assert set(re.findall(r'data-tag="([^"]+)"', dom)) == {t["name"] for t in spec["tags"]}
    assert "https://cdn" not in dom and "unpkg.com" not in dom


def test_swagger_ui_screenshot(server, tmp_path):
    shot = tmp_path / "docs.png"
    chromium(f"--screenshot={shot}", server + "/docs", tmp_path=tmp_path)
    assert shot.exists()
    assert shot.stat().st_size > 20_000  # a blank page is a few kilobytes
