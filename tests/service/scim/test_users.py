"""/scim/v2/Users: the requests Okta and Microsoft Entra send, and what people become."""

from __future__ import annotations

import pytest

from service.auth import Role
from service.people.models import Person
from tests.conftest import issue
from tests.service.scim.conftest import (
    CORE,
    ENTERPRISE,
    LIST,
    RAPPORT,
    ScimClient,
    entra_user,
    okta_user,
    patch_op,
)


def find(scim, scim_filter: str) -> dict:
    response = scim.get("/Users", query_string={"filter": scim_filter})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# Okta -----------------------------------------------------------------------------------


def test_okta_looks_up_creates_deactivates_and_reactivates_a_user(scim, admin):
    lookup = find(scim, 'userName eq "isaac.brock@example.com"')
    assert lookup == {
        "schemas": [LIST],
        "totalResults": 0,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }

    created = scim.post("/Users", okta_user("isaac.brock@example.com"))
    assert created.status_code == 201
    assert created.mimetype == "application/scim+json"
    user = created.get_json()
    assert created.headers["Location"] == user["meta"]["location"]
    assert user["meta"]["location"].endswith(f"/scim/v2/Users/{user['id']}")
    assert user["userName"] == "isaac.brock@example.com"
    assert user["name"] == {"formatted": "Isaac Brock", "givenName": "Isaac", "familyName": "Brock"}
    assert user["displayName"] == "Isaac Brock"
    assert user["active"] is True
    assert user["externalId"] == "00ujl29u0le5T6Aj10h7"
    assert user["emails"] == [{"value": "isaac.brock@example.com", "type": "work", "primary": True}]
    assert user[RAPPORT] == {"function": "engineering", "level": 2}
    assert user["meta"]["resourceType"] == "User"
    assert user["meta"]["created"] == user["meta"]["lastModified"]
    assert "password" not in user and "groups" not in user and "locale" not in user

    person = admin.get(f"/v1/people/{user['id']}").get_json()
    assert (person["email"], person["name"], person["function"], person["level"]) == (
        "isaac.brock@example.com",
        "Isaac Brock",
        "engineering",
        2,
    )

    found = find(scim, 'userName eq "Isaac.Brock@EXAMPLE.com"')
    assert found["totalResults"] == 1
    assert found["Resources"][0] == user

    okta_deactivate = patch_op({"op": "replace", "value": {"active": False}})
    deactivated = scim.patch(f"/Users/{user['id']}", okta_deactivate)
    assert deactivated.status_code == 200
    assert deactivated.get_json()["active"] is False
    read = scim.get(f"/Users/{user['id']}")
    assert read.status_code == 200 and read.get_json()["active"] is False
    assert admin.get(f"/v1/people/{user['id']}").get_json()["active"] is False

    reactivated = scim.patch(
        f"/Users/{user['id']}", patch_op({"op": "replace", "value": {"active": True}})
    )
    assert reactivated.get_json()["active"] is True
    assert admin.get(f"/v1/people/{user['id']}").get_json()["active"] is True


def test_okta_replaces_a_user_with_put(scim, admin):
    user = scim.post("/Users", okta_user("isaac.brock@example.com")).get_json()
    body = okta_user(
        "isaac.brock@example.com", given="Isaac", family="Brock-Smith", title="Staff Engineer"
    )
    body["externalId"] = "00ujl29u0le5T6Aj10h8"
    body["id"] = user["id"]
    body["meta"] = user["meta"]
    replaced = scim.put(f"/Users/{user['id']}", body)
    assert replaced.status_code == 200, replaced.get_json()
    answer = replaced.get_json()
    assert answer["name"] == {
        "formatted": "Isaac Brock-Smith",
        "givenName": "Isaac",
        "familyName": "Brock-Smith",
    }
    assert answer["title"] == "Staff Engineer"
    assert answer["externalId"] == "00ujl29u0le5T6Aj10h8"
    assert answer["meta"]["created"] == user["meta"]["created"]
    assert answer["meta"]["version"] != user["meta"]["version"]
    assert scim.get(f"/Users/{user['id']}").get_json() == answer
    assert admin.get(f"/v1/people/{user['id']}").get_json()["title"] == "Staff Engineer"


