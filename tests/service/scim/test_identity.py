"""SCIM as identity providers really send it, and the same people in the HR file."""

from __future__ import annotations

from tests.service.scim.conftest import CORE, ENTERPRISE, okta_user, patch_op

HR_HEADER = "Employee ID,Work Email,Full Name,Department,Job Function,Grade\r\n"


def import_csv(admin, body: str, query: str = ""):
    return admin.post(
        f"/v1/imports/people{query}", data=body.encode(), content_type="text/csv"
    ).get_json()


def person(admin, person_id: str) -> dict:
    return admin.get(f"/v1/people/{person_id}").get_json()


# userName -----------------------------------------------------------------------------------


def test_a_user_name_that_is_not_an_email_takes_the_work_email_from_emails(scim, admin):
    body = {
        "schemas": [CORE],
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [
            {"value": "babs@home.example", "type": "home"},
            {"value": "bjensen@example.com", "type": "work"},
        ],
    }
    response = scim.post("/Users", body)
    assert response.status_code == 201, response.get_json()
    user = response.get_json()
    assert user["userName"] == "bjensen"
    assert user["emails"] == [{"value": "bjensen@example.com", "type": "work", "primary": True}]
    assert person(admin, user["id"])["email"] == "bjensen@example.com"
    found = scim.get("/Users", query_string={"filter": 'userName eq "BJENSEN"'}).get_json()
    assert [u["id"] for u in found["Resources"]] == [user["id"]]
    # The primary address wins over the work one.
    primary = {
        "schemas": [CORE],
        "userName": "mlee",
        "emails": [
            {"value": "m.lee@example.com", "type": "work"},
            {"value": "mina.lee@example.com", "type": "other", "primary": True},
        ],
    }
    assert scim.post("/Users", primary).get_json()["emails"][0]["value"] == "mina.lee@example.com"


def test_a_user_name_and_emails_without_any_work_email_are_refused(scim):
    for emails in ([], [{"value": "home@example.com", "type": "home"}]):
        body = {"schemas": [CORE], "userName": "nobody", "emails": emails}
        response = scim.post("/Users", body)
        assert response.status_code == 400
        assert response.get_json()["scimType"] == "invalidValue"
        assert "work email" in response.get_json()["detail"]


def test_a_user_name_that_is_not_an_email_is_unique_whatever_its_case(scim):
    first = {
        "schemas": [CORE],
        "userName": "bjensen",
        "emails": [{"value": "a@example.com", "type": "work"}],
    }
    again = {
        "schemas": [CORE],
        "userName": "BJensen",
        "emails": [{"value": "b@example.com", "type": "work"}],
    }
    assert scim.post("/Users", first).status_code == 201
    response = scim.post("/Users", again)
    assert response.status_code == 409 and response.get_json()["scimType"] == "uniqueness"


