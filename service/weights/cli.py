"""`rapport matching learn`: learn weights from outcomes, from the shell.

The click command is declared in `service/cli.py` (so that `rapport --help` imports nothing);
it calls :func:`learn_and_report` inside the application's context.
"""

from __future__ import annotations

import click

from service.db import utcnow


def _interval(value: dict | None) -> str:
    if not value or value.get("value") is None:
        return "n/a"
    if value.get("low") is None:
        return f"{value['value']:.3f}"
    return f"{value['value']:.3f} [{value['low']:.3f}, {value['high']:.3f}]"


def learn_and_report() -> None:
    """Learn weights from impressions and outcomes, evaluate them, adopt them if they earn it."""
    from service.weights.tasks import learn_now

    weight_set = learn_now(utcnow())
    evaluation = weight_set.evaluation
    outcomes = ", ".join(f"{n} {kind}" for kind, n in sorted(evaluation["outcomes"].items()))
    click.echo(
        f"Weight set {weight_set.id} (version {weight_set.version}) from "
        f"{evaluation['lists']} lists served before {evaluation['served_before'][:10]}; "
        f"outcomes: {outcomes or 'none'}."
    )
    for purpose, report in evaluation["purposes"].items():
        click.echo(
            f"  {purpose}: {report['lists']} lists, {report['outcomes']} good outcomes; "
            f"AUC {_interval(report['auc_current'])} -> {_interval(report['auc_candidate'])}; "
            f"NDCG@10 {_interval(report['ndcg_current'])} -> "
            f"{_interval(report['ndcg_candidate'])}; gain {_interval(report['ndcg_gain'])}; "
            f"position-stratified AUC gain {_interval(report['position_auc_gain'])}"
            + (f" ({report['note']})" if report["note"] else "")
        )
    gini = evaluation["exposure_gini"]
    if gini["current"] is not None:
        click.echo(
            f"  exposure Gini on {gini['queries']} recent queries: "
            f"{gini['current']:.3f} -> {gini['candidate']:.3f}"
        )
    for reason in weight_set.reasons:
        click.echo(f"  - {reason}")
    click.echo(
        f"Adopted: recommendations now use version {weight_set.version}."
        if weight_set.recommended
        else "Kept as a candidate (a report); the current weights are unchanged."
    )
