"""CSV import and export of the directory, and Idempotency-Key on bulk writes."""

from __future__ import annotations

import csv
import io

import pytest

HR_FILE = """Employee ID,Work Email,First Name,Last Name,Job Title,Job Function,Grade,Department,Manager Email,Skills,Learning,Status
E-1,ada@example.com,Ada,Lovelace,Staff Engineer,Engineering,6,Payments,,python:5; K8s:4,rust:1,Active
E-2,grace@example.com,Grace,Hopper,Product Manager,product,4,Payments,ada@example.com,pricing:3,,Active
E-3,linus@example.com,Linus,Torvalds,Engineer,engineering,3,Platform,ADA@example.com,,go,Terminated
"""


def post_csv(client, body: str, query: str = "", **headers):
    return client.post(
        f"/v1/imports/people{query}",
        data=body.encode(),
        content_type="text/csv",
        headers=headers or None,
    )


def people(client) -> dict[str, dict]:
    return {p["email"]: p for p in client.get("/v1/people?page_size=100").get_json()}


@pytest.fixture
def k8s(admin):
    admin.post("/v1/skills", json={"name": "kubernetes", "aliases": ["k8s"], "category": "cloud"})


def test_an_hr_file_creates_people_with_managers_and_canonical_skills(admin, k8s):
    response = post_csv(admin, HR_FILE)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert {k: v for k, v in report.items() if k not in ("columns", "encoding", "notes")} == {
        "dry_run": False,
        "written": True,
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "rejections": [],
    }
    assert report["columns"]["mapped"]["Department"] == "team"
    assert report["columns"]["ignored"] == [] and report["notes"] == []
    found = people(admin)
    ada, grace, linus = (
        found["ada@example.com"],
        found["grace@example.com"],
        found["linus@example.com"],
    )
    assert (
        ada["name"] == "Ada Lovelace" and ada["external_id"] == "E-1" and ada["team"] == "Payments"
    )
    assert ada["skills"] == [{"skill": "python", "level": 5}, {"skill": "kubernetes", "level": 4}]
    assert ada["learning"] == [{"skill": "rust", "priority": 1}]
    assert grace["manager_id"] == ada["id"] and linus["manager_id"] == ada["id"]
    assert linus["active"] is False


def test_importing_the_same_file_again_changes_nothing(admin, k8s):
    post_csv(admin, HR_FILE)
    before = people(admin)
    report = post_csv(admin, HR_FILE).get_json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 3)
    assert people(admin) == before


def test_rows_upsert_by_external_id_then_by_email(admin, make_person):
    by_external = make_person(email="old@example.com", external_id="E-9", name="Old Name")
    by_email = make_person(email="carol@example.com", name="Carol")
    body = "employee id,email,name,level\nE-9,new@example.com,New Name,5\n,CAROL@example.com,Carol C,2\n"
    report = post_csv(admin, body).get_json()
    assert (report["created"], report["updated"]) == (0, 2), report
    assert admin.get(f"/v1/people/{by_external['id']}").get_json()["email"] == "new@example.com"
    assert admin.get(f"/v1/people/{by_email['id']}").get_json()["name"] == "Carol C"
    assert admin.get(f"/v1/people/{by_email['id']}").get_json()["level"] == 2


BAD_FILE = """email,name,function,level,skills
ok@example.com,Ok,sales,3,
bad-level@example.com,Bad,sales,9,
bad-function@example.com,Nope,astrology,2,
ok@example.com,Twice,sales,2,
weird-skill@example.com,Weird,sales,2,python
"""


def test_bad_rows_abort_the_whole_file_by_default(admin):
    response = post_csv(admin, BAD_FILE)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    report = response.get_json()["report"]
    assert report["written"] is False
    assert [r["row"] for r in report["rejections"]] == [3, 4, 5, 6]
    reasons = {r["row"]: r["reason"] for r in report["rejections"]}
    assert "level" in reasons[3]
    assert "function" in reasons[4]
    assert "row 2" in reasons[5]
    assert "python" in reasons[6]
    assert [(r["code"], r["field"], r["person"]) for r in report["rejections"]] == [
        ("invalid-value", "level", "bad-level@example.com"),
        ("invalid-value", "function", "bad-function@example.com"),
        ("duplicate-email", "email", "ok@example.com"),
        ("unreadable-cell", "skills", "weird-skill@example.com"),
    ]
    assert people(admin) == {}


