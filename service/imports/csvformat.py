"""The CSV format of the directory: columns, the aliases HR exports use, and cell syntax.

Files are RFC 4180: fields holding a separator, a quote, a CR or an LF are quoted, quotes
inside doubled (``"O""Brien, Pat"``), records end with CRLF. An import reads UTF-8 (with or
without a byte-order mark), the charset its ``Content-Type`` names, or, failing both, the
encoding charset-normalizer detects (Windows-1252 from Excel, say); the separator is the one
of ``,``, ``;`` and tab that splits the header line into the most columns.

One row per person. List cells separate items with ``;`` (a ``;``, a ``|`` or a backslash
inside an item is escaped with a backslash); skills are ``name:level`` (``python:4; k8s:5``), learning
wishes ``name`` or ``name:priority``. Booleans read ``true/false``, ``yes/no``, ``1/0``;
``active`` also reads ``Active``/``Inactive``/``Terminated``. A blank cell means "not
given": it leaves an existing value alone. Text is taken as written; list items are trimmed.

Spreadsheets run a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a CR as a
formula (CSV injection). An export therefore prefixes such a cell with a single quote, as
OWASP advises, and an import removes that one quote again, so that a round trip is exact (a
cell that begins with quotes and then one of those characters gets one quote more).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import charset_normalizer

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
# punctuation ignored. A department is the unit inside a division (as in RFC 7643's enterprise
# schema and BambooHR), so "Department" is the team, the same as SCIM's ``department``.
ALIASES = {
    "external_id": (
        "employee id",
        "employee number",
        "employee no",
        "worker id",
        "hr id",
        "personnel number",
        "external id",
        "employee #",
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
    "division": ("business unit", "org unit", "division"),
    "team": ("department", "sub department", "squad", "team name", "team"),
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
    "active": ("status", "employment status", "employee status", "worker status"),
}

_TRUE = {"true", "yes", "y", "1", "active", "t"}
_FALSE = {"false", "no", "n", "0", "inactive", "terminated", "f", "leave", "left"}
_BOOLEANS = ("open_to_mentor", "open_to_reverse_mentor", "seeking_mentor", "active")
_INTEGERS = ("level", "mentor_capacity")
_LISTS = ("languages", "perspectives")
_NAME_PARTS = {"first_name": "given_name", "last_name": "family_name"}
# Typed cells and identifiers are read without the white space around them; text as written.
_TRIMMED = (*_BOOLEANS, *_INTEGERS, "function", "email", "manager_email", "manager_external_id")
_SEPARATORS = (",", ";", "\t")
# A cell a spreadsheet would run as a formula (OWASP's CSV injection), and the same cell
# after an export neutralised it with a leading single quote.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")
# List items: split on an unescaped ";" or "|"; "\;", "\|" and "\\" stand for themselves.
_ITEM = re.compile(r"(?:\\[\\;|]|\\(?![\\;|])|[^\\;|])*")
_ESCAPED = re.compile(r"\\([\\;|])")


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.casefold()).strip()


_HEADER_MAP = {_key(name): name for name in (*COLUMNS, "first_name", "last_name")}
for _canonical, _names in ALIASES.items():
    for _name in _names:
        _HEADER_MAP.setdefault(_key(_name), _canonical)


class FormatError(ValueError):
    """The file cannot be read as a CSV of people."""


class CellError(ValueError):
    """A cell that cannot be read; ``column`` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column = column


@dataclass
class Table:
    """A CSV file as read: its encoding, its columns, and its rows of cells."""

    encoding: str
    # Header as written → the column it gives; the headers that give none are ignored.
    mapped: dict[str, str]
    ignored: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]


def decode(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """Return the text of a file and the encoding it was read in.

    A ``charset`` the sender named wins; otherwise UTF-8 (a byte-order mark is dropped), and
    failing that the encoding charset-normalizer detects.
    """
    if charset:
        try:
            codec = codecs.lookup(charset).name
            text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError as error:
            raise FormatError(
                f"The file is not {charset} text (byte {error.start + 1} cannot be read)."
            ) from error
        except (LookupError, UnicodeError, ValueError) as error:
            # Unknown, or not a text encoding at all (hex, rot13, idna…).
            raise FormatError(f"The charset {charset!r} is not one Rapport knows.") from error
        return text.removeprefix("\ufeff"), codec
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise FormatError(
            "The file is not text in an encoding Rapport recognises; save it as UTF-8 CSV."
        )
    # A short file fits many single-byte encodings equally well; of the most plausible, take
    # Windows-1252, which Excel writes on Western Windows and HR systems export by default.
    least = min(match.chaos for match in matches)
    plausible = [match for match in matches if match.chaos == least]
    best = next((m for m in plausible if m.encoding == "cp1252"), plausible[0])
    return str(best), codecs.lookup(best.encoding).name


def _separator(text: str) -> str:
    """The separator that splits the first record into the most fields (a comma on ties)."""
    best, most = ",", 0
    for separator in _SEPARATORS:
        try:
            first = next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])
        except csv.Error:
            continue
        if len(first) > most:
            best, most = separator, len(first)
    return best


