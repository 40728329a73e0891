"""The ids the API documentation uses as examples: real rows of the `make run` demo company.

Swagger UI's "Try it out" sends the examples as they are, so each id here exists in the
company that `rapport demo load` generates with its default seed and `make run`'s number of
people (a test loads it and checks every id of the spec). They follow one person through the
directory: Inês Kowalski, an engineer at level 3 who seeks a mentor.
"""

from __future__ import annotations

PERSON = "per_01KDVDNAMB595M0HMG093N9V46"
# Her manager.
MANAGER = "per_01KDVDNACHKVSFHJXM17CG2NWC"
# Her manager's manager, a director (level 7): a decision-maker two steps away.
DECISION_MAKER = "per_01KDVDNA9MZ711E57N0M1AVBFM"
# Her first recommended mentor, with whom she has no mentorship yet.
MENTOR = "per_01KDVDNADCRNSZTCHG8BWQAFNW"
# Someone she met (a meeting).
CONTACT = "per_01KDVDNAJC5GCAQ64JA1R3P79V"
# Her active goal ("Make on-call humane").
GOAL = "gol_01KDVDNH6VV01FB8PG81BF7NQW"
# Her meeting with CONTACT.
INTERACTION = "int_01KDVDNH75J37R24C1CEK7KX0V"
# An active mentorship of the demo company (she has none yet: she seeks a mentor).
MENTORSHIP = "men_01KDVDP80FMX3AE2S7R22257G8"
# A skill she wants to learn ("observability").
SKILL = "skl_01KDVDNA4Z2KW0EFR318T98CMR"

# The example id of each kind of path parameter (`person_id`, `contact_id`…).
BY_KIND = {
    "person": PERSON,
    "contact": CONTACT,
    "skill": SKILL,
    "goal": GOAL,
    "interaction": INTERACTION,
    "mentorship": MENTORSHIP,
}
