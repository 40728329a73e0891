"""Swagger UI's "Try it out" on the `make run` database: the documented examples work there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from alembic import command as alembic_command

from service import demo, examples
from service.auth import Role
from service.cli import alembic_config, demo_load
from service.db import database
from tests.conftest import ApiClient, issue

ROOT = Path(__file__).parents[2]
ID = re.compile(r"\b(per|skl|gol|int|men)_[0-9A-HJKMNP-TV-Z]{26}\b")
TABLES = {
    "per": "people",
    "skl": "skills",
    "gol": "goals",
    "int": "interactions",
    "men": "mentorships",
}


def make_run_demo() -> tuple[int, int]:
    """The number of people and the seed of the company `make run` loads."""
    people = int(re.search(r"^DEMO_PEOPLE \?= (\d+)$", (ROOT / "Makefile").read_text(), re.M)[1])
    (seed,) = [p.default for p in demo_load.params if p.name == "seed"]
    return people, seed


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """An application on the demo company of `make run`."""
    from service.app import create_app
    from tests.conftest import scratch_database

    with scratch_database(tmp_path_factory.mktemp("demo")) as url:
        alembic_command.upgrade(alembic_config(url), "head")
        application = create_app({"DATABASE_URL": url, "TESTING": True})
        people, seed = make_run_demo()
        with application.app_context(), database().sessions() as session:
            demo.load(session, people=people, seed=seed)
        yield application
        with application.app_context():
            database().engine.dispose()


def test_every_id_in_the_spec_exists_in_the_make_run_company(demo_app):
    from sqlalchemy import text

    spec = json.dumps(demo_app.test_client().get("/openapi.json").get_json())
    ids = {match.group(0) for match in ID.finditer(spec)}
    assert examples.PERSON in ids and examples.GOAL in ids
    with demo_app.app_context(), database().sessions() as session:
        for found in sorted(ids):
            table = TABLES[found[:3]]
            row = session.execute(text(f"SELECT 1 FROM {table} WHERE id = :id"), {"id": found})
            assert row.first() is not None, f"{found} is not in the demo company's {table}"


def test_try_it_out_answers_every_read_with_its_examples(demo_app):
    client = demo_app.test_client()
    admin = ApiClient(client, issue(demo_app, Role.ADMIN))
    spec = client.get("/openapi.json").get_json()
    tried = 0
    for path, operations in spec["paths"].items():
        operation = operations.get("get")
        if operation is None or not operation.get("security") or "{" not in path:
            continue
        parameters = operations.get("parameters", [])
        # An id the demo company has none of (a token's) says so, and where to find one.
        if any("not a real one" in parameter["description"] for parameter in parameters):
            continue
        url = path
        for parameter in parameters:
            url = url.replace("{" + parameter["name"] + "}", parameter["example"])
        # Swagger UI fills a required query parameter with its example too.
        required = [
            f"{parameter['name']}={parameter['schema']['example']}"
            for parameter in operation.get("parameters", [])
            if parameter.get("in") == "query" and parameter.get("required")
        ]
        if required:
            url += "?" + "&".join(required)
        response = admin.get(url)
        assert response.status_code == 200, (url, response.get_json())
        tried += 1
    assert tried >= 10


def test_the_documented_recommendation_works_as_it_is(demo_app):
    client = demo_app.test_client()
    admin = ApiClient(client, issue(demo_app, Role.ADMIN))
    spec = client.get("/openapi.json").get_json()
    parameters = spec["paths"]["/v1/people/{person_id}/recommendations"]["get"]["parameters"]
    query = "&".join(f"{p['name']}={p['schema']['example']}" for p in parameters)
    answer = admin.get(f"/v1/people/{examples.PERSON}/recommendations?{query}")
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["items"]


def _example_of(spec: dict, schema: dict):
    """The example body Swagger UI composes from a schema: its properties' examples."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    if "example" in schema:
        return schema["example"]
    if schema.get("type") == "array" and "items" in schema:
        return [_example_of(spec, schema["items"])]
    body = {}
    for field, prop in schema.get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        body[field] = _example_of(spec, prop)
    return body


@pytest.mark.parametrize(
    "path", ["/v1/people", "/v1/skills", "/v1/goals", "/v1/interactions", "/v1/mentorships"]
)
def test_try_it_out_creates_with_the_documented_body(demo_app, path):
    client = demo_app.test_client()
    admin = ApiClient(client, issue(demo_app, Role.ADMIN))
    spec = client.get("/openapi.json").get_json()
    content = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    body = content.get("example") or _example_of(spec, content["schema"])
    created = admin.post(path, json=body)
    assert created.status_code == 201, (body, created.get_json())
