"""Recommendations: turns rows into matching records, keeps the index fresh, serves it."""
