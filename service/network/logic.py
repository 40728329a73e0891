"""What people ask of the influence map: their own map, warm intro paths, a skill's landscape,
and the analysts' aggregate views. Measures come from storage (the latest snapshot); ties are
read around the few people a request is about, never the whole graph.

Privacy: a member reads only their own map and paths. Another pair's tie appears only as one
hop of a path through them, showing that it exists and the month of its last contact (and a
reporting line, which the directory shows anyway), never its strength or any note. Analyst
views are aggregates that hide every group smaller than the anonymity threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from matching.graph import Path, warmest_paths
from service.auth import Caller
from service.errors import Forbidden, Invalid, NotFound
from service.goals.models import Goal, goal_skills
from service.network.models import DecisionMaker, NetworkSnapshot, PersonMetrics
from service.network.ties import Evidence, adjacency, ties_between
from service.people.models import Person, PersonLearning, PersonSkill
from service.skills.logic import find as find_skills
from service.skills.logic import normalize as normalize_skill

# How many people each list of the personal map shows.
SHOWN = 5


def authorize_own(caller: Caller, person_id: str, what: str) -> None:
    """A member reads only their own map; admins read anyone's."""
    if caller.is_member and not caller.is_person(person_id):
        raise Forbidden(f"A member token reads only its own {what}.")


def latest_snapshot(session: Session) -> NetworkSnapshot | None:
    """The latest computation of the metrics, or None before the first."""
    return session.scalars(
        select(NetworkSnapshot)
        .order_by(NetworkSnapshot.computed_at.desc(), NetworkSnapshot.id.desc())
        .limit(1)
    ).first()


def require_snapshot(session: Session) -> NetworkSnapshot:
    """The latest snapshot, or a 404 saying how to compute one."""
    snapshot = latest_snapshot(session)
    if snapshot is None:
        raise NotFound(
            "The influence map has not been computed yet: an admin runs "
            "`rapport network compute` (or waits for the scheduled computation)."
        )
    return snapshot


@dataclass(frozen=True)
class PersonCard:
    """Who someone is, as the influence map shows them."""

    id: str
    name: str
    title: str | None
    function: str
    division: str | None
    team: str | None
    level: int

    @property
    def first_name(self) -> str:
        """The first word of the name."""
        return self.name.split()[0] if self.name.split() else self.name


CARDS = select(
    Person.id,
    Person.name,
    Person.title,
    Person.function,
    Person.division,
    Person.team,
    Person.level,
).where(Person.id.in_(bindparam("ids", expanding=True)), Person.active)


def cards(session: Session, ids: Collection[str]) -> dict[str, PersonCard]:
    """The active people among ``ids``, in one query."""
    if not ids:
        return {}
    rows = session.execute(CARDS, {"ids": sorted(ids)})
    return {row.id: PersonCard(*row) for row in rows}


def _require_active(session: Session, person_id: str) -> PersonCard:
    card = cards(session, {person_id}).get(person_id)
    if card is None:
        raise NotFound("No active person has this id.")
    return card


def _month(at: datetime | None) -> str | None:
    return at.strftime("%Y-%m") if at else None


def _month_words(at: datetime) -> str:
    return at.strftime("%B %Y")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def own_evidence(tie: Evidence, me: str, other: PersonCard) -> str:
    """Explain one of the person's own ties from its evidence (never from notes)."""
    parts = []
    if tie.interactions:
        assert tie.first_contact_at and tie.last_contact_at
        text = f"you met {other.first_name} {_times(tie.interactions)}"
        if tie.interactions > 1:
            text += f" since {_month_words(tie.first_contact_at)}"
        text += f" (last in {_month_words(tie.last_contact_at)})"
        parts.append(text)
    if tie.mentorship:
        mentor_is_me = tie.mentor_id == me
        if tie.mentorship == "active":
            parts.append(
                f"you mentor {other.first_name}"
                if mentor_is_me
                else f"{other.first_name} mentors you"
            )
        else:
            parts.append(
                f"you mentored {other.first_name}"
                if mentor_is_me
                else f"{other.first_name} mentored you"
            )
    if tie.manager_id:
        parts.append(
            f"{other.first_name} reports to you"
            if tie.manager_id == me
            else f"{other.first_name} is your manager"
        )
    return "; ".join(parts)


