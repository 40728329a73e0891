"""The default Networking Bingo catalogue, written for Rapport.

In the spirit of the three prompts that started it ("introduce yourself and ask about their
current biggest challenge", "offer to help with a specific task", "ask for a relevant article
or resource"): every square asks for a real exchange, not a signature. Prompts with a
condition name who the other person must be; Rapport checks it against their profiles.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.events.models import BingoPrompt

# (key, category, text, condition)
DEFAULT_PROMPTS: tuple[tuple[str, str, str, str | None], ...] = (
    # ask: draw out what the other person knows or faces
    ("ask-biggest-challenge", "ask", "Introduce yourself and ask about their current biggest challenge", None),
    ("ask-article", "ask", "Ask for an article or resource that changed how they work", None),
    ("ask-last-lesson", "ask", "Ask what they learnt the hard way in the last six months", None),
    ("ask-decision", "ask", "Ask how a decision that affects your work really gets made in their team", None),
    ("ask-advice-first-90", "ask", "Ask what they wish they had known in their first 90 days", None),
    ("ask-whom-to-meet", "ask", "Ask whom else you should meet, and why", None),
    ("ask-metric", "ask", "Ask which number their team watches every week", None),
    ("ask-customer", "ask", "Ask what customers told them most recently", None),
    ("ask-frustration", "ask", "Ask what slows their work down that another team could fix", None),
    ("ask-senior-career", "ask", "Ask someone at least two levels senior about a turning point in their career", "senior_by_two"),
    ("ask-teach-learning", "ask", "Ask someone who holds a skill on your learning list how they learnt it", "holds_learning_skill"),
    ("ask-other-division-goal", "ask", "Ask someone from another division what their division is betting on this year", "other_division"),
    # offer: give before you take
    ("offer-help-task", "offer", "Offer to help with a specific task this week", None),
    ("offer-review", "offer", "Offer to review a document, design or plan they are working on", None),
    ("offer-intro", "offer", "Offer an introduction to someone in your network who could help them", None),
    ("offer-skill-hour", "offer", "Offer an hour of a skill you hold at level 3 or above", None),
    ("offer-pair", "offer", "Offer to pair on a problem they are stuck on", None),
    ("offer-feedback", "offer", "Offer honest feedback on something they are about to present", None),
    ("offer-shadow", "offer", "Offer them a chance to shadow one of your meetings", None),
    ("offer-junior-teach", "offer", "Offer a reverse-mentoring hour to someone at least two levels junior who can teach you something", "junior_who_can_teach"),
    ("offer-no-tie-function", "offer", "Offer help to someone from a function you have no tie with", "function_without_tie"),
    # share: give something of your own
    ("share-resource", "share", "Share a relevant article, talk or tool for their current work", None),
    ("share-mistake", "share", "Share a mistake you made and what it taught you", None),
    ("share-goal", "share", "Share one goal you are working towards this quarter", None),
    ("share-how-you-work", "share", "Share how you like to be contacted and when you are at your best", None),
    ("share-win", "share", "Share a recent win of your team that others might reuse", None),
    ("share-book", "share", "Share a book or course you would recommend to a colleague", None),
    ("share-template", "share", "Share a checklist, template or script that saves you time", None),
    ("share-path", "share", "Share how you got into your field", None),
    ("share-learning-peer", "share", "Share notes with someone who wants to learn a skill you also want to learn", "shares_learning"),
    ("share-other-division", "share", "Share what your team does with someone from another division", "other_division"),
    # discover: find the connection
    ("discover-common-ground", "discover", "Discover something you have in common outside work", None),
    ("discover-overlap", "discover", "Discover a project where your teams' work overlaps", None),
    ("discover-hidden-skill", "discover", "Discover a skill they have that is not on their profile", None),
    ("discover-their-customer", "discover", "Discover who their team's customer is, inside or outside the company", None),
    ("discover-next-step", "discover", "Discover one way you could work together next month", None),
    ("discover-unknown-team", "discover", "Discover a team you did not know existed", None),
    ("discover-tool", "discover", "Discover a tool they could not work without", None),
    ("discover-no-tie-function", "discover", "Discover how someone from a function you have no tie with measures success", "function_without_tie"),
    ("discover-learning-holder", "discover", "Discover someone who holds a skill on your learning list", "holds_learning_skill"),
    ("discover-junior-expert", "discover", "Discover someone at least two levels junior who can teach you something", "junior_who_can_teach"),
    ("discover-other-division", "discover", "Discover someone from another division and the problem they are solving", "other_division"),
    ("discover-senior-advice", "discover", "Discover the best advice someone at least two levels senior ever got", "senior_by_two"),
    ("discover-shared-learning", "discover", "Discover someone who wants to learn the same skill as you, and plan to learn it together", "shares_learning"),
)  # fmt: skip


def load_default_prompts(session: Session) -> int:
    """Add the default prompts missing from the catalogue; return how many were added.

    Loading twice adds nothing: each default prompt has a key, and a prompt an admin has
    changed keeps its changes.
    """
    present = set(session.scalars(select(BingoPrompt.key).where(BingoPrompt.key.is_not(None))))
    added = 0
    for key, category, text, condition in DEFAULT_PROMPTS:
        if key not in present:
            session.add(BingoPrompt(key=key, category=category, text=text, condition=condition))
            added += 1
    session.flush()
    return added
