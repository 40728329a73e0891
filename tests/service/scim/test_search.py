"""Filtering and paging users: every operator, translated to SQL and run there."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from service.scim import messages
from tests.conftest import database_of
from tests.service.scim.conftest import CORE, ENTERPRISE, RAPPORT, patch_op

E = ENTERPRISE
R = RAPPORT


@pytest.fixture
def directory(scim):
    """Four users, by first name."""
    people = {}
    specs = {
        "ada": {
            "userName": "ada@example.com",
            "name": {"formatted": "Ada Lovelace"},
            "title": "Staff Engineer",
            "externalId": "E-1",
            E: {"department": "Billing", "division": "Payments"},
            R: {"function": "engineering", "level": 6},
        },
        "grace": {
            "userName": "grace@example.com",
            "name": {"formatted": "Grace Hopper"},
            "title": "Director",
            "externalId": "e-2",
            "active": False,
            E: {"department": "Compilers", "division": "Platform"},
            R: {"function": "engineering", "level": 7},
        },
        "linus": {
            "userName": "linus@sample.org",
            "name": {"formatted": "Linus Torvalds"},
            E: {"division": "Payments"},
            R: {"function": "product", "level": 2},
        },
        "mia": {
            "userName": "mia@example.com",
            "name": {"formatted": "Mia Wong"},
            "title": "Designer",
            "externalId": "X_3%",
            R: {"function": "design", "level": 3},
        },
    }
    for key, body in specs.items():
        response = scim.post("/Users", {"schemas": [CORE, E, R], **body})
        assert response.status_code == 201, response.get_json()
        people[key] = response.get_json()["id"]
    manager = patch_op({"op": "add", "path": f"{E}:manager", "value": {"value": people["ada"]}})
    assert scim.patch(f"/Users/{people['grace']}", manager).status_code == 200
    return people


def names(scim, directory, scim_filter: str) -> set[str]:
    response = scim.get("/Users", query_string={"filter": scim_filter})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["totalResults"] == len(body["Resources"])
    by_id = {v: k for k, v in directory.items()}
    return {by_id[user["id"]] for user in body["Resources"]}


@pytest.mark.parametrize(
    ("scim_filter", "expected"),
    [
        ('userName eq "ADA@example.com"', {"ada"}),
        ('userName ne "ada@example.com"', {"grace", "linus", "mia"}),
        ('userName co "EXAMPLE"', {"ada", "grace", "mia"}),
        ('userName sw "Li"', {"linus"}),
        ('userName ew ".org"', {"linus"}),
        ('userName gt "l"', {"linus", "mia"}),
        ('emails co "sample"', {"linus"}),
        ('emails.value ew "@example.com"', {"ada", "grace", "mia"}),
        ('emails[type eq "work" and value sw "mia"]', {"mia"}),
        ('emails[type eq "home"]', set()),
        ('emails[type eq "work"].value eq "grace@example.com"', {"grace"}),
        ("emails[primary eq true]", {"ada", "grace", "linus", "mia"}),
        ("title pr", {"ada", "grace", "mia"}),
        ("not (title pr)", {"linus"}),
        ("title eq null", {"linus"}),
        ('title ne "Director"', {"ada", "linus", "mia"}),
        ('title co "ENG"', {"ada"}),
        ('externalId eq "E-1"', {"ada"}),
        ('externalId eq "e-1"', set()),
        ('externalId sw "e"', {"grace"}),
        ('externalId co "_3%"', {"mia"}),
        ('externalId ew "%"', {"mia"}),
        ('externalId co ""', {"ada", "grace", "mia"}),
        ('name.formatted co "_"', set()),
        ('displayName co "%"', set()),
        ('displayName lt "B"', {"ada"}),
        ('name.formatted eq "grace hopper"', {"grace"}),
        ("active eq false", {"grace"}),
        ("active eq true", {"ada", "linus", "mia"}),
        ("active ne true", {"grace"}),
        (f"{R}:level gt 5", {"ada", "grace"}),
        (f"{R}:level ge 6 and {R}:level lt 7", {"ada"}),
        (f"{R}:level le 2", {"linus"}),
        (f'{R}:function eq "engineering"', {"ada", "grace"}),
        (f'{E}:department eq "billing"', {"ada"}),
        (f'{E}:division eq "Payments"', {"ada", "linus"}),
        (f'not ({E}:division eq "Payments")', {"grace", "mia"}),
        (f"{E}:manager pr", {"grace"}),
        ('userName sw "a" or userName sw "m"', {"ada", "mia"}),
        (f'(active eq true and {R}:level gt 2) or title eq "Director"', {"ada", "grace", "mia"}),
        ('meta.created gt "2000-01-01T00:00:00Z"', {"ada", "grace", "linus", "mia"}),
        ('meta.lastModified lt "2000-01-01T00:00:00+02:00"', set()),
        ('meta.resourceType eq "User"', {"ada", "grace", "linus", "mia"}),
        # Values beyond what a column holds compare as its bounds (PostgreSQL refuses them).
        (f"{R}:level gt 99999999999999999999", set()),
        (f"{R}:level gt -40000", {"ada", "grace", "linus", "mia"}),
        ('meta.created gt "0001-01-01T00:00:00+01:00"', {"ada", "grace", "linus", "mia"}),
        ('meta.created gt "9999-12-31T23:59:59-01:00"', set()),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "mia@example.com"', {"mia"}),
    ],
)
def test_filters(scim, directory, scim_filter, expected):
    assert names(scim, directory, scim_filter) == expected


def test_filters_on_ids(scim, directory):
    assert names(scim, directory, f'id eq "{directory["mia"]}"') == {"mia"}
    assert names(scim, directory, f'{E}:manager.value eq "{directory["ada"]}"') == {"grace"}
    assert names(scim, directory, f'{E}:manager.value eq "{directory["ada"].lower()}"') == set()


@pytest.mark.parametrize(
    ("scim_filter", "detail"),
    [
        ('userName eq "ada', "invalid syntax"),
        ("userName eq", "invalid syntax"),
        ('shoeSize eq "42"', "shoeSize"),
        ('name.honorificPrefix eq "Dr"', "does not keep name.honorificPrefix"),
        ("nickName pr", "does not keep nickName"),
        (f'{E}:costCenter eq "1"', "costCenter"),
        ("title gt 3", "title"),
        ('active co "t"', ""),
        (f'{R}:function eq "wizardry"', "function"),
        ('userName eq "a\x00"', "U+0000"),
    ],
)
def test_bad_filters_are_400_invalid_filter(scim, directory, scim_filter, detail):
    response = scim.get("/Users", query_string={"filter": scim_filter})
    assert response.status_code == 400, response.get_json()
    body = response.get_json()
    assert body["scimType"] in ("invalidFilter", "invalidValue")
    assert detail in body["detail"]
    if "U+0000" not in detail:
        assert body["scimType"] == "invalidFilter"


def test_filtering_runs_in_sql_with_a_limit(app, scim, directory):
    statements: list[str] = []
    engine = database_of(app).engine

    def capture(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", capture)
    try:
        response = scim.get(
            "/Users", query_string={"filter": 'userName co "example" and title pr', "count": 2}
        )
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert response.get_json()["totalResults"] == 3
    people = [
        s
        for s in statements
        if "from people" in s and "coalesce(people.user_name_key, people.email_key) like" in s
    ]
    assert len(people) == 2  # the count, then the page
    assert all(" where " in s for s in people)
    assert "limit" in people[1] and "order by people.id" in people[1]


def test_paging_is_stable_and_one_based(scim, create_user):
    ids = sorted(create_user()["id"] for _ in range(7))
    seen = []
    for start in (1, 4, 7):
        page = scim.get("/Users", query_string={"startIndex": start, "count": 3}).get_json()
        assert page["totalResults"] == 7
        assert page["startIndex"] == start
        seen += [user["id"] for user in page["Resources"]]
        assert page["itemsPerPage"] == len(page["Resources"])
    assert seen == ids

    beyond = scim.get("/Users", query_string={"startIndex": 99}).get_json()
    assert (beyond["totalResults"], beyond["itemsPerPage"], beyond["Resources"]) == (7, 0, [])
    only_total = scim.get("/Users", query_string={"count": 0}).get_json()
    assert (only_total["totalResults"], only_total["Resources"]) == (7, [])
    negative = scim.get("/Users", query_string={"count": -5, "startIndex": -3}).get_json()
    assert (negative["startIndex"], negative["itemsPerPage"]) == (1, 0)


def test_count_is_capped_at_max_results(scim, create_user, monkeypatch):
    for _ in range(4):
        create_user()
    monkeypatch.setattr(messages, "MAX_RESULTS", 3)
    page = scim.get("/Users", query_string={"count": 10}).get_json()
    assert (page["totalResults"], page["itemsPerPage"]) == (4, 3)
    default = scim.get("/Users").get_json()
    assert default["itemsPerPage"] == 3


@pytest.mark.parametrize("parameter", ["startIndex", "count"])
def test_paging_parameters_are_integers(scim, parameter):
    response = scim.get("/Users", query_string={parameter: "abc"})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"


@pytest.mark.parametrize("parameter", ["sortBy", "sortOrder", "cursor"])
def test_sorting_and_cursors_are_refused(scim, parameter):
    response = scim.get("/Users", query_string={parameter: "userName"})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"


def test_list_with_attributes(scim, directory):
    page = scim.get(
        "/Users", query_string={"filter": 'userName eq "ada@example.com"', "attributes": "userName"}
    ).get_json()
    assert page["Resources"] == [
        {"schemas": [CORE], "id": directory["ada"], "userName": "ada@example.com"}
    ]


def test_attributes_win_over_excluded_attributes(scim, directory):
    user = scim.get(
        f"/Users/{directory['ada']}",
        query_string={"attributes": "title", "excludedAttributes": "title"},
    ).get_json()
    assert user == {"schemas": [CORE], "id": directory["ada"], "title": "Staff Engineer"}


@pytest.mark.parametrize("value", ["userName,", " userName", "user name", "urn:x", "a..b"])
def test_attribute_lists_follow_the_attribute_notation(scim, directory, value):
    response = scim.get(f"/Users/{directory['ada']}", query_string={"attributes": value})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"


def test_search_by_post(scim, directory):
    response = scim.post(
        "/Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": f'{E}:division eq "Payments"',
            "attributes": ["userName"],
            "startIndex": 1,
            "count": 1,
        },
    )
    assert response.status_code == 200, response.get_json()
    page = response.get_json()
    assert page["totalResults"] == 2 and page["itemsPerPage"] == 1
    assert set(page["Resources"][0]) == {"schemas", "id", "userName"}


@pytest.mark.parametrize(
    "body",
    [
        {"filter": "userName eq"},
        {"sortBy": "userName"},
        {"attributes": ["userName,title"]},
        {"excludedAttributes": "title"},
        [1, 2],
    ],
)
def test_bad_searches_are_400(scim, body):
    response = scim.post("/Users/.search", body)
    assert response.status_code == 400
    assert response.mimetype == "application/scim+json"


def test_search_answers_only_post(scim):
    response = scim.get("/Users/.search")
    assert response.status_code == 405
    assert response.get_json()["status"] == "405"
    assert response.mimetype == "application/scim+json"
    assert "POST" in response.headers["Allow"] and "GET" not in response.headers["Allow"]
