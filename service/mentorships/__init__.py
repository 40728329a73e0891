"""Mentorships: a mentor, a mentee, a kind, an agreement and a lifecycle."""
