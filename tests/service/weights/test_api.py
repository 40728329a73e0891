"""Versioned weights: current, candidates, history; adoption and roll-back; learning end to end."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matching import COMPONENTS, DEFAULT_WEIGHTS
from service import demo
from service.cli import cli
from service.weights.models import WeightSet

SENIORITY_ONLY = {c: (1.0 if c == "seniority_fit" else 0.0) for c in COMPONENTS}
AVAILABILITY_ONLY = {c: (1.0 if c == "availability" else 0.0) for c in COMPONENTS}


def planted(session, version, mentor_weights):
    """Store a learnt weight set directly (as the learning would)."""
    weights = {purpose: dict(values) for purpose, values in DEFAULT_WEIGHTS.items()}
    weights["mentor"] = mentor_weights
    weight_set = WeightSet(
        version=version,
        weights=weights,
        evaluation={"purposes": {}},
        recommended=False,
        reasons=["planted by a test"],
        created_at=datetime(2026, 5, 1, tzinfo=UTC),
    )
    session.add(weight_set)
    session.commit()
    return weight_set.id


@pytest.fixture
def company(admin, make_person, member_of):
    """Ada wants kubernetes; Kim teaches it best but is one level up and busy; Lee is senior."""
    admin.post("/v1/skills", json={"name": "kubernetes", "category": "cloud"})
    ada = make_person(name="Ada", level=2, learning=[{"skill": "kubernetes", "priority": 1}])
    kim = make_person(
        name="Kim",
        level=3,
        skills=[{"skill": "kubernetes", "level": 5}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 4},
    )
    lee = make_person(
        name="Lee",
        level=5,
        skills=[{"skill": "kubernetes", "level": 3}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 1},
    )
    return {"ada": ada, "kim": kim, "lee": lee, "as_ada": member_of(ada["id"])}


def ranking(client, person):
    body = client.get(f"/v1/people/{person['id']}/recommendations?diversity=0").get_json()
    return body["weights_version"], [item["person"]["name"] for item in body["items"]]


def test_the_built_in_weights_are_version_0(admin, company):
    overview = admin.get("/v1/matching/weights").get_json()
    assert overview["current"]["version"] == 0
    assert overview["current"]["id"] == "default"
    assert overview["current"]["current"] is True
    assert overview["current"]["weights"]["mentor"] == dict(DEFAULT_WEIGHTS["mentor"])
    assert overview["candidates"] == [] and overview["history"] == []
    assert ranking(company["as_ada"], company["ada"])[0] == 0
    assert admin.get("/v1/matching/weights/default").get_json()["version"] == 0


def test_adopt_and_roll_back_change_what_ranks_the_lists(admin, company, session):
    as_ada, ada = company["as_ada"], company["ada"]
    senior = planted(session, 1, SENIORITY_ONLY)
    available = planted(session, 2, AVAILABILITY_ONLY)
    overview = admin.get("/v1/matching/weights").get_json()
    assert [c["version"] for c in overview["candidates"]] == [2, 1]
    assert ranking(as_ada, ada) == (0, ["Kim", "Lee"])

    adopted = admin.post(f"/v1/matching/weights/{senior}/adopt")
    assert adopted.status_code == 200, adopted.get_json()
    assert adopted.get_json()["version"] == 1 and adopted.get_json()["current"] is True
    # Two levels up is the best seniority for a mentor: Lee first.
    assert ranking(as_ada, ada) == (1, ["Lee", "Kim"])
    assert admin.post(f"/v1/matching/weights/{senior}/adopt").status_code == 409

    admin.post(f"/v1/matching/weights/{available}/adopt")
    assert ranking(as_ada, ada) == (2, ["Kim", "Lee"])
    overview = admin.get("/v1/matching/weights").get_json()
    assert overview["candidates"] == []
    assert [(e["action"], e["version"], e["previous_version"]) for e in overview["history"]] == [
        ("adopt", 2, 1),
        ("adopt", 1, 0),
    ]

    rolled = admin.post("/v1/matching/weights/current/rollback")
    assert rolled.status_code == 200 and rolled.get_json()["version"] == 1
    assert ranking(as_ada, ada)[0] == 1
    assert admin.post("/v1/matching/weights/current/rollback").get_json()["version"] == 0
    assert ranking(as_ada, ada) == (0, ["Kim", "Lee"])
    refused = admin.post("/v1/matching/weights/current/rollback")
    assert refused.status_code == 409
    assert refused.headers["Content-Type"] == "application/problem+json"


def test_only_admins_change_the_weights(admin, company, session):
    senior = planted(session, 1, SENIORITY_ONLY)
    as_ada = company["as_ada"]
    assert as_ada.get("/v1/matching/weights").status_code == 200
    assert as_ada.get(f"/v1/matching/weights/{senior}").status_code == 200
    assert as_ada.post(f"/v1/matching/weights/{senior}/adopt").status_code == 403
    assert as_ada.post("/v1/matching/weights/current/rollback").status_code == 403
    assert admin.post("/v1/matching/weights/wts_ghost/adopt").status_code == 404
    assert admin.get("/v1/matching/weights/wts_ghost").status_code == 404
    assert admin.post("/v1/matching/weights/default/adopt").status_code == 409
    assert admin.get("/v1/matching/weights").get_json()["current"]["version"] == 0


def test_learning_on_demo_data_produces_an_evaluated_candidate(app, admin, session):
    demo.load(session, people=600, seed=7)
    result = app.test_cli_runner().invoke(cli, ["matching", "learn"])
    assert result.exit_code == 0, result.output
    assert "NDCG@10" in result.output and "exposure Gini" in result.output
    overview = admin.get("/v1/matching/weights").get_json()
    learnt = overview["candidates"] + ([overview["current"]] if overview["history"] else [])
    (weight_set,) = [s for s in learnt if s["version"] == 1]
    evaluation = weight_set["evaluation"]
    assert evaluation["lists"] > 100
    assert evaluation["outcomes"]["accepted"] > 0 and evaluation["outcomes"]["interacted"] > 0
    evaluated = [p for p in evaluation["purposes"].values() if p["ndcg_gain"] is not None]
    assert evaluated
    for report in evaluated:
        assert report["train_lists"] > report["test_lists"] > 0
        assert report["auc_candidate"]["low"] <= report["auc_candidate"]["value"]
        assert sum(report["candidate"].values()) == pytest.approx(1.0)
    assert weight_set["reasons"]
    assert (weight_set["recommended"] is True) == bool(overview["history"])


def test_adoption_is_refused_without_enough_outcomes(app, admin, session):
    demo.load(session, people=600, seed=7)
    app.config["LEARNING_MIN_OUTCOMES"] = 10**6
    try:
        result = app.test_cli_runner().invoke(cli, ["matching", "learn"])
    finally:
        app.config["LEARNING_MIN_OUTCOMES"] = 200
    assert result.exit_code == 0, result.output
    assert "Kept as a candidate" in result.output
    overview = admin.get("/v1/matching/weights").get_json()
    assert overview["current"]["version"] == 0 and overview["history"] == []
    (candidate,) = overview["candidates"]
    assert any("needed to adopt" in reason for reason in candidate["reasons"])


def test_the_weekly_task_learns_in_the_background(app, admin):
    from service.tasks import submit
    from service.weights.tasks import learn_weights

    with app.app_context():
        submit(learn_weights)
    overview = admin.get("/v1/matching/weights").get_json()
    (candidate,) = overview["candidates"]
    assert candidate["version"] == 1 and candidate["recommended"] is False
    assert candidate["evaluation"]["lists"] == 0
