"""A client generated from the spec with openapi-python-client's default settings works.

The generator is run on the served spec, as a client's developer would; the generated
package is imported in a fresh interpreter and used against a real HTTP server: it creates
two people and reads recommendations, parsing every answer with the generated models.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

GENERATOR = Path(sys.executable).parent / "openapi-python-client"

# The generator cannot send a text/csv body; it skips that one operation and says so.
CSV_WARNING = (
    "WARNING parsing POST /v1/imports/people within imports. Endpoint will not be generated."
)
# Nor can it parse a picture or a document (PDF, SVG): it still generates those operations,
# whose bytes a client reads from the raw response, and warns once for each.
PICTURES = {"application/pdf", "image/svg+xml"}


def expected_warnings(spec: dict) -> set[str]:
    """The generator's warnings for this spec: the CSV import, and one per picture."""
    expected = {CSV_WARNING}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            answered = set(operation.get("responses", {}).get("200", {}).get("content", {}))
            if answered and answered <= PICTURES:
                tag = operation["tags"][0]
                expected.add(f"WARNING parsing {method.upper()} {path} within {tag}.")
    return expected


CLIENT_SCRIPT = """
import sys

from rapport_client import AuthenticatedClient
from rapport_client.api.people import get_people, post_people
from rapport_client.api.recommendations import get_recommendations
from rapport_client.models import GetRecommendationsPurpose, Person

base_url, token = sys.argv[1:3]
client = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
kim = post_people.sync(
    client=client,
    body=Person.from_dict(
        {
            "email": "kim@example.com",
            "name": "Kim",
            "function": "engineering",
            "level": 7,
            "skills": [{"skill": "kubernetes", "level": 5}],
            "mentoring": {"open_to_mentor": True, "mentor_capacity": 2},
        }
    ),
)
ada = post_people.sync(
    client=client,
    body=Person.from_dict(
        {
            "email": "ada@example.com",
            "name": "Ada",
            "function": "engineering",
            "level": 3,
            "learning": [{"skill": "kubernetes", "priority": 1}],
        }
    ),
)
assert isinstance(kim, Person) and isinstance(ada, Person), (kim, ada)
listed = get_people.sync(client=client, page_size=10)
assert sorted(p.name for p in listed) == ["Ada", "Kim"], listed
found = get_recommendations.sync(
    ada.id, client=client, purpose=GetRecommendationsPurpose.MENTOR, limit=5
)
assert [item.person.name for item in found.items] == ["Kim"], found
print("ok", found.items[0].score)
"""


def test_a_client_generated_with_default_settings_imports_and_talks_to_the_api(
    anonymous, admin, server, tmp_path
):
    served = anonymous.get("/openapi.json").get_json()
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(served))
    # Its post-generation hooks run ruff, found on PATH as in the developer's virtualenv.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    generated = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(spec), "--output-path", "client"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    warnings = {line.strip() for line in output.splitlines() if line.startswith("WARNING")}
    assert warnings == expected_warnings(served), output
    package = tmp_path / "client" / "rapport_client"
    assert (package / "api" / "recommendations" / "get_recommendations.py").exists()

    used = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CLIENT_SCRIPT), server, admin.token],
        cwd=tmp_path / "client",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert used.returncode == 0, used.stdout + used.stderr
    assert used.stdout.startswith("ok ")
