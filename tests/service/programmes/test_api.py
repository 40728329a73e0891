"""Programmes through HTTP: create, enrol, run, read the lists, review, publish, and bad input."""

from __future__ import annotations

import pytest


@pytest.fixture
def cohort(admin, make_person):
    """Two mentors (one slot each, one a clear favourite), three mentees who want rust."""
    admin.post("/v1/skills", json={"name": "rust", "category": "languages"})
    admin.post("/v1/skills", json={"name": "go", "category": "languages"})
    ava = make_person(
        name="Ava",
        level=6,
        division="Platform",
        skills=[{"skill": "rust", "level": 5}, {"skill": "go", "level": 2}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 1},
    )
    ben = make_person(
        name="Ben",
        level=6,
        division="Payments",
        skills=[{"skill": "rust", "level": 3}],
        mentoring={"open_to_mentor": True, "mentor_capacity": 1},
    )
    cleo = make_person(
        name="Cleo",
        level=2,
        division="Payments",
        skills=[{"skill": "go", "level": 4}],
        learning=[{"skill": "rust", "priority": 1}],
    )
    dan = make_person(
        name="Dan", level=2, division="Platform", learning=[{"skill": "rust", "priority": 1}]
    )
    eve = make_person(
        name="Eve", level=1, division="Growth", learning=[{"skill": "rust", "priority": 2}]
    )
    return {"ava": ava, "ben": ben, "cleo": cleo, "dan": dan, "eve": eve}


