"""/v1/skills: the taxonomy, aliases and their conflicts."""

from __future__ import annotations

import pytest


def test_create_with_aliases_and_read_back(admin):
    response = admin.post(
        "/v1/skills",
        json={"name": " Kubernetes ", "aliases": ["K8s", "kube", "k8s"], "category": "Cloud"},
    )
    assert response.status_code == 201
    skill = response.get_json()
    assert skill["name"] == "kubernetes"
    assert skill["aliases"] == ["k8s", "kube"]
    assert skill["category"] == "cloud"
    assert admin.get(f"/v1/skills/{skill['id']}").get_json() == skill


def test_a_name_or_alias_already_taken_is_409(admin):
    admin.post("/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"]})
    assert admin.post("/v1/skills", json={"name": "K8S"}).status_code == 409
    assert (
        admin.post(
            "/v1/skills", json={"name": "container orchestration", "aliases": ["kubernetes"]}
        ).status_code
        == 409
    )
    assert len(admin.get("/v1/skills").get_json()) == 1


def test_list_searches_names_and_aliases(admin):
    admin.post("/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"], "category": "cloud"})
    admin.post("/v1/skills", json={"name": "python", "category": "languages"})
    assert [s["name"] for s in admin.get("/v1/skills?q=K8").get_json()] == ["kubernetes"]
    assert [s["name"] for s in admin.get("/v1/skills?category=languages").get_json()] == ["python"]


def test_rename_keeps_people_linked(admin, make_person):
    skill = admin.post("/v1/skills", json={"name": "golang"}).get_json()
    person = make_person(skills=[{"skill": "golang", "level": 4}])
    renamed = admin.patch(
        f"/v1/skills/{skill['id']}", json={"name": "go", "aliases": ["golang"]}, etag="auto"
    )
    assert renamed.status_code == 200
    assert renamed.get_json()["aliases"] == ["golang"]
    assert admin.get(f"/v1/people/{person['id']}").get_json()["skills"] == [
        {"skill": "go", "level": 4}
    ]


def test_rename_onto_another_skill_is_409(admin):
    admin.post("/v1/skills", json={"name": "go"})
    other = admin.post("/v1/skills", json={"name": "rust"}).get_json()
    response = admin.patch(f"/v1/skills/{other['id']}", json={"name": "Go"}, etag="auto")
    assert response.status_code == 409
    assert admin.get(f"/v1/skills/{other['id']}").get_json()["name"] == "rust"


def test_a_skill_in_use_cannot_be_deleted(admin, make_person):
    used = admin.post("/v1/skills", json={"name": "go"}).get_json()
    unused = admin.post("/v1/skills", json={"name": "cobol"}).get_json()
    make_person(learning=[{"skill": "go"}])
    assert admin.delete(f"/v1/skills/{used['id']}", etag="auto").status_code == 409
    assert admin.delete(f"/v1/skills/{unused['id']}", etag="auto").status_code == 204
    assert admin.get(f"/v1/skills/{unused['id']}").status_code == 404


def test_blank_or_long_names_are_422(admin):
    assert admin.post("/v1/skills", json={"name": "   "}).status_code == 422
    assert admin.post("/v1/skills", json={"name": "x" * 81}).status_code == 422
    assert admin.get("/v1/skills").get_json() == []


def test_search_text_is_matched_literally(admin):
    admin.post("/v1/skills", json={"name": "c_sharp"})
    admin.post("/v1/skills", json={"name": "rust"})
    assert [s["name"] for s in admin.get("/v1/skills?q=_").get_json()] == ["c_sharp"]
    assert admin.get("/v1/skills?q=%25").get_json() == []


@pytest.mark.parametrize("category", ["", " ", "\t\n"])
def test_a_blank_category_is_422_and_changes_nothing(admin, category):
    created = admin.post("/v1/skills", json={"name": "go", "category": category})
    assert created.status_code == 422
    assert created.get_json()["errors"][0]["pointer"] == "/category"
    assert admin.get("/v1/skills").get_json() == []
    skill = admin.post("/v1/skills", json={"name": "go", "category": "languages"}).get_json()
    changed = admin.patch(f"/v1/skills/{skill['id']}", json={"category": category}, etag="auto")
    assert changed.status_code == 422
    assert admin.get(f"/v1/skills/{skill['id']}").get_json()["category"] == "languages"


def test_every_skill_listed_satisfies_the_schema_it_is_documented_with(admin, anonymous):
    spec = anonymous.get("/openapi.json").get_json()
    rule = spec["components"]["schemas"]["Skill"]["properties"]["category"]
    admin.post("/v1/skills", json={"name": "go", "category": " languages "})
    admin.post("/v1/skills", json={"name": "rust"})
    for skill in admin.get("/v1/skills").get_json():
        assert rule["minLength"] <= len(skill["category"]) <= rule["maxLength"]
        assert skill["category"].strip()
