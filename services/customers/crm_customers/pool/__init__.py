"""Ownership and the public pool: assign, transfer, release, claim, recycling, extensions (CUS-07)."""
