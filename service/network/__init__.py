"""The influence map: ties, graph measures, warm intro paths and their pictures."""
