"""Webhooks in the embedded mode: subscriptions, signed deliveries, retries, the guard."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook as Verifier

from service.db import utcnow
from service.tasks import submit
from service.webhooks import logic
from service.webhooks.models import Webhook, WebhookDelivery, WebhookEvent
from service.webhooks.tasks import deliver_webhooks, publish_due_events
from tests.service.webhooks.receiver import Receiver


def run_task(app, task):
    """Run a task through ``app``'s own Celery app (in-process here), as a submitter would."""
    with app.app_context():
        return submit(task).get()


@pytest.fixture
def local_targets(app):
    """Allow webhooks to 127.0.0.1 for a test (the operator's setting)."""
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.1/32"
    yield
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = ""


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def subscribe(admin, url: str, events=("person.created",), **fields) -> dict:
    response = admin.post("/v1/webhooks", json={"url": url, "events": list(events), **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def verified(hook: dict, received) -> dict:
    """Verify a delivery as a receiver would, with the standardwebhooks package."""
    return Verifier(hook["signing_secret"]).verify(received.body.decode(), received.headers)


def test_a_new_person_is_delivered_signed_to_a_subscribed_receiver(
    admin, local_targets, receiver, make_person
):
    hook = subscribe(admin, receiver.url(), events=["person.created", "person.updated"])
    assert hook["signing_secret"].startswith("whsec_")
    assert "signing_secret" not in admin.get(f"/v1/webhooks/{hook['id']}").get_json()
    person = make_person(name="Ada Lovelace")
    assert len(receiver.received) == 1
    payload = verified(hook, receiver.received[0])
    assert payload["type"] == "person.created"
    assert payload["data"]["id"] == person["id"] and payload["data"]["name"] == "Ada Lovelace"
    log = admin.get(f"/v1/webhooks/{hook['id']}/deliveries").get_json()
    assert [(d["event_type"], d["status"], d["attempts"], d["response_status"]) for d in log] == [
        ("person.created", "succeeded", 1, 204)
    ]
    assert log[0]["event_id"] == receiver.received[0].headers["webhook-id"]


def test_a_tampered_delivery_fails_verification(admin, local_targets, receiver, make_person):
    from standardwebhooks.webhooks import WebhookVerificationError

    hook = subscribe(admin, receiver.url())
    make_person()
    received = receiver.received[0]
    received.body = received.body.replace(b"person.created", b"person.updated")
    with pytest.raises(WebhookVerificationError):
        verified(hook, received)


def test_mentorship_lifecycle_and_deactivation_are_published(
    admin, app, local_targets, receiver, make_person, member_of
):
    hook = subscribe(
        admin,
        receiver.url(),
        events=["mentorship.proposed", "mentorship.accepted", "person.deactivated"],
    )
    mentor = make_person(level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 2})
    mentee = make_person(level=2)
    proposed = member_of(mentee["id"]).post(
        "/v1/mentorships",
        json={"mentor_id": mentor["id"], "mentee_id": mentee["id"], "kind": "mentorship"},
    )
    assert proposed.status_code == 201, proposed.get_json()
    accepted = member_of(mentor["id"]).post(f"/v1/mentorships/{proposed.get_json()['id']}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    assert admin.delete(f"/v1/people/{mentee['id']}", etag="auto").status_code in (200, 204)
    types = [verified(hook, r)["type"] for r in receiver.received]
    assert types == ["mentorship.proposed", "mentorship.accepted", "person.deactivated"]


def test_unsubscribed_events_and_rolled_back_writes_send_nothing(
    admin, local_targets, receiver, make_person, session
):
    subscribe(admin, receiver.url(), events=["person.deactivated"])
    make_person()
    taken = admin.post(
        "/v1/people",
        json={"email": "x@example.com", "name": "X", "function": "nope", "level": 3},
    )
    assert taken.status_code == 422
    assert receiver.received == []
    assert session.scalar(select(WebhookEvent)) is None  # nobody listened: nothing kept


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "ftp://example.com/hook",
        "http://user:pw@203.0.113.1/hook",
    ],
)
def test_private_loopback_and_link_local_targets_are_refused(admin, url):
    response = admin.post("/v1/webhooks", json={"url": url, "events": ["person.created"]})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert admin.get("/v1/webhooks").get_json() == []


def test_a_redirect_is_not_followed_and_counts_as_a_failure(admin, app, local_targets, make_person):
    with Receiver() as final, Receiver(status=302) as redirecting:
        redirecting.location = final.url()
        hook = subscribe(admin, redirecting.url())
        make_person()
        assert len(redirecting.received) == 1
        assert final.received == []
    (delivery,) = admin.get(f"/v1/webhooks/{hook['id']}/deliveries").get_json()
    assert delivery["status"] == "pending" and delivery["response_status"] == 302
    assert "Redirects are not followed" in delivery["error"]


