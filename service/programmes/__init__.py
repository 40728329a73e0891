"""Programmes: cohorts matched at once, reviewed, published."""
