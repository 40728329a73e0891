"""How fast an HR file of people goes into Rapport, against the obvious one-row-at-a-time path.

    python benchmarks/import_speed.py --people 100000            # PostgreSQL on 127.0.0.1
    python benchmarks/import_speed.py --people 10000 --database sqlite

The file is made from the demo company (same seed, same file), written in the export format
with the HR aliases a Workday export would carry. The run creates a scratch database, then:

1. imports the whole file into the empty directory (all rows created);
2. imports it again (all rows unchanged: the daily HR sync);
3. changes one row in a hundred and imports it again (the updates);
4. baseline: creates ``--baseline-rows`` people one by one through the people use-case (what
   a client looping over ``POST /v1/people`` costs the server, HTTP aside), and
   extrapolates its rate to the whole file.

It prints one line per step and a JSON summary; figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402

from service.cli import alembic_config  # noqa: E402
from service.db import Database  # noqa: E402
from service.demo import DemoCompany  # noqa: E402
from service.imports.csvformat import PROFILE_COLUMNS, write_rows  # noqa: E402
from service.imports.logic import import_people  # noqa: E402
from service.people.logic import create_person  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def hr_file(people: int, seed: int) -> bytes:
    """The demo company as an HR export (managers by email, skills as name:level)."""
    company = DemoCompany(people, seed, now=datetime(2026, 11, 1, tzinfo=UTC))
    company.taxonomy_rows()
    rows = [p for p, _held, _wanted in company.people()]
    emails = {p["id"]: p["email"] for p in rows}

    def records():
        for p in rows:
            yield {
                **{k: p[k] for k in PROFILE_COLUMNS},
                "manager_email": emails.get(p["manager_id"]),
                "skills": [f"{name}:{level}" for name, level in p["_held"].items()],
                "learning": [f"{name}:{priority}" for name, priority in p["_wanted"].items()],
            }

    return "".join(write_rows(records())).encode()


def scratch(kind: str, directory: Path) -> tuple[str, callable]:
    if kind == "sqlite":
        path = directory / f"import-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    name = f"rapport_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return SERVER.rsplit("/", 1)[0] + f"/{name}", drop


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:8.2f} s", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--baseline-rows", type=int, default=2000)
    args = parser.parse_args()

    data, _ = timed(
        f"make the file ({args.people} people)", lambda: hr_file(args.people, args.seed)
    )
    url, drop = scratch(args.database, Path("/tmp"))
    try:
        command.upgrade(alembic_config(url), "head")
        db = Database(url)
        now = datetime.now(UTC)

        def run(payload: bytes):
            with db.sessions() as session:
                return import_people(session, payload, dry_run=False, skip_bad_rows=False, now=now)

        first, first_s = timed("import into an empty directory", lambda: run(data))
        assert first.created == args.people and not first.rejected, first.as_dict()
        again, again_s = timed("import again (all unchanged)", lambda: run(data))
        assert again.unchanged == args.people, again.as_dict()
        lines = data.decode().splitlines()
        for i in range(1, len(lines), 100):
            lines[i] = lines[i].replace("example.com", "example.org", 1)
        changed, changed_s = timed(
            "import with 1% of rows changed", lambda: run(("\n".join(lines) + "\n").encode())
        )
        assert changed.updated == len(range(1, len(lines), 100)), changed.as_dict()

        def baseline():
            with db.sessions() as session:
                for i in range(args.baseline_rows):
                    create_person(
                        session,
                        {
                            "email": f"baseline{i}@example.net",
                            "name": f"B {i}",
                            "function": "sales",
                            "level": 3,
                            "skills": [
                                {"skill": "python", "level": 3},
                                {"skill": "kubernetes", "level": 2},
                            ],
                        },
                    )
                    session.commit()

        _, base_s = timed(f"baseline: {args.baseline_rows} rows one by one", baseline)
        db.engine.dispose()
    finally:
        drop()
    base_rate = args.baseline_rows / base_s
    summary = {
        "database": args.database,
        "people": args.people,
        "file_mb": round(len(data) / 1e6, 1),
        "import_s": round(first_s, 2),
        "reimport_unchanged_s": round(again_s, 2),
        "reimport_1pct_changed_s": round(changed_s, 2),
        "rows_per_s": round(args.people / first_s),
        "baseline_rows_per_s": round(base_rate),
        "baseline_extrapolated_s": round(args.people / base_rate, 1),
        "speedup": round((args.people / first_s) / base_rate, 1),
        "python": platform.python_version(),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
