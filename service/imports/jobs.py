"""HR imports as jobs: large files (or any, on request) are imported by a worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from service.db import utcnow
from service.errors import Invalid
from service.imports import logic
from service.imports.csvformat import FormatError
from service.jobs import logic as jobs

KIND = "people.import"


def data_rows(data: bytes) -> int:
    """Estimate the data rows of an HR file (its lines but the header)."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(0, lines - 1)


def run_import(session: Session, run: jobs.JobRun) -> dict[str, Any]:
    """Import the job's file as `POST /v1/imports/people` would; the report is the result.

    The import commits on its own, all or nothing, and running it again after a worker died
    finds the rows it wrote unchanged, so a retry is safe.
    """
    assert run.payload is not None
    total = max(1, data_rows(run.payload))
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        run.progress(min(done / total, 0.99))

    try:
        report = logic.import_people(
            session,
            run.payload,
            dry_run=run.params["dry_run"],
            skip_bad_rows=run.params["on_error"] == "skip",
            now=utcnow(),
            progress=advance,
        )
    except FormatError as error:
        raise Invalid(str(error)) from error
    body = report.as_dict()
    if report.rejected and not report.written and not report.dry_run:
        raise Invalid(
            f"{len(report.rejected)} of {report.rows} rows are invalid; nothing was imported "
            "(send on_error=skip to import the good rows).",
            report=body,
        )
    return body


# Once the import has begun writing, it finishes: a half-read file is no use to anyone.
jobs.register(KIND, run_import, cancellable=False)
