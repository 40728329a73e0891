"""Dismissals: "not for me" on a recommendation, honoured in lists, programmes and intro rounds."""
