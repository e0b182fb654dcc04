"""Quotes (SAL-05): priced like orders, revised with history, converted into a draft order."""
