"""`rapport bingo`: the Networking Bingo prompt catalogue from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from service.db import database

bingo_cli = AppGroup("bingo", help="Networking Bingo.")


@bingo_cli.command("load-prompts")
def load_prompts() -> None:
    """Add Rapport's default prompts missing from the catalogue (loading twice adds nothing)."""
    from service.events.catalogue import DEFAULT_PROMPTS, load_default_prompts

    with database().sessions() as session:
        added = load_default_prompts(session)
        session.commit()
    click.echo(f"{added} prompts added; the default catalogue has {len(DEFAULT_PROMPTS)}.")
