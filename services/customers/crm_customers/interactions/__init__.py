"""Interactions and visit reports (CUS-05)."""
