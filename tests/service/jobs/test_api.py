"""Jobs in the embedded mode (no broker: they run in-process when started)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.auth import Role
from service.jobs import logic as jobs
from service.jobs.models import Job
from service.skills.models import Skill
from tests.conftest import issue

HR_FILE = """Employee ID,Work Email,First Name,Last Name,Job Title,Job Function,Grade
E-1,ada@example.com,Ada,Lovelace,Staff Engineer,Engineering,6
E-2,grace@example.com,Grace,Hopper,Product Manager,product,4
"""
BAD_FILE = HR_FILE + "E-3,linus@example.com,Linus,Torvalds,Engineer,engineering,99\n"


def post_csv(client, body: str, query: str = "", **headers):
    return client.post(
        f"/v1/imports/people{query}",
        data=body.encode(),
        content_type="text/csv",
        headers=headers or None,
    )


def write_skills(session, run: jobs.JobRun):
    """A test runner: adds skills one by one, failing or stopping as its parameters say."""
    for i in range(run.params["count"]):
        session.add(Skill(name=f"{run.params['prefix']}-{i}", category="test"))
        session.flush()
        run.progress((i + 1) / run.params["count"])
        if run.params.get("fail_at") == i:
            raise RuntimeError("boom")
    run.result_url = "/v1/skills"
    return {"written": run.params["count"]}


jobs.register("test.skills", write_skills)
jobs.register("test.skills.uncancellable", write_skills, cancellable=False)


def skills(session, prefix: str) -> int:
    return session.scalar(select(func.count()).where(Skill.name.like(f"{prefix}-%")))


def start(app, session, kind="test.skills", **params) -> str:
    with app.test_request_context():
        job = jobs.create(session, kind, caller=None, params=params, now=jobs.utcnow())
        session.commit()
        jobs.start(job)
        return job.id


def test_an_async_import_answers_202_with_a_job_that_holds_the_report(admin):
    response = post_csv(admin, HR_FILE, "?async=true")
    assert response.status_code == 202, response.get_json()
    location = response.headers["Location"]
    assert location == f"/v1/jobs/{response.get_json()['id']}"
    job = admin.get(location).get_json()
    assert job["kind"] == "people.import"
    assert job["status"] == "succeeded" and job["progress"] == 1.0 and job["attempts"] == 1
    assert job["result"]["created"] == 2 and job["problem"] is None
    assert {p["email"] for p in admin.get("/v1/people").get_json()} == {
        "ada@example.com",
        "grace@example.com",
    }


def test_an_import_above_the_row_threshold_becomes_a_job_by_itself(app, admin):
    app.config["JOBS_IMPORT_ROWS"] = 1
    try:
        response = post_csv(admin, HR_FILE)
    finally:
        app.config["JOBS_IMPORT_ROWS"] = 5000
    assert response.status_code == 202
    one_row = "\n".join(HR_FILE.splitlines()[:2]).replace("E-1", "E-9").replace("ada@", "alan@")
    assert post_csv(admin, one_row).status_code == 200


def test_a_failed_import_job_carries_the_problem_and_writes_nothing(admin):
    response = post_csv(admin, BAD_FILE, "?async=true")
    job = admin.get(response.headers["Location"]).get_json()
    assert job["status"] == "failed"
    assert job["problem"]["type"] == "urn:rapport:problem:validation-error"
    assert job["problem"]["report"]["rejected"] == 1
    assert admin.get("/v1/people").get_json() == []


def test_starting_an_import_job_twice_with_one_idempotency_key_makes_one_job(admin):
    first = post_csv(admin, HR_FILE, "?async=true", **{"Idempotency-Key": "imp-1"})
    again = post_csv(admin, HR_FILE, "?async=true", **{"Idempotency-Key": "imp-1"})
    assert first.status_code == again.status_code == 202
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert len(admin.get("/v1/jobs").get_json()) == 1


def test_a_job_commits_its_writes_with_its_outcome(app, admin, session):
    job_id = start(app, session, count=5, prefix="ok")
    job = admin.get(f"/v1/jobs/{job_id}").get_json()
    assert job["status"] == "succeeded"
    assert job["result"] == {"written": 5}
    assert job["links"] == {"self": f"/v1/jobs/{job_id}", "result": "/v1/skills"}
    assert skills(session, "ok") == 5


def test_a_job_that_raises_fails_with_an_internal_problem_and_leaves_no_partial_writes(
    app, admin, session
):
    job_id = start(app, session, count=5, prefix="half", fail_at=2)
    job = admin.get(f"/v1/jobs/{job_id}").get_json()
    assert job["status"] == "failed"
    assert job["problem"]["type"] == "urn:rapport:problem:internal-error"
    assert "boom" not in job["problem"]["detail"]  # no internals leak to clients
    assert skills(session, "half") == 0


def test_a_queued_job_can_be_cancelled_and_a_finished_one_cannot(app, admin, session):
    with app.test_request_context():
        job = jobs.create(session, "test.skills", caller=None, params={}, now=jobs.utcnow())
        session.commit()
    response = admin.post(f"/v1/jobs/{job.id}/cancel")
    assert response.status_code == 202
    assert response.get_json()["status"] == "cancelled"
    again = admin.post(f"/v1/jobs/{job.id}/cancel")
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"


def test_a_running_job_stops_at_its_next_progress_report_when_cancelled(app, session):
    def cancel_midway(own_session, run: jobs.JobRun):
        # Someone cancels while it runs (before its first write: SQLite has one writer).
        with app.app_context():
            from service.db import database

            with database().sessions() as other:
                other.get(Job, run.id).cancel_requested = True
                other.commit()
        own_session.add(Skill(name="cancelled-0", category="test"))
        own_session.flush()
        run.progress(1.0)
        return {}

    jobs.register("test.cancel_midway", cancel_midway)
    job_id = start(app, session, kind="test.cancel_midway")
    session.expire_all()
    assert session.get(Job, job_id).status == "cancelled"
    assert skills(session, "cancelled") == 0


def test_a_running_job_of_an_uncancellable_kind_refuses_cancelling(app, admin, session):
    with app.test_request_context():
        job = jobs.create(
            session, "test.skills.uncancellable", caller=None, params={}, now=jobs.utcnow()
        )
        job.status = "running"
        session.commit()
    assert admin.post(f"/v1/jobs/{job.id}/cancel").status_code == 409


def test_a_job_interrupted_too_often_fails_instead_of_running_again(app, session):
    with app.test_request_context():
        job = jobs.create(session, "test.skills", caller=None, params={}, now=jobs.utcnow())
        job.status, job.attempts = "running", app.config["JOBS_MAX_ATTEMPTS"]
        session.commit()
        jobs.start(job)
    session.expire_all()
    failed = session.get(Job, job.id)
    assert failed.status == "failed"
    assert "interrupted" in failed.problem["detail"]


def test_a_member_sees_only_their_own_jobs_and_an_unknown_job_is_404(app, admin, make_person):
    person = make_person()
    member = issue(app, Role.MEMBER, person["id"])
    response = post_csv(admin, HR_FILE, "?async=true")
    job_path = response.headers["Location"]
    from tests.conftest import ApiClient

    client = ApiClient(app.test_client(), member)
    assert client.get(job_path).status_code == 404
    assert client.get("/v1/jobs").get_json() == []
    assert admin.get("/v1/jobs/job_01JD3Q5X4J8Z6V2M9N7K1R0T5B").status_code == 404


@pytest.mark.parametrize("query", ["?status=nope", "?page_size=0"])
def test_bad_list_filters_are_422(admin, query):
    assert admin.get(f"/v1/jobs{query}").status_code == 422
