"""`rapport network …`: the influence map from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup

network_cli = AppGroup("network", help="The influence map.")


@network_cli.command("compute")
@click.option(
    "--background",
    is_flag=True,
    help="Hand the work to the Celery workers (REDIS_URL) instead of computing here.",
)
def network_compute(background: bool) -> None:
    """Compute the graph metrics of every active person and store them."""
    from service import tasks
    from service.network.tasks import compute_metrics, compute_now

    if background:
        tasks.submit(compute_metrics)
        click.echo("Submitted; the workers compute the metrics.")
        return
    figures = compute_now()
    click.echo(
        f"{figures['people']} people, {figures['ties']} ties: metrics computed in "
        f"{figures['seconds']:.1f} s (snapshot {figures['snapshot_id']})."
    )


@network_cli.group("decision-makers")
def decision_makers() -> None:
    """Who counts as a decision-maker besides everyone at the decision level (7) and above."""


@decision_makers.command("add")
@click.argument("person_id")
@click.option("--note", default=None, help="Why (shown to admins only).")
def decision_makers_add(person_id: str, note: str | None) -> None:
    """Flag PERSON_ID as a decision-maker (taken in by the next computation)."""
    from service.db import database
    from service.errors import Problem
    from service.network.logic import flag_decision_maker

    with database().sessions() as session:
        try:
            flag_decision_maker(session, person_id, note)
        except Problem as problem:
            raise click.ClickException(problem.detail) from problem
        session.commit()
    click.echo(f"{person_id} is a decision-maker.")


@decision_makers.command("remove")
@click.argument("person_id")
def decision_makers_remove(person_id: str) -> None:
    """Stop counting PERSON_ID as a decision-maker (unless their level says so)."""
    from service.db import database
    from service.network.logic import unflag_decision_maker

    with database().sessions() as session:
        removed = unflag_decision_maker(session, person_id)
        session.commit()
    click.echo(f"{person_id} {'is no longer' if removed else 'was not'} flagged.")


@decision_makers.command("list")
def decision_makers_list() -> None:
    """List the flagged decision-makers."""
    from sqlalchemy import select

    from service.db import database
    from service.network.models import DecisionMaker

    with database().sessions() as session:
        for flag in session.scalars(select(DecisionMaker).order_by(DecisionMaker.flagged_at)):
            click.echo(f"{flag.person_id}\t{flag.flagged_at:%Y-%m-%d}\t{flag.note or ''}")
