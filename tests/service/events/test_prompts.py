"""The prompt catalogue: the default one, `rapport bingo load-prompts`, and admin curation."""

from __future__ import annotations

from collections import Counter

from service.cli import cli
from service.events.catalogue import DEFAULT_PROMPTS


def test_the_default_catalogue_has_forty_prompts_of_four_categories_some_checkable():
    assert len(DEFAULT_PROMPTS) >= 40
    assert len({key for key, *_ in DEFAULT_PROMPTS}) == len(DEFAULT_PROMPTS)
    assert len({text for _, _, text, _ in DEFAULT_PROMPTS}) == len(DEFAULT_PROMPTS)
    categories = Counter(category for _, category, _, _ in DEFAULT_PROMPTS)
    assert set(categories) == {"ask", "offer", "share", "discover"}
    assert min(categories.values()) >= 9
    conditions = {condition for *_, condition in DEFAULT_PROMPTS if condition}
    assert {
        "function_without_tie",
        "holds_learning_skill",
        "junior_who_can_teach",
        "other_division",
    } <= conditions
    # Enough plain prompts for a 5×5 card in a room where no condition can be met.
    assert sum(1 for *_, condition in DEFAULT_PROMPTS if condition is None) >= 25


def test_load_prompts_command_is_idempotent(app, admin):
    runner = app.test_cli_runner()
    first = runner.invoke(cli, ["bingo", "load-prompts"])
    assert first.exit_code == 0, first.output
    assert f"{len(DEFAULT_PROMPTS)} prompts added" in first.output
    second = runner.invoke(cli, ["bingo", "load-prompts"])
    assert "0 prompts added" in second.output
    listed = admin.get("/v1/bingo/prompts?page_size=100")
    assert len(listed.get_json()) == len(DEFAULT_PROMPTS)
    assert listed.headers["X-Pagination"]


def test_admins_curate_the_catalogue_and_members_read_it(admin, make_person, member_of):
    member = member_of(make_person()["id"])
    body = {
        "text": "  Ask what they would change first  ",
        "category": "ask",
        "condition": "senior_by_two",
    }
    assert member.post("/v1/bingo/prompts", json=body).status_code == 403
    created = admin.post("/v1/bingo/prompts", json=body)
    assert created.status_code == 201, created.get_json()
    prompt = created.get_json()
    assert prompt["text"] == "Ask what they would change first" and prompt["active"] is True
    path = f"/v1/bingo/prompts/{prompt['id']}"
    assert member.get(path).get_json() == prompt
    assert admin.patch(path, json={"active": False}).status_code == 428
    changed = admin.patch(path, json={"active": False}, etag="auto")
    assert changed.status_code == 200 and changed.get_json()["active"] is False
    assert admin.get("/v1/bingo/prompts?active=true").get_json() == []
    bad = admin.post(
        "/v1/bingo/prompts", json={"text": "x", "category": "gossip", "condition": "rich"}
    )
    assert bad.status_code == 422
    assert {e["pointer"] for e in bad.get_json()["errors"]} == {"/category", "/condition"}
    assert admin.delete(path, etag="auto").status_code == 204
    assert admin.get(path).status_code == 404
