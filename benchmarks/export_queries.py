"""Count the SQL statements (and time) of `GET /v1/exports/people` on a demo company.

    .venv/bin/python benchmarks/export_queries.py 2000

The demo company is built once in /tmp (a scratch SQLite file) and reused.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time

from alembic import command
from sqlalchemy import event

from service import demo
from service.app import create_app
from service.auth import Role
from service.cli import alembic_config
from service.db import database
from service.tokens.logic import issue_token

people = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
path = f"/tmp/rapport-export-bench-{people}.db"
url = f"sqlite:///{path}"
if not os.path.exists(path):
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url})
    with app.app_context(), database().sessions() as s:
        demo.load(s, people=people, seed=42, progress=lambda phase, total: lambda n: None)
app = create_app({"DATABASE_URL": url})
with app.app_context(), database().sessions() as s:
    _, secret = issue_token(s, role=Role.ADMIN, name="bench")
    s.commit()
    engine = database().engine
statements = []
event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
client = app.test_client()
started = time.perf_counter()
body = client.get("/v1/exports/people", headers={"Authorization": f"Bearer {secret}"}).get_data()
elapsed = time.perf_counter() - started
rows = len(list(csv.reader(io.StringIO(body.decode(), newline="")))) - 1
print(
    f"people={rows} statements={len(statements)} seconds={elapsed:.2f} load={os.getloadavg()[0]:.1f}"
)
