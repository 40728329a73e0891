"""A newcomer's first minutes: the bare address, the `rapport` command, `make run`'s token."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from service.cli import cli

RAPPORT = Path(sys.executable).parent / "rapport"


def test_the_bare_address_sends_a_newcomer_to_the_docs(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/docs"
    assert anonymous.get(response.headers["Location"]).status_code == 200


def test_rapport_help_shows_rapport_commands_only_and_answers_at_once():
    started = time.perf_counter()
    result = subprocess.run(
        [str(RAPPORT), "--help"], capture_output=True, text=True, check=True, timeout=30
    )
    elapsed = time.perf_counter() - started
    out = result.stdout
    for command in ("db", "demo", "people", "tokens"):
        assert f"  {command} " in out
    for flask_only in ("--env-file", "--app", "routes", "shell", "  run "):
        assert flask_only not in out
    assert "python-dotenv" not in result.stdout + result.stderr
    # Nothing heavy is imported to answer --help: not Flask, not SQLAlchemy, not the engine.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from service.cli import main; sys.argv=['rapport','--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('flask', 'sqlalchemy', 'sklearn', 'numpy', 'alembic')"
            " if m in sys.modules]\nprint('HEAVY', heavy)",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert "HEAVY []" in probe.stdout
    assert elapsed < 5  # a shared, loaded machine; on an idle one it is about 0.1 s


def test_make_runs_token_is_kept_across_restarts_until_rotated(app, tmp_path):
    runner = app.test_cli_runner()
    keep = tmp_path / "make-run.token"
    command = ["tokens", "create", "--role", "admin", "--name", "make run", "--keep", str(keep)]
    # The token an earlier `make run` printed without keeping it is replaced.
    earlier = runner.invoke(cli, command[:-2]).stdout.strip().splitlines()[-1]
    first = runner.invoke(cli, command)
    assert first.exit_code == 0, first.output
    secret = first.stdout.strip().splitlines()[-1]
    assert keep.read_text().strip() == secret
    assert stat.S_IMODE(os.stat(keep).st_mode) == 0o600
    again = runner.invoke(cli, command).stdout.strip().splitlines()[-1]
    assert again == secret
    auth = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/v1/people", headers=auth).status_code == 200
    earlier_auth = {"Authorization": f"Bearer {earlier}"}
    assert app.test_client().get("/v1/people", headers=earlier_auth).status_code == 401
    rotated = runner.invoke(cli, [*command, "--rotate"]).stdout.strip().splitlines()[-1]
    assert rotated != secret and keep.read_text().strip() == rotated
    assert app.test_client().get("/v1/people", headers=auth).status_code == 401


def test_a_dry_run_with_rejected_rows_exits_non_zero(app, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "good.csv"
    good.write_text("email,name,function,level\r\na@example.com,A,sales,3\r\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,name,function,level\r\na@example.com,A,sales,3\r\nb@example.com,B,x,3\r\n"
    )
    ok = runner.invoke(cli, ["people", "import", "--dry-run", str(good)])
    assert ok.exit_code == 0, ok.output
    failed = runner.invoke(cli, ["people", "import", "--dry-run", str(bad)])
    assert failed.exit_code == 1
    assert "line 3 (b@example.com): invalid-value" in failed.output
    assert "1 rejected (dry run: nothing written)" in failed.output


def test_progress_bars_are_not_drawn_when_the_output_is_not_a_terminal(app, tmp_path):
    rows = "".join(f"p{n}@example.com,P {n},sales,3\r\n" for n in range(50))
    file = tmp_path / "people.csv"
    file.write_text("email,name,function,level\r\n" + rows)
    result = app.test_cli_runner().invoke(cli, ["people", "import", str(file)])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr and "it/s" not in result.stderr
    assert result.stdout.strip() == "50 rows: 50 created, 0 updated, 0 unchanged, 0 rejected."


def test_commands_that_extensions_add_to_the_app_are_still_found(app):
    result = app.test_cli_runner().invoke(cli, ["openapi", "print"])
    assert result.exit_code == 0, result.output
    assert '"openapi": "3.1.0"' in result.output
