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
    media = list(node.get("content", {}).values())
    return (
        "example" in node
        or "examples" in node
        or "example" in node.get("schema", {})
        or any("example" in m or "examples" in m for m in media)
    )


# Parameters documented without an example, and why.
WITHOUT_EXAMPLE = {
    # Swagger UI would pre-fill it: a second "Try it out" with the same key replays the first
    # answer for 24 hours instead of creating anything.
    "Idempotency-Key",
}


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
                if parameter["name"] in WITHOUT_EXAMPLE:
                    if not parameter.get("description") or _has_example(parameter):
                        gaps.append(f"{method} {path} parameter {parameter['name']}: example")
                elif not parameter.get("description") or not _has_example(parameter):
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


def _operations(spec: dict):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                yield path, method, operation


def test_the_served_spec_passes_openapi_spec_validator(anonymous):
    from openapi_spec_validator import validate

    validate(anonymous.get("/openapi.json").get_json())


def test_every_operation_has_a_unique_operation_id_derived_from_its_view(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    ids = [operation.get("operationId") for _path, _method, operation in _operations(spec)]
    assert all(ids)
    assert len(ids) == len(set(ids))
    assert spec["paths"]["/v1/people/{person_id}"]["patch"]["operationId"] == "patch_person_by_id"
    recommendations = spec["paths"]["/v1/people/{person_id}/recommendations"]["get"]
    assert recommendations["operationId"] == "get_recommendations"


def test_the_spec_names_its_server(anonymous):
    assert anonymous.get("/openapi.json").get_json()["servers"] == [
        {"url": "/", "description": "The server that serves this document."}
    ]


def test_an_idempotent_operation_keeps_its_own_parameters(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    operation = spec["paths"]["/v1/imports/people"]["post"]
    names = [_resolve(spec, p)["name"] for p in operation["parameters"]]
    assert {"dry_run", "on_error", "Idempotency-Key"} <= set(names)
    assert "409" in operation["responses"]
    assert "Idempotent-Replayed" in operation["responses"]["200"]["headers"]


def test_each_error_status_has_its_own_example(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    seen = {}
    for response in spec["components"]["responses"].values():
        example = response.get("content", {}).get("application/problem+json", {}).get("example")
        if example is not None:
            assert response["description"]
            seen[example["status"]] = example
            assert example["type"].startswith("urn:rapport:problem:")
    assert {401, 403, 404, 409, 412, 422, 428, 503} <= set(seen)
    assert len({example["detail"] for example in seen.values()}) == len(seen)
    assert seen[422]["errors"]


def test_operations_document_the_errors_and_headers_they_really_send(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    for path, method, operation in _operations(spec):
        where = f"{method.upper()} {path}"
        responses = operation["responses"]
        if "{" in path:
            assert "404" in responses, where
        names = {_resolve(spec, p)["name"] for p in operation.get("parameters", [])}
        if "If-Match" in names:
            assert {"412", "428"} <= set(responses), where
        assert "503" in responses, where
        unavailable = _resolve(spec, responses["503"])
        assert "Retry-After" in unavailable["headers"], where
        for status, response in responses.items():
            response = _resolve(spec, response)
            assert "X-Request-ID" in response.get("headers", {}), f"{where} {status}"
            if status == "201":
                assert "Location" in response["headers"], where
    conflicts = [
        ("/v1/people", "post"),
        ("/v1/people/{person_id}", "patch"),
        ("/v1/skills", "post"),
        ("/v1/skills/{skill_id}", "delete"),
        ("/v1/mentorships", "post"),
        ("/v1/mentorships/{mentorship_id}/accept", "post"),
    ]
    for path, method in conflicts:
        conflict = spec["paths"][path][method]["responses"]["409"]
        assert conflict["content"]["application/problem+json"]["example"]["status"] == 409
    for name, header in spec["components"]["headers"].items():
        assert header["description"] and _has_example(header), name


def test_scim_patch_operations_are_documented_in_lower_case(anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    op = spec["components"]["schemas"]["ScimPatchOperation"]["properties"]["op"]
    assert op["enum"] == ["add", "replace", "remove"]
    assert "any case" in op["description"]


def test_the_description_starts_with_where_to_begin(anonymous):
    from service import examples

    description = anonymous.get("/openapi.json").get_json()["info"]["description"]
    start = description.split("\n\n")[0]
    assert start.startswith("**Start here.**")
    for step in ("token", "Authorize", "GET /v1/people", "recommendations", examples.PERSON):
        assert step in start


def test_the_documented_headers_are_the_ones_sent(admin, anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    created = admin.post(
        "/v1/people",
        json={"email": "ada@example.com", "name": "Ada", "function": "data", "level": 4},
        headers={"X-Request-ID": "client-42", "Idempotency-Key": "k-1"},
    )
    documented = spec["paths"]["/v1/people"]["post"]["responses"]["201"]["headers"]
    assert created.status_code == 201
    assert {"ETag", "Location", "X-Request-ID", "Idempotent-Replayed"} <= set(documented)
    assert created.headers["Location"].endswith(f"/v1/people/{created.get_json()['id']}")
    assert created.headers["X-Request-ID"] == "client-42"
    assert created.headers["ETag"]
    replayed = admin.post(
        "/v1/people",
        json={"email": "ada@example.com", "name": "Ada", "function": "data", "level": 4},
        headers={"Idempotency-Key": "k-1"},
    )
    assert replayed.headers["Idempotent-Replayed"] == "true"
    missing = admin.get("/v1/people/per_nobody")
    assert missing.status_code == 404 and missing.headers["X-Request-ID"]
