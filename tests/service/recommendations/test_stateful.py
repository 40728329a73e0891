"""Random sequences of API writes, the index fitted at a random point: always a fresh fit's answer.

The writes: people created through /v1/people, SCIM and HR files, changed and deactivated;
goals, interactions and mentorships (proposed and accepted).

The worker's index follows the database through the change log; whatever was written
through the API, and whenever the index was fitted, its recommendations must be those of an
index fitted from scratch on the database as it is now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

import matching
from service.auth import Role
from service.db import utcnow
from service.recommendations.logic import warm
from service.recommendations.records import person_records
from tests.conftest import ApiClient, database_of, emptied_tables, issue
from tests.service.scim.conftest import CORE as SCIM_USER
from tests.service.scim.conftest import RAPPORT as SCIM_RAPPORT
from tests.service.scim.conftest import ScimClient

SKILLS = ("python", "kubernetes", "sql", "figma", "pricing")
FUNCTIONS = ("engineering", "product", "design")
PURPOSES = ("mentor", "reverse_mentor", "cross_functional")
LIMIT = 50

skill_levels = st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=3)
wishes = st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=2)
mentoring = st.fixed_dictionaries(
    {
        "open_to_mentor": st.booleans(),
        "mentor_capacity": st.integers(0, 2),
        "open_to_reverse_mentor": st.booleans(),
        "seeking_mentor": st.booleans(),
    }
)


def _skills(levels: dict[str, int]) -> list[dict]:
    return [{"skill": name, "level": level} for name, level in levels.items()]


def _learning(priorities: dict[str, int]) -> list[dict]:
    return [{"skill": name, "priority": priority} for name, priority in priorities.items()]


class DirectoryWrites(RuleBasedStateMachine):
    """Writes through the API, a fit at any point, and questions compared with a fresh fit."""

    people = Bundle("people")

    def __init__(self, app) -> None:
        super().__init__()
        self.app = app
        self.index = app.extensions["rapport.recommendations"]
        self.sessions = database_of(app).sessions
        self.emails = count()
        self.fitted = False

    @initialize()
    def empty_directory(self) -> None:
        self.index.reset()
        engine = database_of(self.app).engine
        with engine.begin() as connection:
            for table in emptied_tables():
                connection.execute(table.delete())
        self.admin = ApiClient(self.app.test_client(), issue(self.app, Role.ADMIN))
        self.scim = ScimClient(self.app.test_client(), issue(self.app, Role.INTEGRATION))

    def _ok(self, response, *statuses: int):
        assert response.status_code < 500, response.get_json()
        if statuses:
            assert response.status_code in statuses, response.get_json()
        return response

    @rule(
        target=people,
        function=st.sampled_from(FUNCTIONS),
        level=st.integers(1, 8),
        skills=skill_levels,
        learning=wishes,
        mentoring=mentoring,
        manager=st.none() | people,
    )
    def create_person(self, function, level, skills, learning, mentoring, manager):
        body = {
            "email": f"p{next(self.emails)}@example.com",
            "name": f"P{level}{function[:2]}",
            "function": function,
            "level": level,
            "skills": _skills(skills),
            "learning": _learning(learning),
            "mentoring": mentoring,
        }
        if manager is not None:
            body["manager_id"] = manager
        return self._ok(self.admin.post("/v1/people", json=body), 201).get_json()["id"]

    @rule(target=people, function=st.sampled_from(FUNCTIONS), level=st.integers(1, 8))
    def provision_by_scim(self, function, level):
        email = f"p{next(self.emails)}@example.com"
        body = {
            "schemas": [SCIM_USER, SCIM_RAPPORT],
            "userName": email,
            "name": {"givenName": "Scim", "familyName": "User"},
            "emails": [{"primary": True, "type": "work", "value": email}],
            "active": True,
            SCIM_RAPPORT: {"function": function, "level": level},
        }
        created = self.scim.post("/Users", body)
        assert created.status_code == 201, created.get_json()
        return created.get_json()["id"]

    @rule(target=people, function=st.sampled_from(FUNCTIONS), skills=skill_levels)
    def import_an_hr_file(self, function, skills):
        email = f"p{next(self.emails)}@example.com"
        held = "; ".join(f"{name}:{level}" for name, level in skills.items())
        row = f'{email},From HR,{function},5,"{held}"'
        imported = self.admin.client.post(
            "/v1/imports/people",
            data=f"Work Email,Name,Job Function,Grade,Skills\n{row}\n".encode(),
            content_type="text/csv",
            headers={"Authorization": f"Bearer {self.admin.token}"},
        )
        self._ok(imported, 200)
        (person,) = self.admin.get(f"/v1/people?q={email}").get_json()
        return person["id"]

    @rule(
        person=people,
        change=st.one_of(
            skill_levels.map(lambda s: {"skills": _skills(s)}),
            wishes.map(lambda w: {"learning": _learning(w)}),
            mentoring.map(lambda m: {"mentoring": m}),
            st.integers(1, 8).map(lambda level: {"level": level}),
            st.sampled_from(FUNCTIONS).map(lambda f: {"function": f}),
        ),
    )
    def change_person(self, person, change):
        self._ok(self.admin.patch(f"/v1/people/{person}", json=change, etag="auto"), 200)

    @rule(person=consumes(people))
    def deactivate(self, person):
        self._ok(self.admin.delete(f"/v1/people/{person}", etag="auto"), 204)

    @rule(
        person=people,
        skills=st.lists(st.sampled_from(SKILLS), max_size=2, unique=True),
        functions=st.lists(st.sampled_from(FUNCTIONS), max_size=1),
    )
    def set_a_goal(self, person, skills, functions):
        body = {
            "person_id": person,
            "title": "Grow",
            "kind": "learn_skill",
            "target_skills": skills,
            "target_functions": functions,
        }
        self._ok(self.admin.post("/v1/goals", json=body), 201)

    @rule(one=people, other=people, days_ago=st.integers(0, 400))
    def log_an_interaction(self, one, other, days_ago):
        if one == other:
            return
        body = {
            "person_id": one,
            "contact_id": other,
            "kind": "coffee_chat",
            "occurred_at": (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(),
        }
        self._ok(self.admin.post("/v1/interactions", json=body), 201)

    @rule(
        mentor=people,
        mentee=people,
        kind=st.sampled_from(("mentorship", "reverse_mentorship", "cross_functional")),
    )
    def start_a_mentorship(self, mentor, mentee, kind):
        if mentor == mentee:
            return
        body = {"mentor_id": mentor, "mentee_id": mentee, "kind": kind}
        proposed = self._ok(self.admin.post("/v1/mentorships", json=body))
        if proposed.status_code != 201:
            return
        as_mentor = ApiClient(self.app.test_client(), issue(self.app, Role.MEMBER, mentor))
        self._ok(as_mentor.post(f"/v1/mentorships/{proposed.get_json()['id']}/accept"))

    @precondition(lambda self: not self.fitted)
    @rule()
    def fit(self):
        """Fit the index now, as a worker's warm-up does."""
        warm(self.app)
        self.fitted = True

    @precondition(lambda self: self.fitted)
    @rule(person=people, purpose=st.sampled_from(PURPOSES))
    def ask(self, person, purpose):
        self._compare(person, purpose)

    def teardown(self) -> None:
        if not hasattr(self, "admin"):
            return
        with self.sessions() as session:
            everyone = [row[0] for row in session.execute(text("SELECT id FROM people"))]
        for person in everyone:
            for purpose in PURPOSES:
                self._compare(person, purpose)

    def _compare(self, person: str, purpose: str) -> None:
        response = self._ok(
            self.admin.get(f"/v1/people/{person}/recommendations?purpose={purpose}&limit={LIMIT}"),
            200,
        )
        served = [(item["person"]["id"], item["score"]) for item in response.get_json()["items"]]
        with self.sessions() as session:
            records = person_records(session, None, utcnow())
        fresh = matching.MatchIndex().fit(records.values())
        expected = fresh.recommend(person, purpose=purpose, k=LIMIT, diversity=0.3)
        assert [p for p, _ in served] == [r.person_id for r in expected], (person, purpose)
        for (_, score), r in zip(served, expected, strict=True):
            assert score == pytest.approx(r.score, abs=1e-3)


def test_any_writes_with_a_fit_at_any_point_give_a_fresh_fits_recommendations(app):
    run_state_machine_as_test(
        lambda: DirectoryWrites(app),
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