def test_failures_back_off_doubling_and_give_up_after_the_window(app, session):
    settings = logic.Settings(retry_base_seconds=30, retry_hours=24, disable_after=1000)
    webhook = Webhook(url="http://x.example/", events=["person.created"], secret=logic.new_secret())
    session.add(webhook)
    session.flush()
    logic.publish(session, "person.created", {"id": "per_1"})
    delivery = session.scalar(select(WebhookDelivery))
    start = delivery.created_at
    now, waits = start, []
    while delivery.status == "pending":
        logic.record_attempt(session, webhook, delivery, 500, "down", now, settings)
        if delivery.next_attempt_at is not None:
            waits.append((delivery.next_attempt_at - now).total_seconds())
            now = delivery.next_attempt_at
    assert waits[:4] == [30, 60, 120, 240]
    assert delivery.status == "failed"
    assert now - start <= timedelta(hours=24)
    assert now + timedelta(seconds=30 * 2 ** len(waits)) - start > timedelta(hours=24)
    session.rollback()


def test_a_run_of_failures_disables_the_webhook_and_tells_the_others(
    admin, app, local_targets, make_person
):
    app.config["WEBHOOK_DISABLE_AFTER"] = 2
    app.config["WEBHOOK_RETRY_BASE_SECONDS"] = 0
    try:
        with Receiver(status=500) as failing, Receiver() as watcher:
            broken = subscribe(admin, failing.url())
            watching = subscribe(admin, watcher.url(), events=["webhook.disabled"])
            make_person()  # attempt 1 fails; the retry is due at once (base 0)
            run_task(app, deliver_webhooks)  # attempt 2 fails: disabled
            assert len(failing.received) == 2
            shown = admin.get(f"/v1/webhooks/{broken['id']}").get_json()
            assert shown["active"] is False and shown["failure_streak"] == 2
            assert "2 failed delivery attempts" in shown["disabled_reason"]
            (notice,) = watcher.received
            payload = verified(watching, notice)
            assert payload["type"] == "webhook.disabled"
            assert payload["data"]["id"] == broken["id"]
            # Disabled: new events wait; turned back on, they go out.
            make_person()
            assert len(failing.received) == 2
            failing.status = 204
            turned_on = admin.patch(
                f"/v1/webhooks/{broken['id']}", json={"active": True}, etag="auto"
            )
            assert turned_on.status_code == 200
            assert turned_on.get_json()["failure_streak"] == 0
            assert len(failing.received) >= 3
    finally:
        app.config["WEBHOOK_DISABLE_AFTER"] = 20
        app.config["WEBHOOK_RETRY_BASE_SECONDS"] = 30


def test_a_delivery_can_be_redelivered_with_the_same_webhook_id(
    admin, local_targets, receiver, make_person
):
    hook = subscribe(admin, receiver.url())
    make_person()
    (delivery,) = admin.get(f"/v1/webhooks/{hook['id']}/deliveries").get_json()
    again = admin.post(f"/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver")
    assert again.status_code == 202
    assert again.get_json()["event_id"] == delivery["event_id"]
    assert len(receiver.received) == 2
    first, second = (verified(hook, r) for r in receiver.received)
    assert first == second
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
    unknown = admin.post(f"/v1/webhooks/{hook['id']}/deliveries/dlv_nope/redeliver")
    assert unknown.status_code == 404


def test_webhooks_are_for_admins_and_need_if_match_to_change(
    admin, integration, local_targets, receiver
):
    assert integration.get("/v1/webhooks").status_code == 403
    hook = subscribe(admin, receiver.url())
    path = f"/v1/webhooks/{hook['id']}"
    assert admin.patch(path, json={"events": ["job.completed"]}).status_code == 428
    changed = admin.patch(path, json={"events": ["job.completed"]}, etag="auto")
    assert changed.status_code == 200 and changed.get_json()["events"] == ["job.completed"]
    bad = admin.patch(path, json={"events": ["nope"]}, etag="auto")
    assert bad.status_code == 422
    assert admin.delete(path, etag="auto").status_code == 204
    assert admin.get(path).status_code == 404


