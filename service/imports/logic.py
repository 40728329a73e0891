"""Importing people from an HR file, and exporting the directory in the same format.

An import upserts by ``external_id``, then by email (case-insensitive). Every row is checked
with the very rules of the people API; rows that would change nothing count as unchanged.
By default the import is all or nothing; with ``on_error="skip"`` the good rows go in and the
bad ones are reported. A dry run checks everything and writes nothing. The writes are set-wise
(a handful of statements per thousand rows), so a company of 100,000 imports in seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import marshmallow as ma
import psycopg
from sqlalchemy import JSON, Select, Table, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from service import changes
from service.db import new_id
from service.imports.csvformat import (
    PROFILE_COLUMNS,
    CellError,
    read_rows,
    to_person,
    write_rows,
)
from service.mentorships.logic import close_for_departed
from service.people.logic import (
    MENTORING_FIELDS,
    SCALAR_FIELDS,
    PeopleFilters,
    email_key,
    filtered_people,
    perspective_tags,
    resolve_manager_references,
)
from service.people.models import Person, PersonLearning, PersonSkill
from service.people.schemas import PersonSchema
from service.scim.mapping import Defaults, derived_function
from service.skills import logic as skills
from service.skills.models import Skill
from service.tokens.logic import revoke_for_departed

BATCH = 1000

_create_schema = PersonSchema()
_update_schema = PersonSchema(partial=True)

Progress = Callable[[int], Any]
# What a new person gets when their row gives no function or level (the settings say).
DEFAULTS = Defaults(function="engineering", level=2)


@dataclass
class Report:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False
    encoding: str = "utf-8"
    mapped: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as the API answers it."""
        body = {
            "dry_run": self.dry_run,
            "written": self.written,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "rejections": self.rejected,
            "encoding": self.encoding,
            "columns": {"mapped": self.mapped, "ignored": self.ignored},
            "notes": self.notes,
        }
        if self.dry_run:
            body["changes"] = self.changes
        return body


@dataclass
class _Existing:
    id: str
    email: str
    email_key: str
    external_id: str | None
    manager_id: str | None
    values: dict[str, Any]
    skills: list[tuple[str, int]]
    learning: list[tuple[str, int]]


@dataclass
class _Planned:
    line: int
    fields: dict[str, Any]
    existing: _Existing | None
    person_id: str
    manager_ref: tuple[str, str] | None = None
    manager_id: str | None = None


def _messages(error: ma.ValidationError) -> str:
    def walk(node: Any, path: str) -> Iterator[str]:
        if isinstance(node, dict):
            for key, child in node.items():
                yield from walk(child, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list) and node and all(isinstance(n, str) for n in node):
            yield f"{path}: {' '.join(node)}"
        elif isinstance(node, list):
            for child in node:
                yield from walk(child, path)
        else:
            yield f"{path}: {node}"

    return "; ".join(walk(error.messages, ""))


def _load_existing(
    session: Session,
) -> tuple[dict[str, _Existing], dict[str, _Existing], dict[str, _Existing]]:
    by_id: dict[str, _Existing] = {}
    columns = [
        Person.id,
        Person.email,
        Person.email_key,
        Person.manager_id,
        *(getattr(Person, c) for c in (*SCALAR_FIELDS, *NAME_PARTS)),
        *(getattr(Person, c) for c in MENTORING_FIELDS),
        Person.languages,
        Person.perspectives,
    ]
    for row in session.execute(select(*columns)):
        values = {
            c: getattr(row, c)
            for c in (*SCALAR_FIELDS, *NAME_PARTS, *MENTORING_FIELDS, "languages", "perspectives")
        }
        by_id[row.id] = _Existing(
            row.id, row.email, row.email_key, row.external_id, row.manager_id, values, [], []
        )
    for person_id, name, level in session.execute(
        select(PersonSkill.person_id, Skill.name, PersonSkill.level)
        .join(Skill)
        .order_by(PersonSkill.person_id, PersonSkill.position)
    ):
        by_id[person_id].skills.append((name, level))
    for person_id, name, priority in session.execute(
        select(PersonLearning.person_id, Skill.name, PersonLearning.priority)
        .join(Skill)
        .order_by(PersonLearning.person_id, PersonLearning.position)
    ):
        by_id[person_id].learning.append((name, priority))
    by_external = {e.external_id: e for e in by_id.values() if e.external_id}
    by_email = {e.email_key: e for e in by_id.values()}
    return by_id, by_external, by_email