def third_party_evidence(tie: Evidence, left: PersonCard, right: PersonCard) -> str:
    """Explain a tie between two other people: that it exists, and its last month only."""
    if tie.manager_id:
        report, manager = (left, right) if tie.manager_id == right.id else (right, left)
        return f"{report.first_name} reports to {manager.first_name}"
    text = f"{left.first_name} and {right.first_name} know each other"
    if tie.last_contact_at:
        text += f" (last contact {_month_words(tie.last_contact_at)})"
    return text


def _card(card: PersonCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "name": card.name,
        "title": card.title,
        "function": card.function,
        "division": card.division,
        "team": card.team,
        "level": card.level,
    }


def explain_path(
    path: Path, ties: dict[tuple[str, str], Evidence], people: dict[str, PersonCard]
) -> list[dict[str, Any]]:
    """The hops of a path, each explained; only the source's own hop shows its strength."""
    source = path.people[0]
    hops = []
    for (a, b), weight in zip(
        zip(path.people, path.people[1:], strict=False), path.weights, strict=True
    ):
        tie = ties[(a, b) if a < b else (b, a)]
        own = a == source
        hops.append(
            {
                "from_": _card(people[a]),
                "to": _card(people[b]),
                "evidence": own_evidence(tie, source, people[b])
                if own
                else third_party_evidence(tie, people[a], people[b]),
                "kinds": tie.kinds if own else (["reporting"] if tie.manager_id else []),
                "last_contact_month": _month(tie.last_contact_at),
                "strength": round(weight, 4) if own else None,
            }
        )
    return hops


# -- intro paths --------------------------------------------------------------------------


def intro_path(
    session: Session, caller: Caller, person_id: str, to: str, now: datetime
) -> dict[str, Any]:
    """The warmest path of at most three hops from ``person_id`` to ``to``, explained."""
    authorize_own(caller, person_id, "intro paths")
    _require_active(session, person_id)
    if to == person_id:
        raise Invalid(
            "to: give someone other than the person.",
            errors=[{"parameter": "to", "in": "query", "detail": "Must be another person."}],
        )
    if to not in cards(session, {to}):
        raise NotFound("No active person has the id given as `to`.")
    ends = ties_between(session, {person_id, to}, None, now)
    weights = adjacency(ends.values())
    near_me = set(weights.get(person_id, {})) - {to}
    near_them = set(weights.get(to, {})) - {person_id}
    middle = ties_between(session, near_me, near_them, now)
    ties = {**ends, **middle}
    path = warmest_paths(adjacency(ties.values()), person_id, [to], max_hops=3).get(to)
    if path is None:
        raise NotFound(
            "No warm path of at most three hops leads to this person: ask for "
            "cross-functional recommendations, or meet them at an event."
        )
    people = cards(session, set(path.people))
    return {
        "person_id": person_id,
        "to": to,
        "hops": path.hops,
        "path": explain_path(path, ties, people),
    }


# -- the personal map ---------------------------------------------------------------------


@dataclass
class Neighbourhood:
    """A person's ties and their contacts' ties: everything within two hops."""

    person_id: str
    ties: dict[tuple[str, str], Evidence]
    weights: dict[str, dict[str, float]]
    first: set[str]
    second: set[str]

    def via(self, target: str) -> str | None:
        """The contact through whom a second-hop person is reached most warmly."""
        mine = self.weights.get(self.person_id, {})
        best = None
        for contact, weight in self.weights.get(target, {}).items():
            if contact in mine:
                key = (min(weight, mine[contact]), contact)
                best = max(best, key) if best else key
        return best[1] if best else None