def test_a_finished_job_publishes_job_completed(admin, local_targets, receiver):
    hook = subscribe(admin, receiver.url(), events=["job.completed"])
    response = admin.client.post(
        "/v1/imports/people?async=true",
        data=b"Employee ID,Work Email,First Name,Last Name,Job Function,Grade\nE-1,a@example.com,A,B,sales,3\n",
        content_type="text/csv",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert response.status_code == 202
    (received,) = receiver.received
    payload = verified(hook, received)
    assert payload["type"] == "job.completed"
    assert payload["data"]["id"] == response.get_json()["id"]
    assert payload["data"]["status"] == "succeeded"


def test_follow_ups_falling_due_are_published_once(
    admin, app, local_targets, receiver, make_person, set_now, session
):
    hook = subscribe(admin, receiver.url(), events=["follow_up.due"])
    person, contact = make_person(), make_person()
    logged = admin.post(
        "/v1/interactions",
        json={
            "person_id": person["id"],
            "contact_id": contact["id"],
            "kind": "coffee_chat",
            "occurred_at": (utcnow() - timedelta(hours=30)).isoformat(),
        },
    )
    assert logged.status_code == 201, logged.get_json()
    assert logged.get_json()["follow_up_due_at"] is not None
    assert run_task(app, publish_due_events) == 1
    assert run_task(app, publish_due_events) == 0
    (received,) = receiver.received
    payload = verified(hook, received)
    assert payload["type"] == "follow_up.due"
    assert payload["data"]["interaction_id"] == logged.get_json()["id"]
    assert json.loads(received.body)["data"]["person_id"] == person["id"]
    assert session.scalar(select(Webhook.failure_streak)) == 0


def test_check_ins_falling_due_are_published_once_and_old_ones_not_at_all(
    admin, app, local_targets, receiver, make_person
):
    hook = subscribe(admin, receiver.url(), events=["check_in.due"])
    person, recent, forgotten = make_person(), make_person(), make_person()
    for contact, days in ((recent, 91), (forgotten, 200)):
        logged = admin.post(
            "/v1/interactions",
            json={
                "person_id": person["id"],
                "contact_id": contact["id"],
                "kind": "video_call",
                "occurred_at": (utcnow() - timedelta(days=days)).isoformat(),
            },
        )
        assert logged.status_code == 201
    published = run_task(app, publish_due_events)
    assert run_task(app, publish_due_events) == 0
    payloads = [verified(hook, r)["data"] for r in receiver.received]
    # Each side of the tie has its check-in due; the tie that fell due long ago is not news.
    assert published == len(payloads) == 2
    assert {(p["person_id"], p["contact_id"]) for p in payloads} == {
        (person["id"], recent["id"]),
        (recent["id"], person["id"]),
    }
    assert all(p["cadence_days"] == 90 for p in payloads)


def test_a_host_without_dns_yet_is_accepted_and_its_deliveries_fail_until_it_resolves(
    admin, make_person
):
    hook = subscribe(admin, "https://hooks.rapport-test.invalid/in")
    make_person()
    (delivery,) = admin.get(f"/v1/webhooks/{hook['id']}/deliveries").get_json()
    assert delivery["status"] == "pending" and delivery["response_status"] is None
    assert "cannot be resolved" in delivery["error"]


def test_a_finished_programme_run_is_delivered(admin, local_targets, receiver, make_person):
    hook = subscribe(admin, receiver.url(), events=["programme.run.completed"])
    mentor = make_person(level=6, mentoring={"open_to_mentor": True, "mentor_capacity": 1})
    mentee = make_person(level=2)
    programme = admin.post("/v1/programmes", json={"name": "Spring", "kind": "mentoring"})
    path = f"/v1/programmes/{programme.get_json()['id']}"
    for role, person in (("mentor", mentor), ("mentee", mentee)):
        enrolled = admin.post(
            f"{path}/participants", json={"role": role, "person_ids": [person["id"]]}
        )
        assert enrolled.status_code == 201, enrolled.get_json()
    started = admin.post(f"{path}/runs", json={"method": "stable"})
    assert started.status_code == 202, started.get_json()
    (received,) = receiver.received
    payload = verified(hook, received)
    assert payload["type"] == "programme.run.completed"
    assert payload["data"]["id"] == started.get_json()["id"]
    assert payload["data"]["status"] == "succeeded"


def test_an_event_its_facilitator_ends_is_delivered(admin, local_targets, receiver, make_person):
    hook = subscribe(admin, receiver.url(), events=["event.ended"])
    host = make_person()
    event = admin.post(
        "/v1/events",
        json={
            "title": "Data meetup",
            "kind": "meetup",
            "starts_at": (utcnow() - timedelta(minutes=5)).isoformat(),
            "facilitator_ids": [host["id"]],
        },
    ).get_json()
    ended = admin.post(f"/v1/events/{event['id']}/end")
    assert ended.status_code == 200, ended.get_json()
    (received,) = receiver.received
    payload = verified(hook, received)
    assert payload["type"] == "event.ended" and payload["data"]["id"] == event["id"]
