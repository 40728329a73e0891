"""Rapport's Alembic migrations (shipped inside the package, so `rapport db upgrade` finds them)."""