def neighbourhood(session: Session, person_id: str, now: datetime) -> Neighbourhood:
    """Read the ties within two hops of a person (two set-wise reads of each kind of tie)."""
    mine = ties_between(session, {person_id}, None, now)
    # Only ties with some weight left: a tie whose every interaction is decades old counts
    # for nothing (its strength underflows to 0).
    first = set(adjacency(mine.values()).get(person_id, {}))
    around = ties_between(session, first, None, now)
    ties = {**around, **mine}
    weights = adjacency(ties.values())
    second = {x for a in first for x in weights.get(a, {})} - first - {person_id}
    return Neighbourhood(person_id, ties, weights, first, second)


@dataclass(frozen=True)
class Standing:
    """Where someone stands, as the lists of a map rank them."""

    influence: float
    influence_percentile: float
    betweenness: float
    brokerage_percentile: float


STANDINGS = select(
    PersonMetrics.person_id,
    PersonMetrics.influence,
    PersonMetrics.influence_percentile,
    PersonMetrics.betweenness,
    PersonMetrics.brokerage_percentile,
).where(PersonMetrics.person_id.in_(bindparam("ids", expanding=True)))


def standings(session: Session, ids: Collection[str]) -> dict[str, Standing]:
    """The stored standing of each of ``ids`` that has one (one query, no ORM objects)."""
    if not ids:
        return {}
    return {row[0]: Standing(*row[1:]) for row in session.execute(STANDINGS, {"ids": sorted(ids)})}


def measures_of(metrics: PersonMetrics | None) -> dict[str, Any] | None:
    """One person's stored measures, as the API shows them."""
    if metrics is None:
        return None
    return {
        "influence": metrics.influence,
        "influence_percentile": metrics.influence_percentile,
        "betweenness": metrics.betweenness,
        "brokerage_percentile": metrics.brokerage_percentile,
        "constraint": metrics.constraint,
        "effective_size": metrics.effective_size,
        "ties": metrics.ties,
        "divisions_bridged": metrics.divisions_bridged,
        "reach_people": metrics.reach_people,
        "reach_divisions": metrics.reach_divisions,
        "community": metrics.community,
    }


def flag_decision_maker(session: Session, person_id: str, note: str | None) -> None:
    """Count an active person as a decision-maker from the next computation on."""
    _require_active(session, person_id)
    flag = session.get(DecisionMaker, person_id)
    if flag is None:
        session.add(DecisionMaker(person_id=person_id, note=note))
    else:
        flag.note = note
    session.flush()


def unflag_decision_maker(session: Session, person_id: str) -> bool:
    """Stop counting a person as flagged; return whether they were."""
    flag = session.get(DecisionMaker, person_id)
    if flag is not None:
        session.delete(flag)
        session.flush()
    return flag is not None


def decision_functions(session: Session, decision_level: int) -> list[str]:
    """The functions that have at least one active decision-maker."""
    flagged = select(DecisionMaker.person_id)
    return sorted(
        session.scalars(
            select(Person.function)
            .where(
                Person.active,
                or_(Person.level >= decision_level, Person.id.in_(flagged)),
            )
            .distinct()
        )
    )


