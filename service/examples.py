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
# Her first recommended mentor, with whom she has no mentorship yet.
MENTOR = "per_01KDVDNADCRNSZTCHG8BWQAFNW"
# Someone she met for coffee.
CONTACT = "per_01KDVDNC0VJJ16XV3TPVPBVMPQ"
# One of her active goals ("Bring in property-based testing").
GOAL = "gol_01KDVDNHDE3E8TJQM98BN34A22"
# Her coffee with CONTACT.
INTERACTION = "int_01KDVDNHDWZED6SEMTP9M51422"
# Her active mentorship.
MENTORSHIP = "men_01KDVDP8987HJZPY205S476GKD"
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
