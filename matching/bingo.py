"""Networking Bingo cards: seeded, unique per player, and completable by the people in the room.

A card is a ``size × size`` grid of prompts (row-major), with an optional free centre on odd
sizes. Some prompts carry a *condition* on the person met ("someone from another division");
a conditioned prompt is drawn for a player only when someone else in the room satisfies it,
and a card is dealt only when all of its squares can be filled at once under the playing rule
that one person fills at most :data:`MAX_SQUARES_PER_PERSON` squares of a card (checked as a
bipartite b-matching of the conditioned squares; the others take anyone with room left).

Cards are reproducible: each player's draw uses its own generator seeded with the event's
seed, the player's id and an attempt number, so a card depends on nothing but the seed, the
room and the catalogue. A draw that repeats a card already dealt, or that the room cannot
complete, is drawn again with the next attempt number.

:class:`Room` evaluates the conditions as vector operations over the room (one pass per
player and condition); :func:`satisfies` states each condition plainly for one pair and is
what the tests hold the room's answers against.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

CATEGORIES = ("ask", "offer", "share", "discover")
CONDITIONS = (
    "function_without_tie",
    "holds_learning_skill",
    "junior_who_can_teach",
    "other_division",
    "senior_by_two",
    "shares_learning",
)
SIZES = (3, 4, 5)
# The playing rule: one person fills at most this many squares of one card.
MAX_SQUARES_PER_PERSON = 2
# A skill held at this level or above can be taught.
TEACHING_LEVEL = 3
# At most this share of a card's squares are conditioned (personal) ones.
PERSONAL_SHARE = 1 / 3
# Draws tried per player before personal squares are given up; then as many again without.
ATTEMPTS = 12


@dataclass(frozen=True)
class Player:
    """One participant, as the conditions see them."""

    id: str
    function: str
    level: int
    division: str | None = None
    skills: Mapping[str, int] = field(default_factory=dict)
    learning: frozenset[str] = frozenset()
    # The functions of the people this player already has a tie with.
    tie_functions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Prompt:
    """A prompt of the catalogue: its id, category and optional condition on the person met."""

    id: str
    category: str
    condition: str | None = None


@dataclass(frozen=True)
class Card:
    """A dealt card: the prompt ids row by row, ``None`` for the free centre."""

    player_id: str
    size: int
    prompt_ids: tuple[str | None, ...]


class CardError(ValueError):
    """Cards cannot be dealt: the catalogue or the room is too small for the card size."""


def squares_to_fill(size: int, free_centre: bool) -> int:
    """The number of squares a player fills on a card of this size."""
    return size * size - (1 if free_centre and size % 2 else 0)


def satisfies(condition: str | None, player: Player, other: Player) -> bool:
    """True when ``other`` may fill a square of ``player`` that has this condition."""
    if other.id == player.id:
        return False
    if condition is None:
        return True
    if condition == "function_without_tie":
        return other.function != player.function and other.function not in player.tie_functions
    if condition == "holds_learning_skill":
        return any(other.skills.get(s, 0) >= TEACHING_LEVEL for s in player.learning)
    if condition == "junior_who_can_teach":
        return other.level <= player.level - 2 and any(
            level >= TEACHING_LEVEL and level > player.skills.get(skill, 0)
            for skill, level in other.skills.items()
        )
    if condition == "other_division":
        return bool(player.division and other.division and other.division != player.division)
    if condition == "senior_by_two":
        return other.level >= player.level + 2
    if condition == "shares_learning":
        return bool(player.learning & other.learning)
    raise ValueError(f"unknown condition {condition!r}")


class Room:
    """The players of one event, encoded once so that each condition is a vector operation."""

    def __init__(self, players: Sequence[Player]) -> None:
        self.players = list(players)
        self.index = {p.id: i for i, p in enumerate(self.players)}
        functions = sorted(
            {p.function for p in self.players} | _union(p.tie_functions for p in self.players)
        )
        divisions = sorted({p.division for p in self.players if p.division})
        skills = sorted(_union(set(p.skills) | p.learning for p in self.players))
        f_code = {f: i for i, f in enumerate(functions)}
        d_code = {d: i for i, d in enumerate(divisions)}
        s_code = {s: i for i, s in enumerate(skills)}
        n = len(self.players)
        self._function = np.array([f_code[p.function] for p in self.players], dtype=np.int32)
        self._division = np.array(
            [d_code[p.division] if p.division else -1 for p in self.players], dtype=np.int32
        )
        self._level = np.array([p.level for p in self.players], dtype=np.int32)
        self._ties = np.zeros((n, len(functions)), dtype=bool)
        self._skill = np.zeros((n, len(skills)), dtype=np.int8)
        self._learning = np.zeros((n, len(skills)), dtype=bool)
        self._learning_of: list[np.ndarray] = []
        for i, p in enumerate(self.players):
            for f in p.tie_functions:
                self._ties[i, f_code[f]] = True
            for s, level in p.skills.items():
                self._skill[i, s_code[s]] = level
            wanted = np.array(sorted(s_code[s] for s in p.learning), dtype=np.int64)
            self._learning[i, wanted] = True
            self._learning_of.append(wanted)
        self._teaches = self._skill >= TEACHING_LEVEL

    def __len__(self) -> int:
        return len(self.players)

    def satisfiers(self, condition: str | None, i: int) -> np.ndarray:
        """The mask of players who may fill player ``i``'s square with this condition."""
        if condition is None:
            mask = np.ones(len(self.players), dtype=bool)
        elif condition == "function_without_tie":
            mask = (self._function != self._function[i]) & ~self._ties[i, self._function]
        elif condition == "holds_learning_skill":
            mask = self._teaches[:, self._learning_of[i]].any(axis=1)
        elif condition == "junior_who_can_teach":
            mask = (self._level <= self._level[i] - 2) & (
                self._teaches & (self._skill > self._skill[i])
            ).any(axis=1)
        elif condition == "other_division":
            if self._division[i] < 0:
                mask = np.zeros(len(self.players), dtype=bool)
            else:
                mask = (self._division >= 0) & (self._division != self._division[i])
        elif condition == "senior_by_two":
            mask = self._level >= self._level[i] + 2
        elif condition == "shares_learning":
            mask = self._learning[:, self._learning_of[i]].any(axis=1)
        else:
            raise ValueError(f"unknown condition {condition!r}")
        mask[i] = False
        return mask