def influence_map(
    session: Session, caller: Caller, person_id: str, now: datetime, decision_level: int
) -> dict[str, Any]:
    """A person's own map: strongest ties, who is within reach, the way to decision-makers."""
    authorize_own(caller, person_id, "influence map")
    me = _require_active(session, person_id)
    snapshot = latest_snapshot(session)
    near = neighbourhood(session, person_id, now)
    people = cards(session, near.first | near.second | {person_id})
    metrics = standings(session, set(people))
    mine = near.weights.get(person_id, {})

    strongest = sorted(
        (c for c in near.first if c in people), key=lambda c: (-mine[c], people[c].name, c)
    )[:SHOWN]
    strongest_ties = []
    for contact in strongest:
        tie = near.ties[(person_id, contact) if person_id < contact else (contact, person_id)]
        strongest_ties.append(
            {
                "person": _card(people[contact]),
                "strength": round(mine[contact], 4),
                "kinds": tie.kinds,
                "last_contact_month": _month(tie.last_contact_at),
                "evidence": own_evidence(tie, person_id, people[contact]),
            }
        )

    def within_reach(measure: str) -> list[dict[str, Any]]:
        reachable = [p for p in (near.first | near.second) if p in metrics and p in people]
        ranked = sorted(reachable, key=lambda p: (-getattr(metrics[p], measure), p))[:SHOWN]
        out = []
        for pid in ranked:
            via = None if pid in near.first else near.via(pid)
            out.append(
                {
                    "person": _card(people[pid]),
                    "hops": 1 if pid in near.first else 2,
                    "via": _card(people[via]) if via in people else None,
                    "influence_percentile": metrics[pid].influence_percentile,
                    "brokerage_percentile": metrics[pid].brokerage_percentile,
                }
            )
        return out

    own = session.get(PersonMetrics, person_id)
    hops = own.decision_hops if own else {}
    if snapshot is not None:
        # What the job saw: no scan of the directory on each request.
        functions = snapshot.decision_functions
        all_divisions = set(snapshot.divisions.get("all", {}).get("divisions", []))
    else:
        functions = decision_functions(session, decision_level)
        all_divisions = set(
            session.scalars(
                select(Person.division)
                .where(Person.active, Person.division.is_not(None))
                .distinct()
            )
        )
    decision_makers = [{"function": f, "hops": hops.get(f)} for f in functions]
    reached = {people[p].division for p in people if people[p].division}
    unreachable = sorted(all_divisions - reached)
    return {
        "person_id": person_id,
        "computed_at": snapshot.computed_at if snapshot else None,
        "measures": measures_of(own),
        "strongest_ties": strongest_ties,
        "influencers_within_reach": within_reach("influence"),
        "brokers_within_reach": within_reach("betweenness"),
        "decision_makers": decision_makers,
        "unreachable_divisions": unreachable,
        "next_step": _next_step(me, near, people, metrics, unreachable),
    }


def _next_step(
    me: PersonCard,
    near: Neighbourhood,
    people: dict[str, PersonCard],
    metrics: dict[str, Standing],
    unreachable: list[str],
) -> str:
    """One introduction to ask for: a contact who bridges to a division (or function) new to
    the person, naming whom to meet there (the warmest such bridge; the more influential
    person on its far side when equally warm)."""
    if not near.first:
        return "You have no ties yet: log your conversations, and ask for recommendations."
    mine = near.weights[me.id]
    direct = [people[c] for c in near.first if c in people] + [me]
    known_divisions = {p.division for p in direct if p.division}
    known_functions = {p.function for p in direct}
    best: tuple | None = None
    for contact in near.first:
        if contact not in people:
            continue
        for target, weight in near.weights.get(contact, {}).items():
            if target not in near.second or target not in people:
                continue
            card = people[target]
            if card.division and card.division not in known_divisions:
                group = card.division
            elif card.function not in known_functions:
                group = card.function.title()
            else:
                continue
            influence = metrics[target].influence if target in metrics else 0.0
            key = (min(weight, mine[contact]), influence, target, contact, group)
            best = max(best, key) if best else key
    if best is not None:
        _warmth, _influence, target, contact, group = best
        bridge = people[contact]
        return (
            f"{bridge.name} bridges you to {group}: ask {bridge.first_name} for an "
            f"introduction to {people[target].name}."
        )
    if unreachable:
        return (
            f"Nobody within two steps of you works in {unreachable[0]}: ask for "
            "cross-functional recommendations there."
        )
    return "Your network reaches every division within two steps: keep your ties warm."


