"""Fixtures of the events tests: the default prompt catalogue."""

from __future__ import annotations

import pytest

from service.events.catalogue import load_default_prompts


@pytest.fixture
def catalogue(app, session):
    """The default prompt catalogue, loaded."""
    added = load_default_prompts(session)
    session.commit()
    return added
