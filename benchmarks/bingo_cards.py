"""How fast a Networking Bingo deals its cards: the draw alone, and the whole start through HTTP.

    python benchmarks/bingo_cards.py --participants 500

1. *draw*: :func:`matching.bingo.deal` for ``--participants`` players of the demo company
   (their skills, learning lists and ties), with the default catalogue, for each card size;
   every card is checked unique and completable as part of the draw.
2. *start*: the demo company in a scratch SQLite database, a bingo with ``--participants``
   enrolled, then ``POST /v1/events/{id}/start`` through the WSGI app, which reads the
   room, draws and writes every card and square in one request.

Prints one line per measurement (the best of ``--repeat`` runs) and a JSON summary; figures
go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402
from sqlalchemy import select  # noqa: E402

from matching import bingo  # noqa: E402
from service.app import create_app  # noqa: E402
from service.auth import Role  # noqa: E402
from service.cli import alembic_config  # noqa: E402
from service.db import database  # noqa: E402
from service.events import logic  # noqa: E402
from service.events.catalogue import DEFAULT_PROMPTS  # noqa: E402
from service.people.models import Person  # noqa: E402


def best_of(repeat: int, run) -> float:
    """The fastest of ``repeat`` runs of ``run()``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--people", type=int, default=2000, help="size of the demo company")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="rapport-bingo-")
    url = f"sqlite:///{folder}/bench.db"
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    from service import demo
    from service.tokens.logic import issue_token

    summary: dict = {"participants": args.participants, "load_average": os.getloadavg()[0]}
    with app.app_context(), database().sessions() as session:
        demo.load(session, people=args.people, seed=1)
        ids = list(
            session.scalars(
                select(Person.id).where(Person.active).order_by(Person.id).limit(args.participants)
            )
        )
        now = datetime.now(UTC)
        room_players = logic.players(session, ids, before=now)
        _token, secret = issue_token(session, role=Role.ADMIN, name="bench")
        session.commit()
    prompts = [
        bingo.Prompt(key, category, condition) for key, category, _t, condition in DEFAULT_PROMPTS
    ]

    for size in bingo.SIZES:

        def draw(size=size):
            cards = bingo.deal(
                bingo.Room(room_players), prompts, size=size, free_centre=True, seed=7
            )
            assert len({c.prompt_ids for c in cards}) == len(cards) == len(ids)

        seconds = best_of(args.repeat, draw)
        summary[f"draw_{size}x{size}_s"] = round(seconds, 3)
        print(f"draw  {size}×{size} for {len(ids)} players: {seconds:.3f} s")

    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    starts = []
    for _ in range(args.repeat):
        event = client.post(
            "/v1/events",
            headers=headers,
            json={
                "title": "Bench bingo",
                "kind": "bingo",
                "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
                "card_size": 5,
            },
        ).get_json()
        with app.app_context(), database().sessions() as session:
            from service.events.models import EventParticipant

            session.add_all(
                EventParticipant(event_id=event["id"], person_id=i, role="participant") for i in ids
            )
            session.commit()
        start = time.perf_counter()
        response = client.post(f"/v1/events/{event['id']}/start", headers=headers)
        starts.append(time.perf_counter() - start)
        assert response.status_code == 200, response.get_json()
    summary["start_5x5_http_s"] = round(min(starts), 3)
    print(f"start 5×5 through HTTP (read room, draw, write {len(ids)} cards): {min(starts):.3f} s")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
