"""Absolute URLs for links, built from the configured public base URL, never from `Host`.

``RAPPORT_PUBLIC_URL`` names the address clients reach Rapport by (scheme, host and any
path prefix). Unset, the embedded mode (`make run`, the tests) takes it from the request;
a deployment behind a proxy sets it, so that a forged `Host` or `X-Forwarded-Host` cannot
steer the `Link` headers and SCIM locations it answers with.
"""

from __future__ import annotations

from flask import current_app, request


def public_root() -> str:
    """Return the base URL clients use, without a trailing slash."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    return request.url_root.rstrip("/")


def absolute(path: str) -> str:
    """Return the absolute URL of ``path`` (which starts with a slash)."""
    return public_root() + path