def test_put_clears_core_attributes_left_out_but_keeps_extensions_left_out(scim, admin):
    manager = scim.post("/Users", okta_user("boss@example.com")).get_json()
    body = {
        "schemas": [CORE, ENTERPRISE, RAPPORT],
        "userName": "ada@example.com",
        "name": {"formatted": "Ada Lovelace"},
        "title": "Engineer",
        "externalId": "E-1",
        ENTERPRISE: {"department": "Billing", "division": "Payments", "manager": manager["id"]},
        RAPPORT: {"function": "data", "level": 5},
    }
    user = scim.post("/Users", body).get_json()
    replaced = scim.put(
        f"/Users/{user['id']}", {"schemas": [CORE], "userName": "ada@example.com"}
    ).get_json()
    assert "title" not in replaced and "externalId" not in replaced
    assert replaced["name"] == {"formatted": "Ada Lovelace"}
    assert replaced["active"] is True
    assert replaced[ENTERPRISE]["department"] == "Billing"
    assert replaced[ENTERPRISE]["manager"]["value"] == manager["id"]
    assert replaced[RAPPORT] == {"function": "data", "level": 5}

    emptied = scim.put(
        f"/Users/{user['id']}",
        {"schemas": [CORE, ENTERPRISE], "userName": "ada@example.com", ENTERPRISE: {}},
    ).get_json()
    assert ENTERPRISE not in emptied
    person = admin.get(f"/v1/people/{user['id']}").get_json()
    assert (person["team"], person["division"], person["manager_id"]) == (None, None, None)
    assert (person["function"], person["level"]) == ("data", 5)


def test_an_unchanged_put_keeps_the_version(scim):
    user = scim.post("/Users", okta_user("isaac.brock@example.com")).get_json()
    again = scim.put(f"/Users/{user['id']}", okta_user("isaac.brock@example.com")).get_json()
    assert again["meta"]["version"] == user["meta"]["version"]
    assert again["meta"]["lastModified"] == user["meta"]["lastModified"]


# Microsoft Entra --------------------------------------------------------------------------


def test_entra_creates_with_its_default_mapping_and_deactivates_with_a_string_boolean(scim):
    created = scim.post(
        "/Users", entra_user("bjensen@example.com", "bjensen", department="Product Design")
    )
    assert created.status_code == 201, created.get_json()
    user = created.get_json()
    assert user["name"] == {
        "formatted": "Barbara Jensen",
        "givenName": "Barbara",
        "familyName": "Jensen",
    }
    assert user["title"] == "Product Manager"
    assert user[ENTERPRISE] == {"department": "Product Design", "employeeNumber": "701984"}
    assert user[RAPPORT]["function"] == "design"
    assert "phoneNumbers" not in user and "addresses" not in user

    assert find(scim, 'externalId eq "bjensen"')["Resources"][0]["id"] == user["id"]
    assert find(scim, 'externalId eq "BJENSEN"')["totalResults"] == 0  # caseExact

    entra_deactivate = patch_op({"op": "Replace", "path": "active", "value": "False"})
    response = scim.patch(f"/Users/{user['id']}", entra_deactivate)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["active"] is False
    entra_reactivate = patch_op({"op": "Replace", "path": "active", "value": "True"})
    assert scim.patch(f"/Users/{user['id']}", entra_reactivate).get_json()["active"] is True


def test_entra_patches_several_attributes_at_once(scim):
    user = scim.post("/Users", entra_user("bjensen@example.com", "bjensen")).get_json()
    response = scim.patch(
        f"/Users/{user['id']}",
        patch_op(
            {"op": "Add", "path": "title", "value": "Director"},
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "bj@example.com"},
            {"op": "Replace", "path": "name.familyName", "value": "Jensen-Doe"},
            {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Finance"},
            {"op": "Add", "path": f"{ENTERPRISE}:employeeNumber", "value": "701984"},
            {"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+1 555"},
            {"op": "Replace", "path": "externalId", "value": "bjensen2"},
        ),
    )
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["title"] == "Director"
    assert answer["userName"] == "bj@example.com"
    assert answer["emails"][0]["value"] == "bj@example.com"
    assert answer["name"] == {
        "formatted": "Barbara Jensen-Doe",
        "givenName": "Barbara",
        "familyName": "Jensen-Doe",
    }
    assert answer[ENTERPRISE] == {"department": "Finance", "employeeNumber": "701984"}
    assert answer["externalId"] == "bjensen2"
    assert answer[RAPPORT]["function"] == "product"  # derived at creation only