def test_on_error_skip_imports_the_good_rows(admin):
    report = post_csv(admin, BAD_FILE, "?on_error=skip").get_json()
    assert (report["created"], report["rejected"], report["written"]) == (1, 4, True)
    assert list(people(admin)) == ["ok@example.com"]


def test_a_dry_run_reports_and_writes_nothing(admin):
    report = post_csv(admin, HR_FILE, "?dry_run=true").get_json()
    assert (report["dry_run"], report["written"], report["created"]) == (True, False, 3)
    assert people(admin) == {}


def test_managers_that_loop_or_do_not_exist_are_rejected(admin):
    body = (
        "email,name,function,level,manager_email\n"
        "a@example.com,A,sales,3,b@example.com\n"
        "b@example.com,B,sales,3,a@example.com\n"
        "c@example.com,C,sales,3,ghost@example.com\n"
        "d@example.com,D,sales,3,d@example.com\n"
        "e@example.com,E,sales,3,\n"
    )
    report = post_csv(admin, body, "?on_error=skip").get_json()
    reasons = {r["row"]: r["reason"] for r in report["rejections"]}
    assert set(reasons) == {2, 3, 4, 5}
    assert "loop" in reasons[2] and "ghost" in reasons[4] and "themselves" in reasons[5]
    assert list(people(admin)) == ["e@example.com"]


def test_an_email_of_someone_else_is_rejected(admin, make_person):
    make_person(email="taken@example.com", external_id="E-1")
    make_person(email="mine@example.com", external_id="E-2")
    report = post_csv(
        admin, "external_id,email\nE-2,Taken@example.com\n", "?on_error=skip"
    ).get_json()
    assert report["rejected"] == 1
    assert "another person" in report["rejections"][0]["reason"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("", "empty"),
        ("name,title\nA,B\n", "email or an employee id"),
        ("email,Work Email\na,b\n", "both give email"),
    ],
)
def test_unreadable_files_are_422(admin, body, detail):
    response = post_csv(admin, body)
    assert response.status_code == 422
    assert detail in response.get_json()["detail"]


def test_json_is_not_a_csv(admin):
    assert admin.post("/v1/imports/people", json={"email": "x"}).status_code == 415


def test_members_cannot_import_or_export(make_person, member_of):
    member = member_of(make_person()["id"])
    assert post_csv(member, HR_FILE).status_code == 403
    assert member.get("/v1/exports/people").status_code == 403


def test_export_then_import_is_a_round_trip(admin, integration, k8s):
    post_csv(admin, HR_FILE)
    admin.patch(
        f"/v1/people/{people(admin)['ada@example.com']['id']}",
        json={
            "perspectives": ["Self-taught", "ex-retail"],
            "languages": ["en", "pt"],
            "mentoring": {"open_to_mentor": True, "mentor_capacity": 2},
        },
        etag="auto",
    )
    exported = integration.get("/v1/exports/people")
    assert exported.status_code == 200
    assert exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["email"] for r in rows] == [
        "ada@example.com",
        "grace@example.com",
        "linus@example.com",
    ]
    assert rows[1]["manager_email"] == "ada@example.com"
    assert rows[0]["skills"] == "python:5; kubernetes:4"
    before = people(admin)
    report = post_csv(integration, text).get_json()
    assert (report["created"], report["updated"], report["unchanged"], report["rejected"]) == (
        0,
        0,
        3,
        0,
    ), report
    assert people(admin) == before


def test_export_takes_the_people_filters(admin):
    post_csv(admin, HR_FILE)
    rows = list(
        csv.DictReader(
            io.StringIO(admin.get("/v1/exports/people?function=product").get_data(as_text=True))
        )
    )
    assert [r["email"] for r in rows] == ["grace@example.com"]
    empty = admin.get("/v1/exports/people?skill=cobol").get_data(as_text=True)
    assert empty.splitlines()[0].startswith("external_id,email,name")
    assert len(empty.splitlines()) == 1


