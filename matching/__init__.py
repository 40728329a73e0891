"""Rapport's recommendation engine: whom a person should meet, for which purpose, and why.

Plain records in (:class:`Person`), plain results out (:class:`Recommendation`); numpy and scipy
only, nothing from the service. ``matching/README.md`` documents the scoring.

>>> index = MatchIndex().fit(people)                      # doctest: +SKIP
>>> index.recommend("p1", purpose="mentor", k=10)         # doctest: +SKIP
"""

from .base import Recommender, UnknownPersonError
from .index import MatchIndex
from .records import Goal, Person, Recommendation
from .reference import ReferenceMatcher
from .scoring import COMPONENTS, DEFAULT_WEIGHTS, PURPOSES

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "PURPOSES",
    "Goal",
    "MatchIndex",
    "Person",
    "Recommendation",
    "Recommender",
    "ReferenceMatcher",
    "UnknownPersonError",
]