# -- the landscape of a skill -------------------------------------------------------------

EXPERT_LEVEL = 4
PRACTITIONER_LEVEL = 2


def skill_landscape(
    session: Session,
    caller: Caller,
    skill_name: str,
    now: datetime,
    *,
    min_group: int,
    offset: int,
    limit: int,
) -> tuple[dict[str, Any], int]:
    """The teams that hold or are learning a skill, largest first, with a warm path to each.

    Experts hold it at level 4–5, practitioners at 2–3; explorers hold it at level 1, have it
    on their learning list or target it in an active goal. A team is shown when it has at
    least ``min_group`` active people. The path (members only) leads from the caller to the
    team's most warmly reached person involved with the skill, in at most three hops.
    """
    skill = find_skills(session, [skill_name]).get(normalize_skill(skill_name))
    if skill is None:
        raise NotFound("No skill has this name or alias.")
    role: dict[str, str] = {}
    for person_id, level in session.execute(
        select(PersonSkill.person_id, PersonSkill.level).where(PersonSkill.skill_id == skill.id)
    ):
        role[person_id] = (
            "expert"
            if level >= EXPERT_LEVEL
            else "practitioner"
            if level >= PRACTITIONER_LEVEL
            else "explorer"
        )
    explorers = session.scalars(
        select(PersonLearning.person_id).where(PersonLearning.skill_id == skill.id)
    ).all()
    goal_people = session.scalars(
        select(Goal.person_id)
        .join(goal_skills, goal_skills.c.goal_id == Goal.id)
        .where(goal_skills.c.skill_id == skill.id, Goal.status == "active")
    ).all()
    for person_id in [*explorers, *goal_people]:
        role.setdefault(person_id, "explorer")
    involved = cards(session, set(role))
    headcount = {
        (division, team): n
        for division, team, n in session.execute(
            select(Person.division, Person.team, func.count())
            .where(Person.active, Person.team.is_not(None))
            .group_by(Person.division, Person.team)
        )
    }
    teams: dict[tuple[str | None, str], dict[str, Any]] = {}
    for person_id, card in involved.items():
        if card.team is None:
            continue
        key = (card.division, card.team)
        if headcount.get(key, 0) < min_group:
            continue
        team = teams.setdefault(
            key,
            {
                "division": card.division,
                "team": card.team,
                "team_size": headcount[key],
                "experts": 0,
                "practitioners": 0,
                "explorers": 0,
                "people": 0,
                "members": [],
            },
        )
        team[role[person_id] + "s"] += 1
        team["people"] += 1
        team["members"].append(person_id)
    ordered = sorted(
        teams.values(),
        key=lambda t: (-t["people"], -t["experts"], t["division"] or "", t["team"]),
    )
    page = ordered[offset : offset + limit]
    paths: dict[str, Path] = {}
    ties: dict[tuple[str, str], Evidence] = {}
    source = caller.person_id if caller.is_member else None
    if source is not None and page:
        targets = {m for team in page for m in team["members"]} - {source}
        near = neighbourhood(session, source, now)
        last = ties_between(session, near.second | near.first, targets, now)
        ties = {**near.ties, **last}
        paths = warmest_paths(adjacency(ties.values()), source, targets, max_hops=3)
    path_people = cards(session, {p for path in paths.values() for p in path.people})
    for team in page:
        found = [paths[m] for m in team.pop("members") if m in paths]
        best = min(found, key=Path.key) if found else None
        team["path"] = explain_path(best, ties, path_people) if best else None
        team["hops"] = best.hops if best else None
    return {"skill": skill.name, "teams": page}, len(ordered)


# -- the analysts' views ------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which people an analyst view is about."""

    function: str | None = None
    division: str | None = None


def _filtered(query, filters: Filters):
    if filters.function:
        query = query.where(Person.function == filters.function)
    if filters.division:
        query = query.where(Person.division == filters.division)
    return query