def _canonical(entries: list[dict], value_key: str, names: dict[str, str]) -> list[tuple[str, int]]:
    return [
        (names.get(skills.normalize(e["skill"]), skills.normalize(e["skill"])), e[value_key])
        for e in entries
    ]


def _changes(plan: _Planned, names: dict[str, str]) -> dict[str, Any]:
    """The fields of a row that differ from the stored person."""
    existing = plan.existing
    assert existing is not None
    fields = plan.fields
    diff: dict[str, Any] = {}
    for name in (*SCALAR_FIELDS, *NAME_PARTS):
        if name in fields and fields[name] != existing.values[name]:
            diff[name] = fields[name]
    if "email" in fields and email_key(fields["email"]) != existing.email_key:
        diff["email"] = fields["email"]
    for name in ("languages",):
        if name in fields and list(fields[name]) != list(existing.values[name]):
            diff[name] = fields[name]
    if "perspectives" in fields and perspective_tags(fields["perspectives"]) != list(
        existing.values["perspectives"]
    ):
        diff["perspectives"] = fields["perspectives"]
    for name, value in fields.get("mentoring", {}).items():
        if value != existing.values[name]:
            diff.setdefault("mentoring", {})[name] = value
    if "skills" in fields and _canonical(fields["skills"], "level", names) != existing.skills:
        diff["skills"] = fields["skills"]
    if (
        "learning" in fields
        and _canonical(fields["learning"], "priority", names) != existing.learning
    ):
        diff["learning"] = fields["learning"]
    if plan.manager_ref is not None and plan.manager_id != existing.manager_id:
        diff["manager_id"] = plan.manager_id
    return diff


# The parts of a name an HR file may give (First Name, Last Name), kept beside the name.
NAME_PARTS = ("given_name", "family_name")


def _check_name_parts(fields: dict[str, Any]) -> None:
    for part in NAME_PARTS:
        if len(fields.get(part) or "") > 100:
            raise ma.ValidationError({part: ["Longer than 100 characters."]})


def _identity(fields: dict[str, Any]) -> str | None:
    """How a row names its person in a report: the employee id, else the email."""
    return fields.get("external_id") or fields.get("email")


def _error_field(error: ma.ValidationError) -> str | None:
    messages = error.messages
    return next(iter(messages), None) if isinstance(messages, dict) else None


def _with_defaults(fields: dict[str, Any], defaults: Defaults) -> list[tuple[str, str, str]]:
    """Give a new person the function and level their row lacks; return what was chosen."""
    chosen = []
    if "function" not in fields:
        derived = derived_function(fields.get("team"), fields.get("division"), fields.get("title"))
        if derived is not None:
            fields["function"] = derived
            chosen.append(
                (
                    "function",
                    "function-derived",
                    f"function {derived!r}, named by the team, division or title.",
                )
            )
        else:
            fields["function"] = defaults.function
            chosen.append(
                ("function", "function-default", f"function {defaults.function!r}, the default.")
            )
    if "level" not in fields:
        fields["level"] = defaults.level
        chosen.append(("level", "level-default", f"level {defaults.level}, the default."))
    return chosen