def test_entra_changes_and_removes_the_manager(scim, admin):
    boss = scim.post("/Users", entra_user("boss@example.com", "boss")).get_json()
    other = scim.post("/Users", entra_user("other@example.com", "other")).get_json()
    user = scim.post("/Users", entra_user("bjensen@example.com", "bjensen")).get_json()
    manager = f"{ENTERPRISE}:manager"

    response = scim.patch(
        f"/Users/{user['id']}",
        patch_op({"op": "replace", "path": manager, "value": {"value": boss["id"]}}),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()[ENTERPRISE]["manager"] == {
        "value": boss["id"],
        "$ref": boss["meta"]["location"],
    }
    assert admin.get(f"/v1/people/{user['id']}").get_json()["manager_id"] == boss["id"]

    bare_id = scim.patch(
        f"/Users/{user['id']}", patch_op({"op": "Add", "path": manager, "value": other["id"]})
    )
    assert bare_id.get_json()[ENTERPRISE]["manager"]["value"] == other["id"]

    removed = scim.patch(f"/Users/{user['id']}", patch_op({"op": "Remove", "path": manager}))
    assert ENTERPRISE not in removed.get_json()
    assert admin.get(f"/v1/people/{user['id']}").get_json()["manager_id"] is None


def test_a_manager_must_be_a_user_and_not_a_loop(scim):
    boss = scim.post("/Users", entra_user("boss@example.com", "boss")).get_json()
    user = scim.post("/Users", entra_user("bjensen@example.com", "bjensen")).get_json()
    manager = f"{ENTERPRISE}:manager"
    # A manager not provisioned yet is kept as given (see test_identity.py).
    unknown = scim.patch(
        f"/Users/{user['id']}",
        patch_op({"op": "replace", "path": manager, "value": {"value": "per_nobody"}}),
    )
    assert unknown.status_code == 200
    assert unknown.get_json()[ENTERPRISE]["manager"] == {"value": "per_nobody"}
    scim.patch(
        f"/Users/{user['id']}", patch_op({"op": "replace", "path": manager, "value": boss["id"]})
    )
    loop = scim.patch(
        f"/Users/{boss['id']}", patch_op({"op": "replace", "path": manager, "value": user["id"]})
    )
    assert loop.status_code == 400 and loop.get_json()["scimType"] == "invalidValue"


# Creation ---------------------------------------------------------------------------------


def test_a_duplicate_user_name_is_409_uniqueness_whatever_its_case(scim):
    scim.post("/Users", okta_user("isaac.brock@example.com"))
    again = okta_user("Isaac.Brock@Example.com", externalId="another")
    response = scim.post("/Users", again)
    assert response.status_code == 409
    assert response.mimetype == "application/scim+json"
    assert response.get_json()["scimType"] == "uniqueness"
    assert response.get_json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert response.get_json()["status"] == "409"


def test_a_duplicate_external_id_is_409_uniqueness(scim):
    scim.post("/Users", okta_user("a@example.com"))
    response = scim.post("/Users", okta_user("b@example.com"))
    assert response.status_code == 409
    assert response.get_json()["scimType"] == "uniqueness"


def test_a_user_name_must_be_an_email(scim):
    response = scim.post("/Users", {"schemas": [CORE], "userName": "bjensen"})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"
    assert "userName" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"name": {"formatted": "  Ada King  ", "givenName": "A"}}, "Ada King"),
        ({"name": {"givenName": "Ada"}, "displayName": "AK"}, "Ada"),
        ({"displayName": "Ada K."}, "Ada K."),
        ({}, "ada@example.com"),
    ],
)
def test_the_name_comes_from_formatted_then_given_and_family_then_display_name(scim, body, name):
    user = scim.post("/Users", {"schemas": [CORE], "userName": "ada@example.com", **body})
    assert user.get_json()["name"]["formatted"] == name
    assert user.get_json()["name"].get("givenName") == body.get("name", {}).get("givenName")


@pytest.mark.parametrize(
    ("enterprise", "title", "function"),
    [
        ({"department": "People Operations"}, None, "people"),
        ({"department": "Sales EMEA"}, "Software Engineer", "sales"),
        ({"department": "Payments", "division": "Customer Success"}, None, "support"),
        ({}, "Senior Data Scientist", "data"),
        ({"department": "Payments"}, "Chief of Staff", "engineering"),
    ],
)
def test_a_new_users_function_is_derived_from_department_division_then_title(
    scim, enterprise, title, function
):
    body = {"schemas": [CORE, ENTERPRISE], "userName": "ada@example.com", ENTERPRISE: enterprise}
    if title:
        body["title"] = title
    user = scim.post("/Users", body).get_json()
    assert user[RAPPORT] == {"function": function, "level": 2}


def test_the_rapport_extension_sets_function_and_level(scim, admin):
    body = {
        "schemas": [CORE, RAPPORT],
        "userName": "ada@example.com",
        RAPPORT: {"function": "legal", "level": 7},
    }
    user = scim.post("/Users", body).get_json()
    assert user[RAPPORT] == {"function": "legal", "level": 7}
    assert admin.get(f"/v1/people/{user['id']}").get_json()["level"] == 7


