"""A JSON body nested ~990 levels deep is a 400 problem on every JSON endpoint, SCIM included."""

from __future__ import annotations

import pytest

from service.security import nesting_depth

DEEP = "[" * 990 + "]" * 990


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/v1/people"),
        ("post", "/v1/goals"),
        ("post", "/v1/interactions"),
        ("post", "/v1/skills"),
        ("post", "/v1/tokens"),
        ("post", "/v1/mentorships"),
        ("patch", "/v1/people/per_01JD3Q5X4J8Z6V2M9N7K1R0T5B"),
    ],
)
def test_a_body_nested_990_levels_is_a_400_problem(admin, method, path):
    response = getattr(admin.client, method)(
        path,
        data=DEEP,
        content_type="application/json",
        headers={"Authorization": f"Bearer {admin.token}", "If-Match": '"x"'},
    )
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    problem = response.get_json()
    assert problem["type"] == "urn:rapport:problem:malformed-request"
    assert "32 levels" in problem["detail"]


def test_a_scim_body_nested_990_levels_is_a_400_scim_error(admin):
    response = admin.client.post(
        "/scim/v2/Users",
        data='{"schemas": ' + DEEP + "}",
        content_type="application/scim+json",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert response.status_code == 400
    assert response.get_json()["status"] in ("400", 400)


def test_the_limit_is_well_below_recursion_and_just_above_real_bodies(admin):
    def post(body: str):
        return admin.client.post(
            "/v1/people",
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {admin.token}"},
        )

    assert post(nested(33)).status_code == 400
    # 32 levels pass the guard and reach the schema, which refuses a list as a person.
    assert post(nested(32)).status_code == 422


def test_nesting_depth_counts_arrays_and_objects():
    assert nesting_depth(1, 32) == 0
    assert nesting_depth([], 32) == 1
    assert nesting_depth({"a": [{"b": []}]}, 32) == 4
    assert nesting_depth([[1], [[2]]], 32) == 3