def _union(sets: Iterable[Collection[str]]) -> set[str]:
    out: set[str] = set()
    for s in sets:
        out.update(s)
    return out


def completable(room: Room, i: int, conditions: Sequence[str | None]) -> bool:
    """True when player ``i``'s squares (their conditions) can all be filled at once.

    Each other player fills at most :data:`MAX_SQUARES_PER_PERSON` squares. The conditioned
    squares are matched first (augmenting paths, Kuhn's algorithm with capacities); squares
    without a condition then take anyone with room left, so counting that room suffices.
    """
    others = len(room) - 1
    if others * MAX_SQUARES_PER_PERSON < len(conditions):
        return False
    candidates = [np.flatnonzero(room.satisfiers(c, i)) for c in conditions if c is not None]
    holders: dict[int, list[int]] = {}

    def place(square: int, seen: set[int]) -> bool:
        for person in candidates[square]:
            person = int(person)
            if person in seen:
                continue
            seen.add(person)
            taken = holders.setdefault(person, [])
            if len(taken) < MAX_SQUARES_PER_PERSON:
                taken.append(square)
                return True
            for k, other_square in enumerate(taken):
                if place(other_square, seen):
                    taken[k] = square
                    return True
        return False

    return all(place(square, set()) for square in range(len(candidates)))


