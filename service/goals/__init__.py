"""Goals: what a person is deliberately working towards."""
