"""The representations of imports."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.imports.csvformat import COLUMNS


class ImportArgsSchema(ma.Schema):
    """How to import."""

    dry_run = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Check every row and report, writing nothing.", "example": True},
    )
    on_error = ma.fields.String(
        load_default="abort",
        validate=validate.OneOf(("abort", "skip")),
        metadata={
            "description": "`abort` (the default): any bad row and nothing is written, the answer is a "
            "422 with the report. `skip`: the good rows are written and the bad ones reported.",
            "example": "skip",
        },
    )

    async_ = ma.fields.Boolean(
        data_key="async",
        load_default=False,
        metadata={
            "description": "Import as a job: answer 202 with `Location: /v1/jobs/{id}` at once. "
            "Files above `RAPPORT_JOBS_IMPORT_ROWS` rows (5,000 by default) always are.",
            "example": True,
        },
    )


REJECTION_CODES = (
    "unreadable-cell",
    "invalid-value",
    "duplicate-employee-id",
    "duplicate-email",
    "email-taken",
    "no-identity",
    "employee-id-mismatch",
    "unknown-manager",
    "manager-rejected",
    "self-managed",
    "management-loop",
    "repeated-skill",
)


class RejectionSchema(ma.Schema):
    """A row that was not imported, and why."""

    row = ma.fields.Integer(
        metadata={"description": "Line number in the file (the header is line 1).", "example": 7}
    )
    person = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The row's employee id, else its email (null when it gives neither).",
            "example": "E-1007",
        },
    )
    field = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The column at fault, by its canonical name (see `columns.mapped`).",
            "example": "level",
        },
    )
    code = ma.fields.String(
        metadata={
            "description": "Why, as a stable code: "
            + ", ".join(f"`{code}`" for code in REJECTION_CODES)
            + ".",
            "example": "invalid-value",
        }
    )
    reason = ma.fields.String(
        metadata={
            "description": "What is wrong with it, in words.",
            "example": "level: Must be greater than or equal to 1 and less than or equal to 8.",
        }
    )


class NoteSchema(ma.Schema):
    """A value the import chose for a row because the file did not give it."""

    row = ma.fields.Integer(metadata={"description": "Line number in the file.", "example": 9})
    person = ma.fields.String(
        allow_none=True,
        metadata={"description": "The row's employee id, else its email.", "example": "E-1009"},
    )
    field = ma.fields.String(
        metadata={"description": "The field given a value.", "example": "function"}
    )
    code = ma.fields.String(
        metadata={
            "description": "`function-derived` (named by the team, division or title), "
            "`function-default` or `level-default` (the settings "
            "`RAPPORT_SCIM_DEFAULT_FUNCTION` and `RAPPORT_SCIM_DEFAULT_LEVEL`).",
            "example": "function-derived",
        }
    )
    detail = ma.fields.String(
        metadata={
            "description": "The value chosen, in words.",
            "example": "function 'finance', named by the team, division or title.",
        }
    )


class ColumnsSchema(ma.Schema):
    """How the file's header was read."""

    mapped = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={
            "description": "Each header as written, and the column it was read as.",
            "example": {"Employee ID": "external_id", "Work Email": "email"},
        },
    )
    ignored = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "The headers Rapport does not read.", "example": ["Cost Center"]},
    )


class ChangeSchema(ma.Schema):
    """What a dry run would change on one person."""

    row = ma.fields.Integer(metadata={"description": "Line number in the file.", "example": 12})
    person_id = ma.fields.String(
        metadata={"description": "The person changed.", "example": examples.PERSON}
    )
    person = ma.fields.String(
        allow_none=True,
        metadata={"description": "The row's employee id, else its email.", "example": "E-1012"},
    )
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Dict(),
        metadata={
            "description": "Each field that would change, with its value `from` and `to`.",
            "example": {"title": {"from": "Engineer", "to": "Senior Engineer"}},
        },
    )


class ImportReportSchema(ma.Schema):
    """What an import did, or would do."""

    dry_run = ma.fields.Boolean(
        metadata={"description": "Whether this was a dry run.", "example": False}
    )
    written = ma.fields.Boolean(
        metadata={"description": "Whether anything was written.", "example": True}
    )
    rows = ma.fields.Integer(metadata={"description": "Data rows read.", "example": 1200})
    created = ma.fields.Integer(metadata={"description": "Rows that add a person.", "example": 40})
    updated = ma.fields.Integer(
        metadata={"description": "Rows that change a person.", "example": 12}
    )
    unchanged = ma.fields.Integer(
        metadata={"description": "Rows identical to the directory.", "example": 1146}
    )
    rejected = ma.fields.Integer(metadata={"description": "Rows refused.", "example": 2})
    rejections = ma.fields.List(
        ma.fields.Nested(RejectionSchema), metadata={"description": "Each refused row, by line."}
    )
    encoding = ma.fields.String(
        metadata={
            "description": "The encoding the file was read in: the `charset` of its "
            "Content-Type, else UTF-8, else the one detected.",
            "example": "cp1252",
        }
    )
    columns = ma.fields.Nested(ColumnsSchema, metadata={"description": "The header, as read."})
    notes = ma.fields.List(
        ma.fields.Nested(NoteSchema),
        metadata={"description": "Values chosen for new people whose row did not give them."},
    )
    changes = ma.fields.List(
        ma.fields.Nested(ChangeSchema),
        metadata={"description": "In a dry run only: what each updated row would change."},
    )


CSV_EXAMPLE = (
    "Employee ID,Work Email,Full Name,Job Title,Function,Level,Division,Manager Email,Skills,Learning\n"
    "E-1001,ada@example.com,Ada Lovelace,Staff Engineer,engineering,6,Payments,,python:5; k8s:4,rust:1\n"
    "E-1002,grace@example.com,Grace Hopper,Product Manager,product,4,Payments,ada@example.com,pricing:3,\n"
)

FORMAT_DESCRIPTION = f"""
The file is CSV (RFC 4180; comma, semicolon or tab separated) with a header row, in UTF-8,
in the `charset` its Content-Type names (`text/csv; charset=windows-1252`), or in an
encoding Rapport detects (Windows-1252 as Excel saves it, say). Columns, in the
order of an export: {", ".join(f"`{c}`" for c in COLUMNS)}. Any subset will do, as long as each
row has an `email` or an `external_id`; unknown columns are ignored. Common HR header names
are understood: *Employee ID*, *Employee Number*, *Employee #* → `external_id`; *Work Email* →
`email`; *Full Name* (or *First Name* + *Last Name*, kept as the given and family names) →
`name`; *Job Title* → `title`; *Job Function*, *Job Family* → `function`; *Job Level*, *Grade*
→ `level`; *Division*, *Business Unit* → `division`; *Department*, *Team* → `team` (as SCIM's
`department`); *Office*, *Work Location* → `location`; *Manager Email* → `manager_email`;
*Manager ID* → `manager_external_id`; *Status* → `active` (Active, Inactive, Terminated).

Cells: lists separate items with `;` (write `\\;` for a `;` inside an item); `skills` are
`name:level` (`python:5; k8s:4`), `learning` `name` or `name:priority`; booleans `true/false`, `yes/no` or `1/0`. A blank cell leaves an
existing value unchanged. Rows are matched to people by `external_id`, then by email
(case-insensitive), and checked with the same rules as `POST /v1/people`. A new person
without a function gets the one their team, division or title names, else the default; without
a level, the default level (the SCIM defaults); the report's `notes` say so.

Cells that a spreadsheet would run as a formula (beginning with `=`, `+`, `-`, `@`, tab or
CR) are exported with a leading `'`; an import removes it again.
""".strip()