def test_the_defaults_are_configurable(make_app, database_url):
    app = make_app(
        {
            "DATABASE_URL": database_url,
            "SCIM_DEFAULT_FUNCTION": "operations",
            "SCIM_DEFAULT_LEVEL": 4,
        }
    )
    client = ScimClient(app.test_client(), issue(app, Role.INTEGRATION))
    user = client.post("/Users", {"schemas": [CORE], "userName": "x@example.com"}).get_json()
    assert user[RAPPORT] == {"function": "operations", "level": 4}
    schema = client.get(f"/Schemas/{RAPPORT}").get_json()
    level = next(a for a in schema["attributes"] if a["name"] == "level")
    assert "4 when a user is created without it" in level["description"]


def test_an_invalid_default_fails_at_startup(make_app, database_url):
    with pytest.raises(ValueError, match="RAPPORT_SCIM_DEFAULT_FUNCTION"):
        make_app({"DATABASE_URL": database_url, "SCIM_DEFAULT_FUNCTION": "wizardry"})


@pytest.mark.parametrize(
    ("extension", "detail"),
    [({"function": "wizardry"}, "function"), ({"level": 9}, "level"), ({"level": "3"}, "level")],
)
def test_rapport_attributes_are_validated(scim, extension, detail):
    body = {"schemas": [CORE, RAPPORT], "userName": "ada@example.com", RAPPORT: extension}
    response = scim.post("/Users", body)
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"
    assert f"{RAPPORT}:{detail}" in response.get_json()["detail"]


def test_values_longer_than_the_directory_keeps_are_400(scim):
    response = scim.post(
        "/Users", {"schemas": [CORE], "userName": "ada@example.com", "title": "x" * 201}
    )
    assert response.status_code == 400
    assert response.get_json()["detail"] == "title: at most 200 characters, not 201."


def test_attributes_of_no_schema_are_refused(scim):
    response = scim.post("/Users", {"schemas": [CORE], "userName": "a@example.com", "shoe": 42})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidSyntax"


def test_booleans_in_bodies_are_json_booleans(scim):
    response = scim.post("/Users", {"schemas": [CORE], "userName": "a@example.com", "active": 0})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"


def test_a_user_created_inactive_stays_inactive(scim):
    user = scim.post(
        "/Users", {"schemas": [CORE], "userName": "a@example.com", "active": False}
    ).get_json()
    assert user["active"] is False


def test_a_user_created_through_scim_has_the_same_row_as_any_person(scim, session):
    user = scim.post("/Users", okta_user("isaac.brock@example.com")).get_json()
    person = session.get(Person, user["id"])
    assert person.email_key == "isaac.brock@example.com"
    assert person.languages == [] and person.skill_rows == []


# PATCH ------------------------------------------------------------------------------------


def test_patch_operations_apply_in_order_and_all_or_none(scim, create_user):
    user = create_user(title="Engineer")
    response = scim.patch(
        f"/Users/{user['id']}",
        patch_op(
            {"op": "replace", "path": "title", "value": "Director"},
            {"op": "replace", "path": "nickName[", "value": "x"},
        ),
    )
    assert response.status_code == 400
    assert scim.get(f"/Users/{user['id']}").get_json()["title"] == "Engineer"

    done = scim.patch(
        f"/Users/{user['id']}",
        patch_op(
            {"op": "add", "path": "title", "value": "Director"},
            {"op": "REPLACE", "path": "displayName", "value": "Ada Lovelace"},
            {"op": "remove", "path": "title"},
            {"op": "add", "value": {f"{RAPPORT}:level": 8}},
        ),
    )
    answer = done.get_json()
    assert "title" not in answer
    assert answer["name"] == {"formatted": "Ada Lovelace"}
    assert answer[RAPPORT]["level"] == 8


def test_patch_given_name_alone_keeps_the_family_name(scim, create_user):
    user = create_user(name={"formatted": "Mary Ann Smith"})
    answer = scim.patch(
        f"/Users/{user['id']}",
        patch_op({"op": "replace", "path": "name.givenName", "value": "Marie"}),
    ).get_json()
    assert answer["name"] == {"formatted": "Marie Ann Smith", "givenName": "Marie"}


def test_patch_user_name_changes_the_email(scim, create_user, admin):
    user = create_user()
    answer = scim.patch(
        f"/Users/{user['id']}",
        patch_op({"op": "replace", "path": "userName", "value": "new@example.com"}),
    ).get_json()
    assert answer["userName"] == "new@example.com"
    assert admin.get(f"/v1/people/{user['id']}").get_json()["email"] == "new@example.com"


