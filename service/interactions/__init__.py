"""Interactions: logged contacts between two people."""
