"""The demo company: deterministic, realistic in shape."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from service.demo import DemoCompany
from service.demo_taxonomy import TAXONOMY

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def build(people: int, seed: int):
    company = DemoCompany(people, seed, now=NOW)
    company.taxonomy_rows()
    rows = list(company.people())
    company._all_ids = [p["id"] for p, _, _ in rows]
    return company, rows


def test_the_same_seed_gives_the_same_company():
    def snapshot(seed):
        company, rows = build(300, seed)
        people = [(p["id"], p["name"], p["level"], p["manager_id"]) for p, _, _ in rows]
        skills = [(s["skill_id"], s["level"]) for _, held, _ in rows for s in held]
        interactions = [
            (i["contact_id"], i["kind"]) for p, _, _ in rows for i in company.interactions(p, [])
        ]
        return people, skills, interactions

    assert snapshot(3) == snapshot(3)
    assert snapshot(3) != snapshot(4)


def test_the_company_has_the_shape_of_a_company():
    company, rows = build(2000, 1)
    people = [p for p, _, _ in rows]
    assert len(people) == 2000
    assert len(company.skills) == sum(len(v) for v in TAXONOMY.values()) >= 250
    functions = Counter(p["function"] for p in people)
    assert functions["engineering"] > functions["sales"] > functions["legal"] > 0
    assert {p["level"] for p in people} == set(range(1, 9))
    ids = {p["id"] for p in people}
    assert all(p["manager_id"] in ids for p in people if p["manager_id"])
    assert sum(p["manager_id"] is None for p in people) == 1  # only the CEO
    # Expertise is clustered and some skills are rare.
    holders = Counter(s["skill_id"] for _, held, _ in rows for s in held)
    counts = sorted(holders.values())
    assert counts[-1] > 20 * counts[len(counts) // 10]
    assert len(holders) > 200
