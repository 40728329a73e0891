"""The representations of imports."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

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


class RejectionSchema(ma.Schema):
    """A row that was not imported, and why."""

    row = ma.fields.Integer(
        metadata={"description": "Line number in the file (the header is line 1).", "example": 7}
    )
    reason = ma.fields.String(
        metadata={
            "description": "What is wrong with it.",
            "example": "level: Must be greater than or equal to 1 and less than or equal to 8.",
        }
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


CSV_EXAMPLE = (
    "Employee ID,Work Email,Full Name,Job Title,Function,Level,Department,Manager Email,Skills,Learning\n"
    "E-1001,ada@example.com,Ada Lovelace,Staff Engineer,engineering,6,Payments,,python:5; k8s:4,rust:1\n"
    "E-1002,grace@example.com,Grace Hopper,Product Manager,product,4,Payments,ada@example.com,pricing:3,\n"
)

FORMAT_DESCRIPTION = f"""
The file is CSV (UTF-8, comma, semicolon or tab separated) with a header row. Columns, in the
order of an export: {", ".join(f"`{c}`" for c in COLUMNS)}. Any subset will do, as long as each
row has an `email` or an `external_id`; unknown columns are ignored. Common HR header names
are understood: *Employee ID*, *Employee Number* → `external_id`; *Work Email* → `email`;
*Full Name* (or *First Name* + *Last Name*) → `name`; *Job Title* → `title`; *Job Function*,
*Job Family* → `function`; *Job Level*, *Grade* → `level`; *Department*, *Business Unit* →
`division`; *Office*, *Work Location* → `location`; *Manager Email* → `manager_email`;
*Manager ID* → `manager_external_id`; *Status* → `active` (Active, Inactive, Terminated).

Cells: lists separate items with `;`; `skills` are `name:level` (`python:5; k8s:4`), `learning`
`name` or `name:priority`; booleans `true/false`, `yes/no` or `1/0`. A blank cell leaves an
existing value unchanged. Rows are matched to people by `external_id`, then by email
(case-insensitive), and checked with the same rules as `POST /v1/people`.
""".strip()
