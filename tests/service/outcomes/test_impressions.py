"""Impressions: kept compactly, counted once an hour, pruned; outcomes linked to them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from matching import COMPONENTS
from service.outcomes.logic import linked_outcomes, logged_lists, prune_impressions
from service.outcomes.models import Impression

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def company(admin, make_person, member_of, set_now):
    """Ada wants kubernetes; two mentors teach it; Pat in product shares it."""
    set_now(T0)
    admin.post("/v1/skills", json={"name": "kubernetes", "category": "cloud"})
    ada = make_person(name="Ada", level=2, learning=[{"skill": "kubernetes", "priority": 1}])
    mentors = [
        make_person(
            name=f"Mentor {i}",
            level=4 + i,
            skills=[{"skill": "kubernetes", "level": 5}],
            mentoring={"open_to_mentor": True, "mentor_capacity": 2},
        )
        for i in range(2)
    ]
    pat = make_person(
        name="Pat", level=3, function="product", skills=[{"skill": "kubernetes", "level": 3}]
    )
    return {
        "ada": ada,
        "mentors": mentors,
        "pat": pat,
        "as_ada": member_of(ada["id"]),
        "as_mentor": [member_of(m["id"]) for m in mentors],
    }


def ask(client, person, purpose="mentor", limit=10):
    response = client.get(
        f"/v1/people/{person['id']}/recommendations?purpose={purpose}&limit={limit}"
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def impressions(session):
    return list(session.scalars(select(Impression).order_by(Impression.served_at)))


def test_a_served_list_is_kept_compactly_and_names_its_weights(company, session):
    served = ask(company["as_ada"], company["ada"])
    assert served["weights_version"] == 0
    (kept,) = impressions(session)
    assert kept.person_id == company["ada"]["id"]
    assert kept.purpose == "mentor"
    assert kept.weights_version == 0
    assert kept.served_at == T0
    assert [row[0] for row in kept.items] == [item["person"]["id"] for item in served["items"]]
    first = served["items"][0]
    assert kept.items[0][2] == [round(first["components"][c], 4) for c in COMPONENTS]


def test_the_same_list_within_an_hour_counts_once(company, session, set_now):
    ask(company["as_ada"], company["ada"])
    set_now(T0 + timedelta(minutes=59))
    ask(company["as_ada"], company["ada"])
    assert len(impressions(session)) == 1
    ask(company["as_ada"], company["ada"], limit=1)  # another list: kept
    ask(company["as_ada"], company["ada"], purpose="cross_functional")
    assert len(impressions(session)) == 3
    session.rollback()
    set_now(T0 + timedelta(minutes=61))
    ask(company["as_ada"], company["ada"])
    assert len(impressions(session)) == 4


def test_impressions_older_than_the_retention_are_pruned(company, session, set_now):
    ask(company["as_ada"], company["ada"])
    set_now(T0 + timedelta(days=20))
    ask(company["as_ada"], company["ada"])
    assert prune_impressions(session, T0 + timedelta(days=30), retention_days=15) == 1
    session.commit()
    assert [i.served_at for i in impressions(session)] == [T0 + timedelta(days=20)]


def test_outcomes_are_linked_to_the_impression_before_them(company, session, set_now, admin):
    ada, (near, far), pat = company["ada"], company["mentors"], company["pat"]
    as_ada = company["as_ada"]
    ask(as_ada, ada)
    ask(as_ada, ada, purpose="cross_functional")
    set_now(T0 + timedelta(days=2))
    ask(as_ada, ada, limit=1)  # a later list showing the best mentor only
    first, cross, later = impressions(session)
    best = later.items[0][0]
    other = near["id"] if best == far["id"] else far["id"]
    session.rollback()
    # Ada proposes to the best mentor on day 3; accepted on day 4; completed on day 50.
    set_now(T0 + timedelta(days=3))
    proposal = as_ada.post(
        "/v1/mentorships", json={"mentor_id": best, "mentee_id": ada["id"], "kind": "mentorship"}
    ).get_json()
    index = [m["id"] for m in company["mentors"]].index(best)
    set_now(T0 + timedelta(days=4))
    company["as_mentor"][index].post(f"/v1/mentorships/{proposal['id']}/accept")
    set_now(T0 + timedelta(days=10))
    admin.post(
        "/v1/interactions",
        json={
            "person_id": pat["id"],
            "contact_id": ada["id"],
            "kind": "coffee_chat",
            "occurred_at": (T0 + timedelta(days=9)).isoformat(),
        },
    )
    # Ada proposes to the other mentor on day 40: too long after the list that showed them.
    set_now(T0 + timedelta(days=40))
    as_ada.post(
        "/v1/mentorships", json={"mentor_id": other, "mentee_id": ada["id"], "kind": "mentorship"}
    )
    set_now(T0 + timedelta(days=50))
    as_ada.post(f"/v1/mentorships/{proposal['id']}/complete", json={"reason": "Shipped it."})

    now = T0 + timedelta(days=60)
    found = linked_outcomes(session, impressions(session), now)
    mentoring = sorted((o.kind, o.impression_id, o.candidate_id) for o in found if o.mentorship_id)
    assert mentoring == [
        ("accepted", later.id, best),
        ("completed", later.id, best),
        ("proposed", later.id, best),
    ]
    completed = next(o for o in found if o.kind == "completed")
    assert completed.closure_reason == "Shipped it."
    (chat,) = [o for o in found if o.kind == "interacted" and o.purpose == "cross_functional"]
    assert (chat.impression_id, chat.candidate_id) == (cross.id, pat["id"])

    lists, _ = logged_lists(session, T0 - timedelta(days=1), now, now)
    good = {(lst.list_id, i.candidate_id) for lst in lists for i in lst.items if i.good}
    assert good == {(later.id, best), (cross.id, pat["id"])}
    assert session.scalar(select(func.count()).select_from(Impression)) == 3


def test_low_ratings_make_an_accepted_mentorship_a_poor_outcome(company, session, set_now):
    ada, as_ada = company["ada"], company["as_ada"]
    ask(as_ada, ada, limit=1)
    (shown,) = impressions(session)
    best = shown.items[0][0]
    session.rollback()
    set_now(T0 + timedelta(days=1))
    proposal = as_ada.post(
        "/v1/mentorships", json={"mentor_id": best, "mentee_id": ada["id"], "kind": "mentorship"}
    ).get_json()
    index = [m["id"] for m in company["mentors"]].index(best)
    company["as_mentor"][index].post(f"/v1/mentorships/{proposal['id']}/accept")
    set_now(T0 + timedelta(days=31))
    as_ada.post(
        f"/v1/mentorships/{proposal['id']}/feedback", json={"rating": 1, "goals_progressing": False}
    )
    now = T0 + timedelta(days=40)
    lists, _ = logged_lists(session, T0 - timedelta(days=1), now, now)
    assert not any(item.good for lst in lists for item in lst.items)
