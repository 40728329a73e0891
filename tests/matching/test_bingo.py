"""Card drawing: reproducible, unique, constraint-checked, and completable (held to a max-flow oracle)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from matching import bingo
from matching.bingo import CONDITIONS, CardError, Player, Prompt, Room

FUNCTIONS = ("engineering", "product", "sales", "legal", "finance", "design")
DIVISIONS = ("Payments", "Platform", "Growth", None)
SKILLS = ("python", "kafka", "pricing", "negotiation", "sql", "figma", "contracts", "rust")


def random_players(n: int, seed: int) -> list[Player]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        held = rng.sample(SKILLS, rng.randint(0, 4))
        out.append(
            Player(
                id=f"p{k:03d}",
                function=rng.choice(FUNCTIONS),
                level=rng.randint(1, 8),
                division=rng.choice(DIVISIONS),
                skills={s: rng.randint(1, 5) for s in held},
                learning=frozenset(rng.sample(SKILLS, rng.randint(0, 3))),
                tie_functions=frozenset(rng.sample(FUNCTIONS, rng.randint(0, 4))),
            )
        )
    return out


def catalogue(plain: int = 30, per_condition: int = 3) -> list[Prompt]:
    prompts = [Prompt(f"q{k:02d}", bingo.CATEGORIES[k % 4]) for k in range(plain)]
    for c, condition in enumerate(CONDITIONS):
        for k in range(per_condition):
            prompts.append(Prompt(f"c{c}{k}", bingo.CATEGORIES[(c + k) % 4], condition))
    return prompts


def oracle_completable(players: list[Player], player: Player, conditions: list[str | None]) -> bool:
    """Max flow: squares → people who satisfy them (plain predicates) → sink, 2 per person."""
    graph = nx.DiGraph()
    for k, condition in enumerate(conditions):
        graph.add_edge("s", ("sq", k), capacity=1)
        for other in players:
            if bingo.satisfies(condition, player, other):
                graph.add_edge(("sq", k), ("p", other.id), capacity=1)
    for other in players:
        graph.add_edge(("p", other.id), "t", capacity=bingo.MAX_SQUARES_PER_PERSON)
    if "t" not in graph or "s" not in graph:
        return not conditions
    return nx.maximum_flow_value(graph, "s", "t") == len(conditions)


@pytest.mark.parametrize("seed", range(5))
def test_room_satisfiers_match_the_plain_predicates(seed):
    players = random_players(40, seed)
    room = Room(players)
    for i, player in enumerate(players):
        for condition in (None, *CONDITIONS):
            mask = room.satisfiers(condition, i)
            expected = [bingo.satisfies(condition, player, other) for other in players]
            assert mask.tolist() == expected, (condition, player.id)


@pytest.mark.parametrize(("size", "free"), [(3, True), (3, False), (4, False), (5, True)])
def test_cards_are_unique_reproducible_and_completable(size, free):
    players = random_players(30, 7)
    room = Room(players)
    prompts = catalogue()
    cards = bingo.deal(room, prompts, size=size, free_centre=free, seed=11)
    again = bingo.deal(Room(players), list(reversed(prompts)), size=size, free_centre=free, seed=11)
    assert cards == sorted(again, key=lambda c: room.index[c.player_id])
    assert len({c.prompt_ids for c in cards}) == len(cards)
    by_id = {p.id: p for p in prompts}
    for card in cards:
        player = players[room.index[card.player_id]]
        assert len(card.prompt_ids) == size * size
        chosen = [by_id[p] for p in card.prompt_ids if p is not None]
        assert len(chosen) == bingo.squares_to_fill(size, free)
        assert len({p.id for p in chosen}) == len(chosen)
        if free and size % 2:
            assert card.prompt_ids[size * size // 2] is None
        assert len([p for p in chosen if p.condition]) <= int(len(chosen) * bingo.PERSONAL_SHARE)
        for prompt in chosen:
            if prompt.condition:
                assert any(bingo.satisfies(prompt.condition, player, o) for o in players)
        assert oracle_completable(players, player, [p.condition for p in chosen])
    other_seed = bingo.deal(room, prompts, size=size, free_centre=free, seed=12)
    assert [c.prompt_ids for c in other_seed] != [c.prompt_ids for c in cards]


@pytest.mark.parametrize("seed", range(30))
def test_completable_agrees_with_max_flow(seed):
    rng = random.Random(seed)
    players = random_players(rng.randint(3, 9), seed)
    room = Room(players)
    i = rng.randrange(len(players))
    conditions = [rng.choice((None, *CONDITIONS)) for _ in range(rng.randint(1, 9))]
    assert bingo.completable(room, i, conditions) == oracle_completable(
        players, players[i], conditions
    )


def test_conditions_no_one_in_the_room_satisfies_are_never_drawn():
    # Everyone in one division, same level: "another division" and "two levels" cannot be met.
    players = [
        Player(id=f"p{k}", function="engineering", level=4, division="Platform") for k in range(10)
    ]
    prompts = catalogue(plain=20)
    for card in bingo.deal(Room(players), prompts, size=4, free_centre=False, seed=3):
        assert all(p.startswith("q") for p in card.prompt_ids)


def test_late_joiners_get_cards_unlike_those_dealt():
    players = random_players(12, 2)
    room = Room(players)
    prompts = catalogue(plain=9, per_condition=0)
    first = bingo.deal(room, prompts, size=3, free_centre=False, seed=5, player_ids=["p000"])
    late = bingo.deal(
        room,
        prompts,
        size=3,
        free_centre=False,
        seed=5,
        player_ids=["p001"],
        taken={first[0].prompt_ids},
    )
    assert late[0].prompt_ids != first[0].prompt_ids


def test_too_small_a_catalogue_or_room_is_refused():
    players = random_players(12, 1)
    with pytest.raises(CardError, match="catalogue holds 10"):
        bingo.deal(
            Room(players), catalogue(plain=10, per_condition=0), size=4, free_centre=False, seed=1
        )
    with pytest.raises(CardError, match="at least 9 players"):
        bingo.deal(Room(players[:8]), catalogue(), size=4, free_centre=False, seed=1)


def test_bingo_lines():
    assert len(bingo.lines(4)) == 10
    assert bingo.bingos(3, {0, 1, 2}) == 1
    assert bingo.bingos(3, {0, 4, 8, 2, 6}) == 2
    assert bingo.bingos(3, {0, 1, 3, 4}) == 0
    assert bingo.bingos(5, set(range(25))) == 12
