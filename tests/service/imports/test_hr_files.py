"""HR files as HR systems export them: encodings, extra columns, defaults, the row report."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from tests.conftest import database_of

FILES = Path(__file__).parent / "files"
# Workday's default CSV: Windows-1252, CRLF, quoted commas and quotes, columns Rapport
# does not keep, no function or level.
WORKDAY = (FILES / "workday-windows-1252.csv").read_bytes()
# BambooHR's: UTF-8 with a byte-order mark, semicolons, Division and Department.
BAMBOO = (FILES / "bamboohr-utf8-bom.csv").read_bytes()


def post_file(client, data: bytes, query: str = "", content_type: str = "text/csv"):
    return client.post(f"/v1/imports/people{query}", data=data, content_type=content_type)


def people(client) -> dict[str, dict]:
    return {p["email"]: p for p in client.get("/v1/people?page_size=100").get_json()}


def test_a_workday_export_in_windows_1252_is_detected_and_read(admin):
    assert WORKDAY.decode("cp1252").count("\r\n") == 5 and b"\xfc" in WORKDAY  # ü, not UTF-8
    response = post_file(admin, WORKDAY)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["encoding"], report["created"], report["rejected"]) == ("cp1252", 4, 0)
    assert report["columns"]["ignored"] == ["Cost Center", "Hire Date"]
    assert report["columns"]["mapped"]["Legal Name"] == "name"
    assert report["columns"]["mapped"]["Department"] == "team"
    found = people(admin)
    juergen = found["juergen.mueller@example.com"]
    assert (juergen["name"], juergen["title"], juergen["location"]) == (
        "Müller, Jürgen",
        "Head of Finance, EMEA",
        "Zürich",
    )
    jose = found["jose.nunez@example.com"]
    assert jose["title"] == 'Customer Success Manager "Enterprise"'
    assert jose["manager_id"] == juergen["id"]
    assert found["siobhan.obrien@example.com"]["name"] == "O'Brien, Siobhán"


def test_new_hires_without_function_or_level_get_derived_or_default_ones(admin):
    report = post_file(admin, WORKDAY).get_json()
    found = people(admin)
    assert found["juergen.mueller@example.com"]["function"] == "finance"
    assert found["jose.nunez@example.com"]["function"] == "support"
    # "Workplace" / "Office Coordinator" name no function: the default one.
    assert found["chloe.dupre@example.com"]["function"] == "engineering"
    assert {p["level"] for p in found.values()} == {2}
    notes = {(n["person"], n["code"]) for n in report["notes"]}
    assert ("W-1001", "function-derived") in notes
    assert ("W-1004", "function-default") in notes
    assert ("W-1004", "level-default") in notes
    assert len(report["notes"]) == 8


def test_the_defaults_for_new_hires_are_the_settings(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "SCIM_DEFAULT_FUNCTION", "operations")
    monkeypatch.setitem(app.config, "SCIM_DEFAULT_LEVEL", 4)
    post_file(admin, WORKDAY)
    chloe = people(admin)["chloe.dupre@example.com"]
    assert (chloe["function"], chloe["level"]) == ("operations", 4)


def test_the_charset_of_the_content_type_is_honoured(admin):
    latin = "Work Email,Full Name,Function,Level\r\nzoe@example.com,Zoë Ça,design,3\r\n"
    response = post_file(admin, latin.encode("latin-1"), content_type="text/csv; charset=latin-1")
    assert response.get_json()["encoding"] == "iso8859-1"
    assert people(admin)["zoe@example.com"]["name"] == "Zoë Ça"
    wrong = post_file(admin, "a,b\r\n".encode("utf-16"), content_type="text/csv; charset=utf-8")
    assert wrong.status_code == 422 and "not utf-8 text" in wrong.get_json()["detail"]
    for charset in ("klingon", "hex", "rot13"):
        unknown = post_file(admin, b"email\r\n", content_type=f"text/csv; charset={charset}")
        assert unknown.status_code == 422 and charset in unknown.get_json()["detail"]


def test_a_bamboohr_export_with_a_bom_and_semicolons(admin):
    response = post_file(admin, BAMBOO)
    report = response.get_json()
    assert response.status_code == 200, report
    assert (report["encoding"], report["created"]) == ("utf-8", 2)
    assert report["columns"]["ignored"] == ["Custom Field 1"]
    assert report["columns"]["mapped"]["Employee #"] == "external_id"
    found = people(admin)
    ana, tomas = found["ana.lima@example.com"], found["tomas.simek@example.com"]
    assert (ana["external_id"], ana["division"], ana["team"]) == (
        "B-7",
        "Technology",
        "Payments Platform",
    )
    assert ana["function"] == "engineering" and ana["languages"] == ["pt-BR"]
    assert tomas["name"] == "Tomás Šimek" and tomas["title"] == "Designer; UX"
    assert tomas["languages"] == ["cs", "en"] and tomas["manager_id"] == ana["id"]
    assert tomas["function"] == "design"


def test_a_dry_run_says_what_would_change_for_each_person(admin):
    post_file(admin, WORKDAY)
    changed = WORKDAY.replace(b"Senior Accountant", b"Lead Accountant").replace(b"Paris", b"Lyon")
    report = post_file(admin, changed, "?dry_run=true").get_json()
    assert (report["updated"], report["unchanged"]) == (2, 2)
    by_person = {c["person"]: c["fields"] for c in report["changes"]}
    assert by_person == {
        "W-1002": {"title": {"from": "Senior Accountant", "to": "Lead Accountant"}},
        "W-1004": {"location": {"from": "Paris", "to": "Lyon"}},
    }
    assert people(admin)["chloe.dupre@example.com"]["location"] == "Paris"
    assert "changes" not in post_file(admin, changed).get_json()


def test_a_manager_whose_own_row_was_rejected_is_named_as_such(admin):
    body = (
        "Employee ID,Work Email,Full Name,Job Function,Grade,Manager ID\r\n"
        "M-1,boss@example.com,Boss,engineering,12,\r\n"
        "M-2,report@example.com,Report,engineering,3,M-1\r\n"
        "M-3,second@example.com,Second,engineering,3,M-2\r\n"
        "M-4,ghost-report@example.com,Ghost Report,engineering,3,M-99\r\n"
    )
    report = post_file(admin, body.encode(), "?on_error=skip").get_json()
    rejections = {r["person"]: r for r in report["rejections"]}
    assert rejections["M-1"]["code"] == "invalid-value" and rejections["M-1"]["field"] == "level"
    assert rejections["M-2"]["code"] == "manager-rejected"
    assert rejections["M-2"]["field"] == "manager_external_id"
    assert rejections["M-2"]["reason"] == "manager 'M-1' is on row 2, which was rejected."
    assert rejections["M-3"]["reason"] == "manager 'M-2' is on row 3, which was rejected."
    assert rejections["M-4"]["code"] == "unknown-manager"
    assert people(admin) == {}


def test_the_export_reads_each_batch_in_a_constant_number_of_queries(app, admin, make_person):
    admin.post("/v1/skills", json={"name": "python", "category": "language"})
    boss = make_person(skills=[{"skill": "python", "level": 4}])
    for _ in range(40):
        make_person(manager_id=boss["id"], skills=[{"skill": "python", "level": 2}])
    engine = database_of(app).engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = admin.get("/v1/exports/people")
        body = response.get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert body.count("python:") == 41
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The token, the batch, its skills, its learning wishes, its managers (and the skill
    # names joined in): a handful, not three per person.
    assert len(selects) <= 8, selects


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.binary(max_size=300) | st.builds(lambda tail: WORKDAY[:200] + tail, st.binary()),
    charset=st.none() | st.sampled_from(["utf-8", "windows-1252", "utf-16", "ascii", "hex"]),
)
def test_any_bytes_are_a_report_or_a_422_never_a_500(admin, data, charset):
    content_type = "text/csv" if charset is None else f"text/csv; charset={charset}"
    response = post_file(admin, data, "?dry_run=true", content_type=content_type)
    assert response.status_code in (200, 422), response.get_data(as_text=True)
