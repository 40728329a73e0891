"""The CSV format of the directory: columns, the aliases HR exports use, and cell syntax.

One row per person. List cells separate items with ``;``; skills are ``name:level``
(``python:4; k8s:5``), learning wishes ``name`` or ``name:priority``. Booleans read
``true/false``, ``yes/no``, ``1/0``; ``active`` also reads ``Active``/``Inactive``/
``Terminated``. A blank cell means "not given": it leaves an existing value alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

# The columns of an export, in order; an import accepts any subset (plus the aliases below).
COLUMNS = (
    "external_id",
    "email",
    "name",
    "title",
    "function",
    "level",
    "division",
    "team",
    "location",
    "timezone",
    "manager_email",
    "manager_external_id",
    "languages",
    "perspectives",
    "skills",
    "learning",
    "open_to_mentor",
    "mentor_capacity",
    "open_to_reverse_mentor",
    "seeking_mentor",
    "active",
)

# The columns that hold a person's own fields as they are (the others are references and
# skill lists, written in a syntax of their own).
PROFILE_COLUMNS = tuple(
    c for c in COLUMNS if c not in ("manager_email", "manager_external_id", "skills", "learning")
)

# Header names found in HR exports (Workday, BambooHR, Personio, HiBob…), case and
# punctuation ignored. "Department" maps to division; a team column, if any, to team.
ALIASES = {
    "external_id": (
        "employee id",
        "employee number",
        "employee no",
        "worker id",
        "hr id",
        "personnel number",
        "external id",
    ),
    "email": (
        "work email",
        "email address",
        "e-mail",
        "work e-mail",
        "primary email",
        "business email",
        "mail",
    ),
    "name": ("full name", "display name", "preferred name", "employee name", "legal name"),
    "first_name": ("first name", "given name", "firstname", "preferred first name"),
    "last_name": ("last name", "family name", "surname", "lastname"),
    "title": ("job title", "position", "business title", "role"),
    "function": ("job function", "job family", "function"),
    "level": ("job level", "grade", "career level", "seniority level"),
    "division": ("department", "business unit", "org unit", "division"),
    "team": ("sub department", "squad", "team name", "team"),
    "location": ("office", "work location", "site", "city", "location"),
    "timezone": ("time zone", "tz"),
    "manager_email": (
        "manager email",
        "manager work email",
        "supervisor email",
        "manager e-mail",
        "reports to email",
    ),
    "manager_external_id": (
        "manager id",
        "manager employee id",
        "supervisor id",
        "reports to id",
        "manager external id",
    ),
    "active": ("status", "employment status", "employee status"),
}

_TRUE = {"true", "yes", "y", "1", "active", "t"}
_FALSE = {"false", "no", "n", "0", "inactive", "terminated", "f", "leave", "left"}
_BOOLEANS = ("open_to_mentor", "open_to_reverse_mentor", "seeking_mentor", "active")
_INTEGERS = ("level", "mentor_capacity")
_LISTS = ("languages", "perspectives")


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.casefold()).strip()


_HEADER_MAP = {_key(name): name for name in (*COLUMNS, "first_name", "last_name")}
for _canonical, _names in ALIASES.items():
    for _name in _names:
        _HEADER_MAP.setdefault(_key(_name), _canonical)


class FormatError(ValueError):
    """The file cannot be read as a CSV of people."""


def read_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Return the canonical columns and an iterator of ``(line number, cells)`` of a CSV file.

    Accepts UTF-8 with or without a byte-order mark, and comma, semicolon or tab separators.
    Unknown columns are ignored; two columns meaning the same thing are an error.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError("The file is not UTF-8 text.") from error
    if not text.strip():
        raise FormatError("The file is empty.")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader)
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    for raw in header:
        canonical = _HEADER_MAP.get(_key(raw))
        if canonical is not None and canonical in seen:
            raise FormatError(f"Columns {seen[canonical]!r} and {raw!r} both give {canonical}.")
        if canonical is not None:
            seen[canonical] = raw
        columns.append(canonical)
    if "email" not in seen and "external_id" not in seen:
        raise FormatError("The file needs an email or an employee id column.")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for cells in reader:
                row = {
                    column: cell.strip()
                    for column, cell in zip(columns, cells, strict=False)
                    if column is not None and cell.strip()
                }
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, row
        except csv.Error as error:  # a cell past the csv module's size limit, say
            raise FormatError(f"Line {reader.line_num}: {error}.") from error

    return [c for c in columns if c is not None], rows()


def _boolean(column: str, cell: str) -> bool:
    value = cell.casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{column}: {cell!r} is not a yes or a no.")


def _graded(column: str, cell: str, value_name: str, default: int | None) -> list[dict[str, Any]]:
    out = []
    for item in (part.strip() for part in re.split(r"[;|]", cell)):
        if not item:
            continue
        name, _, grade = item.rpartition(":") if ":" in item else (item, "", "")
        if not grade:
            if default is None:
                raise ValueError(f"{column}: give a level for {item!r}, as in 'python:4'.")
            out.append({"skill": name.strip() or item, value_name: default})
            continue
        if not grade.strip().isdigit():
            raise ValueError(f"{column}: {grade!r} in {item!r} is not a whole number.")
        out.append({"skill": name.strip(), value_name: int(grade)})
    return out


def to_person(cells: dict[str, str]) -> dict[str, Any]:
    """Turn the cells of one row into the fields of a person (as the people API takes them).

    Manager references come back as ``manager_email`` and ``manager_external_id``; the
    caller resolves them. Raises ValueError naming the column on a cell that cannot be read.
    """
    person: dict[str, Any] = {}
    for column, cell in cells.items():
        if "\x00" in cell:
            raise ValueError(f"{column}: the cell holds a NUL character.")
        if column in _BOOLEANS:
            value = _boolean(column, cell)
            if column == "active":
                person["active"] = value
            else:
                person.setdefault("mentoring", {})[column] = value
        elif column in _INTEGERS:
            if not re.fullmatch(r"[+-]?\d+", cell):
                raise ValueError(f"{column}: {cell!r} is not a whole number.")
            if column == "mentor_capacity":
                person.setdefault("mentoring", {})[column] = int(cell)
            else:
                person[column] = int(cell)
        elif column in _LISTS:
            person[column] = [item.strip() for item in re.split(r"[;|]", cell) if item.strip()]
        elif column == "skills":
            person["skills"] = _graded(column, cell, "level", None)
        elif column == "learning":
            person["learning"] = _graded(column, cell, "priority", 2)
        elif column == "function":
            person["function"] = cell.casefold()
        elif column in ("first_name", "last_name"):
            continue
        else:
            person[column] = cell
    if "name" not in person and ("first_name" in cells or "last_name" in cells):
        person["name"] = " ".join(cells[c] for c in ("first_name", "last_name") if c in cells)
    return person


def write_rows(people: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield the CSV text of people (dicts with the export columns), header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for person in people:
        writer.writerow([_cell(person.get(column)) for column in COLUMNS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
