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


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _has_example(node: dict) -> bool:
    return "example" in node or "examples" in node or "example" in node.get("schema", {})


def test_every_operation_parameter_header_and_field_is_described_with_an_example(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    gaps = []
    for path, operations in spec["paths"].items():
        for parameter in operations.get("parameters", []):
            parameter = _resolve(spec, parameter)
            if not parameter.get("description") or not _has_example(parameter):
                gaps.append(f"{path} path parameter {parameter['name']}")
        for method, operation in operations.items():
            if method == "parameters":
                continue
            if not operation.get("description"):
                gaps.append(f"{method} {path}: description")
            for parameter in operation.get("parameters", []):
                parameter = _resolve(spec, parameter)
                if not parameter.get("description") or not _has_example(parameter):
                    gaps.append(f"{method} {path} parameter {parameter['name']}")
            for status, response in operation["responses"].items():
                for name, header in _resolve(spec, response).get("headers", {}).items():
                    header = _resolve(spec, header)
                    if not header.get("description") or not _has_example(header):
                        gaps.append(f"{method} {path} {status} header {name}")
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if not prop.get("description"):
                gaps.append(f"schema {name}.{field}: description")
            nested = (
                "$ref" in prop or "$ref" in prop.get("items", {}) or prop.get("type") == "object"
            )
            if not nested and not _has_example(prop):
                gaps.append(f"schema {name}.{field}: example")
    assert gaps == []


def test_the_info_block_says_what_rapport_is_and_lists_the_problem_types(anonymous):
    from service.errors import PROBLEM_TYPES, problem_type

    info = anonymous.get("/openapi.json").get_json()["info"]
    assert "professional network" in info["description"]
    for slug in PROBLEM_TYPES:
        assert problem_type(slug) in info["description"]
