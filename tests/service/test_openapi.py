"""The committed spec is the served spec, and it describes every operation."""

from __future__ import annotations

import json
from pathlib import Path

SPEC_FILE = Path(__file__).parents[2] / "openapi" / "openapi.json"


def test_committed_spec_matches_the_served_one(anonymous):
    served = anonymous.get("/openapi.json").get_json()
    committed = json.loads(SPEC_FILE.read_text())
    assert served == committed, "openapi/openapi.json is stale: run `make openapi` and commit it"


def test_every_operation_has_a_summary_and_declares_its_security(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert "security" in operation, (
                f"{method.upper()} {path} does not say whether it needs a token"
            )


def test_error_responses_are_problem_documents(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    for name, response in spec["components"]["responses"].items():
        content = response.get("content")
        if content:
            assert list(content) == ["application/problem+json"], name