def ranked_people(
    session: Session, measure: str, filters: Filters, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int, NetworkSnapshot]:
    """People ranked by a stored measure (``influence`` or ``betweenness``), highest first.

    For ``betweenness`` (the brokers), only people whose informal ties reach another division.
    """
    snapshot = require_snapshot(session)
    column = getattr(PersonMetrics, measure)
    query = (
        select(PersonMetrics, Person)
        .join(Person, Person.id == PersonMetrics.person_id)
        .where(Person.active)
    )
    if measure == "betweenness":
        query = query.where(PersonMetrics.divisions_bridged > 0)
    query = _filtered(query, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(column.desc(), Person.id).offset(offset).limit(limit)
    ).all()
    items = []
    for metrics, person in rows:
        card = PersonCard(
            person.id,
            person.name,
            person.title,
            person.function,
            person.division,
            person.team,
            person.level,
        )
        items.append({"person": _card(card), "measures": measures_of(metrics)})
    return items, total, snapshot


def _visible_counts(counts: dict[str, int], min_group: int) -> dict[str, int]:
    """The parts of a breakdown with at least ``min_group`` people; the rest as one "other"."""
    shown = {k: v for k, v in counts.items() if v >= min_group}
    rest = sum(counts.values()) - sum(shown.values())
    if rest:
        shown["other"] = rest
    return shown


def community_list(
    session: Session, filters: Filters, min_group: int, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int, NetworkSnapshot]:
    """The communities of at least ``min_group`` people, largest first (aggregates only).

    With a filter, the communities where at least ``min_group`` people of that function or
    division belong.
    """
    snapshot = require_snapshot(session)
    found = []
    for community in snapshot.communities:
        if community["size"] < min_group:
            continue
        if filters.function and community["functions"].get(filters.function, 0) < min_group:
            continue
        if filters.division and community["divisions"].get(filters.division, 0) < min_group:
            continue
        found.append(
            {
                "id": community["id"],
                "size": community["size"],
                "internal_ties": community["internal_ties"],
                "functions": _visible_counts(community["functions"], min_group),
                "divisions": _visible_counts(community["divisions"], min_group),
            }
        )
    return found[offset : offset + limit], len(found), snapshot


def division_matrix(snapshot: NetworkSnapshot, function: str | None) -> dict[str, Any]:
    """The stored tie matrix of every division, or of one function's people."""
    if function is None:
        return snapshot.divisions.get("all", {})
    return snapshot.divisions.get("by_function", {}).get(function, {})


def division_rows(
    session: Session, filters: Filters, min_group: int, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int, NetworkSnapshot]:
    """One row per division of at least ``min_group`` people: its ties inside and to each
    other such division, and how much of its tie strength stays inside (the silo index)."""
    snapshot = require_snapshot(session)
    matrix = division_matrix(snapshot, filters.function)
    names = matrix.get("divisions", [])
    people = matrix.get("people", [])
    visible = [i for i, name in enumerate(names) if people[i] >= min_group]
    rows = []
    for i in visible:
        if filters.division and names[i] != filters.division:
            continue
        strength = matrix["strength"][i]
        total = sum(strength)
        rows.append(
            {
                "division": names[i],
                "people": people[i],
                "ties_inside": matrix["ties"][i][i],
                "ties_outside": sum(matrix["ties"][i]) - matrix["ties"][i][i],
                "internal_share": round(strength[i] / total, 4) if total else None,
                "links": [
                    {
                        "division": names[j],
                        "ties": matrix["ties"][i][j],
                        "strength": strength[j],
                    }
                    for j in visible
                    if j != i
                ],
            }
        )
    return rows[offset : offset + limit], len(rows), snapshot


def people_in_reach(near: Neighbourhood, people: dict[str, PersonCard]) -> Counter:
    """How many second-hop people each division holds."""
    return Counter(people[p].division or "(none)" for p in near.second if p in people)