def create_programme(admin, **fields):
    body = {"name": "Spring mentoring", "kind": "mentoring", **fields}
    response = admin.post("/v1/programmes", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def enrol(admin, programme, role, *people):
    response = admin.post(
        f"/v1/programmes/{programme['id']}/participants",
        json={"role": role, "person_ids": [p["id"] for p in people]},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def ready(admin, cohort, **fields):
    programme = create_programme(admin, **fields)
    enrol(admin, programme, "mentor", cohort["ava"], cohort["ben"])
    enrol(admin, programme, "mentee", cohort["cleo"], cohort["dan"], cohort["eve"])
    return programme


def run(admin, programme, method="stable"):
    started = admin.post(f"/v1/programmes/{programme['id']}/runs", json={"method": method})
    assert started.status_code == 202, started.get_json()
    location = started.headers["Location"]
    assert location.endswith(started.get_json()["id"])
    body = admin.get(location).get_json()
    assert body["status"] == "succeeded", body
    return location, body


def test_a_stable_run_matches_explains_and_measures_the_cohort(admin, cohort):
    programme = ready(admin, cohort)
    location, body = run(admin, programme)
    assert body["progress"] == 1.0 and body["method"] == "stable"
    pairs = {a["mentee_id"]: a for a in body["assignments"]}
    assert len(pairs) == 2  # two slots for three mentees
    for assignment in pairs.values():
        assert set(assignment["components"]) >= {"skill_fit", "mutual_benefit", "availability"}
        assert assignment["reasons"] and assignment["rank"] >= 1
        assert 0 < assignment["score"] <= 1
    # Ava is everyone's first choice; she picks the mentee she can help most and who can
    # teach her back (Cleo knows go); the others' explanations say so.
    assert pairs[cohort["cleo"]["id"]]["mentor_id"] == cohort["ava"]["id"]
    assert pairs[cohort["cleo"]["id"]]["explanation"] == "Ava was your first choice; they had room."
    second = next(a for a in pairs.values() if a["mentor_id"] == cohort["ben"]["id"])
    assert second["explanation"] == (
        "Your first choice, Ava, was filled by mentees they could help more; "
        "Ben was your 2nd choice and had room."
    )
    (left,) = body["unmatched"]
    assert left["reason"] == "mentors_full"
    metrics, baseline = body["metrics"], body["baseline"]
    assert metrics["blocking_pairs"] == 0 and metrics["capacity_violations"] == 0
    assert metrics["matched"] == 2 and metrics["matched_share"] == pytest.approx(2 / 3)
    assert baseline["matched"] == 2 and "blocking_pairs" in baseline
    assert metrics["cross_division_share"] is not None


def test_the_run_serves_both_sides_lists_so_stability_can_be_recomputed(admin, cohort):
    programme = ready(admin, cohort)
    location, body = run(admin, programme)
    mentee = admin.get(f"{location}/preferences", query_string={"mentee_id": cohort["dan"]["id"]})
    assert mentee.status_code == 200, mentee.get_json()
    items = mentee.get_json()["items"]
    assert [i["person_id"] for i in items] == [cohort["ava"]["id"], cohort["ben"]["id"]]
    assert items[0]["score"] >= items[1]["score"] and items[0]["rank"] == 1
    mentor = admin.get(f"{location}/preferences", query_string={"mentor_id": cohort["ava"]["id"]})
    listed = mentor.get_json()
    assert listed["side"] == "mentor" and listed["capacity"] == 1
    assert listed["items"][0]["person_id"] == cohort["cleo"]["id"]
    # Recompute the blocking pairs from the lists alone: none.
    mentor_of = {a["mentee_id"]: a["mentor_id"] for a in body["assignments"]}
    for mentee_id in [cohort[n]["id"] for n in ("cleo", "dan", "eve")]:
        own = admin.get(f"{location}/preferences", query_string={"mentee_id": mentee_id})
        for item in own.get_json()["items"]:
            if mentor_of.get(mentee_id) == item["person_id"]:
                break
            theirs = admin.get(
                f"{location}/preferences", query_string={"mentor_id": item["person_id"]}
            ).get_json()
            order = [i["person_id"] for i in theirs["items"]]
            held = [e for e, m in mentor_of.items() if m == item["person_id"]]
            assert len(held) >= theirs["capacity"]
            assert all(order.index(e) < order.index(mentee_id) for e in held)
    both = admin.get(
        f"{location}/preferences",
        query_string={"mentee_id": cohort["dan"]["id"], "mentor_id": cohort["ava"]["id"]},
    )
    assert both.status_code == 422


def test_optimal_and_greedy_runs(admin, cohort):
    programme = ready(admin, cohort)
    _, optimal = run(admin, programme, "optimal")
    _, greedy = run(admin, programme, "greedy")
    assert optimal["metrics"]["total_score"] >= greedy["metrics"]["total_score"] - 1e-9
    assert greedy["metrics"] == optimal["baseline"]


def test_review_pins_swaps_and_drops_with_the_rules_checked(admin, cohort, make_person):
    programme = ready(admin, cohort)
    location, body = run(admin, programme)
    cleo, dan, eve = (cohort[n]["id"] for n in ("cleo", "dan", "eve"))
    ava, ben = cohort["ava"]["id"], cohort["ben"]["id"]
    matched = {a["mentee_id"] for a in body["assignments"]}
    other = next(e for e in (dan, eve) if e in matched)
    full = admin.post(
        f"{location}/review", json={"action": "pin", "mentee_id": eve, "mentor_id": ava}
    )
    if eve not in matched:
        assert full.status_code == 409  # Ava's one slot is Cleo's
    swapped = admin.post(
        f"{location}/review", json={"action": "swap", "mentee_id": cleo, "other_mentee_id": other}
    )
    assert swapped.status_code == 200, swapped.get_json()
    pairs = {a["mentee_id"]: a for a in swapped.get_json()["assignments"]}
    assert pairs[cleo]["mentor_id"] == ben and pairs[other]["mentor_id"] == ava
    assert pairs[cleo]["pinned"] and "pinned" in pairs[cleo]["explanation"]
    # Pinned pairs are the administrator's: nobody counts as displacing them.
    assert pairs[cleo]["rank"] == 2 and swapped.get_json()["metrics"]["blocking_pairs"] == 0
    dropped = admin.post(f"{location}/review", json={"action": "drop", "mentee_id": other})
    assert dropped.status_code == 200
    reasons = {u["mentee_id"]: u["reason"] for u in dropped.get_json()["unmatched"]}
    assert reasons[other] == "dropped_in_review"
    assert dropped.get_json()["metrics"]["matched"] == 1
    # A junior mentor breaks the mentoring rule: 422, and the draft is unchanged.
    junior = make_person(name="Junior", level=1)
    broken = admin.post(
        f"{location}/review", json={"action": "pin", "mentee_id": dan, "mentor_id": junior["id"]}
    )
    assert broken.status_code == 422
    assert admin.get(location).get_json()["metrics"]["matched"] == 1


def test_publish_creates_mentorships_once_and_members_see_only_their_pair(admin, cohort, member_of):
    programme = ready(admin, cohort, publish_as="active", cadence_days=21)
    location, body = run(admin, programme)
    as_dan = member_of(cohort["dan"]["id"])
    assert as_dan.get(location).status_code == 404  # a draft is the admins'
    published = admin.post(f"{location}/publish")
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["status"] == "published"
    made = admin.get("/v1/mentorships", query_string={"page_size": 100}).get_json()
    assert len(made) == 2
    assert {m["status"] for m in made} == {"active"} and {m["cadence_days"] for m in made} == {21}
    assert admin.post(f"{location}/publish").status_code == 200
    assert len(admin.get("/v1/mentorships").get_json()) == 2
    seen = as_dan.get(location).get_json()
    mine = seen["assignments"] + seen["unmatched"]
    assert len(mine) == 1 and cohort["dan"]["id"] in str(mine[0])
    assert seen["metrics"] is None
    # Another run of the same programme cannot be published too (room given: the first
    # run's mentorships filled the mentors' profiles; its pairs are now recent, so avoided).
    overrides = {"capacity_overrides": {cohort["ava"]["id"]: 1, cohort["ben"]["id"]: 1}}
    path = f"/v1/programmes/{programme['id']}"
    assert admin.patch(path, json={"rules": overrides}, etag="auto").status_code == 200
    second, again = run(admin, programme)
    assert not {(a["mentee_id"], a["mentor_id"]) for a in again["assignments"]} & {
        (a["mentee_id"], a["mentor_id"]) for a in body["assignments"]
    }
    assert admin.post(f"{second}/publish").status_code == 409
    assert admin.post(f"{location}/discard").status_code == 409
    assert admin.post(f"{second}/discard").get_json()["status"] == "discarded"
    assert admin.post(f"{second}/publish").status_code == 409


def test_enrolment_by_filters_self_service_and_privacy(admin, cohort, member_of, make_person):
    programme = create_programme(admin)
    path = f"/v1/programmes/{programme['id']}/participants"
    by_filter = admin.post(
        path, json={"role": "mentee", "filters": {"max_level": 2, "function": "engineering"}}
    )
    assert by_filter.status_code == 201, by_filter.get_json()
    enrolled = {p["person_id"] for p in by_filter.get_json()["enrolled"]}
    assert enrolled == {cohort[n]["id"] for n in ("cleo", "dan", "eve")}
    as_ava = member_of(cohort["ava"]["id"])
    assert as_ava.post(path, json={"role": "mentor"}).status_code == 201
    assert as_ava.post(path, json={"role": "mentor"}).status_code == 409
    assert [p["person_id"] for p in as_ava.get(path).get_json()] == [cohort["ava"]["id"]]
    assert len(admin.get(path).get_json()) == 4
    assert (
        as_ava.post(path, json={"role": "mentee", "person_ids": [cohort["dan"]["id"]]}).status_code
        == 403
    )
    assert as_ava.delete(f"{path}/{cohort['dan']['id']}").status_code == 403
    assert as_ava.delete(f"{path}/{cohort['ava']['id']}").status_code == 204
    assert as_ava.post("/v1/programmes", json={"name": "x", "kind": "mentoring"}).status_code == 403


def test_bad_input_is_refused_and_nothing_is_written(admin, cohort, make_person):
    programme = create_programme(admin)
    path = f"/v1/programmes/{programme['id']}/participants"
    dan = cohort["dan"]["id"]
    unknown = admin.post(path, json={"role": "mentee", "person_ids": [dan, "per_nobody"]})
    assert (
        unknown.status_code == 422 and unknown.get_json()["errors"][0]["pointer"] == "/person_ids/1"
    )
    twice = admin.post(path, json={"role": "mentee", "person_ids": [dan, dan]})
    assert twice.status_code == 422
    either = admin.post(path, json={"role": "either", "person_ids": [dan]})
    assert either.status_code == 422
    assert admin.get(path).get_json() == []
    enrol(admin, programme, "mentee", cohort["dan"])
    assert admin.post(path, json={"role": "mentor", "person_ids": [dan]}).status_code == 409
    runs = f"/v1/programmes/{programme['id']}/runs"
    empty = admin.post(runs, json={})
    assert empty.status_code == 422 and "empty" in empty.get_json()["detail"]
    full = make_person(
        name="Full", level=7, mentoring={"open_to_mentor": True, "mentor_capacity": 0}
    )
    enrol(admin, programme, "mentor", full)
    zero = admin.post(runs, json={})
    assert zero.status_code == 422 and full["id"] in zero.get_json()["detail"]
    assert admin.get(runs).get_json() == []
    assert admin.post(runs, json={"method": "random"}).status_code == 422
    missing = admin.post(
        "/v1/programmes",
        json={
            "name": "x",
            "kind": "mentoring",
            "rules": {"pinned_pairs": [{"mentee_id": dan, "mentor_id": "per_x"}]},
        },
    )
    assert missing.status_code == 422


def test_a_pinned_pair_that_breaks_a_rule_is_422_and_a_kept_pin_is_kept(admin, cohort):
    dan, eve, ava, ben = (cohort[n]["id"] for n in ("dan", "eve", "ava", "ben"))
    wrong = ready(admin, cohort, rules={"pinned_pairs": [{"mentee_id": ava, "mentor_id": dan}]})
    refused = admin.post(f"/v1/programmes/{wrong['id']}/runs", json={})
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["pointer"] == "/rules/pinned_pairs/0"
    forbidden = ready(
        admin,
        cohort,
        rules={
            "pinned_pairs": [{"mentee_id": eve, "mentor_id": ava}],
            "forbidden_pairs": [{"mentee_id": eve, "mentor_id": ava}],
        },
    )
    assert admin.post(f"/v1/programmes/{forbidden['id']}/runs", json={}).status_code == 422
    pinned = ready(admin, cohort, rules={"pinned_pairs": [{"mentee_id": eve, "mentor_id": ava}]})
    _, body = run(admin, pinned)
    pairs = {a["mentee_id"]: a for a in body["assignments"]}
    assert pairs[eve]["mentor_id"] == ava and pairs[eve]["pinned"]
    assert body["metrics"]["capacity_violations"] == 0
    banned = ready(admin, cohort, rules={"forbidden_pairs": [{"mentee_id": dan, "mentor_id": ben}]})
    location, _ = run(admin, banned)
    listed = admin.get(f"{location}/preferences", query_string={"mentee_id": dan}).get_json()
    assert ben not in [i["person_id"] for i in listed["items"]]


def test_publishing_a_failed_or_discarded_run_is_409(admin, cohort):
    programme = ready(admin, cohort)
    location, _ = run(admin, programme)
    assert admin.post(f"{location}/discard").status_code == 200
    assert admin.post(f"{location}/publish").status_code == 409
    assert (
        admin.post(
            f"{location}/review", json={"action": "drop", "mentee_id": cohort["dan"]["id"]}
        ).status_code
        == 409
    )


def test_a_run_never_pairs_a_mentee_with_a_mentor_they_asked_not_to_be_suggested(
    admin, cohort, dismiss_for_good
):
    programme = ready(admin, cohort)
    _, before = run(admin, programme)
    pairs = {a["mentee_id"]: a["mentor_id"] for a in before["assignments"]}
    assert pairs[cohort["cleo"]["id"]] == cohort["ava"]["id"]

    dismiss_for_good(cohort["cleo"]["id"], cohort["ava"]["id"])
    _, after = run(admin, programme)
    pairs = {a["mentee_id"]: a["mentor_id"] for a in after["assignments"]}
    assert pairs.get(cohort["cleo"]["id"]) != cohort["ava"]["id"]
    assert after["metrics"]["blocking_pairs"] == 0


def test_the_mentor_side_of_a_dismissal_holds_too(admin, cohort, dismiss_for_good):
    programme = ready(admin, cohort)
    dismiss_for_good(cohort["ava"]["id"], cohort["cleo"]["id"])
    _, body = run(admin, programme)
    pairs = {a["mentee_id"]: a["mentor_id"] for a in body["assignments"]}
    assert pairs.get(cohort["cleo"]["id"]) != cohort["ava"]["id"]
