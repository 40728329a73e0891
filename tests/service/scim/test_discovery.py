"""ServiceProviderConfig, ResourceTypes and Schemas say exactly what is supported."""

from __future__ import annotations

from service.people.models import FUNCTIONS
from tests.service.scim.conftest import CORE, ENTERPRISE, LIST, RAPPORT


def test_the_service_provider_config_says_what_is_supported(scim):
    response = scim.get("/ServiceProviderConfig")
    assert response.status_code == 200
    assert response.mimetype == "application/scim+json"
    config = response.get_json()
    assert config["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]
    assert config["patch"] == {"supported": True}
    assert config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["sort"] == {"supported": False}
    assert config["etag"] == {"supported": False}
    assert config["changePassword"] == {"supported": False}
    assert config["pagination"]["cursor"] is False and config["pagination"]["index"] is True
    [scheme] = config["authenticationSchemes"]
    assert scheme["type"] == "oauthbearertoken" and scheme["primary"] is True
    assert config["meta"]["location"].endswith("/scim/v2/ServiceProviderConfig")
    assert config["documentationUri"].endswith("/docs")


def test_there_is_one_resource_type_users_with_two_optional_extensions(scim):
    listed = scim.get("/ResourceTypes").get_json()
    assert listed["schemas"] == [LIST] and listed["totalResults"] == 1
    [user] = listed["Resources"]
    assert (user["name"], user["endpoint"], user["schema"]) == ("User", "/Users", CORE)
    assert user["schemaExtensions"] == [
        {"schema": ENTERPRISE, "required": False},
        {"schema": RAPPORT, "required": False},
    ]
    assert scim.get("/ResourceTypes/User").get_json() == user
    assert scim.get("/ResourceTypes/Group").status_code == 404


def _attributes(schema: dict) -> dict[str, dict]:
    return {a["name"]: a for a in schema["attributes"]}


def test_the_schemas_list_only_what_rapport_keeps(scim):
    listed = scim.get("/Schemas").get_json()
    by_id = {s["id"]: s for s in listed["Resources"]}
    assert set(by_id) == {CORE, ENTERPRISE, RAPPORT}
    core = _attributes(by_id[CORE])
    assert set(core) == {"userName", "name", "displayName", "title", "active", "emails"}
    assert {s["name"] for s in core["name"]["subAttributes"]} == {
        "formatted",
        "givenName",
        "familyName",
    }
    given = next(s for s in core["name"]["subAttributes"] if s["name"] == "givenName")
    assert (given["mutability"], given["returned"]) == ("readWrite", "default")
    assert core["userName"]["uniqueness"] == "server"
    assert core["active"]["type"] == "boolean"
    assert set(_attributes(by_id[ENTERPRISE])) == {
        "employeeNumber",
        "department",
        "division",
        "manager",
    }

    rapport = _attributes(by_id[RAPPORT])
    assert set(rapport) == {"function", "level"}
    assert rapport["function"]["canonicalValues"] == list(FUNCTIONS)
    assert "'engineering'" in rapport["function"]["description"]
    assert rapport["level"]["type"] == "integer"
    assert scim.get(f"/Schemas/{RAPPORT}").get_json() == by_id[RAPPORT]
    assert scim.get("/Schemas/urn:example:nothing").status_code == 404


def test_a_full_user_carries_exactly_the_attributes_the_schemas_return(scim):
    boss = scim.post("/Users", {"schemas": [CORE], "userName": "boss@example.com"}).get_json()
    user = scim.post(
        "/Users",
        {
            "schemas": [CORE, ENTERPRISE, RAPPORT],
            "userName": "ada@example.com",
            "externalId": "E-1",
            "name": {"formatted": "Ada Lovelace"},
            "title": "Engineer",
            ENTERPRISE: {
                "employeeNumber": "E-1",
                "department": "Billing",
                "division": "Payments",
                "manager": boss["id"],
            },
            RAPPORT: {"function": "data", "level": 4},
        },
    ).get_json()
    schemas = {s["id"]: s for s in scim.get("/Schemas").get_json()["Resources"]}

    def returned(urn: str) -> set[str]:
        return {a["name"] for a in schemas[urn]["attributes"] if a["returned"] != "never"}

    common = {"schemas", "id", "externalId", "meta", ENTERPRISE, RAPPORT}
    assert set(user) - common == returned(CORE)
    assert set(user[ENTERPRISE]) == returned(ENTERPRISE)
    assert set(user[RAPPORT]) == returned(RAPPORT)
