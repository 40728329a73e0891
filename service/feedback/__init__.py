"""Feedback on mentorships, its schedule, and the health of every mentorship."""