def test_a_user_name_patched_to_a_non_email_keeps_the_email(scim, admin, create_user):
    user = create_user()
    answer = scim.patch(
        f"/Users/{user['id']}", patch_op({"op": "replace", "path": "userName", "value": "u.one"})
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["userName"] == "u.one"
    assert person(admin, user["id"])["email"] == user["userName"]


# Names ---------------------------------------------------------------------------------------


def test_given_and_family_names_are_answered_as_stored(scim):
    body = okta_user("ines@example.com", given="Inês", family="de Sá Pereira")
    user = scim.post("/Users", body).get_json()
    assert user["name"] == {
        "formatted": "Inês de Sá Pereira",
        "givenName": "Inês",
        "familyName": "de Sá Pereira",
    }
    again = scim.get(f"/Users/{user['id']}").get_json()
    assert again["name"]["familyName"] == "de Sá Pereira"


# Managers provisioned in any order -------------------------------------------------------------


def test_a_manager_not_provisioned_yet_is_kept_and_resolved_when_they_arrive(scim, admin):
    report = {
        "schemas": [CORE, ENTERPRISE],
        "userName": "report@example.com",
        ENTERPRISE: {"manager": {"value": "E-900"}},
    }
    response = scim.post("/Users", report)
    assert response.status_code == 201, response.get_json()
    user = response.get_json()
    assert user[ENTERPRISE]["manager"] == {"value": "E-900"}
    stored = person(admin, user["id"])
    assert (stored["manager_id"], stored["unresolved_manager"]) == (None, "E-900")

    boss = scim.post(
        "/Users",
        {
            "schemas": [CORE, ENTERPRISE],
            "userName": "boss@example.com",
            ENTERPRISE: {"employeeNumber": "E-900"},
        },
    ).get_json()
    stored = person(admin, user["id"])
    assert (stored["manager_id"], stored["unresolved_manager"]) == (boss["id"], None)
    manager = scim.get(f"/Users/{user['id']}").get_json()[ENTERPRISE]["manager"]
    assert manager["value"] == boss["id"] and manager["$ref"].endswith(f"/Users/{boss['id']}")


def test_a_manager_named_by_email_or_identity_provider_id_is_found(scim, admin):
    boss = scim.post("/Users", okta_user("boss@example.com", externalId="00uBOSS")).get_json()
    for n, reference in enumerate(("BOSS@example.com", "00uBOSS", boss["id"])):
        body = okta_user(f"r{n}@example.com", externalId=f"00uR{n}")
        body["schemas"] = [CORE, ENTERPRISE]
        body[ENTERPRISE] = {"manager": {"value": reference}}
        user = scim.post("/Users", body).get_json()
        assert person(admin, user["id"])["manager_id"] == boss["id"], reference


def test_a_manager_arriving_through_the_hr_file_resolves_the_reference(scim, admin):
    body = {
        "schemas": [CORE, ENTERPRISE],
        "userName": "report@example.com",
        ENTERPRISE: {"manager": "chief@example.com"},
    }
    user = scim.post("/Users", body).get_json()
    report = import_csv(admin, HR_HEADER + "C-1,chief@example.com,The Chief,Board,finance,8\r\n")
    assert report["created"] == 1, report
    chief = admin.get("/v1/people?q=chief@").get_json()[0]
    assert person(admin, user["id"])["manager_id"] == chief["id"]


def test_a_pending_manager_that_would_close_a_loop_stays_pending(scim, admin):
    a = scim.post(
        "/Users",
        {
            "schemas": [CORE, ENTERPRISE],
            "userName": "a@example.com",
            ENTERPRISE: {"manager": "b@example.com"},
        },
    ).get_json()
    b = scim.post(
        "/Users",
        {
            "schemas": [CORE, ENTERPRISE],
            "userName": "b@example.com",
            ENTERPRISE: {"manager": a["id"]},
        },
    )
    assert b.status_code == 201, b.get_json()
    stored = person(admin, a["id"])
    assert (stored["manager_id"], stored["unresolved_manager"]) == (None, "b@example.com")


# SCIM and the HR file, one person ----------------------------------------------------------------


def test_the_hr_file_and_the_identity_provider_find_the_same_person(scim, admin):
    body = okta_user("ada@example.com", given="Ada", family="Lovelace", externalId="00uADA")
    body["schemas"] = [CORE, ENTERPRISE]
    body[ENTERPRISE] = {"employeeNumber": "E-1", "department": "Payments"}
    user = scim.post("/Users", body).get_json()
    assert user["externalId"] == "00uADA"
    assert user[ENTERPRISE]["employeeNumber"] == "E-1"
    stored = person(admin, user["id"])
    assert (stored["external_id"], stored["team"]) == ("E-1", "Payments")

    same = HR_HEADER + "E-1,ada@example.com,Ada Lovelace,Payments,engineering,2\r\n"
    report = import_csv(admin, same)
    assert (report["unchanged"], report["rejected"]) == (1, 0), report
    promoted = same.replace(",2\r\n", ",5\r\n")
    report = import_csv(admin, promoted)
    assert (report["updated"], report["rejected"]) == (1, 0), report
    after = scim.get(f"/Users/{user['id']}").get_json()
    assert after["externalId"] == "00uADA" and after[ENTERPRISE]["employeeNumber"] == "E-1"
    assert after[ENTERPRISE]["department"] == "Payments"


def test_an_okta_user_without_employee_number_is_keyed_by_the_hr_file_later(scim, admin):
    user = scim.post(
        "/Users", okta_user("grace@example.com", given="Grace", family="Hopper")
    ).get_json()
    assert user["externalId"] == "00ujl29u0le5T6Aj10h7"
    report = import_csv(
        admin, HR_HEADER + "E-2,grace@example.com,Grace Hopper,Compilers,engineering,2\r\n"
    )
    assert (report["updated"], report["rejected"]) == (1, 0), report
    again = import_csv(
        admin, HR_HEADER + "E-2,grace@example.com,Grace Hopper,Compilers,engineering,2\r\n"
    )
    assert again["unchanged"] == 1
    # Okta's next PUT (no enterprise extension) keeps the employee id.
    put = scim.put(
        f"/Users/{user['id']}", okta_user("grace@example.com", given="Grace", family="Hopper")
    )
    assert put.status_code == 200, put.get_json()
    assert person(admin, user["id"])["external_id"] == "E-2"
    assert put.get_json()["externalId"] == "00ujl29u0le5T6Aj10h7"


def test_department_is_the_team_in_scim_and_in_csv(scim, admin):
    body = okta_user("lin@example.com")
    body["schemas"] = [CORE, ENTERPRISE]
    body[ENTERPRISE] = {"department": "Billing", "division": "Payments"}
    from_scim = person(admin, scim.post("/Users", body).get_json()["id"])
    import_csv(
        admin, "Work Email,Full Name,Department,Division\r\nmo@example.com,Mo,Billing,Payments\r\n"
    )
    from_csv = admin.get("/v1/people?q=mo@").get_json()[0]
    assert (from_scim["team"], from_scim["division"]) == (from_csv["team"], from_csv["division"])
    assert from_csv["team"] == "Billing"


def test_first_and_last_names_of_the_hr_file_are_the_given_and_family_names(scim, admin):
    body = "Employee ID,Work Email,First Name,Last Name,Job Function,Grade\r\n"
    body += "E-7,ines@example.com,Inês,de Sá Pereira,data,4\r\n"
    assert import_csv(admin, body)["created"] == 1
    found = scim.get("/Users", query_string={"filter": 'userName eq "ines@example.com"'})
    user = found.get_json()["Resources"][0]
    assert user["name"] == {
        "formatted": "Inês de Sá Pereira",
        "givenName": "Inês",
        "familyName": "de Sá Pereira",
    }
    assert import_csv(admin, body)["unchanged"] == 1
    renamed = import_csv(admin, body.replace("de Sá Pereira", "Pereira"), "?dry_run=true")
    assert renamed["changes"][0]["fields"] == {
        "name": {"from": "Inês de Sá Pereira", "to": "Inês Pereira"},
        "family_name": {"from": "de Sá Pereira", "to": "Pereira"},
    }
    too_long = import_csv(admin, body.replace("Inês", "I" * 101), "?on_error=skip")
    assert (too_long["rejections"][0]["code"], too_long["rejections"][0]["field"]) == (
        "invalid-value",
        "given_name",
    )
