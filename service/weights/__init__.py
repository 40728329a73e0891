"""Versioned matching weights: learnt from outcomes, evaluated, adopted or rolled back."""