# -- Idempotency-Key ---------------------------------------------------------------------


def test_a_retry_after_a_dropped_response_is_answered_without_importing_twice(admin, session):
    from sqlalchemy import func, select

    from service.people.models import Person

    first = post_csv(admin, HR_FILE, **{"Idempotency-Key": "import-2026-11-26"})
    assert first.status_code == 200
    # The client never saw that answer (the connection dropped); it retries.
    retry = post_csv(admin, HR_FILE, **{"Idempotency-Key": "import-2026-11-26"})
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json() == first.get_json()
    assert session.scalar(select(func.count()).select_from(Person)) == 3


def test_the_same_key_with_another_body_is_422(admin):
    post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-1"})
    other = post_csv(admin, HR_FILE.replace("Ada", "Augusta"), **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert "another body" in other.get_json()["detail"]


def test_a_failed_request_does_not_burn_its_key(admin):
    assert post_csv(admin, BAD_FILE, **{"Idempotency-Key": "k-2"}).status_code == 422
    fixed = post_csv(admin, BAD_FILE, "?on_error=skip", **{"Idempotency-Key": "k-3"})
    assert fixed.status_code == 200
    assert post_csv(admin, BAD_FILE, **{"Idempotency-Key": "k-2"}).status_code == 422


def test_keys_expire_after_24_hours(admin, set_now):
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC)
    set_now(start)
    post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-4"})
    set_now(start + timedelta(hours=23))
    assert (
        post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-4"}).headers.get("Idempotent-Replayed")
        == "true"
    )
    set_now(start + timedelta(hours=25))
    fresh = post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-4"})
    assert "Idempotent-Replayed" not in fresh.headers
    assert fresh.get_json()["unchanged"] == 3


def test_keys_belong_to_the_token_that_sent_them(admin, integration):
    post_csv(admin, HR_FILE, **{"Idempotency-Key": "shared"})
    theirs = post_csv(integration, HR_FILE, **{"Idempotency-Key": "shared"})
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.get_json()["unchanged"] == 3


def test_the_query_is_part_of_the_request_a_key_stands_for(admin):
    dry = post_csv(admin, HR_FILE, "?dry_run=true", **{"Idempotency-Key": "k-5"})
    assert dry.get_json()["dry_run"] is True
    real = post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-5"})
    assert real.status_code == 422
    assert people(admin) == {}
    assert post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-6"}).get_json()["written"] is True


def test_an_hr_file_is_held_to_the_import_limit_not_the_json_one(admin, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 200)
    assert len(HR_FILE.encode()) > 200
    # With a key, the body is read (for its fingerprint) before the view: the limit must hold.
    response = post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-7"})
    assert response.status_code == 200, response.get_json()
    big_json = {"email": "a@example.com", "name": "x" * 300, "function": "sales", "level": 1}
    assert admin.post("/v1/people", json=big_json).status_code == 413
    monkeypatch.setitem(app.config, "RAPPORT_MAX_IMPORT_BYTES", 200)
    assert post_csv(admin, HR_FILE, **{"Idempotency-Key": "k-8"}).status_code == 413


def test_the_export_pages_through_the_directory_in_short_batches(admin, make_person, monkeypatch):
    from service.imports import logic

    monkeypatch.setattr(logic, "BATCH", 2)
    made = [make_person(name=name) for name in ("Ann", "Bob", "Bob", "Bob", "Cid")]
    rows = list(csv.DictReader(io.StringIO(admin.get("/v1/exports/people").get_data(as_text=True))))
    assert sorted(r["email"] for r in rows) == sorted(p["email"] for p in made)
    assert [r["name"] for r in rows] == ["Ann", "Bob", "Bob", "Bob", "Cid"]


def test_perspectives_read_the_same_through_the_api_and_an_import(admin, make_person):
    person = make_person(email="s@example.com", perspectives=["Straße"])
    body = "email,perspectives\ns@example.com,Straße\n"
    report = admin.post(
        "/v1/imports/people", data=body.encode(), content_type="text/csv"
    ).get_json()
    assert report["unchanged"] == 1, report
    assert admin.get(f"/v1/people/{person['id']}").get_json()["perspectives"] == ["straße"]
