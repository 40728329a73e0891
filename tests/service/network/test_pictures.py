"""The pictures: valid SVG, legible at 20 and at 500 ties, rendered by a real headless Chromium."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from service.db import new_id
from service.interactions.models import Interaction
from service.network.pictures import LABELLED, SHOWN_TIES
from service.people.models import FUNCTIONS, Person

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SVG = "{http://www.w3.org/2000/svg}"
# Set RAPPORT_PICTURES_DIR to keep the screenshots (to look at them).
KEEP = os.environ.get("RAPPORT_PICTURES_DIR")


def screenshot(svg: str, name: str, tmp_path: Path) -> Path:
    """Render an SVG document in headless Chromium and return the PNG."""
    source = tmp_path / f"{name}.svg"
    source.write_text(svg)
    shot = Path(KEEP or tmp_path) / f"{name}.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1000,760",
            source.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return shot


@pytest.fixture
def ego(app, session, now):
    """A person with ``n`` ties to people of every function and a few divisions."""

    def make(n: int, seed: int = 7) -> str:
        rng = random.Random(seed)
        me = new_id("per")
        people = [
            {
                "id": me,
                "email": f"{me}@example.com",
                "email_key": f"{me}@example.com",
                "name": "Ana Lima",
                "function": "product",
                "level": 5,
                "division": "Payments",
                "team": "Checkout 1",
            }
        ]
        interactions = []
        contacts = []
        for k in range(n):
            pid = new_id("per")
            contacts.append(pid)
            people.append(
                {
                    "id": pid,
                    "email": f"{pid}@example.com",
                    "email_key": f"{pid}@example.com",
                    "name": f"{rng.choice(['Bo', 'Cy', 'Di', 'Ed', 'Flo'])} Contact{k}",
                    "function": rng.choice(FUNCTIONS),
                    "level": rng.randint(1, 6),
                    "division": rng.choice(["Payments", "Growth", "Platform", "Data & AI"]),
                    "team": "Somewhere",
                }
            )
            for t in range(rng.choice((1, 1, 2, 4))):
                interactions.append(
                    {
                        "id": new_id("int"),
                        "person_id": me,
                        "contact_id": pid,
                        "kind": rng.choice(("coffee_chat", "message", "meeting")),
                        "occurred_at": now - timedelta(days=rng.uniform(1, 300) + t),
                        "given": [],
                        "received": [],
                    }
                )
        for k in range(0, n, 3):  # some second-hop people
            pid = new_id("per")
            people.append(
                {
                    "id": pid,
                    "email": f"{pid}@example.com",
                    "email_key": f"{pid}@example.com",
                    "name": f"Far {k}",
                    "function": "sales",
                    "level": 3,
                    "division": rng.choice(["Customer", "Corporate", "Growth"]),
                }
            )
            interactions.append(
                {
                    "id": new_id("int"),
                    "person_id": contacts[k],
                    "contact_id": pid,
                    "kind": "coffee_chat",
                    "occurred_at": now - timedelta(days=10),
                    "given": [],
                    "received": [],
                }
            )
        session.execute(insert(Person), people)
        session.execute(insert(Interaction), interactions)
        session.commit()
        return me

    return make


@pytest.mark.parametrize("ties", [20, 500])
def test_the_ego_map_stays_legible(admin, ego, compute, tmp_path, ties):
    me = ego(ties)
    compute()
    response = admin.get(f"/v1/people/{me}/network.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    root = ET.fromstring(svg)
    spokes = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    # Every tie drawn one by one up to SHOWN_TIES; beyond, one bubble per function.
    assert len(spokes) == min(ties, SHOWN_TIES)
    bubbles = [t.text for t in root.iter(f"{SVG}text") if (t.text or "").startswith("+")]
    if ties > SHOWN_TIES:
        assert bubbles and sum(int(b[1:]) for b in bubbles) == ties - SHOWN_TIES
        assert len(bubbles) <= len(FUNCTIONS)
    else:
        assert not bubbles
    names = [t.text for t in root.iter(f"{SVG}text") if "Contact" in (t.text or "")]
    assert len(names) == min(ties, LABELLED)
    assert "Two steps away, by division" in svg and "Functions" in svg
    if CHROMIUM:
        shot = screenshot(svg, f"ego-{ties}", tmp_path)
        assert shot.exists() and shot.stat().st_size > 20_000


def test_the_division_heat_map_renders(admin, ego, compute, tmp_path):
    ego(60)
    compute()
    response = admin.get("/v1/network/divisions.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    root = ET.fromstring(svg)
    cells = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    shown = admin.get("/v1/network/divisions").get_json()
    assert len(cells) == len(shown) ** 2 and len(shown) >= 3
    if CHROMIUM:
        shot = screenshot(svg, "divisions", tmp_path)
        assert shot.exists() and shot.stat().st_size > 10_000


def test_a_member_draws_only_their_own_map(member_of, ego):
    me = ego(3)
    assert member_of(me).get(f"/v1/people/{me}/network.svg").status_code == 200
    other = member_of(me).get("/v1/people/per_someone/network.svg")
    assert other.status_code == 403
