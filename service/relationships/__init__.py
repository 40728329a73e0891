"""Relationships: ties derived from interactions, never typed in."""