def deal(
    room: Room,
    prompts: Sequence[Prompt],
    *,
    size: int,
    free_centre: bool,
    seed: int,
    player_ids: Iterable[str] | None = None,
    taken: Collection[tuple[str | None, ...]] = (),
) -> list[Card]:
    """Draw a card for each player (all of the room's, or ``player_ids``), unique in the event.

    ``taken`` holds the cards already dealt at the event (late joiners get cards unlike them).
    Raises :class:`CardError` when the catalogue or the room is too small for the card size.
    """
    if size not in SIZES:
        raise CardError(f"A card is 3×3, 4×4 or 5×5, not {size}×{size}.")
    n = squares_to_fill(size, free_centre)
    if (len(room) - 1) * MAX_SQUARES_PER_PERSON < n:
        need = -(-n // MAX_SQUARES_PER_PERSON) + 1
        raise CardError(
            f"A {size}×{size} card needs {n} squares filled, at most {MAX_SQUARES_PER_PERSON} by "
            f"one person: at least {need} players must be at the event, not {len(room)}."
        )
    # The catalogue's order is not part of the seed: the same prompts give the same cards.
    prompts = sorted(prompts, key=lambda p: p.id)
    plain = [p for p in prompts if p.condition is None]
    if len(prompts) < n:
        raise CardError(
            f"The prompt catalogue holds {len(prompts)} prompts; a {size}×{size} card needs {n}."
        )
    dealt = set(taken)
    cards = []
    for player_id in room.index if player_ids is None else player_ids:
        i = room.index[player_id]
        eligible = [c for c in CONDITIONS if room.satisfiers(c, i).any()]
        candidates = plain + [p for p in prompts if p.condition in eligible]
        if len(candidates) < n:
            raise CardError(
                f"Only {len(candidates)} prompts of the catalogue can be completed by "
                f"{player_id} in this room; a {size}×{size} card needs {n}."
            )
        card = _draw_for(room, i, candidates, size, free_centre, seed, dealt)
        dealt.add(card.prompt_ids)
        cards.append(card)
    return cards


def _draw_for(
    room: Room,
    i: int,
    candidates: list[Prompt],
    size: int,
    free_centre: bool,
    seed: int,
    dealt: set[tuple[str | None, ...]],
) -> Card:
    n = squares_to_fill(size, free_centre)
    player_id = room.players[i].id
    for attempt in range(2 * ATTEMPTS):
        rng = random.Random(f"{seed}:{player_id}:{attempt}")
        personal = int(n * PERSONAL_SHARE) if attempt < ATTEMPTS else 0
        chosen = _pick(rng, candidates, n, personal)
        if len(chosen) < n:
            continue
        rng.shuffle(chosen)
        if not completable(room, i, [p.condition for p in chosen]):
            continue
        ids: list[str | None] = [p.id for p in chosen]
        if n < size * size:
            ids.insert(size * size // 2, None)
        arrangement = tuple(ids)
        if arrangement not in dealt:
            return Card(player_id=player_id, size=size, prompt_ids=arrangement)
    raise CardError(f"No card that the room can complete and that is unique for {player_id}.")


def _pick(rng: random.Random, candidates: list[Prompt], n: int, personal: int) -> list[Prompt]:
    """Take ``n`` prompts, the categories in turn, with at most ``personal`` conditioned ones."""
    by_category: dict[str, list[Prompt]] = {}
    for prompt in candidates:
        by_category.setdefault(prompt.category, []).append(prompt)
    queues = [by_category[c] for c in sorted(by_category)]
    for queue in queues:
        rng.shuffle(queue)
    rng.shuffle(queues)
    chosen: list[Prompt] = []
    while len(chosen) < n and any(queues):
        for queue in queues:
            while queue:
                prompt = queue.pop()
                if prompt.condition is not None:
                    if personal == 0:
                        continue
                    personal -= 1
                chosen.append(prompt)
                break
            if len(chosen) == n:
                break
    return chosen


def lines(size: int) -> list[tuple[int, ...]]:
    """The rows, columns and two diagonals of a card, as tuples of square indexes."""
    rows = [tuple(r * size + c for c in range(size)) for r in range(size)]
    columns = [tuple(r * size + c for r in range(size)) for c in range(size)]
    diagonals = [
        tuple(k * size + k for k in range(size)),
        tuple(k * size + size - 1 - k for k in range(size)),
    ]
    return rows + columns + diagonals


def bingos(size: int, filled: Collection[int]) -> int:
    """How many lines of a card are complete, given its filled squares (the free one included)."""
    return sum(all(k in filled for k in line) for line in lines(size))