def read_rows(data: bytes, charset: str | None = None) -> Table:
    """Read a CSV file: its columns and an iterator of ``(line number, cells)``.

    Unknown columns are ignored (and listed); two columns meaning the same thing are an
    error. Cells that are empty or only white space are left out of a row.
    """
    text, encoding = decode(data, charset)
    if not text.strip():
        raise FormatError("The file is empty.")
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_separator(text),
        quotechar='"',
        doublequote=True,
        strict=True,
    )
    try:
        header = next(reader)
    except csv.Error as error:
        raise FormatError(f"Line 1: {error}.") from error
    columns: list[str | None] = []
    mapped: dict[str, str] = {}
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for raw in header:
        canonical = _HEADER_MAP.get(_key(raw))
        if canonical is not None and canonical in seen:
            raise FormatError(f"Columns {seen[canonical]!r} and {raw!r} both give {canonical}.")
        if canonical is None:
            ignored.append(raw)
        else:
            seen[canonical] = raw
            mapped[raw] = canonical
        columns.append(canonical)
    if "email" not in seen and "external_id" not in seen:
        raise FormatError("The file needs an email or an employee id column.")

    first_line = reader.line_num + 1

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        line = first_line
        try:
            for cells in reader:
                read = (
                    (column, _unneutralised(cell.strip() if column in _TRIMMED else cell))
                    for column, cell in zip(columns, cells, strict=False)
                    if column is not None
                )
                row = {column: value for column, value in read if value.strip()}
                if any(cell.strip() for cell in cells):
                    yield line, row
                line = reader.line_num + 1
        except csv.Error as error:  # a stray quote, a cell past the csv module's size limit
            raise FormatError(f"Line {reader.line_num}: {error}.") from error

    return Table(encoding, mapped, ignored, rows())


def _unneutralised(cell: str) -> str:
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def _items(cell: str) -> list[str]:
    """The items of a list cell, unescaped and trimmed; blank items are left out."""
    items = (_ESCAPED.sub(r"\1", m.group()).strip() for m in _ITEM.finditer(cell))
    return [item for item in items if item]


def _boolean(column: str, cell: str) -> bool:
    value = cell.casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(column, f"{cell!r} is not a yes or a no.")


def _graded(column: str, cell: str, value_name: str, default: int | None) -> list[dict[str, Any]]:
    out = []
    for item in _items(cell):
        name, _, grade = item.rpartition(":") if ":" in item else (item, "", "")
        if not grade:
            if default is None:
                raise CellError(column, f"give a level for {item!r}, as in 'python:4'.")
            out.append({"skill": name.strip() or item, value_name: default})
            continue
        if not grade.strip().isdigit():
            raise CellError(column, f"{grade!r} in {item!r} is not a whole number.")
        out.append({"skill": name.strip(), value_name: int(grade)})
    return out


def to_person(cells: dict[str, str]) -> dict[str, Any]:
    """Turn the cells of one row into the fields of a person (as the people API takes them).

    Manager references come back as ``manager_email`` and ``manager_external_id``; the
    caller resolves them. Raises CellError naming the column on a cell that cannot be read.
    """
    person: dict[str, Any] = {}
    for column, cell in cells.items():
        if "\x00" in cell:
            raise CellError(column, "the cell holds a NUL character.")
        if column in _BOOLEANS:
            value = _boolean(column, cell)
            if column == "active":
                person["active"] = value
            else:
                person.setdefault("mentoring", {})[column] = value
        elif column in _INTEGERS:
            if not re.fullmatch(r"[+-]?\d+", cell):
                raise CellError(column, f"{cell!r} is not a whole number.")
            if column == "mentor_capacity":
                person.setdefault("mentoring", {})[column] = int(cell)
            else:
                person[column] = int(cell)
        elif column in _LISTS:
            person[column] = _items(cell)
        elif column == "skills":
            person["skills"] = _graded(column, cell, "level", None)
        elif column == "learning":
            person["learning"] = _graded(column, cell, "priority", 2)
        elif column == "function":
            person["function"] = cell.casefold()
        elif column in _NAME_PARTS:
            # Kept as the given and family names (SCIM answers them as givenName/familyName).
            person[_NAME_PARTS[column]] = cell.strip()
        else:
            person[column] = cell
    if "name" not in person and ("first_name" in cells or "last_name" in cells):
        person["name"] = " ".join(
            cells[c].strip() for c in ("first_name", "last_name") if c in cells
        )
    return person


def write_rows(people: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield the CSV text of people (dicts with the export columns), header first (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for person in people:
        writer.writerow([_neutralised(_cell(person.get(column))) for column in COLUMNS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _neutralised(cell: str) -> str:
    return "'" + cell if _FORMULA.match(cell) else cell


def _list_item(value: str) -> str:
    """Escape one item of a list cell."""
    return re.sub(r"([\\;|])", r"\\\1", value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_list_item(str(v)) for v in value)
    return str(value)
