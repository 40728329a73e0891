"""A realistic synthetic company, generated deterministically from a seed.

`rapport demo load --people N --seed S` fills an empty database with divisions, teams with
managers, a skill taxonomy, people whose expertise clusters by team (with some rare skills),
learning wishes, goals, and a year of interactions whose styles vary: some people keep a few
deep ties, some lean on social messages, some collect contacts they never see again.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session
from ulid import ULID

from service import changes
from service.db import utcnow
from service.demo_taxonomy import EMERGING, FUNCTION_CATEGORIES, TAXONOMY, split
from service.events.demo import load_demo_event
from service.goals.models import Goal, goal_skills
from service.interactions.models import Interaction
from service.mentorships.models import Mentorship
from service.network import demo as network_demo
from service.outcomes import demo as outcomes_demo
from service.people.models import Person, PersonLearning, PersonSkill
from service.skills.models import Skill, SkillAlias

FUNCTION_SHARES = {
    "engineering": 0.44,
    "product": 0.07,
    "design": 0.05,
    "data": 0.08,
    "sales": 0.1,
    "marketing": 0.06,
    "operations": 0.06,
    "finance": 0.04,
    "people": 0.03,
    "legal": 0.02,
    "support": 0.05,
}
DIVISIONS = ("Payments", "Commerce", "Platform", "Data & AI", "Growth", "Customer", "Corporate")
# Functions that live mostly in the corporate division rather than in product divisions.
CORPORATE_FUNCTIONS = {"finance", "people", "legal"}
LOCATIONS = {
    "Lisbon": "Europe/Lisbon",
    "Berlin": "Europe/Berlin",
    "London": "Europe/London",
    "New York": "America/New_York",
    "Austin": "America/Chicago",
    "Toronto": "America/Toronto",
    "São Paulo": "America/Sao_Paulo",
    "Bangalore": "Asia/Kolkata",
    "Singapore": "Asia/Singapore",
    "Remote": "UTC",
}
LOCAL_LANGUAGE = {
    "Lisbon": "pt",
    "Berlin": "de",
    "São Paulo": "pt-BR",
    "Bangalore": "hi",
    "Toronto": "fr",
}
PERSPECTIVES = (
    "computer science degree",
    "self-taught",
    "bootcamp graduate",
    "career changer",
    "phd",
    "military veteran",
    "first-generation professional",
    "ex-retail",
    "ex-banking",
    "ex-healthcare",
    "ex-gaming",
    "ex-consulting",
    "ex-startup founder",
    "ex-public sector",
    "ex-telecom",
    "ex-agency",
    "open source maintainer",
    "parent returner",
    "international hire",
    "non-native english speaker",
)
FIRST_NAMES = (
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Ken",
    "Barbara",
    "Dennis",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Katherine",
    "Guido",
    "Hedy",
    "Donald",
    "Shafi",
    "John",
    "Sophie",
    "Yukihiro",
    "Annie",
    "Bjarne",
    "Karen",
    "Leslie",
    "Joan",
    "Vint",
    "Mary",
    "Niklaus",
    "Anita",
    "James",
    "Lin",
    "Wei",
    "Priya",
    "Arjun",
    "Aisha",
    "Omar",
    "Fatima",
    "Kofi",
    "Amara",
    "Chen",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Lucas",
    "Gabriela",
    "Mateus",
    "Beatriz",
    "Ingrid",
    "Lars",
    "Astrid",
    "Mateo",
    "Lucía",
    "Diego",
    "Sofia",
    "Noah",
    "Emma",
    "Liam",
    "Olivia",
    "Zara",
    "Ravi",
    "Ananya",
    "Tomás",
    "Inês",
    "João",
    "Marta",
    "Pedro",
    "Helga",
    "Klaus",
    "Ngozi",
    "Chidi",
    "Tariq",
    "Leila",
    "Sven",
    "Freya",
    "Kai",
    "Nia",
    "Elif",
    "Emre",
)
LAST_NAMES = (
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Johnson",
    "van Rossum",
    "Lamarr",
    "Knuth",
    "Goldwasser",
    "McCarthy",
    "Wilson",
    "Matsumoto",
    "Easley",
    "Stroustrup",
    "Sparck Jones",
    "Lamport",
    "Clarke",
    "Cerf",
    "Keller",
    "Wirth",
    "Borg",
    "Gosling",
    "Zhang",
    "Wang",
    "Sharma",
    "Patel",
    "Khan",
    "Haddad",
    "Mensah",
    "Okafor",
    "Li",
    "Tanaka",
    "Sato",
    "Silva",
    "Santos",
    "Costa",
    "Pereira",
    "Andersen",
    "Nielsen",
    "Garcia",
    "Martinez",
    "Rossi",
    "Müller",
    "Schmidt",
    "Dubois",
    "Nowak",
    "Kowalski",
    "Yilmaz",
    "Demir",
    "Adeyemi",
    "Nakamura",
    "Kim",
    "Park",
    "Nguyen",
    "Oliveira",
    "Fernandes",
    "Ferreira",
)
NOUNS = {
    "engineering": "Engineer",
    "product": "Product Manager",
    "design": "Designer",
    "data": "Data Scientist",
    "sales": "Account Executive",
    "marketing": "Marketing Manager",
    "operations": "Operations Manager",
    "finance": "Financial Analyst",
    "people": "People Partner",
    "legal": "Counsel",
    "support": "Support Specialist",
}
LEVEL_PREFIX = {1: "Junior", 2: "", 3: "Senior", 4: "Staff", 5: "Senior Staff", 6: "Principal"}
TEAM_WORDS = (
    "Atlas",
    "Beacon",
    "Compass",
    "Delta",
    "Ember",
    "Falcon",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orbit",
    "Pioneer",
    "Quartz",
    "Ridge",
    "Summit",
    "Tidal",
    "Umbra",
    "Vertex",
    "Willow",
    "Zephyr",
)
# Interaction styles and their mix: the pitfalls of networking are built into the data.
STYLES = {"deep": 0.3, "balanced": 0.35, "social": 0.15, "hubbub": 0.2}
KIND_WEIGHTS = {
    "deep": {
        "coffee_chat": 4,
        "meeting": 4,
        "video_call": 3,
        "message": 2,
        "social_message": 0.5,
        "event": 0.5,
        "mentoring_session": 2,
    },
    "balanced": {
        "coffee_chat": 3,
        "meeting": 4,
        "video_call": 3,
        "message": 3,
        "social_message": 1,
        "event": 1,
        "mentoring_session": 1,
    },
    "social": {
        "coffee_chat": 0.5,
        "meeting": 1,
        "video_call": 0.5,
        "message": 1,
        "social_message": 7,
        "event": 0.5,
        "mentoring_session": 0,
    },
    "hubbub": {
        "coffee_chat": 1,
        "meeting": 1,
        "video_call": 0.5,
        "message": 1,
        "social_message": 2,
        "event": 5,
        "mentoring_session": 0,
    },
}
EXCHANGES = ("advice", "introduction", "resource", "help", "feedback", "expertise")
NOTES = (
    "Wants to hear how we run game days.",
    "Offered to introduce me to their director.",
    "Follow up with the article on event sourcing.",
    "Struggling with hiring; shared our rubric.",
    "Interested in pairing on the migration.",
    "Asked for feedback on their design doc.",
    "Knows the pricing model inside out.",
    "Suggested a reading list on negotiation.",
)


@dataclass
class _Team:
    name: str
    division: str
    function: str
    stack: list[str]
    lead_id: str | None = None
    members: list[str] = field(default_factory=list)


class DemoCompany:
    """Generates the rows of a synthetic company; the same seed gives the same company."""

    def __init__(self, people: int, seed: int, now: datetime | None = None) -> None:
        self.size = people
        self.rng = random.Random(seed)
        self.now = now or utcnow()
        self._id_clock = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp() * 1000)
        self.skills: dict[str, str] = {}  # name -> id
        self.category_skills: dict[str, list[str]] = {}

    def new_id(self, prefix: str) -> str:
        """Return a ULID-shaped id drawn from the seeded generator (reproducible)."""
        self._id_clock += 1
        raw = self._id_clock.to_bytes(6, "big") + self.rng.randbytes(10)
        return f"{prefix}_{ULID.from_bytes(raw)}"

    # -- the taxonomy ---------------------------------------------------------------------
    def taxonomy_rows(self) -> tuple[list[dict], list[dict]]:
        """Return the rows of skills and of their aliases."""
        skills, aliases = [], []
        for category, entries in TAXONOMY.items():
            names = []
            for entry in entries:
                name, alias_names = split(entry)
                skill_id = self.new_id("skl")
                self.skills[name] = skill_id
                names.append(name)
                skills.append(
                    {
                        "id": skill_id,
                        "name": name,
                        "category": category,
                        "created_at": self.now,
                        "updated_at": self.now,
                        "version": 1,
                    }
                )
                aliases.extend({"alias": a, "skill_id": skill_id} for a in alias_names)
            self.category_skills[category] = names
        return skills, aliases

    def _popular(self, names: list[str], k: int) -> list[str]:
        # Zipf-like: the first skills of a category are common, the last ones rare.
        weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(names))]
        chosen: list[str] = []
        while len(chosen) < min(k, len(names)):
            pick = self.rng.choices(names, weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        return chosen

    # -- the organisation -----------------------------------------------------------------
    def _teams(self) -> list[_Team]:
        teams = []
        n_teams = max(1, self.size // 8)
        functions = list(FUNCTION_SHARES)
        shares = list(FUNCTION_SHARES.values())
        for i in range(n_teams):
            function = (
                self.rng.choices(functions, shares)[0] if i >= len(functions) else functions[i]
            )
            if function in CORPORATE_FUNCTIONS:
                division = "Corporate"
            else:
                division = self.rng.choice(DIVISIONS[:-1])
            stack: list[str] = []
            for category in FUNCTION_CATEGORIES[function][:3]:
                stack.extend(self._popular(self.category_skills[category], self.rng.randint(2, 4)))
            word = TEAM_WORDS[i % len(TEAM_WORDS)]
            teams.append(_Team(f"{word} {i // len(TEAM_WORDS) + 1}", division, function, stack))
        return teams

    @staticmethod
    def title(function: str, level: int) -> str:
        """Return a job title for a function and a level."""
        noun = NOUNS[function]
        if level >= 8:
            return f"VP of {function.title()}"
        if level == 7:
            return f"Director of {function.title()}"
        prefix = LEVEL_PREFIX[level]
        if function == "engineering" and level >= 4:
            noun = "Engineer"
        return f"{prefix} {noun}".strip()

    def people(self) -> Iterator[tuple[dict, list[dict], list[dict]]]:
        """Yield each person's row with the rows of their skills and learning wishes."""
        used_emails: set[str] = set()
        teams = self._teams()
        self.teams = teams
        self.people_by_id: dict[str, dict] = {}
        # Leaders first, so that everyone's manager exists before them.
        ceo_id = self.new_id("per")
        division_heads: dict[str, str] = {}
        directors: dict[tuple[str, str], str] = {}
        order: list[tuple[str, str, str | None, _Team | None, int]] = [
            ("ceo", ceo_id, None, None, 8)
        ]
        for division in DIVISIONS:
            head_id = self.new_id("per")
            division_heads[division] = head_id
            order.append(("head", head_id, ceo_id, None, 8))
        for team in teams:
            key = (team.division, team.function)
            if key not in directors:
                directors[key] = self.new_id("per")
                order.append(("director", directors[key], division_heads[team.division], team, 7))
        for team in teams:
            team.lead_id = self.new_id("per")
            order.append(
                (
                    "lead",
                    team.lead_id,
                    directors[(team.division, team.function)],
                    team,
                    self.rng.choice((5, 6)),
                )
            )
        remaining = max(0, self.size - len(order))
        for i in range(remaining):
            team = teams[i % len(teams)]
            level = self.rng.choices((1, 2, 3, 4, 5), (0.18, 0.3, 0.28, 0.16, 0.08))[0]
            order.append(("member", self.new_id("per"), team.lead_id, team, level))
        for role, person_id, manager_id, team, level in order[: self.size]:
            if team is None:
                team = self.rng.choice(teams)
                function = "operations" if role == "ceo" else team.function
            else:
                function = team.function
            yield self._person(role, person_id, manager_id, team, function, level, used_emails)

    def _person(self, role, person_id, manager_id, team, function, level, used_emails):
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email, n = f"{base}@example.com", 1
        while email in used_emails:
            n += 1
            email = f"{base}{n}@example.com"
        used_emails.add(email)
        location = rng.choice(list(LOCATIONS))
        languages = ["en"] + (
            [LOCAL_LANGUAGE[location]] if location in LOCAL_LANGUAGE and rng.random() < 0.7 else []
        )
        division = (
            team.division
            if role not in ("ceo", "head")
            else ("Corporate" if role == "ceo" else team.division)
        )
        title = {"ceo": "Chief Executive Officer", "head": f"Head of {division}"}.get(
            role
        ) or self.title(function, level)
        created = self.now - timedelta(days=rng.randint(400, 2000))
        person = {
            "id": person_id,
            "external_id": f"E-{10000 + len(used_emails)}",
            "email": email,
            "email_key": email,
            "name": f"{first} {last}",
            "title": title,
            "function": function,
            "level": level,
            "division": division,
            "team": team.name if role in ("lead", "member") else None,
            "location": location,
            "timezone": LOCATIONS[location],
            "manager_id": manager_id,
            "languages": languages,
            "perspectives": sorted(rng.sample(PERSPECTIVES, rng.randint(1, 3))),
            "open_to_mentor": level >= 4 and rng.random() < 0.45,
            "mentor_capacity": rng.randint(1, 3) if level >= 4 else 0,
            "open_to_reverse_mentor": level <= 4 and rng.random() < 0.35,
            "seeking_mentor": rng.random() < 0.35,
            "active": rng.random() > 0.02,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        held = self._held_skills(team, function, level)
        skill_rows = [
            {"person_id": person_id, "skill_id": self.skills[name], "level": lvl, "position": i}
            for i, (name, lvl) in enumerate(held.items())
        ]
        wanted = self._wanted_skills(function, level, held)
        learning_rows = [
            {
                "person_id": person_id,
                "skill_id": self.skills[name],
                "priority": priority,
                "position": i,
            }
            for i, (name, priority) in enumerate(wanted.items())
        ]
        if role == "member":
            team.members.append(person_id)
        person["_team"] = team
        person["_held"] = held
        person["_wanted"] = wanted
        self.people_by_id[person_id] = person
        return person, skill_rows, learning_rows

    def _held_skills(self, team: _Team, function: str, level: int) -> dict[str, int]:
        rng = self.rng
        held: dict[str, int] = {}
        n = rng.randint(4, 9)
        pool_team = team.stack
        categories = FUNCTION_CATEGORIES[function]
        while len(held) < n:
            roll = rng.random()
            if roll < 0.6:
                name = rng.choice(pool_team)
            elif roll < 0.92:
                category = rng.choice(categories)
                name = self._popular(self.category_skills[category], 1)[0]
            else:  # the rare skill someone picked up on their own
                name = rng.choice(rng.choice(list(self.category_skills.values())))
            if name in held:
                continue
            base = 1 + level * 0.5 + rng.gauss(0, 0.8)
            if name in EMERGING:
                base = 2 + (6 - level) * 0.5 + rng.gauss(0, 0.8)  # the juniors know the new things
            held[name] = max(1, min(5, round(base)))
        if "leadership" not in categories and level >= 5:
            held.setdefault("mentoring", min(5, level - 2))
        return held

    def _wanted_skills(self, function: str, level: int, held: dict[str, int]) -> dict[str, int]:
        rng = self.rng
        wanted: dict[str, int] = {}
        n = rng.randint(1, 4)
        attempts = 0
        while len(wanted) < n and attempts < 40:
            attempts += 1
            roll = rng.random()
            if level >= 4 and roll < 0.35:
                name = rng.choice(EMERGING)  # the technology a senior person missed
            elif roll < 0.7:
                category = rng.choice(FUNCTION_CATEGORIES[function])
                name = self._popular(self.category_skills[category], 1)[0]
            else:  # understanding the business, or the craft next door
                category = rng.choice(
                    ("product", "finance", "sales", "leadership", "data", "design")
                )
                name = rng.choice(self.category_skills[category])
            if name in held and held[name] >= 3 or name in wanted:
                continue
            wanted[name] = rng.choices((1, 2, 3), (0.4, 0.4, 0.2))[0]
        return wanted

    # -- goals and interactions -----------------------------------------------------------
    def goals(self, person: dict) -> Iterator[tuple[dict, list[str]]]:
        """Yield a person's goals with the names of their target skills."""
        rng = self.rng
        wanted = list(person["_wanted"])
        for _ in range(rng.choices((0, 1, 2, 3), (0.2, 0.45, 0.25, 0.1))[0]):
            kind = rng.choice(
                (
                    "learn_skill",
                    "explore_technology",
                    "operational_challenge",
                    "advocate_practice",
                    "business_understanding",
                    "career_growth",
                )
            )
            target = rng.sample(wanted, min(len(wanted), rng.randint(1, 2))) if wanted else []
            functions: list[str] = []
            team = person["_team"].name if person["team"] else person["division"]
            if kind == "learn_skill":
                title = f"Learn {target[0]}" if target else "Learn a new skill"
            elif kind == "explore_technology":
                title = f"Evaluate {target[0]} for {team}" if target else f"Modernise {team}"
            elif kind == "operational_challenge":
                title = rng.choice(
                    (
                        "Cut incident count in half",
                        "Make on-call humane",
                        "Halve the build time",
                        f"Stabilise {team}",
                    )
                )
            elif kind == "advocate_practice":
                title = rng.choice(
                    (
                        "Adopt trunk-based development",
                        "Introduce design reviews",
                        "Make observability a habit",
                        "Bring in property-based testing",
                    )
                )
            elif kind == "business_understanding":
                functions = rng.sample(
                    ["product", "sales", "marketing", "operations", "finance"], 2
                )
                title = f"Understand how {functions[0]} sees our customers"
            else:
                next_title = self.title(person["function"], min(7, person["level"] + 1))
                title = f"Grow into a {next_title} role"
            status = rng.choices(("active", "achieved", "abandoned"), (0.75, 0.18, 0.07))[0]
            created = self.now - timedelta(days=rng.randint(10, 300))
            row = {
                "id": self.new_id("gol"),
                "person_id": person["id"],
                "title": title,
                "kind": kind,
                "description": None,
                "target_functions": functions,
                "due_on": (self.now + timedelta(days=rng.randint(-30, 240))).date(),
                "status": status,
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
            yield row, target

    def interactions(self, person: dict, goal_ids: list[str]) -> Iterator[dict]:
        """Yield a year of interactions logged by one person, in the style drawn for them."""
        rng = self.rng
        style = rng.choices(list(STYLES), list(STYLES.values()))[0]
        team: _Team = person["_team"]
        everyone = self._all_ids
        n_contacts = {
            "deep": rng.randint(3, 8),
            "balanced": rng.randint(5, 12),
            "social": rng.randint(6, 14),
            "hubbub": rng.randint(10, 20),
        }[style]
        contacts: list[str] = []
        for _ in range(n_contacts):
            if rng.random() < 0.55 and len(team.members) > 1:
                contact = rng.choice(team.members)
            else:
                # Outside their team people mostly meet their own division: the silos that
                # the influence map finds (and its brokers bridge: service/network/demo.py).
                contact = rng.choice(
                    self._division_ids(person) if rng.random() < 0.85 else everyone
                )
            if contact != person["id"] and contact not in contacts:
                contacts.append(contact)
        giver = rng.random()  # how much this person gives rather than takes
        disciplined = rng.random() < 0.5
        kinds = KIND_WEIGHTS[style]
        for contact in contacts:
            touches = (
                1
                if style == "hubbub" and rng.random() < 0.75
                else rng.randint(1, 6 if style == "deep" else 3)
            )
            first = self.now - timedelta(days=rng.uniform(5, 365), minutes=rng.randint(0, 600))
            times = [first]
            for _ in range(touches - 1):
                gap = (
                    timedelta(hours=rng.uniform(2, 23))
                    if disciplined and len(times) == 1
                    else timedelta(days=rng.uniform(3, 120))
                )
                times.append(times[-1] + gap)
            times = [t for t in times if t < self.now]
            for i, at in enumerate(times):
                given = [e for e in EXCHANGES if rng.random() < 0.25 * giver]
                received = [e for e in EXCHANGES if rng.random() < 0.25 * (1 - giver)]
                yield {
                    "id": self.new_id("int"),
                    "person_id": person["id"],
                    "contact_id": contact,
                    "kind": rng.choices(list(kinds), list(kinds.values()))[0],
                    "occurred_at": at,
                    "initiated_by": "person" if rng.random() < 0.6 else "contact",
                    "given": given,
                    "received": received,
                    "goal_id": rng.choice(goal_ids) if goal_ids and rng.random() < 0.3 else None,
                    "notes": rng.choice(NOTES) if rng.random() < 0.3 else None,
                    "follow_up_due_at": at + timedelta(hours=24) if i == 0 else None,
                    "follow_up_done": i == 0 and len(times) > 1,
                    "created_at": at,
                    "updated_at": at,
                    "version": 1,
                }

    def _division_ids(self, person: dict) -> list[str]:
        if not hasattr(self, "_by_division"):
            self._by_division: dict[str | None, list[str]] = {}
            for pid in self._all_ids:
                division = self.people_by_id[pid]["division"]
                self._by_division.setdefault(division, []).append(pid)
        return self._by_division[person["division"]]

    def mentorships(self, people: list[dict]) -> Iterator[dict]:
        """Yield mentorships between people seeking a mentor and people open to mentoring."""
        rng = self.rng
        mentors = [p for p in people if p["open_to_mentor"] and p["active"]]
        taken: Counter[str] = Counter()
        for mentee in people:
            if (
                not mentors
                or not (mentee["seeking_mentor"] and mentee["active"])
                or rng.random() > 0.4
            ):
                continue
            pool = rng.sample(mentors, min(30, len(mentors)))
            fitting = [
                m
                for m in pool
                if m["level"] > mentee["level"]
                and m["id"] != mentee["manager_id"]
                and taken[m["id"]] < m["mentor_capacity"]
            ]
            if not fitting:
                continue
            mentor = fitting[0]
            status = rng.choices(
                ("active", "proposed", "completed", "declined"), (0.55, 0.2, 0.15, 0.1)
            )[0]
            if status == "active":
                taken[mentor["id"]] += 1
            started = self.now - timedelta(days=rng.randint(10, 200))
            ended = started + timedelta(days=rng.randint(5, 60))
            yield {
                "id": self.new_id("men"),
                "mentor_id": mentor["id"],
                "mentee_id": mentee["id"],
                "kind": "mentorship",
                "status": status,
                "proposed_by": mentee["id"],
                "goal_ids": [],
                "cadence_days": rng.choice((7, 14, 14, 30)),
                "ends_on": (self.now + timedelta(days=rng.randint(30, 180))).date()
                if status == "active"
                else None,
                "message": None,
                "decline_reason": "No time this quarter." if status == "declined" else None,
                "closure_reason": "Goal achieved." if status == "completed" else None,
                "accepted_at": started if status in ("active", "completed") else None,
                "ended_at": ended if status in ("completed", "declined") else None,
                "created_at": started,
                "updated_at": started,
                "version": 1,
            }


def _chunks(rows: list[dict], size: int = 2000) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(
    session: Session, table: Table, rows: list[dict], advance: Callable[[int], Any]
) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(table), chunk)
        advance(len(chunk))


def database_is_empty(session: Session) -> bool:
    """True when nobody is in the directory yet."""
    return not session.scalar(select(func.count()).select_from(Person))


def load(
    session: Session, *, people: int, seed: int, progress: Callable[[str, int], Any] | None = None
) -> dict[str, int]:
    """Generate a company and insert it; return how many rows of each kind were written.

    ``progress(phase, total)`` is called at the start of each phase and must return a
    callable advanced by the number of rows done.
    """
    company = DemoCompany(people, seed)
    progress = progress or (lambda _phase, _total: lambda _n: None)
    skill_rows, alias_rows = company.taxonomy_rows()
    _insert(session, Skill.__table__, skill_rows, progress("skills", len(skill_rows)))
    _insert(session, SkillAlias.__table__, alias_rows, lambda _n: None)

    person_rows, held_rows, wanted_rows = [], [], []
    for person, held, wanted in company.people():
        person_rows.append(person)
        held_rows.extend(held)
        wanted_rows.extend(wanted)
    company._all_ids = [p["id"] for p in person_rows]
    columns = set(Person.__table__.columns.keys())
    clean = [{k: v for k, v in p.items() if k in columns} for p in person_rows]
    _insert(session, Person.__table__, clean, progress("people", len(clean)))
    _insert(session, PersonSkill.__table__, held_rows, lambda _n: None)
    _insert(session, PersonLearning.__table__, wanted_rows, lambda _n: None)

    goal_rows, goal_skill_rows, interaction_rows = [], [], []
    for person in person_rows:
        active_goals = []
        for goal, targets in company.goals(person):
            goal_rows.append(goal)
            if goal["status"] == "active":
                active_goals.append(goal["id"])
            goal_skill_rows.extend(
                {"goal_id": goal["id"], "skill_id": company.skills[t]} for t in targets
            )
        interaction_rows.extend(company.interactions(person, active_goals))
    mentorship_rows = list(company.mentorships(person_rows))
    _insert(session, Goal.__table__, goal_rows, progress("goals", len(goal_rows)))
    _insert(session, goal_skills, goal_skill_rows, lambda _n: None)
    _insert(
        session,
        Interaction.__table__,
        interaction_rows,
        progress("interactions", len(interaction_rows)),
    )
    _insert(
        session,
        Mentorship.__table__,
        mentorship_rows,
        progress("mentorships", len(mentorship_rows)),
    )
    network_demo.load(session, person_rows, company.now, seed, progress)
    bingo_squares = load_demo_event(session, seed=seed, now=company.now)
    # Rows went in around the ORM: tell every running index to start again.
    changes.record(session, {changes.EVERYONE})
    session.commit()
    from service.programmes.demo import load_programmes

    programmes = load_programmes(session, utcnow())
    return {
        "skills": len(skill_rows),
        "people": len(person_rows),
        "goals": len(goal_rows),
        "interactions": len(interaction_rows),
        "mentorships": len(mentorship_rows),
        "programmes": programmes,
        "bingo squares": bingo_squares,
        **outcomes_demo.load(session, seed=seed, now=company.now),
    }
