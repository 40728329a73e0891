"""Outcomes: the recommendation lists served (impressions) and what came of them."""
