"""A synthetic company for the matching benchmarks, with planted ground truth.

Shared by ``matching_quality.py`` and ``matching_speed.py``. Deterministic for a seed.

The company: eleven functions of realistic sizes; per function a pool of skills whose
popularity follows a Zipf law, plus company-wide skills; a few *emerging* skills per function
held mostly by juniors (the new technologies seniors missed); levels 1–8 skewed junior; skill
levels that rise with seniority; a management tree per division and function; ties mostly
inside one's own group; mentoring preferences that rise with level; perspective tags; goals.

The ground truth is planted: for each query subject the generator picks a focus the engine
is not told about directly — a rare skill of their function (mentor), an emerging skill
(reverse mentor, only half the time also on their learning list: the other half the engine
must find it as a skill the senior "lacks"), a skill of another function plus that function
(cross-functional) — and makes a handful of eligible people truly fit it (grade 2). People the
generator knows to be eligible and strong in something the subject wants count as grade 1.
Distractors are planted too: shallow holders of the focus skill, and strong holders who are
ineligible (not open to mentoring, at capacity, or the subject's own manager).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matching import Goal, Person

FUNCTIONS = (
    ("engineering", 0.40),
    ("product", 0.08),
    ("design", 0.05),
    ("data", 0.08),
    ("sales", 0.12),
    ("marketing", 0.08),
    ("operations", 0.08),
    ("finance", 0.04),
    ("people", 0.03),
    ("legal", 0.02),
    ("support", 0.02),
)
PERSPECTIVES = (
    "career-changer",
    "bootcamp",
    "phd",
    "first-generation",
    "ex-consulting",
    "ex-startup",
    "ex-bank",
    "ex-public-sector",
    "self-taught",
    "returner",
    "military",
    "international",
    "parent",
    "founder",
    "open-source",
    "athlete",
)
LEVEL_SHARES = (0.16, 0.20, 0.20, 0.16, 0.12, 0.08, 0.05, 0.03)
N_DIVISIONS, N_LOCATIONS = 12, 10
COMMON_SKILLS = 60
EMERGING_PER_FUNCTION = 4
PLANTED_FITS = 6


def _pool_size(function: str) -> int:
    return 400 if function == "engineering" else 120


@dataclass
class Company:
    """People, and for each planted query the graded people who truly fit it."""

    people: list[Person]
    # (person_id, purpose) -> {candidate_id: grade 1 or 2}
    truth: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    skill_function: dict[str, str] = field(default_factory=dict)


def _zipf(size: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    return weights / weights.sum()


def make_company(n_people: int, seed: int = 0, n_planted: int = 0) -> Company:
    """Generate ``n_people`` people; plant ground truth for ``n_planted`` subjects per purpose."""
    rng = np.random.default_rng(seed)
    names = [name for name, _ in FUNCTIONS]
    shares = np.asarray([share for _, share in FUNCTIONS])
    function = rng.choice(len(names), size=n_people, p=shares / shares.sum())
    level = rng.choice(np.arange(1, 9), size=n_people, p=LEVEL_SHARES)
    division = rng.integers(0, N_DIVISIONS, n_people)
    # Locations cluster by division: most people sit where their division does.
    location = np.where(
        rng.random(n_people) < 0.7, division % N_LOCATIONS, rng.integers(0, N_LOCATIONS, n_people)
    )

    pools = {
        f: [f"{name[:3]}-{i:03d}" for i in range(_pool_size(name))] for f, name in enumerate(names)
    }
    emerging = {
        f: [f"{name[:3]}-new-{i}" for i in range(EMERGING_PER_FUNCTION)]
        for f, name in enumerate(names)
    }
    common = [f"common-{i:02d}" for i in range(COMMON_SKILLS)]
    skill_function = {s: names[f] for f, pool in pools.items() for s in pool + emerging[f]}
    probabilities = {f: _zipf(len(pool), 0.8) for f, pool in pools.items()}
    common_p = _zipf(COMMON_SKILLS, 1.0)

    # Skills: own function's pool mostly, a few company-wide ones, now and then another's.
    # Draws are made for everyone at once (inverse CDF per function); the loop only packs them.
    width = 12
    own_draws = np.empty((n_people, width), dtype=np.int64)
    want_draws = np.empty((n_people, 4), dtype=np.int64)
    for f, p in probabilities.items():
        members = np.flatnonzero(function == f)
        cdf = np.cumsum(p)
        own_draws[members] = np.minimum(
            np.searchsorted(cdf, rng.random((len(members), width))), len(p) - 1
        )
        want_draws[members] = np.minimum(
            np.searchsorted(cdf, rng.random((len(members), 4))), len(p) - 1
        )
    common_draws = np.minimum(
        np.searchsorted(np.cumsum(common_p), rng.random((n_people, 2))), COMMON_SKILLS - 1
    )
    n_own = np.clip(rng.poisson(4.5, n_people), 1, width)
    n_common = rng.binomial(2, 0.5, n_people)
    n_want = rng.integers(0, 5, n_people)
    levels = np.clip(
        np.rint(1.0 + 0.45 * level[:, None] + rng.normal(0.0, 0.8, (n_people, width + 3))), 1, 5
    ).astype(np.int64)
    junior = level <= 3
    new_held = rng.random((n_people, EMERGING_PER_FUNCTION)) < np.where(junior, 0.3, 0.03)[:, None]
    new_levels = np.where(
        junior[:, None],
        rng.integers(3, 6, (n_people, EMERGING_PER_FUNCTION)),
        rng.integers(1, 3, (n_people, EMERGING_PER_FUNCTION)),
    )
    priorities = rng.integers(1, 4, (n_people, 5))
    borrow = rng.random(n_people) < 0.08
    borrowed = rng.integers(0, len(names), n_people)
    borrowed_skill = rng.integers(0, 30, n_people)
    senior_wants_new = (level >= 6) & (rng.random(n_people) < 0.3)
    new_wanted = rng.integers(0, EMERGING_PER_FUNCTION, n_people)
    skills: list[dict[str, int]] = []
    learning: list[dict[str, int]] = []
    for i, (f, own_row, want_row, common_row, level_row) in enumerate(
        zip(
            function.tolist(),
            own_draws.tolist(),
            want_draws.tolist(),
            common_draws.tolist(),
            levels.tolist(),
            strict=True,
        )
    ):
        pool = pools[f]
        picks = [pool[j] for j in own_row[: n_own[i]]]
        picks += [common[j] for j in common_row[: n_common[i]]]
        if borrow[i]:
            picks.append(pools[int(borrowed[i])][int(borrowed_skill[i])])
        own = {skill: level_row[j] for j, skill in enumerate(dict.fromkeys(picks))}
        # New technologies: common among juniors, rare among seniors, and held well.
        for j in np.flatnonzero(new_held[i]).tolist():
            own[emerging[f][j]] = int(new_levels[i, j])
        skills.append(own)
        wanted = {}
        for j, skill_index in enumerate(want_row[: n_want[i]]):
            skill = pool[skill_index]
            if own.get(skill, 0) < 4:
                wanted[skill] = int(priorities[i, j])
        if senior_wants_new[i]:
            wanted[emerging[f][new_wanted[i]]] = int(priorities[i, 4])
        learning.append(wanted)

    # A management tree per (division, function): a manager is strictly more senior.
    manager = np.full(n_people, -1, dtype=np.int64)
    group = division * len(names) + function
    order = np.lexsort((level, group))
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    for members in np.split(order, bounds):
        levels = level[members]
        first_above = np.searchsorted(levels, levels, side="right")
        has = first_above < len(members)
        pick = first_above[has] + (
            rng.random(has.sum()) * (len(members) - first_above[has])
        ).astype(np.int64)
        manager[members[has]] = members[pick]

    # Ties: the manager, a few in one's own group, one or two anywhere.
    ties: list[dict[int, float]] = [dict() for _ in range(n_people)]
    for members in np.split(order, bounds):
        size = len(members)
        count = min(4, size - 1)
        if count <= 0:
            continue
        partners = members[rng.integers(0, size, (size, count))]
        strengths = np.round(rng.uniform(0.1, 1.0, (size, count)), 2)
        for person, others, values in zip(members, partners, strengths, strict=True):
            for other, value in zip(others.tolist(), values.tolist(), strict=True):
                if other != person:
                    ties[person][other] = value
    anywhere = rng.integers(0, n_people, (n_people, 2))
    for person in range(n_people):
        if manager[person] >= 0:
            ties[person][int(manager[person])] = 0.6
        for other in anywhere[person].tolist():
            if other != person and rng.random() < 0.6:
                ties[person][other] = round(float(rng.uniform(0.1, 0.5)), 2)

    open_mentor = rng.random(n_people) < 0.05 + 0.1 * level
    capacity = np.where(open_mentor, rng.integers(1, 5, n_people), 0)
    mentees = np.minimum(rng.binomial(capacity, 0.45), capacity)
    open_reverse = rng.random(n_people) < np.where(level <= 4, 0.5, 0.1)
    seeking = rng.random(n_people) < np.where(level <= 4, 0.5, 0.15)
    active = rng.random(n_people) < 0.97
    tag_draws = rng.integers(0, len(PERSPECTIVES), (n_people, 3)).tolist()
    n_tags = rng.integers(0, 4, n_people).tolist()
    tags = [
        frozenset(PERSPECTIVES[t] for t in draws[:count])
        for draws, count in zip(tag_draws, n_tags, strict=True)
    ]
    mentors: list[set[int]] = [set() for _ in range(n_people)]
    for person in np.flatnonzero(rng.random(n_people) < 0.15).tolist():
        mentors[person].add(int(rng.integers(0, n_people)))
    goals: list[list[Goal]] = [[] for _ in range(n_people)]
    for person in np.flatnonzero(rng.random(n_people) < 0.5).tolist():
        f = int(function[person])
        targets = set(rng.choice(pools[f], size=int(rng.integers(1, 3)), p=probabilities[f]))
        targets.update(list(learning[person])[:1])
        functions = set()
        if rng.random() < 0.3:
            functions.add(names[int(rng.integers(0, len(names)))])
        goals[person].append(
            Goal(f"Goal {person}", frozenset(map(str, targets)), frozenset(functions))
        )

    truth: dict[tuple[str, str], dict[str, int]] = {}
    state = _State(
        rng, names, function, level, division, location, skills, learning, manager, open_mentor,
        capacity, mentees, open_reverse, active, mentors, goals, pools, emerging,
    )  # fmt: skip
    if n_planted:
        _plant(state, n_planted, truth)

    ids = [f"p{i:07d}" for i in range(n_people)]
    people = [
        Person(
            id=ids[i],
            function=names[function[i]],
            level=int(level[i]),
            division=f"division-{division[i]:02d}",
            location=f"location-{location[i]:02d}",
            team=f"team-{group[i]:04d}",
            skills=skills[i],
            learning=learning[i],
            perspectives=tags[i],
            manager_id=ids[manager[i]] if manager[i] >= 0 else None,
            open_to_mentor=bool(open_mentor[i]),
            mentor_capacity=int(capacity[i]),
            active_mentees=int(mentees[i]),
            open_to_reverse_mentor=bool(open_reverse[i]),
            seeking_mentor=bool(seeking[i]),
            active=bool(active[i]),
            ties={ids[other]: value for other, value in ties[i].items()},
            mentor_ids=frozenset(ids[m] for m in mentors[i] if m != i),
            goals=tuple(goals[i]),
        )
        for i in range(n_people)
    ]
    named = {
        (ids[p], purpose): {ids[c]: g for c, g in fits.items()}
        for (p, purpose), fits in truth.items()
    }
    return Company(people=people, truth=named, skill_function=skill_function)


@dataclass
class _State:
    rng: np.random.Generator
    names: list[str]
    function: np.ndarray
    level: np.ndarray
    division: np.ndarray
    location: np.ndarray
    skills: list[dict[str, int]]
    learning: list[dict[str, int]]
    manager: np.ndarray
    open_mentor: np.ndarray
    capacity: np.ndarray
    mentees: np.ndarray
    open_reverse: np.ndarray
    active: np.ndarray
    mentors: list[set[int]]
    goals: list[list[Goal]]
    pools: dict[int, list[str]]
    emerging: dict[int, list[str]]

    def chain(self, person: int) -> set[int]:
        out, boss = set(), int(self.manager[person])
        while boss >= 0 and boss not in out:
            out.add(boss)
            boss = int(self.manager[boss])
        return out


def _plant(s: _State, n_planted: int, truth: dict) -> None:
    """Plant focus skills, true fits and distractors; then grade everyone eligible."""
    rng = s.rng
    used: set[int] = set()

    def subjects(mask: np.ndarray) -> list[int]:
        pool = np.flatnonzero(mask & s.active)
        pool = pool[~np.isin(pool, list(used))]
        chosen = rng.choice(pool, size=min(n_planted, len(pool)), replace=False).tolist()
        used.update(chosen)
        return chosen

    def recruit(mask: np.ndarray, exclude: set[int], count: int) -> list[int]:
        pool = np.flatnonzero(mask & s.active)
        pool = pool[~np.isin(pool, list(exclude | used))]
        return rng.choice(pool, size=min(count, len(pool)), replace=False).tolist()

    # Mentor: a rare skill of one's own function, on the learning list and a goal.
    for q in subjects((s.level >= 2) & (s.level <= 5)):
        f, lq = int(s.function[q]), int(s.level[q])
        focus = str(rng.choice(s.pools[f][len(s.pools[f]) // 2 :]))
        s.skills[q].pop(focus, None)
        s.learning[q][focus] = 1
        s.goals[q] = [Goal(f"Master {focus}", frozenset({focus}))]
        banned = {q} | s.chain(q) | s.mentors[q]
        near = (s.function == f) & (s.level > lq) & (s.level <= lq + 3)
        for c in recruit(near, banned, PLANTED_FITS):
            s.skills[c][focus] = int(rng.integers(4, 6))
            s.open_mentor[c] = True
            s.capacity[c] = max(int(s.capacity[c]), 2)
            s.mentees[c] = min(int(s.mentees[c]), int(s.capacity[c]) - 1)
        for c in recruit(near, banned, 3):  # shallow: can't really teach it
            s.skills[c][focus] = int(rng.integers(1, 3))
        for c in recruit(near, banned, 2):  # strong but closed to mentoring
            s.skills[c][focus] = 5
            s.open_mentor[c] = False
        if s.manager[q] >= 0:  # strong but the subject's own manager
            s.skills[int(s.manager[q])][focus] = 5
        truth[(q, "mentor")] = {}

    # Reverse mentor: an emerging skill; on the learning list only half the time.
    for q in subjects(s.level >= 6):
        f, lq = int(s.function[q]), int(s.level[q])
        focus = str(rng.choice(s.emerging[f]))
        s.skills[q].pop(focus, None)
        if rng.random() < 0.5:
            s.learning[q][focus] = 1
        banned = {q} | s.chain(q) | s.mentors[q]
        juniors = (s.function == f) & (s.level <= lq - 2)
        for c in recruit(juniors, banned, PLANTED_FITS):
            s.skills[c][focus] = int(rng.integers(4, 6))
            s.open_reverse[c] = True
        truth[(q, "reverse_mentor")] = {"focus": focus}

    # Cross-functional: a goal that targets another function and one of its skills.
    for q in subjects(s.function == 0):
        other = int(rng.integers(1, len(s.names)))
        focus = str(rng.choice(s.pools[other][:40]))
        s.goals[q] = [
            Goal(
                f"Work with {s.names[other]} on {focus}",
                frozenset({focus}),
                frozenset({s.names[other]}),
            )
        ]
        for c in recruit(s.function == other, {q}, PLANTED_FITS):
            s.skills[c][focus] = int(rng.integers(3, 6))
        truth[(q, "cross_functional")] = {"focus": focus}

    _grade(s, truth)


def _grade(s: _State, truth: dict) -> None:
    """Grade 2: eligible and strong in the planted focus; 1: eligible and strong in a want.

    For reverse mentoring a "want" includes the emerging skills of the senior's function that
    they do not hold: the generator knows which skills are new, the engine has to infer it.
    """
    mentor_ok = s.active & s.open_mentor & (s.mentees < s.capacity)
    for (q, purpose), slot in list(truth.items()):
        f, lq = int(s.function[q]), int(s.level[q])
        focus = slot.pop("focus", None)
        wants = set(s.learning[q]) | {x for g in s.goals[q] for x in g.skills}
        banned = {q} | s.chain(q) | s.mentors[q]
        if purpose == "mentor":
            focus = next(iter(s.goals[q][0].skills))
            mask = mentor_ok & (s.level > lq) & (s.level <= lq + 4)
        elif purpose == "reverse_mentor":
            # What the senior wants, and the new technologies of their function they lack.
            wants |= {focus} | {x for x in s.emerging[f] if x not in s.skills[q]}
            mask = s.active & s.open_reverse & (s.level < lq)
        else:
            mask = s.active & (s.function != f)
        grades = {}
        for c in np.flatnonzero(mask).tolist():
            if c in banned:
                continue
            theirs = s.skills[c]
            if purpose == "cross_functional":
                target = s.names[int(s.function[c])] in s.goals[q][0].functions
                if target and theirs.get(focus, 0) >= 3:
                    grades[c] = 2
                elif target and any(theirs.get(x, 0) >= 3 for x in s.skills[q]):
                    grades[c] = 1
            else:
                gap = 2 if purpose == "mentor" else 3
                if theirs.get(focus, 0) >= 4 and theirs[focus] >= s.skills[q].get(focus, 0) + gap:
                    grades[c] = 2
                elif any(
                    theirs.get(x, 0) >= 4 and theirs[x] >= s.skills[q].get(x, 0) + gap
                    for x in wants
                ):
                    grades[c] = 1
        truth[(q, purpose)] = grades
