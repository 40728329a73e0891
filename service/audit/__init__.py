"""The audit log: an append-only record of tokens issued and used on someone's behalf."""
