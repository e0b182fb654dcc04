"""Payments (FIN-07): money out, opened by events from other services, paid by a person."""
