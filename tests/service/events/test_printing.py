"""Printable cards: PDF on A4 and Letter, SVG, and one PDF of every card, rendered to PNG."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
POINTS = {"a4": "595.276 x 841.89", "letter": "612 x 792"}


def _bingo(admin, make_person, member_of, set_now, players=10):
    host = make_person(name="Facilitator")
    people = [
        make_person(name=f"Player {k}", division=("Payments", "Growth")[k % 2])
        for k in range(players)
    ]
    set_now(T0 - timedelta(hours=1))
    event = (
        member_of(host["id"])
        .post(
            "/v1/events",
            json={
                "title": "Q4 all-hands bingo",
                "kind": "bingo",
                "starts_at": T0.isoformat(),
                "card_size": 3,
                "location": "Berlin, Spree room",
            },
        )
        .get_json()
    )
    path = f"/v1/events/{event['id']}"
    for person in people:
        assert (
            admin.post(f"{path}/participants", json={"person_id": person["id"]}).status_code == 201
        )
    set_now(T0 + timedelta(minutes=1))
    return path, people, member_of(host["id"])


def _render(pdf: bytes, tmp_path, name: str) -> tuple[str, list]:
    file = tmp_path / f"{name}.pdf"
    file.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(file)], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(file), str(tmp_path / name)], check=True)
    return info, sorted(tmp_path.glob(f"{name}*.png"))


def test_a_card_prints_on_a4_and_letter_and_draws_as_svg(
    admin, make_person, member_of, set_now, catalogue, tmp_path
):
    path, people, host = _bingo(admin, make_person, member_of, set_now)
    player = member_of(people[0]["id"])
    card = player.get(f"{path}/cards/me").get_json()
    for paper in ("a4", "letter"):
        response = player.get(f"{path}/cards/{card['id']}.pdf?paper={paper}")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        info, pngs = _render(response.data, tmp_path, paper)
        assert re.search(rf"Page size:\s+{POINTS[paper]} pts", info)
        assert re.search(r"Pages:\s+1\n", info)
        assert len(pngs) == 1 and pngs[0].stat().st_size > 5_000
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / f"{paper}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Card of Player 0" in text and "Q4 all-hands bingo" in text
        first_words = card["squares"][0]["text"].split()[:2]
        assert " ".join(first_words) in re.sub(r"\s+", " ", text)
    svg = player.get(f"{path}/cards/{card['id']}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.data)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Card of Player 0" in texts and "Free square" in texts
    assert len(list(root.iter("{http://www.w3.org/2000/svg}rect"))) == 1 + 9
    assert player.get(f"{path}/cards/{card['id']}.pdf?paper=a3").status_code == 422
    other = member_of(people[1]["id"])
    assert other.get(f"{path}/cards/{card['id']}.pdf").status_code == 404


def test_one_pdf_holds_every_card_for_the_facilitator(
    admin, make_person, member_of, set_now, catalogue, tmp_path
):
    path, people, host = _bingo(admin, make_person, member_of, set_now)
    response = host.get(f"{path}/cards.pdf?paper=letter")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    info, pngs = _render(response.data, tmp_path, "all")
    assert re.search(rf"Pages:\s+{len(people)}\n", info)
    assert len(pngs) == len(people)
    assert member_of(people[0]["id"]).get(f"{path}/cards.pdf").status_code == 403
