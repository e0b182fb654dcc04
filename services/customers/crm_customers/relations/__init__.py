"""Typed relations between customers (CUS-04)."""
