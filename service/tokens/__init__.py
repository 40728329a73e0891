"""API tokens: issued by the CLI or an admin, stored only as hashes."""
