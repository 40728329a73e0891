"""HR files in and out: CSV import and export of the directory."""
