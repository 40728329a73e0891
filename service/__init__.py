"""Rapport: a REST API that helps a company's people build a deliberate professional network."""