def test_patch_to_a_taken_user_name_is_409(scim, create_user):
    first = create_user()
    second = create_user()
    response = scim.patch(
        f"/Users/{second['id']}",
        patch_op({"op": "replace", "path": "userName", "value": first["userName"].upper()}),
    )
    assert response.status_code == 409
    assert response.get_json()["scimType"] == "uniqueness"


@pytest.mark.parametrize(
    ("operation", "scim_type"),
    [
        ({"op": "replace", "path": "shoeSize", "value": 42}, "invalidPath"),
        ({"op": "replace", "path": f"{ENTERPRISE}:shoeSize", "value": 42}, "invalidPath"),
        ({"op": "replace", "path": "title[", "value": "x"}, "invalidPath"),
        ({"op": "remove"}, "noTarget"),
        ({"op": "replace", "path": 'emails[type eq "home"].display', "value": "x"}, None),
        ({"op": "replace", "path": "id", "value": "per_x"}, "mutability"),
        ({"op": "remove", "path": "userName"}, "mutability"),
        ({"op": "remove", "path": "active"}, "invalidValue"),
        ({"op": "remove", "path": f"{RAPPORT}:function"}, "invalidValue"),
        ({"op": "jump", "path": "title", "value": "x"}, "invalidValue"),
        ({"op": "replace", "path": "active", "value": "maybe"}, "invalidValue"),
    ],
)
def test_bad_patches_are_400_with_their_scim_type(scim, create_user, operation, scim_type):
    user = create_user()
    response = scim.patch(f"/Users/{user['id']}", patch_op(operation))
    if scim_type is None:  # Entra's unmatched filter creates the value: accepted, not kept
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["scimType"] == scim_type


def test_a_patch_without_operations_is_400(scim, create_user):
    user = create_user()
    response = scim.patch(
        f"/Users/{user['id']}", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}
    )
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"


# Read, delete -----------------------------------------------------------------------------


def test_attributes_and_excluded_attributes_shape_the_answer(scim, create_user):
    user = create_user(title="Engineer")
    only = scim.get(
        f"/Users/{user['id']}", query_string={"attributes": f"userName,{RAPPORT}:level"}
    ).get_json()
    assert only == {
        "schemas": [CORE, RAPPORT],
        "id": user["id"],
        "userName": user["userName"],
        RAPPORT: {"level": 2},
    }
    without = scim.get(
        f"/Users/{user['id']}", query_string={"excludedAttributes": "emails,meta,title"}
    ).get_json()
    assert "emails" not in without and "meta" not in without and "title" not in without
    assert without["userName"] == user["userName"]


def test_delete_deactivates_and_the_user_stays_readable_and_listed(scim, create_user, admin):
    user = create_user()
    response = scim.delete(f"/Users/{user['id']}")
    assert response.status_code == 204
    assert response.get_data() == b""
    read = scim.get(f"/Users/{user['id']}")
    assert read.status_code == 200 and read.get_json()["active"] is False
    assert find(scim, f'userName eq "{user["userName"]}"')["totalResults"] == 1
    assert admin.get(f"/v1/people/{user['id']}").get_json()["active"] is False
    # Provisioned again, the person is found and re-activated rather than duplicated.
    again = scim.post("/Users", {"schemas": [CORE], "userName": user["userName"]})
    assert again.status_code == 409
    back = scim.patch(
        f"/Users/{user['id']}", patch_op({"op": "replace", "path": "active", "value": True})
    )
    assert back.get_json()["active"] is True


def test_unknown_users_are_404_scim_errors(scim):
    for response in (
        scim.get("/Users/per_nobody"),
        scim.put("/Users/per_nobody", {"schemas": [CORE], "userName": "a@example.com"}),
        scim.patch("/Users/per_nobody", patch_op({"op": "replace", "path": "title", "value": "x"})),
        scim.delete("/Users/per_nobody"),
        scim.get("/Users/per_%00"),
    ):
        assert response.status_code == 404
        assert response.mimetype == "application/scim+json"
        assert response.get_json()["status"] == "404"


def test_a_person_created_through_the_rest_api_is_a_scim_user(scim, make_person):
    person = make_person(team="Billing", division="Payments", title="Staff Engineer", level=6)
    user = scim.get(f"/Users/{person['id']}").get_json()
    assert user["userName"] == person["email"]
    assert user[ENTERPRISE] == {"department": "Billing", "division": "Payments"}
    assert user[RAPPORT] == {"function": "engineering", "level": 6}