def import_people(
    session: Session,
    data: bytes,
    *,
    dry_run: bool,
    skip_bad_rows: bool,
    now: datetime,
    progress: Progress | None = None,
    charset: str | None = None,
    defaults: Defaults = DEFAULTS,
) -> Report:
    """Import an HR file of people; see the module's description for the rules.

    New people whose row gives no function get the one their team, division or title names,
    else ``defaults.function``; without a level, ``defaults.level``. The report notes each.
    """
    advance = progress or (lambda _n: None)
    table = read_rows(data, charset)
    report = Report(
        dry_run=dry_run, encoding=table.encoding, mapped=table.mapped, ignored=table.ignored
    )
    by_id, by_external, by_email = _load_existing(session)
    seen_external: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    # The rows rejected, by the employee id and the email they give: a manager reference to
    # one of them is explained as such.
    rejected_external: dict[str, int] = {}
    rejected_email: dict[str, int] = {}
    planned: list[_Planned] = []

    def reject(
        line: int,
        code: str,
        reason: str,
        fields: dict[str, Any],
        field_name: str | None = None,
    ) -> None:
        report.rejected.append(
            {
                "row": line,
                "person": _identity(fields),
                "field": field_name,
                "code": code,
                "reason": reason,
            }
        )
        if fields.get("external_id"):
            rejected_external.setdefault(fields["external_id"], line)
        if fields.get("email"):
            rejected_email.setdefault(email_key(fields["email"]), line)

    parsed: list[tuple[int, dict[str, Any]]] = []
    for line, cells in table.rows:
        report.rows += 1
        advance(1)
        try:
            parsed.append((line, to_person(cells)))
        except CellError as error:
            reject(line, "unreadable-cell", str(error), cells, error.column)
    names = {
        key: skill.name
        for key, skill in skills.find(
            session,
            {e["skill"] for _, f in parsed for k in ("skills", "learning") for e in f.get(k, ())},
        ).items()
    }

    for line, fields in parsed:
        manager_email = fields.pop("manager_email", None)
        manager_external = fields.pop("manager_external_id", None)
        external_id = fields.get("external_id")
        key = email_key(fields["email"]) if "email" in fields else None
        if external_id and external_id in seen_external:
            reject(
                line,
                "duplicate-employee-id",
                f"external_id {external_id!r} is already on row {seen_external[external_id]}.",
                fields,
                "external_id",
            )
            continue
        if key and key in seen_email:
            reject(
                line,
                "duplicate-email",
                f"email {fields['email']!r} is already on row {seen_email[key]}.",
                fields,
                "email",
            )
            continue
        existing = (by_external.get(external_id) if external_id else None) or (
            by_email.get(key) if key else None
        )
        if existing is not None and key and key != existing.email_key and key in by_email:
            reject(
                line,
                "email-taken",
                f"email {fields['email']!r} belongs to another person.",
                fields,
                "email",
            )
            continue
        if existing is None and external_id is None and key is None:
            reject(line, "no-identity", "A row needs an email or an employee id.", fields)
            continue
        plan = _Planned(line, fields, existing, existing.id if existing else new_id("per"))
        notes = [
            {"row": line, "person": _identity(fields), "field": f, "code": code, "detail": detail}
            for f, code, detail in (_with_defaults(fields, defaults) if existing is None else ())
        ]
        # A row equal to what is stored is valid by construction: the daily sync of an
        # unchanged HR file skips the checks.
        if existing is None or _changes(plan, names):
            try:
                (_update_schema if existing else _create_schema).load(
                    {k: v for k, v in fields.items() if k not in NAME_PARTS}
                )
                _check_name_parts(fields)
            except ma.ValidationError as error:
                reject(line, "invalid-value", _messages(error), fields, _error_field(error))
                continue
        if (
            existing is not None
            and external_id
            and existing.external_id
            and existing.external_id != external_id
        ):
            reject(
                line,
                "employee-id-mismatch",
                f"email {fields.get('email')!r} belongs to the person with external_id "
                f"{existing.external_id!r}.",
                fields,
                "external_id",
            )
            continue
        report.notes.extend(notes)
        if external_id:
            seen_external[external_id] = line
        if key:
            seen_email[key] = line
        if manager_email or manager_external:
            plan.manager_ref = (
                ("email", email_key(manager_email))
                if manager_email
                else ("external_id", manager_external)
            )
        planned.append(plan)

    # Managers may be anyone in the file or in the directory.
    file_email = {email_key(p.fields["email"]): p.person_id for p in planned if "email" in p.fields}
    file_external = {
        p.fields["external_id"]: p.person_id for p in planned if p.fields.get("external_id")
    }
    kept: list[_Planned] = []
    for plan in planned:
        if plan.manager_ref is not None:
            how, ref = plan.manager_ref
            column = "manager_email" if how == "email" else "manager_external_id"
            if how == "email":
                manager = file_email.get(ref) or (by_email[ref].id if ref in by_email else None)
                rejected_line = rejected_email.get(ref)
            else:
                manager = file_external.get(ref) or (
                    by_external[ref].id if ref in by_external else None
                )
                rejected_line = rejected_external.get(ref)
            if manager is None and rejected_line is not None:
                reject(
                    plan.line,
                    "manager-rejected",
                    f"manager {ref!r} is on row {rejected_line}, which was rejected.",
                    plan.fields,
                    column,
                )
                continue
            if manager is None:
                reject(
                    plan.line,
                    "unknown-manager",
                    f"manager {ref!r} is neither in the file nor in the directory.",
                    plan.fields,
                    column,
                )
                continue
            if manager == plan.person_id:
                reject(
                    plan.line,
                    "self-managed",
                    "A person cannot manage themselves.",
                    plan.fields,
                    column,
                )
                continue
            plan.manager_id = manager
        kept.append(plan)
    kept = _without_loops(kept, by_id, reject)
    kept = _without_repeated_skills(kept, names, reject)
    kept = _without_rejected_managers(kept, planned, reject)

    creates, updates = [], []
    for plan in kept:
        if plan.existing is None:
            creates.append(plan)
            continue
        diff = _changes(plan, names)
        if diff:
            plan.fields = diff
            updates.append(plan)
            if dry_run:
                report.changes.append(_described(plan, diff))
        else:
            report.unchanged += 1
    report.created, report.updated = len(creates), len(updates)
    report.rejected.sort(key=lambda r: r["row"])
    rejected_rows = {r["row"] for r in report.rejected}
    report.notes = [n for n in report.notes if n["row"] not in rejected_rows]
    if dry_run or (report.rejected and not skip_bad_rows):
        return report
    _write(session, creates, updates, now)
    report.written = True
    return report


