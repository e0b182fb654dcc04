"""Contracts (SAL-08): approval through the engine, change orders, termination, renewal, expiry reminders."""
