"""People: the profiles of the directory."""
