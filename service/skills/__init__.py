"""The skill taxonomy: canonical skills with aliases and a category."""