def _without_rejected_managers(
    kept: list[_Planned], planned: list[_Planned], reject
) -> list[_Planned]:
    """Drop the rows whose manager is a new person whose own row was dropped, transitively."""
    new_ids = {p.person_id: p for p in planned if p.existing is None}
    while True:
        alive = {p.person_id for p in kept}
        dropped = [
            p
            for p in kept
            if p.manager_id in new_ids and p.manager_id not in alive and p.manager_ref is not None
        ]
        if not dropped:
            return kept
        for plan in dropped:
            manager = new_ids[plan.manager_id]
            column = "manager_email" if plan.manager_ref[0] == "email" else "manager_external_id"
            reject(
                plan.line,
                "manager-rejected",
                f"manager {plan.manager_ref[1]!r} is on row {manager.line}, which was rejected.",
                plan.fields,
                column,
            )
        kept = [p for p in kept if p not in dropped]


def _shown(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value


def _described(plan: _Planned, diff: dict[str, Any]) -> dict[str, Any]:
    """What an update would change, field by field, as a dry run reports it."""
    existing = plan.existing
    assert existing is not None
    before: dict[str, Any] = {
        **existing.values,
        "email": existing.email,
        "manager_id": existing.manager_id,
        "skills": [f"{name}:{level}" for name, level in existing.skills],
        "learning": [f"{name}:{priority}" for name, priority in existing.learning],
    }
    fields: dict[str, Any] = {}
    for name, value in diff.items():
        if name == "mentoring":
            for key, new in value.items():
                fields[key] = {"from": before[key], "to": new}
        elif name in ("skills", "learning"):
            grade = "level" if name == "skills" else "priority"
            fields[name] = {
                "from": before[name],
                "to": [f"{e['skill']}:{e[grade]}" for e in value],
            }
        elif name == "perspectives":
            fields[name] = {"from": before[name], "to": perspective_tags(value)}
        else:
            fields[name] = {"from": _shown(before[name]), "to": _shown(value)}
    return {
        "row": plan.line,
        "person_id": plan.person_id,
        "person": _identity(plan.fields) or existing.external_id or existing.email,
        "fields": fields,
    }


def _skill_names(plans: list[_Planned]) -> set[str]:
    return {
        e["skill"] for p in plans for key in ("skills", "learning") for e in p.fields.get(key, ())
    }


def _without_repeated_skills(
    plans: list[_Planned], names: dict[str, str], reject
) -> list[_Planned]:
    """Drop the rows that list one skill twice, under its name and an alias say."""
    kept = []
    for plan in plans:
        repeated = None
        for key, value_key in (("skills", "level"), ("learning", "priority")):
            listed = [name for name, _ in _canonical(plan.fields.get(key, []), value_key, names)]
            repeated = repeated or next((n for n in listed if listed.count(n) > 1), None)
        if repeated:
            reject(
                plan.line,
                "repeated-skill",
                f"The skill {repeated!r} is listed twice (perhaps under an alias).",
                plan.fields,
                "skills",
            )
        else:
            kept.append(plan)
    return kept


def _without_loops(plans: list[_Planned], by_id: dict[str, _Existing], reject) -> list[_Planned]:
    """Drop the rows whose manager would close a loop in the management chain."""
    managers = {pid: e.manager_id for pid, e in by_id.items()}
    for plan in plans:
        if plan.manager_ref is not None:
            managers[plan.person_id] = plan.manager_id
    looping: set[str] = set()
    for plan in plans:
        if plan.manager_ref is None:
            continue
        seen = {plan.person_id}
        current = plan.manager_id
        while current is not None:
            if current in seen:
                looping.add(plan.person_id)
                break
            seen.add(current)
            current = managers.get(current)
    kept = []
    for plan in plans:
        if plan.person_id in looping:
            column = "manager_email" if plan.manager_ref[0] == "email" else "manager_external_id"
            reject(
                plan.line,
                "management-loop",
                "This manager would make a loop in the management chain.",
                plan.fields,
                column,
            )
        else:
            kept.append(plan)
    return kept


def _person_row(plan: _Planned, now: datetime) -> dict[str, Any]:
    fields = plan.fields
    mentoring = fields.get("mentoring", {})
    return {
        "id": plan.person_id,
        "external_id": fields.get("external_id"),
        "email": fields["email"].strip(),
        "email_key": email_key(fields["email"]),
        "name": fields["name"],
        "given_name": fields.get("given_name"),
        "family_name": fields.get("family_name"),
        "title": fields.get("title"),
        "function": fields["function"],
        "level": fields["level"],
        "division": fields.get("division"),
        "team": fields.get("team"),
        "location": fields.get("location"),
        "timezone": fields.get("timezone"),
        "manager_id": None,
        "languages": list(fields.get("languages", [])),
        "perspectives": perspective_tags(fields.get("perspectives", [])),
        "open_to_mentor": mentoring.get("open_to_mentor", False),
        "mentor_capacity": mentoring.get("mentor_capacity", 0),
        "open_to_reverse_mentor": mentoring.get("open_to_reverse_mentor", False),
        "seeking_mentor": mentoring.get("seeking_mentor", False),
        "active": fields.get("active", True),
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _skill_rows(plan: _Planned, key: str, value_key: str, resolved: dict[str, Skill]) -> list[dict]:
    rows = []
    for position, entry in enumerate(plan.fields[key]):
        skill = resolved[skills.normalize(entry["skill"])]
        rows.append(
            {
                "person_id": plan.person_id,
                "skill_id": skill.id,
                value_key: entry[value_key],
                "position": position,
            }
        )
    return rows


def _bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows: COPY on PostgreSQL (an order of magnitude faster), batches elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for start in range(0, len(rows), BATCH):
            session.execute(insert(table), rows[start : start + BATCH])
        return
    columns = [c.name for c in table.columns]
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw = connection.connection.dbapi_connection
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [json.dumps(row[c]) if c in json_columns else row.get(c) for c in columns]
                )
    except psycopg.errors.IntegrityError as error:
        # A row written meanwhile by someone else: the same conflict an INSERT would report.
        raise IntegrityError(statement, None, error) from error


def _write(
    session: Session, creates: list[_Planned], updates: list[_Planned], now: datetime
) -> None:
    resolved = skills.resolve(session, _skill_names([*creates, *updates]), "/skills")
    people = Person.__table__
    _bulk_insert(session, people, [_person_row(p, now) for p in creates])
    for plan in updates:
        row = {
            k: v
            for k, v in plan.fields.items()
            if k in SCALAR_FIELDS or k in (*NAME_PARTS, "languages", "manager_id")
        }
        if "email" in plan.fields:
            row["email"] = plan.fields["email"].strip()
            row["email_key"] = email_key(row["email"])
        if "perspectives" in plan.fields:
            row["perspectives"] = perspective_tags(plan.fields["perspectives"])
        row.update(plan.fields.get("mentoring", {}))
        plan.fields["_row"] = row
    # Rows that change the same columns go out in one statement each.
    groups: dict[tuple[str, ...], list[dict]] = {}
    for plan in updates:
        row = plan.fields["_row"]
        groups.setdefault(tuple(sorted(row)), []).append(
            {"b_id": plan.person_id, **{f"v_{name}": value for name, value in row.items()}}
        )
    for names, rows in groups.items():
        statement = (
            update(people)
            .where(people.c.id == bindparam("b_id"))
            .values(
                {
                    **{name: bindparam(f"v_{name}") for name in names},
                    "updated_at": now,
                    "version": people.c.version + 1,
                }
            )
        )
        for start in range(0, len(rows), BATCH):
            session.execute(statement, rows[start : start + BATCH])
    for key, value_key, model in (
        ("skills", "level", PersonSkill),
        ("learning", "priority", PersonLearning),
    ):
        replaced = [p for p in updates if key in p.fields]
        table = model.__table__
        for start in range(0, len(replaced), BATCH):
            ids = [p.person_id for p in replaced[start : start + BATCH]]
            session.execute(delete(table).where(table.c.person_id.in_(ids)))
        rows = [
            r
            for p in [*creates, *replaced]
            if key in p.fields
            for r in _skill_rows(p, key, value_key, resolved)
        ]
        _bulk_insert(session, table, rows)
    managed = [
        {"b_id": p.person_id, "v_manager_id": p.manager_id}
        for p in creates
        if p.manager_ref is not None
    ]
    if managed:
        statement = (
            update(people)
            .where(people.c.id == bindparam("b_id"))
            .values(manager_id=bindparam("v_manager_id"))
        )
        for start in range(0, len(managed), BATCH):
            session.execute(statement, managed[start : start + BATCH])
    departed = [p.person_id for p in updates if p.fields.get("active") is False]
    for start in range(0, len(departed), BATCH):
        close_for_departed(session, departed[start : start + BATCH], now)
        revoke_for_departed(session, departed[start : start + BATCH], now)
    # People named as managers by the identity provider before they arrived may be here now.
    resolve_manager_references(session)
    touched = {p.person_id for p in [*creates, *updates]}
    if touched:
        changes.record(
            session, {changes.EVERYONE} if len(touched) > changes.REFIT_ABOVE else touched
        )
    session.flush()


def export_people(session: Session, filters: PeopleFilters) -> Iterator[str]:
    """Yield the CSV of the people matching ``filters``, in the import's format.

    People are read a thousand at a time, by name then id, each batch in a short
    transaction of its own: a slow download holds no transaction (and no connection)
    between batches. The file is therefore not a snapshot: a person renamed during the
    download may appear twice or not at all.
    """
    query: Select | None = filtered_people(session, filters)
    if query is None:
        yield from write_rows(())
        return
    query = query.options(selectinload(Person.skill_rows), selectinload(Person.learning_rows))

    def batches() -> Iterator[dict[str, Any]]:
        after: tuple[str, str] | None = None
        while True:
            page = query
            if after is not None:
                name, person_id = after
                page = page.where(
                    or_(Person.name > name, and_(Person.name == name, Person.id > person_id))
                )
            people = list(session.scalars(page.order_by(Person.name, Person.id).limit(BATCH)))
            managers = {
                row.id: row
                for row in session.execute(
                    select(Person.id, Person.email, Person.external_id).where(
                        Person.id.in_({p.manager_id for p in people if p.manager_id})
                    )
                )
            }
            rows = [
                {
                    **{c: getattr(person, c) for c in PROFILE_COLUMNS},
                    "manager_email": managers[person.manager_id].email
                    if person.manager_id in managers
                    else None,
                    "manager_external_id": managers[person.manager_id].external_id
                    if person.manager_id in managers
                    else None,
                    "skills": [f"{s['skill']}:{s['level']}" for s in person.skills],
                    "learning": [f"{s['skill']}:{s['priority']}" for s in person.learning],
                }
                for person in people
            ]
            last = (people[-1].name, people[-1].id) if len(people) == BATCH else None
            # Read before the rollback: it expires the batch (and its eagerly loaded skills).
            session.rollback()
            yield from rows
            if last is None:
                return
            after = last

    yield from write_rows(batches())
