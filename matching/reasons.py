"""Reasons a person can read: the concrete evidence behind one recommendation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .records import Person
from .scoring import PRIORITY_WEIGHTS, Network, Want, candidate_wants, skill_gap

MAX_SKILL_REASONS = 3


def _goals_phrase(titles: Sequence[str]) -> str:
    quoted = [f"'{title}'" for title in dict.fromkeys(titles)]
    if len(quoted) == 1:
        return f"your goal {quoted[0]}"
    return f"your goals {', '.join(quoted[:-1])} and {quoted[-1]}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _provenance(want: Want, function: str) -> str:
    parts = []
    if want.priority is not None:
        parts.append(f"on your learning list (priority {want.priority})")
    if want.goals:
        parts.append(f"on {_goals_phrase(want.goals)}")
    elif want.in_goal:
        parts.append("on the goal you asked about")
    if want.lack_share is not None:
        parts.append(
            f"new with the more junior people in {function}: "
            f"{round(100 * want.lack_share)}% of them hold it, you don't"
        )
    return " and ".join(parts)


def _teaching(person: Person, candidate: Person, wants: Mapping[str, Want]) -> list[str]:
    taught = []
    for skill, want in wants.items():
        level, held = candidate.skills.get(skill, 0), person.skills.get(skill, 0)
        if level > held:
            taught.append((want.weight * float(skill_gap(level, held)), skill, level, held, want))
    taught.sort(key=lambda item: (-item[0], item[1]))
    reasons = []
    for _, skill, level, held, want in taught[:MAX_SKILL_REASONS]:
        where = f"level {level}, you are at {held}" if held else f"level {level}"
        reasons.append(f"teaches {skill} ({where}) — {_provenance(want, person.function)}")
    if len(taught) > MAX_SKILL_REASONS:
        rest = [item[1] for item in taught[MAX_SKILL_REASONS:]]
        reasons.append(f"also teaches {', '.join(rest)}, which you want to learn")
    return reasons


def _seniority(purpose: str, person: Person, candidate: Person) -> str:
    gap = candidate.level - person.level
    if purpose == "mentor":
        return f"level {candidate.level}, {_count(gap, 'level')} above you"
    return f"level {candidate.level}, {_count(-gap, 'level')} below you — a fresh view"


def _cross(
    person: Person,
    candidate: Person,
    wants: Mapping[str, Want],
    targets: Mapping[str, Sequence[str]],
) -> list[str]:
    reasons = []
    function = candidate.function
    if function in targets:
        titles = targets[function]
        whose = _goals_phrase(titles) if titles else "the goal you asked about"
        verb = "targets" if len(set(titles)) <= 1 else "target"
        reasons.append(f"works in {function}, a function {whose} {verb}")
    mentioned = set()
    goal_skills = sorted(
        (skill for skill, want in wants.items() if want.in_goal and skill in candidate.skills),
        key=lambda skill: (-candidate.skills[skill], skill),
    )
    for skill in goal_skills[:2]:
        want = wants[skill]
        whose = _goals_phrase(want.goals) if want.goals else "the goal you asked about"
        reasons.append(f"works with {skill} (level {candidate.skills[skill]}), needed by {whose}")
        mentioned.add(skill)
    shared = sorted(
        (skill for skill in person.skills if skill in candidate.skills and skill not in mentioned),
        key=lambda skill: (-candidate.skills[skill], skill),
    )
    if shared:
        listed = ", ".join(f"{skill} (level {candidate.skills[skill]})" for skill in shared[:3])
        reasons.append(f"shares skills with you: {listed}")
        mentioned.update(shared[:3])
    learnable = sorted(
        (
            skill
            for skill, want in wants.items()
            if want.priority is not None and skill in candidate.skills and skill not in mentioned
        ),
        key=lambda skill: (wants[skill].priority, skill),
    )
    for skill in learnable[:2]:
        reasons.append(
            f"knows {skill} (level {candidate.skills[skill]}), which is on your learning list"
        )
    return reasons


def _network(person: Person, candidate: Person, network: Network) -> list[str]:
    reasons = []
    strength = network.direct.get(candidate.id)
    if strength:
        reasons.append(f"already in your network (tie strength {strength:.2f})")
    elif candidate.id in network.via:
        reasons.append(f"{network.via[candidate.id][0]} can introduce you: you both know them")
    if candidate.function != person.function and network.has_ties:
        share = network.function_share.get(candidate.function, 0.0)
        if share == 0.0:
            reasons.append(f"works in {candidate.function}, a function you have no ties with")
        elif share < 0.2:
            reasons.append(
                f"works in {candidate.function}, only {round(100 * share)}% of your ties"
            )
    return reasons


def _perspective(person: Person, candidate: Person) -> list[str]:
    reasons = []
    if candidate.division and candidate.division != person.division:
        reasons.append(f"from another division ({candidate.division})")
    if candidate.location and candidate.location != person.location:
        reasons.append(f"based in {candidate.location}")
    new = sorted(candidate.perspectives - person.perspectives)
    if new:
        reasons.append(f"brings perspectives you don't share: {', '.join(new[:3])}")
    return reasons


def _teach_back(person: Person, candidate: Person) -> list[str]:
    back = []
    for skill, code in candidate_wants(candidate).items():
        mine, theirs = person.skills.get(skill, 0), candidate.skills.get(skill, 0)
        if mine > theirs:
            back.append((PRIORITY_WEIGHTS[code] * float(skill_gap(mine, theirs)), skill))
    if not back:
        return []
    back.sort(key=lambda item: (-item[0], item[1]))
    names = [skill for _, skill in back[:2]]
    return [f"you can teach them {' and '.join(names)} in return"]


def explain(
    purpose: str,
    person: Person,
    candidate: Person,
    wants: Mapping[str, Want],
    targets: Mapping[str, Sequence[str]],
    network: Network,
) -> list[str]:
    """Plain-English reasons for recommending ``candidate`` to ``person`` for ``purpose``."""
    if purpose == "cross_functional":
        reasons = _cross(person, candidate, wants, targets)
    else:
        reasons = _teaching(person, candidate, wants)
        reasons.append(_seniority(purpose, person, candidate))
    reasons += _network(person, candidate, network)
    reasons += _perspective(person, candidate)
    reasons += _teach_back(person, candidate)
    if purpose == "mentor":
        free = candidate.mentor_capacity - candidate.active_mentees
        reasons.append(f"has {free} of {candidate.mentor_capacity} mentoring slots free")
    return reasons
