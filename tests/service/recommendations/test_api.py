"""GET /v1/people/{id}/recommendations: explained, rule-abiding, and fresh in every worker."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.recommendations.logic import RecommendationIndex


@pytest.fixture
def company(admin, make_person):
    """A small company: a staff engineer who wants kubernetes, and people around her."""
    admin.post("/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"], "category": "cloud"})
    boss = make_person(
        name="Boss",
        level=8,
        skills=[{"skill": "kubernetes", "level": 5}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 3},
    )
    ada = make_person(
        name="Ada",
        level=5,
        manager_id=boss["id"],
        skills=[{"skill": "rust", "level": 4}],
        learning=[{"skill": "k8s", "priority": 1}],
    )
    mentor = make_person(
        name="Kim",
        level=7,
        function="engineering",
        division="Platform",
        skills=[{"skill": "kubernetes", "level": 5}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 2},
    )
    closed = make_person(name="Closed", level=7, skills=[{"skill": "kubernetes", "level": 5}])
    junior = make_person(
        name="Junior",
        level=2,
        skills=[{"skill": "kubernetes", "level": 5}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 2},
    )
    gone = make_person(
        name="Gone",
        level=7,
        skills=[{"skill": "kubernetes", "level": 5}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 2},
    )
    admin.delete(f"/v1/people/{gone['id']}", etag="auto")
    return {
        "ada": ada,
        "boss": boss,
        "mentor": mentor,
        "closed": closed,
        "junior": junior,
        "gone": gone,
    }


def names(body) -> list[str]:
    return [item["person"]["name"] for item in body["items"]]


def test_mentor_recommendations_follow_the_rules_and_explain_themselves(admin, company):
    response = admin.get(f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["person_id"] == company["ada"]["id"]
    assert body["purpose"] == "mentor"
    # Not her manager, not someone closed to mentoring, not a junior, not an inactive person.
    assert names(body) == ["Kim"]
    item = body["items"][0]
    assert 0 < item["score"] <= 1
    assert set(item["components"]) == {
        "skill_fit",
        "goal_alignment",
        "seniority_fit",
        "perspective_diversity",
        "network_novelty",
        "mutual_benefit",
        "availability",
    }
    assert all(0 <= v <= 1 for v in item["components"].values())
    assert any("kubernetes" in reason and "5" in reason for reason in item["reasons"])


def test_a_change_is_reflected_in_the_next_recommendation_without_refitting(
    admin, company, app, monkeypatch
):
    path = f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor"
    assert names(admin.get(path).get_json()) == ["Kim"]
    fits = []
    index: RecommendationIndex = app.extensions["rapport.recommendations"]
    original = index._fitted
    monkeypatch.setattr(index, "_fitted", lambda *args: (fits.append(1), original(*args))[1])
    closed = company["closed"]
    admin.patch(
        f"/v1/people/{closed['id']}",
        json={"mentoring": {"open_to_mentor": True, "mentor_capacity": 1}},
        etag="auto",
    )
    assert sorted(names(admin.get(path).get_json())) == ["Closed", "Kim"]
    admin.patch(f"/v1/people/{company['mentor']['id']}", json={"skills": []}, etag="auto")
    assert names(admin.get(path).get_json()) == ["Closed"]
    assert fits == []


def test_every_worker_sees_a_change_made_through_another(admin, company, make_app, database_url):
    other_worker = make_app({"DATABASE_URL": database_url})
    from service.auth import Role
    from service.tokens.logic import issue_token

    with other_worker.app_context():
        from service.db import database

        with database().sessions() as session:
            _token, secret = issue_token(session, role=Role.ADMIN, name="worker 2")
            session.commit()
    client = other_worker.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    path = f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor"
    assert [i["person"]["name"] for i in client.get(path, headers=headers).get_json()["items"]] == [
        "Kim"
    ]
    admin.patch(
        f"/v1/people/{company['closed']['id']}",
        json={"mentoring": {"open_to_mentor": True, "mentor_capacity": 1}},
        etag="auto",
    )
    assert sorted(
        i["person"]["name"] for i in client.get(path, headers=headers).get_json()["items"]
    ) == ["Closed", "Kim"]


def test_a_goal_focuses_the_list_and_is_named_in_the_reasons(admin, company, make_person):
    make_person(
        name="Pat",
        level=7,
        skills=[{"skill": "pricing", "level": 5}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 1},
    )
    goal = admin.post(
        "/v1/goals",
        json={
            "person_id": company["ada"]["id"],
            "title": "Price the platform",
            "kind": "business_understanding",
            "target_skills": ["pricing"],
        },
    ).get_json()
    body = admin.get(
        f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor&goal_id={goal['id']}"
    ).get_json()
    assert names(body)[0] == "Pat"
    assert any("Price the platform" in reason for reason in body["items"][0]["reasons"])


def test_a_goal_of_someone_else_is_422(admin, company):
    goal = admin.post(
        "/v1/goals",
        json={"person_id": company["mentor"]["id"], "title": "T", "kind": "learn_skill"},
    ).get_json()
    response = admin.get(f"/v1/people/{company['ada']['id']}/recommendations?goal_id={goal['id']}")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["parameter"] == "goal_id"


@pytest.mark.parametrize(
    "query", ["purpose=boss", "limit=0", "limit=51", "diversity=1.5", "diversity=-0.1"]
)
def test_bad_queries_are_422(admin, company, query):
    assert (
        admin.get(f"/v1/people/{company['ada']['id']}/recommendations?{query}").status_code == 422
    )


def test_unknown_person_is_404(admin):
    assert admin.get("/v1/people/per_ghost/recommendations").status_code == 404


def test_a_member_asks_only_for_themselves(company, member_of, integration):
    ada = member_of(company["ada"]["id"])
    assert ada.get(f"/v1/people/{company['ada']['id']}/recommendations").status_code == 200
    assert ada.get(f"/v1/people/{company['mentor']['id']}/recommendations").status_code == 403
    assert integration.get(f"/v1/people/{company['ada']['id']}/recommendations").status_code == 403


def test_ties_from_interactions_reach_the_engine(admin, company):
    when = datetime.now(UTC).isoformat()
    for _ in range(3):
        admin.post(
            "/v1/interactions",
            json={
                "person_id": company["ada"]["id"],
                "contact_id": company["mentor"]["id"],
                "kind": "coffee_chat",
                "occurred_at": when,
            },
        )
    item = admin.get(f"/v1/people/{company['ada']['id']}/recommendations").get_json()["items"][0]
    assert item["components"]["network_novelty"] < 0.5


def test_renaming_a_skill_keeps_every_worker_consistent(admin, company):
    path = f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor"
    assert names(admin.get(path).get_json()) == ["Kim"]
    skill = admin.get("/v1/skills?q=kubernetes").get_json()[0]
    admin.patch(f"/v1/skills/{skill['id']}", json={"name": "k8s platform"}, etag="auto")
    admin.patch(f"/v1/people/{company['ada']['id']}", json={"location": "Porto"}, etag="auto")
    item = admin.get(path).get_json()["items"][0]
    assert item["person"]["name"] == "Kim"
    assert any("k8s platform" in reason for reason in item["reasons"])


def test_a_worker_can_fit_its_index_before_the_first_request(app, company, admin, monkeypatch):
    from service.recommendations.logic import warm

    index = app.extensions["rapport.recommendations"]
    warm(app)
    fits = []
    monkeypatch.setattr(index, "_fitted", lambda *args: fits.append(1))
    path = f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor"
    assert names(admin.get(path).get_json()) == ["Kim"]
    assert fits == []


def test_the_index_is_refitted_in_the_background_to_take_in_time(app, company, admin, monkeypatch):
    import time

    index = app.extensions["rapport.recommendations"]
    path = f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor"
    assert names(admin.get(path).get_json()) == ["Kim"]
    before = index._index
    monkeypatch.setattr(index, "refresh_after", 0.0)
    # The request that notices the age is served at once, by the index it has.
    assert names(admin.get(path).get_json()) == ["Kim"]
    for _ in range(100):
        if index._index is not before and not index._refitting:
            break
        time.sleep(0.05)
    assert index._index is not before
    monkeypatch.setattr(index, "refresh_after", 3600.0)
    assert names(admin.get(path).get_json()) == ["Kim"]


def test_scores_and_components_are_rounded_alike_and_the_order_is_documented(
    admin, company, make_person, anonymous
):
    for n in range(6):
        make_person(
            name=f"Mentor {n}",
            level=6 + n % 3,
            function=("engineering", "data", "product")[n % 3],
            division=f"Division {n % 2}",
            skills=[{"skill": "kubernetes", "level": 3 + n % 3}],
            mentoring={"open_to_mentor": True, "mentor_capacity": 1 + n % 2},
        )
    path = f"/v1/people/{company['ada']['id']}/recommendations?purpose=mentor"
    for diversity in ("0", "0.3", "1"):
        items = admin.get(f"{path}&diversity={diversity}").get_json()["items"]
        assert len(items) >= 5
        for item in items:
            assert item["score"] == round(item["score"], 4)
            assert all(v == round(v, 4) for v in item["components"].values())
        if diversity == "0":
            scores = [item["score"] for item in items]
            assert scores == sorted(scores, reverse=True)
    spec = anonymous.get("/openapi.json").get_json()["components"]["schemas"]
    assert "re-ranking" in spec["RecommendationList"]["properties"]["items"]["description"]
    assert "4 decimal places" in spec["Recommendation"]["properties"]["score"]["description"]
