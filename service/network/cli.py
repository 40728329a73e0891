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
