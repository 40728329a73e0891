"""What a person the index lacks costs a recommendation: loaded on the spot, not a 503.

    python benchmarks/missing_person.py --people 2000 --rounds 50

Builds a scratch SQLite database with the demo company, fits one recommendation index, then
times, for the same random active people, a recommendation when the person is in the index
and one when they were just removed from it (so that ``including`` loads them on the spot).
Prints medians and p90 in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command as alembic_command  # noqa: E402
from sqlalchemy import select  # noqa: E402

from service import demo  # noqa: E402
from service.app import create_app  # noqa: E402
from service.cli import alembic_config  # noqa: E402
from service.db import database  # noqa: E402
from service.people.models import Person  # noqa: E402
from service.recommendations.logic import RecommendationIndex  # noqa: E402


def main() -> None:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        alembic_command.upgrade(alembic_config(url), "head")
        app = create_app({"DATABASE_URL": url})
        with app.app_context(), database().sessions() as session:
            demo.load(session, people=args.people, seed=42)
            active = list(session.scalars(select(Person.id).where(Person.active)))
            people = random.Random(1).sample(active, args.rounds)
            index = RecommendationIndex()
            started = time.perf_counter()
            index.fresh(session)
            fit = time.perf_counter() - started
            present, missing = [], []
            for person in people:
                for times, remove in ((present, False), (missing, True)):
                    if remove:
                        index.fresh(session).remove(person)
                    started = time.perf_counter()
                    index.including(session, person).recommend(person, purpose="mentor", k=10)
                    times.append((time.perf_counter() - started) * 1000)
        print(f"fit of {args.people} people: {fit * 1000:.0f} ms")
        for name, times in (("in the index", present), ("loaded on the spot", missing)):
            p90 = statistics.quantiles(times, n=10)[-1]
            print(
                f"recommendation, person {name}: p50 {statistics.median(times):.1f} ms, p90 {p90:.1f} ms"
            )


if __name__ == "__main__":
    main()
