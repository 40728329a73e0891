"""Fixtures of the programme tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def dismiss_for_good(member_of):
    """``dismiss_for_good(person_id, dismissed_id)``: a `do_not_suggest` dismissal, as the
    person makes it with their own token."""

    def dismiss(person_id: str, dismissed_id: str) -> None:
        response = member_of(person_id).post(
            f"/v1/people/{person_id}/recommendations/dismissals",
            json={"person_id": dismissed_id, "purpose": "mentor", "reason": "do_not_suggest"},
        )
        assert response.status_code == 201, response.get_json()

    return dismiss
